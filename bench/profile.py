"""Time pages in-process on the benchmark's data, and show where one page's time goes.

    DATABASE_URL=postgres://... REDIS_URL=redis://... python -m bench.profile [page name] [--profile]

Each page of `bench.run` is requested through Django's test client (no server, no network) after one
warm-up request; the median of BENCH_REPEAT requests (default 20) is printed with the page's query
count. Given a page name and --profile, cProfile's most expensive functions for that page follow
(BENCH_TOP of them, 25 by default, by BENCH_SORT: cumulative, or tottime).
Run `make bench` once first: this reuses the database it seeded.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time

from bench.run import ROOT, environment, pages, session_cookies


def main() -> None:
    wanted = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeat = int(os.environ.get("BENCH_REPEAT", "20"))
    os.environ.update(environment(int(os.environ.get("BENCH_PORT", "8200"))))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.seed import seed

    call_command("collectstatic", verbosity=0, interactive=False)  # the production settings' manifest
    listed = [p for p in pages(seed(0)) if not wanted or p.name in wanted]
    cookies = session_cookies({p.who for p in listed if p.who})
    for page in listed:
        cookie = cookies.get(page.who, "")
        client = Client(HTTP_COOKIE=cookie) if cookie else Client()
        client.get(page.path)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(page.path)
            timings.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(page.path).status_code
        print(f"{page.name:34} {status} {statistics.median(timings) * 1000:8.1f} ms  {len(queries):3} queries")
        if "--profile" in sys.argv:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, page.path)
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("BENCH_TOP", "25")))


if __name__ == "__main__":
    main()
