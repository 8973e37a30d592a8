"""A worker killed while sending an e-mail loses nothing, and the e-mail still goes out only once.

Each test lets a worker (prefork, one child, as in production) start sending a notification's
e-mail through a backend that holds it back until released, checks that the row is locked
meanwhile, and kills it:

- the whole worker: its message stays unacknowledged in Redis (acks_late) until a worker with a
  short visibility timeout gives it back, or the outbox relay delivers the row first, and the
  message, when it comes back, must then find nothing to do;
- only the pool child: the main process puts the message back at once (reject_on_worker_lost).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction

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


@dataclass
class Sending:
    """A worker caught in the middle of sending a notification's e-mail."""

    worker: Worker
    notification: Notification
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
        }

    return env


@pytest.fixture
def sending(start_worker, publish_to_broker, slow_mail_env, markers, outbox, release) -> Sending:
    # given a worker whose e-mail backend holds messages back, and a committed notification
    worker = start_worker("doomed", **slow_mail_env())
    alice = UserFactory(email="alice@atlantic.example")
    with transaction.atomic():
        (notification,) = notify(recipients=[alice], kind="organisation.membership",
                                 subject="Your role changed", body="You are now an administrator.")
    # when the worker is inside the send
    (marker,) = wait_for(lambda: list(markers.iterdir()), timeout=30, what="the worker to start sending",
                         details=worker.details)
    (task_id,) = worker.task_ids(DELIVER, "received")
    sender_pid = int(marker.name.split("-")[1])
    assert sender_pid != worker.process.pid, "the task should run in a pool child"
    # then a second delivery at that moment finds the row locked, and leaves it alone
    assert notification_deliver(notification.pk) == "skipped"
    assert read_emails(outbox) == []
    return Sending(worker, notification, task_id, sender_pid, marker.stat().st_mtime, release)


def _kill_worker(sending: Sending, broker) -> None:
    sending.worker.kill()
    sending.kill_sender()
    # nothing was sent, the attempt died with its transaction, and the message waits unacknowledged
    sending.notification.refresh_from_db()
    assert (sending.notification.email_status, sending.notification.attempts) == (Status.PENDING, 0)
    assert broker.llen("celery") == 0
    assert broker.hlen("unacked") == 1, "the message should be taken but not acknowledged"
    # A starting worker sweeps the unacknowledged messages once, giving back those older than its
    # visibility timeout (kombu's periodic sweeps come much later): make sure this one is old enough.
    time.sleep(max(0.0, sending.started_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))


def _assert_sent_once(sending: Sending, outbox: Path, broker, last_worker: Worker) -> None:
    messages = read_emails(outbox)
    assert len(messages) == 1, [(m["To"], m["X-Portal-Notification"]) for m in messages]
    assert messages[0]["To"] == "alice@atlantic.example"
    assert messages[0]["X-Portal-Notification"] == str(sending.notification.pk)
    notification = sending.notification
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert notification.attempts == 1  # the killed attempt was rolled back with its transaction
    assert notification.last_error == ""
    # and nothing is left in Redis to be delivered again
    wait_for(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, timeout=10,
             what="the broker to be empty", details=last_worker.details)


def test_killed_worker_message_is_delivered_again(sending, start_worker, slow_mail_env, outbox, broker):
    # when the worker is killed outright
    _kill_worker(sending, broker)
    # and a new worker starts with a short visibility timeout: Redis gives the message back to it
    rescuer = start_worker("rescuer", **slow_mail_env(visibility_timeout=VISIBILITY_TIMEOUT))
    wait_for(lambda: sending.task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the unacknowledged message to be delivered again", details=rescuer.details)
    # and the relay, running after it, finds nothing left to send
    relay_notifications.delay()
    assert wait_for(lambda: rescuer.task_results(RELAY), timeout=15, what="the relay to run",
                    details=rescuer.details) == ["0"]

    # then the e-mail went out once
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
                    details=relayer.details) == ["1"]
    relayer.stop()
    assert broker.hlen("unacked") == 1, "the killed worker's message should still be waiting"
    # and later the message comes back, to a worker with a short visibility timeout
    rescuer = start_worker("rescuer", **slow_mail_env(visibility_timeout=VISIBILITY_TIMEOUT))
    wait_for(lambda: sending.task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the unacknowledged message to be delivered again", details=rescuer.details)

    # then the e-mail went out once
    _assert_sent_once(sending, outbox, broker, rescuer)


def test_killed_pool_child_message_is_requeued_at_once(sending, outbox, broker):
    # when only the pool child inside the send is killed
    os.kill(sending.sender_pid, signal.SIGKILL)
    sending.kill_sender()
    # then its worker puts the message back and runs it again in a new child
    worker = sending.worker
    wait_for(lambda: sending.task_id in worker.task_ids(DELIVER, "succeeded"), timeout=30,
             what="the message to be run again", details=worker.details)
    assert "WorkerLostError" in worker.log()
    _assert_sent_once(sending, outbox, broker, worker)
