"""A year and a half of past activity for the demo, then the performance figures of every day of it.

Each pillar adds its history in `<app>/demo_history.py`, with `seed(stdout, *, start, today)`; running the
command again adds nothing and computes only the days still missing.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from portal.models import PerformanceDay
from portal.performance.snapshots import snapshot_day


class Command(BaseCommand):
    help = "Create past AEO, consultation and training activity for the demo, and compute its performance figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=548, help="how far back the history goes (default 548)")

    def handle(self, *args, days: int = 548, **options) -> None:
        today = timezone.localdate()
        start = today - timedelta(days=days)
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if app_config.name != "portal" and module_has_submodule(app_config.module, "demo_history"):
                    import_module(f"{app_config.name}.demo_history").seed(self.stdout, start=start, today=today)
        done = set(PerformanceDay.objects.filter(day__gte=start).values_list("day", flat=True))
        missing = [start + timedelta(days=n) for n in range(days + 1) if start + timedelta(days=n) not in done]
        for day in missing:
            snapshot_day(day)
        self.stdout.write(self.style.SUCCESS(f"Performance figures computed for {len(missing)} days."))
