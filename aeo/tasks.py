"""Thin tasks: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from aeo.services import application_screen, certificate_generate
from aeo.services.deadlines import deadlines_watch
from aeo.services.decisions import decision_notice_render
from aeo.services.monitoring import monitoring_watch


@shared_task
def screen_application(application_id: int) -> None:
    application_screen(application_id=application_id)


@shared_task
def generate_certificate(authorisation_id: int) -> None:
    certificate_generate(authorisation_id=authorisation_id)


@shared_task
def watch_deadlines() -> dict:
    return deadlines_watch()


@shared_task
def render_decision_notice(notice_id: int) -> None:
    decision_notice_render(notice_id=notice_id)


@shared_task
def watch_monitoring() -> dict:
    return monitoring_watch()
