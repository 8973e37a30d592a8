"""How long the daily snapshot job takes for 100,000 applications (a benchmark, not a test).

    DJANGO_DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python -m \
        tests.performance.benchmark_snapshots [N]

It works in Django's test database (test_<name>, created or reused), inside a transaction it rolls back.
"""

from __future__ import annotations

import os
import sys
import time


def main(n: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from portal.performance.snapshots import snapshot_day
    from tests.performance.bulk import bulk_history

    connection.creation.create_test_db(verbosity=0, keepdb=True)
    today = timezone.localdate()
    with transaction.atomic():
        started = time.monotonic()
        bulk_history(n, today=today)
        print(f"{n:,} applications and their events bulk-created in {time.monotonic() - started:.1f} s")
        for d in (2, 1, 0):
            record = snapshot_day(today - timedelta(days=d))
            print(f"snapshot of {record.day}: {record.figures} figures in {record.seconds:.2f} s")
        started = time.monotonic()
        record = snapshot_day(today)
        print(f"the same day again (idempotent): {record.figures} figures in {record.seconds:.2f} s")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
