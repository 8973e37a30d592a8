"""The daily snapshot job: every source's figures for a day, replaced in one transaction.

Safe to run again for any day: a run deletes that day's rows and writes them anew, so a re-run gives
the same rows and two runs at once leave one complete set (the day's PerformanceDay row is locked).
"""

from __future__ import annotations

import logging
import time
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import PerformanceDay, PerformanceFigure, User
from portal.models.audit import register_actions
from portal.performance.registry import SOURCES
from portal.services.audit import audit_record

logger = logging.getLogger(__name__)

register_actions({"performance.recomputed": _("Performance figures computed again")})

# How far back the periodic job fills days it finds missing (a beat that was down for a week).
CATCH_UP_DAYS = 31


def snapshot_day(day: date, *, actor: User | None = None) -> PerformanceDay:
    """Compute and store every figure of `day` (a staff action when `actor` is given)."""
    started = time.monotonic()
    with transaction.atomic():
        record, _created = PerformanceDay.objects.select_for_update().get_or_create(day=day)
        rows = [
            PerformanceFigure(day=day, stock=f.stock, indicator=f.indicator, key=f.key, days=f.days,
                              aeo_type=f.aeo_type, country=f.country, sector=f.sector, count=f.count)
            for compute in SOURCES.values() for f in compute(day) if f.count
        ]
        PerformanceFigure.objects.filter(day=day).delete()
        PerformanceFigure.objects.bulk_create(rows, batch_size=2000)
        record.computed_at = timezone.now()
        record.computed_by = actor
        record.seconds = round(time.monotonic() - started, 3)
        record.figures = len(rows)
        record.save()
        if actor is not None:
            audit_record(actor=actor, action="performance.recomputed", target=record,
                         data={"day": day.isoformat(), "figures": len(rows)})
    logger.info("Performance figures of %s: %d rows in %.2f s", day, len(rows), record.seconds)
    return record


def snapshots_update(*, today: date | None = None) -> list[date]:
    """The periodic job: today so far, yesterday in full, and any missing day of the last month."""
    today = today or timezone.localdate()
    first = today - timedelta(days=CATCH_UP_DAYS)
    done = set(PerformanceDay.objects.filter(day__gte=first, day__lt=today - timedelta(days=1))
               .values_list("day", flat=True))
    missing = [first + timedelta(days=n) for n in range(CATCH_UP_DAYS - 1)
               if first + timedelta(days=n) not in done]
    days = [*missing, today - timedelta(days=1), today]
    for day in days:
        snapshot_day(day)
    return days


def snapshots_backfill(start: date, end: date) -> int:
    """Every day from `start` to `end` (seeding history, or after a change to how a figure is counted)."""
    day, count = start, 0
    while day <= end:
        snapshot_day(day)
        day += timedelta(days=1)
        count += 1
    return count
