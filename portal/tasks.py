"""Thin tasks: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from portal.services.notifications import notification_deliver, notifications_relay


@shared_task
def deliver_notifications(notification_ids: list[int]) -> None:
    for pk in notification_ids:
        notification_deliver(pk)


@shared_task
def relay_notifications() -> int:
    return notifications_relay()
