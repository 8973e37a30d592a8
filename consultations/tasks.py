"""Thin periodic tasks: each calls one service, and each is safe to run twice (notify keys, row locks)."""

from __future__ import annotations

from celery import shared_task

from consultations import services


@shared_task
def open_due() -> int:
    return services.consultations_open_due()


@shared_task
def close_due() -> int:
    return services.consultations_close_due()


@shared_task
def remind_closing() -> int:
    return services.consultations_remind_closing()


@shared_task
def send_digests() -> int:
    return services.digests_send()


@shared_task
def remind_unanswered() -> int:
    return services.unanswered_remind()
