"""Thin tasks: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from aeo.services import application_screen


@shared_task
def screen_application(application_id: int) -> None:
    application_screen(application_id=application_id)
