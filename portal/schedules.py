"""Periodic jobs live in django-celery-beat's tables, so staff can see and tune them in the admin.

Apps declare theirs in a data migration with `schedule_every`.
"""

from __future__ import annotations


def schedule_every(apps, *, name: str, task: str, seconds: int) -> None:
    """For data migrations: run `task` every `seconds`, unless a job of that name exists already."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _created = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})
