"""A worker killed in the middle of a batch of e-mails loses nothing, and each e-mail goes out once.

Each test raises a batch of notifications in one transaction and lets a worker (prefork, one child,
as in production) start sending the first through a backend that holds it back until released. That
row is claimed ("sending", leased); a second delivery meanwhile leaves it alone. Then the test kills:

- the whole worker: its message stays unacknowledged in Redis (acks_late) until a worker with a
  short visibility timeout gives it back, or the outbox relay delivers the rows first;
- only the pool child: the main process puts the message back at once (reject_on_worker_lost).

The message that comes back sends the rest of the batch; the claimed row waits for its lease to run
out, and the relay then sends it. The limits are short here so that the lease ends within the test.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from portal.models import Notification
from portal.services.notifications import notification_deliver, notify
from portal.tasks import relay_notifications
from tests.factories import UserFactory
from tests.integration.conftest import Worker, is_dead, read_emails, wait_for

pytestmark = pytest.mark.integration
Status = Notification.EmailStatus
DELIVER = "portal.tasks.deliver_notifications"
RELAY = "portal.tasks.relay_notifications"
VISIBILITY_TIMEOUT = 1  # seconds, for the workers that are to be given the message back
BATCH = 3
# A held send is stopped by the soft limit; the lease outlives the hard limit, as in production.
LIMITS = {"EMAIL_TIMEOUT": "1", "CELERY_TASK_SOFT_TIME_LIMIT": "10", "CELERY_TASK_TIME_LIMIT": "12",
          "NOTIFICATION_LEASE_SECONDS": "13"}


@dataclass
class Sending:
    """A worker caught in the middle of sending a notification's e-mail."""

    worker: Worker
    notification: Notification  # the one inside the send
    batch: list[Notification]
    task_id: str
    sender_pid: int  # the process inside the send: the worker's pool child
    started_at: float
    release: Path  # the held e-mails are written once this file exists

    def kill_sender(self) -> None:
        wait_for(lambda: is_dead(self.sender_pid), timeout=10, what=f"process {self.sender_pid} to die")
        # From now on, whoever sends does so at once.
        self.release.touch()


@pytest.fixture
def outbox(tmp_path, settings) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    # This process writes to the same folder, so that an e-mail it sent by mistake would be counted too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    return folder


@pytest.fixture
def markers(tmp_path) -> Path:
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


@pytest.fixture
def release(tmp_path) -> Path:
    return tmp_path / "release"


@pytest.fixture
def slow_mail_env(outbox, markers, release):
    """The environment of a worker that writes e-mails to `outbox`, holding them until `release` exists."""

    def env(*, visibility_timeout: int = 3600) -> dict[str, str]:
        return {
            "EMAIL_URL": f"filemail:///{outbox}",  # three slashes + an absolute path
            "EMAIL_BACKEND": "tests.integration.slow_backend.SlowFileBackend",
            "SLOW_EMAIL_MARKER_DIR": str(markers),
            "SLOW_EMAIL_RELEASE_FILE": str(release),
            "SLOW_EMAIL_SECONDS": "30",
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            **LIMITS,
        }

    return env


@pytest.fixture
def sending(start_worker, publish_to_broker, slow_mail_env, markers, outbox, release, settings) -> Sending:
    settings.NOTIFICATION_LEASE_SECONDS = int(LIMITS["NOTIFICATION_LEASE_SECONDS"])
    # given a worker whose e-mail backend holds messages back, and a batch of committed notifications
    worker = start_worker("doomed", **slow_mail_env())
    people = [UserFactory(email=f"person{i}@atlantic.example") for i in range(BATCH)]
    with transaction.atomic():
        batch = notify(recipients=people, kind="organisation.membership",
                       subject="Your role changed", body="You are now an administrator.")
    # when the worker is inside the first send
    (marker,) = wait_for(lambda: list(markers.iterdir()), timeout=30, what="the worker to start sending",
                         details=worker.details)
    (task_id,) = worker.task_ids(DELIVER, "received")
    sender_pid = int(marker.name.split("-")[1])
    assert sender_pid != worker.process.pid, "the task should run in a pool child"
    first = Notification.objects.get(pk=int(marker.read_text()))
    assert first == batch[0]
    # then the row is claimed, and a second delivery at that moment leaves it alone
    assert (first.email_status, first.attempts) == (Status.SENDING, 1)
    assert notification_deliver(first.pk) == "skipped"
    assert read_emails(outbox) == []
    return Sending(worker, first, batch, task_id, sender_pid, marker.stat().st_mtime, release)


def _kill_worker(sending: Sending, broker) -> None:
    sending.worker.kill()
    sending.kill_sender()
    # nothing was sent, the claimed row keeps its lease, and the message waits unacknowledged
    assert list(Notification.objects.filter(pk__in=[n.pk for n in sending.batch]).order_by("pk")
                .values_list("email_status", flat=True)) == [Status.SENDING] + [Status.PENDING] * (BATCH - 1)
    assert broker.llen("mail") == 0
    assert broker.hlen("unacked") == 1, "the message should be taken but not acknowledged"
    # A starting worker sweeps the unacknowledged messages once, giving back those older than its
    # visibility timeout (kombu's periodic sweeps come much later): make sure this one is old enough.
    time.sleep(max(0.0, sending.started_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))


def _relay_after_the_lease(sending: Sending, worker: Worker) -> None:
    """Once the claimed row's lease has run out, the relay sends it."""
    sending.notification.refresh_from_db()
    time.sleep(max(0.0, (sending.notification.next_attempt_at - timezone.now()).total_seconds() + 0.5))
    relay_notifications.delay()
    wait_for(lambda: "1" in worker.task_results(RELAY), timeout=20, what="the relay to send the claimed row",
             details=worker.details)


def _assert_sent_once(sending: Sending, outbox: Path, broker, last_worker: Worker) -> None:
    messages = read_emails(outbox)
    sent = sorted(int(m["X-Portal-Notification"]) for m in messages)
    print(f"\nkilled mid-batch: {BATCH} notifications, {len(messages)} e-mails, "
          f"{len(sent) - len(set(sent))} duplicates")
    assert sent == sorted(n.pk for n in sending.batch)
    for notification in sending.batch:
        notification.refresh_from_db()
        assert notification.email_status == Status.SENT
        assert notification.last_error == ""
        # the killed attempt counts for the row it had claimed
        assert notification.attempts == (2 if notification == sending.notification else 1)
    # and nothing is left in Redis to be delivered again
    wait_for(lambda: broker.llen("mail") == 0 and broker.hlen("unacked") == 0, timeout=10,
             what="the broker to be empty", details=last_worker.details)


def test_killed_worker_message_is_delivered_again(sending, start_worker, slow_mail_env, outbox, broker):
    # when the worker is killed outright
    _kill_worker(sending, broker)
    # and a new worker starts with a short visibility timeout: Redis gives the message back to it, and it
    # sends the rest of the batch
    rescuer = start_worker("rescuer", **slow_mail_env(visibility_timeout=VISIBILITY_TIMEOUT))
    wait_for(lambda: sending.task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the unacknowledged message to be delivered again", details=rescuer.details)
    assert len(read_emails(outbox)) == BATCH - 1
    # and the relay sends the claimed row once its lease has run out
    _relay_after_the_lease(sending, rescuer)

    # then each e-mail went out once
    _assert_sent_once(sending, outbox, broker, rescuer)


def test_relay_delivers_after_a_kill_and_the_message_coming_back_sends_nothing(
    sending, start_worker, slow_mail_env, outbox, broker
):
    # when the worker is killed outright
    _kill_worker(sending, broker)
    # and the relay runs first, on a worker that would give the message back only in an hour
    relayer = start_worker("relayer", **slow_mail_env())
    relay_notifications.delay()
    assert wait_for(lambda: relayer.task_results(RELAY), timeout=15, what="the relay to run",
                    details=relayer.details) == [str(BATCH - 1)]
    _relay_after_the_lease(sending, relayer)
    relayer.stop()
    assert broker.hlen("unacked") == 1, "the killed worker's message should still be waiting"
    # and later the message comes back, to a worker with a short visibility timeout
    rescuer = start_worker("rescuer", **slow_mail_env(visibility_timeout=VISIBILITY_TIMEOUT))
    wait_for(lambda: sending.task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the unacknowledged message to be delivered again", details=rescuer.details)
    assert rescuer.task_results(DELIVER) == ["0"]

    # then each e-mail went out once
    _assert_sent_once(sending, outbox, broker, rescuer)


def test_killed_pool_child_message_is_requeued_at_once(sending, outbox, broker):
    # when only the pool child inside the send is killed
    os.kill(sending.sender_pid, signal.SIGKILL)
    sending.kill_sender()
    # then its worker puts the message back and runs it again in a new child, which sends the rest
    worker = sending.worker
    wait_for(lambda: sending.task_id in worker.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the message to be run again", details=worker.details)
    assert "WorkerLostError" in worker.log()
    assert len(read_emails(outbox)) == BATCH - 1
    _relay_after_the_lease(sending, worker)
    _assert_sent_once(sending, outbox, broker, worker)
