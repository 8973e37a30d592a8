"""Thin tasks: they take ids, call one service, and are safe to run twice."""

from __future__ import annotations

import time

from celery import shared_task
from django.conf import settings

from portal.services.notifications import due_in_range, notifications_deliver, notifications_relay
from portal.services.webhooks import deliveries_deliver
from portal.work import enqueue_on_commit, sweep_promised_work


def _stop_at() -> float:
    """Start no e-mail after this moment, so that a send in progress (each step of the conversation with
    the mail server bounded by EMAIL_TIMEOUT) ends before the soft time limit interrupts it."""
    return time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT - settings.NOTIFICATION_SEND_ALLOWANCE


@shared_task
def deliver_notifications(notification_ids: list[int]) -> int:
    sent, left = notifications_deliver(notification_ids, stop_at=_stop_at())
    if left:
        enqueue_on_commit(deliver_notifications, left)  # no transaction here: queued at once
    return sent


@shared_task
def deliver_notification_range(first_id: int, last_id: int) -> int:
    """Deliver what is due among notifications first_id..last_id (a fan-out); hand on what time leaves."""
    sent, left = notifications_deliver(due_in_range(first_id, last_id), stop_at=_stop_at())
    # What time leaves is handed on in two halves, so that a slow mail server gets more senders at each
    # round (1, 2, 4…, as many as there are worker processes) instead of one after another.
    if len(left) > 1:
        middle = left[len(left) // 2]
        enqueue_on_commit(deliver_notification_range, left[0], middle - 1)
        enqueue_on_commit(deliver_notification_range, middle, last_id)
    elif left:
        enqueue_on_commit(deliver_notification_range, left[0], last_id)
    return sent


@shared_task
def relay_notifications() -> int:
    return notifications_relay(stop_at=_stop_at())


@shared_task
def sweep_work() -> dict[str, int]:
    return sweep_promised_work()


@shared_task
def deliver_webhooks(delivery_ids: list[int]) -> int:
    """One attempt per due delivery; each failure is tried again after its back-off (the sweep makes up a
    lost retry). A post takes at most two WEBHOOK_TIMEOUTs: none starts that close to the soft limit."""
    stop_at = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT - 2 * settings.WEBHOOK_TIMEOUT - 5
    retries, left = deliveries_deliver(delivery_ids, stop_at=stop_at)
    for delivery_id, seconds in retries:
        try:
            deliver_webhooks.apply_async(([delivery_id],), countdown=seconds, retry=False)
        except Exception:  # the broker is down: the sweep tries it when it is due
            break
    if left:
        enqueue_on_commit(deliver_webhooks, left)
    return len(delivery_ids) - len(left)
