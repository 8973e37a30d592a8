"""Real Celery workers, started as subprocesses, against Redis and the test database on PostgreSQL.

The workers and this test process share a Redis database of their own (flushed before and after each
test) and the pytest-django test database. Tests use `transactional_db`, so that what they write is
committed and visible to the workers, and `transaction.on_commit` really fires.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from django.db import connection

from portal.celery import app as celery_app
from portal.work import broker_outage

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
# A Redis database that nothing else on this machine uses (the other tests use 0): it is flushed.
BROKER_URL = os.environ.get("INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKER_START_SECONDS = 30

T = TypeVar("T")


def wait_for(condition: Callable[[], T], *, timeout: float, what: str,
             details: Callable[[], str] = lambda: "") -> T:
    """Poll `condition` until it returns something truthy, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:g}s waiting for {what}\n{details()}", pytrace=False)
        time.sleep(0.2)


def is_dead(pid: int) -> bool:
    """Whether the process is gone or a zombie: it will run no more code."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] in {"Z", "X"}


def read_emails(folder: Path) -> list[EmailMessage]:
    """Every message Django's file backend wrote to `folder` (it separates messages with a line of dashes)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def test_database_url() -> str:
    """The URL of the database this test process uses: pytest-django's test database, not `portal`."""
    db = connection.settings_dict
    assert db["NAME"].startswith("test_"), db["NAME"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


test_database_url.__test__ = False  # a helper, not a test


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def details(self) -> str:
        return f"--- log of worker {self.name} (exit code {self.process.poll()}) ---\n{self.log()}"

    def task_ids(self, task: str, event: str) -> list[str]:
        """Ids of the tasks named `task` this worker logged `event` for ("received", "succeeded")."""
        return re.findall(rf"Task {re.escape(task)}\[([0-9a-f-]+)\] {event}", self.log())

    def task_results(self, task: str) -> list[str]:
        """What each run of `task` returned, as the worker logged it."""
        return re.findall(rf"Task {re.escape(task)}\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: (.*)", self.log())

    def kill(self) -> None:
        """SIGKILL the worker's whole process group: no warm shutdown, nothing acknowledged or restored."""
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM): the worker finishes its task and leaves."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()


@pytest.fixture
def broker_url() -> Iterator[str]:
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    yield BROKER_URL
    client.flushdb()
    client.close()


@pytest.fixture
def broker(broker_url) -> Iterator[redis.Redis]:
    """A plain Redis client on the broker's database, to look at the queue and the unacknowledged messages."""
    client = redis.Redis.from_url(broker_url)
    yield client
    client.close()


def _reset_celery_connections() -> None:
    # The app caches its connection and producer pools for the broker_url it first saw, and kombu keeps
    # them in a registry of its own: close and forget them all.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def publish_to_broker(broker_url) -> Iterator[None]:
    """This test process sends tasks to the workers' broker instead of running them eagerly."""
    # An earlier test's unreachable broker must not make this one's nudges wait for the relay.
    broker_outage.clear()
    conf = celery_app.conf
    saved = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}
    _reset_celery_connections()
    conf.update(broker_url=broker_url, task_always_eager=False)
    yield
    _reset_celery_connections()
    conf.update(saved)


@pytest.fixture
def start_worker(transactional_db, broker_url, tmp_path) -> Iterator[Callable[..., Worker]]:
    """`start_worker(name, **environment)`: a Celery worker, ready to take tasks once it returns.

    It depends on `transactional_db`, so its workers are killed before the database is flushed.
    """
    workers: list[Worker] = []

    def start(name: str, *, queues: str = "celery,mail", concurrency: int = 1, beat: bool = False,
              **environment: str) -> Worker:
        # Prefork with one child, as in production. (The solo pool would hide a missing acks_late: it
        # runs the task inside the event loop, so even an early acknowledgement waits for the task.)
        inherited = {k: v for k, v in os.environ.items()
                     if k not in {"EMAIL_BACKEND", "CELERY_VISIBILITY_TIMEOUT", "NOTIFICATION_LEASE_SECONDS"}}
        env = {
            **inherited,
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **environment,
        }
        log_path = tmp_path / f"worker-{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [CELERY, "-A", "portal", "worker", "--pool=prefork", f"--concurrency={concurrency}",
                 f"--queues={queues}", "--loglevel=INFO", f"--hostname={name}@%h", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", *(["--beat"] if beat else [])],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, to kill it whole
            )
        worker = Worker(name, process, log_path, env)
        workers.append(worker)
        wait_for(lambda: " ready." in worker.log() or process.poll() is not None,
                 timeout=WORKER_START_SECONDS, what=f"worker {name} to start", details=worker.details)
        if process.poll() is not None:
            pytest.fail(f"Worker {name} did not start\n{worker.details()}", pytrace=False)
        return worker

    yield start
    for worker in workers:
        worker.kill()
