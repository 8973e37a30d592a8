"""Periodic jobs live in django-celery-beat's tables, so staff can see and tune them in the admin.

Apps declare theirs in a data migration with `schedule_every`.
"""

from __future__ import annotations

from datetime import UTC, datetime

# A start time in the past makes beat run a job that never ran at once, rather than one interval after
# it first starts: a daily job must not wait a day after a deploy.
STARTED = datetime(2026, 1, 1, tzinfo=UTC)


def schedule_every(apps, *, name: str, task: str, seconds: int, expires: bool = False) -> None:
    """For data migrations: run `task` every `seconds`, unless a job of that name exists already.

    With `expires`, a run that waited longer than `seconds` in the queue is dropped: the next one does
    the same work (relays and sweeps), and a stalled worker finds one run waiting, not hundreds.
    """
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _created = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
    PeriodicTask.objects.get_or_create(name=name, defaults={
        "task": task, "interval": every, "start_time": STARTED, "expire_seconds": seconds if expires else None,
    })
