"""The periodic snapshot job (scheduled by portal's migration 0005_performance_snapshots)."""

from __future__ import annotations

from celery import shared_task

from portal.performance.snapshots import snapshots_update


@shared_task
def update_performance_snapshots() -> list[str]:
    return [day.isoformat() for day in snapshots_update()]
