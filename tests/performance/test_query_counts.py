"""The performance pages and API read snapshots: the same number of queries at 10 and 100,000
applications."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.performance.snapshots import snapshot_day
from tests.performance.bulk import bulk_history

PAGES = ["/performance/", "/api/v1/performance/aeo-applications/", "/api/v1/performance/aeo-backlog/",
         "/performance/tables/aeo-processing-times.csv"]


def _counts(client, supervisor_client) -> dict[str, int]:
    counts = {}
    for who, c in (("public", client), ("staff", supervisor_client)):
        for url in [*PAGES, *(["/performance/staff/"] if who == "staff" else [])]:
            # each page from a cold cache: the header's counts, cached for seconds, would expire while the
            # 100,000 rows are written and make one measurement a query longer than the other
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                assert c.get(url).status_code == 200
            counts[f"{who} {url}"] = len(queries)
    return counts


def test_same_queries_at_10_and_100000_applications(client, client_for, supervisor):
    today = timezone.localdate()
    staff = client_for(supervisor)

    def snapshot():
        for d in (2, 1, 0):
            snapshot_day(today - timedelta(days=d))

    # given ten applications and their figures
    bulk_history(10, today=today)
    snapshot()
    client.get("/performance/"), staff.get("/performance/staff/")  # warm the content type cache and session
    small = _counts(client, staff)
    # when the portal holds 100,000
    bulk_history(99_990, today=today, start=10)
    snapshot()
    large = _counts(client, staff)
    # then every page runs the same queries: the snapshot day, the flows, the stocks, and the session/user
    # (plus, on the staff page, the ten oldest cases and the centres and courses of the training tables)
    assert large == small
    assert small["public /performance/"] <= 8
    rows = staff.get("/api/v1/performance/aeo-applications/").json()["rows"]
    assert rows[-1]["received"] == 100_000 and rows[-1]["granted"] == 99_990
