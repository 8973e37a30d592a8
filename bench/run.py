"""Seed, serve with gunicorn as production does, drive wrk on loopback, print the figures.

    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench [BENCH_SECONDS=30] [BENCH_ROWS=100000]

The benchmark works in its own database (BENCH_DATABASE_URL, by default DATABASE_URL's name with
`_bench` added), created and seeded on the first run and reused afterwards. Every page is driven by
wrk for BENCH_SECONDS (16 connections), one page after the other, against gunicorn started from
gunicorn.conf.py with the production settings plus one bare view (bench/settings.py). Queries per
page are counted in-process on the same data. MACHINA_URL, when set, adds the topic page of a
django-machina forum (bench/machina/README.md) to the same table.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(__file__).resolve().parent / "report.lua"
CONNECTIONS = 16


@dataclass
class Page:
    name: str
    path: str
    who: str = ""  # "" anonymous, else the e-mail of the demo persona signed in
    shown: int = 0  # comments or posts the page shows, for the per-comment comparison


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    queries: int | None


def bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"{url.path}_bench"))


def environment(port: int) -> dict[str, str]:
    """The production settings (no debug, every required variable set), on plain HTTP on loopback."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark runs on the production stack.")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL": "false", "SITE_URL": f"http://127.0.0.1:{port}", "DATABASE_URL": bench_database_url(),
        "PORT": str(port), "GUNICORN_BIND_HOST": "127.0.0.1", "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "dummymail://",
    }


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def pages(seeded) -> list[Page]:
    from consultations.views.common import THREADS_PER_PAGE

    thread = f"/consultations/{seeded.thread_id}/"
    shown = THREADS_PER_PAGE * 3  # each thread of the seed is a comment, a reply and a reply to it
    operator, reviewer = "admin@atlantic.example", "reviewer@customs.example"
    return [
        Page("bare view", "/bench/bare/"),
        Page("home", "/"),
        Page("consultation list", "/consultations/"),
        Page("consultation thread, page 1", thread, shown=shown),
        Page("thread, signed in", thread, operator, shown=shown),
        Page("training catalogue", "/training/"),
        Page("course page", f"/training/courses/{seeded.course_slug}/"),
        Page("AEO holders list", "/aeo/holders/"),
        Page("training coverage (signed in)", f"/training/organisations/{seeded.organisation_id}/coverage/", operator),
        Page("dashboard (signed in)", "/dashboard/", operator),
        Page("AEO task list (signed in)", f"/aeo/applications/{seeded.application_id}/", operator),
        Page("notifications (signed in)", "/notifications/", operator),
        Page("admin review queue (staff)", "/admin/aeo/application/", reviewer),
    ]


def session_cookies(emails: set[str]) -> dict[str, str]:
    """A signed-in session per persona (with the second factor for staff), as the browser would hold."""
    from allauth.mfa.utils import is_mfa_enabled
    from django.conf import settings
    from django.test import Client

    from portal.models import User
    from tests.conftest import record_second_factor

    cookies = {}
    for email in emails:
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        if is_mfa_enabled(user):
            record_second_factor(client, user)
        cookies[email] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return cookies


def count_queries(page: Page, cookie: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=cookie) if cookie else Client()
    client.get(page.path)  # the first request fills caches the later ones find
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    return response.status_code, len(queries)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback, our own server)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The server did not answer {url} within {seconds:.0f} s.")


def drive(url: str, cookie: str, seconds: int) -> tuple[float, float, float, int]:
    """wrk on one page: requests per second, p50 and p95 in milliseconds, failed requests."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(REPORT), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30,  # noqa: S603 (our arguments)
                         check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50, p95 = (float(v) / 1000 for v in re.search(r"p50=(\d+) p95=(\d+)", out).groups())
    # Answers other than 2xx/3xx, and requests that got no answer within wrk's timeout (10 s).
    errors = sum(int(n) for found in re.findall(r"Non-2xx or 3xx responses: (\d+)|timeout (\d+)", out)
                 for n in found if n)
    return rps, p50, p95, errors


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def print_table(results: list[Result], machina: Result | None) -> None:
    bare = results[0].rps
    print(f"\n{'page':<32} {'req/s':>8} {'of bare':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'failed':>7}")
    for r in [*results, *([machina] if machina else [])]:
        queries = "" if r.queries is None else str(r.queries)
        print(f"{r.page.name:<32} {r.rps:8.1f} {r.rps / bare:8.1%} {r.p50_ms:8.1f} {r.p95_ms:8.1f} "
              f"{queries:>8} {r.errors:7d}")
    if machina:
        thread = next(r for r in results if r.page.shown and not r.page.who)
        print(f"\nthread vs machina's topic page: {thread.rps / machina.rps:.2f}× the requests per second, "
              f"{(thread.rps * thread.page.shown) / (machina.rps * machina.page.shown):.2f}× per comment shown "
              f"({thread.page.shown} comments to {machina.page.shown} posts)")


def main() -> None:
    seconds = int(os.environ.get("BENCH_SECONDS", "30"))
    rows = int(os.environ.get("BENCH_ROWS", "100000"))
    port = int(os.environ.get("BENCH_PORT", "8200"))
    env = environment(port)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    create_database(env["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    from bench.seed import seed

    print(f"Seeding {env['DATABASE_URL'].rsplit('/', 1)[-1]} ({rows:,} rows; skipped once seeded)...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    seeded = seed(rows)
    listed = pages(seeded)
    cookies = session_cookies({p.who for p in listed if p.who})
    queries = {p.name: count_queries(p, cookies.get(p.who, "")) for p in listed}
    from django.db import connections

    connections.close_all()

    log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115 (open while the server runs)
    # As production runs it (Procfile: web), except that workers are not recycled every ~2,000 requests:
    # a restart in the middle of a page's run would be timed as that page's.
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py", "--max-requests", "0",
                "portal.wsgi"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        print(f"gunicorn {env.get('GUNICORN_WORKERS', '2')} workers × {env.get('GUNICORN_THREADS', '4')} threads; "
              f"wrk {CONNECTIONS} connections × {seconds} s per page; load average before: {loadavg()}", flush=True)
        results = []
        for page in listed:
            status, count = queries[page.name]
            if status != 200:
                sys.exit(f"{page.name} ({page.path}) answered {status}, not 200: the seed is incomplete.")
            drive(base + page.path, cookies.get(page.who, ""), 1)  # warm every worker and thread
            results.append(Result(page, *drive(base + page.path, cookies.get(page.who, ""), seconds), count))
            print(f"  {page.name}: {results[-1].rps:.1f} req/s (load average {loadavg()})", flush=True)
        machina = None
        if os.environ.get("MACHINA_URL"):
            page = Page("django-machina 1.3.1 topic page", os.environ["MACHINA_URL"], shown=15)
            drive(page.path, "", 1)
            machina = Result(page, *drive(page.path, "", seconds), None)
        print(f"load average after: {loadavg()}")
        print_table(results, machina)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
