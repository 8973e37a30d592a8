"""A worker killed while sending an e-mail loses nothing, and the e-mail still goes out only once.

The first worker is SIGKILLed inside the send, with the notification's row locked and its message
unacknowledged in Redis. Then either the message itself comes back (acks_late, and a short
visibility timeout so that Redis gives it back now rather than in an hour), or the outbox relay
delivers the notification first and the message, when it comes back, must find nothing to do.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.db import transaction

from portal.models import Notification
from portal.services.notifications import notification_deliver, notify
from portal.tasks import relay_notifications
from tests.factories import UserFactory
from tests.integration.conftest import read_emails, wait_for

pytestmark = pytest.mark.integration
Status = Notification.EmailStatus
DELIVER = "portal.tasks.deliver_notifications"
RELAY = "portal.tasks.relay_notifications"
VISIBILITY_TIMEOUT = 1  # seconds, for the workers that are to be given the message back


@pytest.fixture
def mail_dirs(tmp_path) -> tuple[Path, Path]:
    outbox, markers = tmp_path / "mail", tmp_path / "markers"
    outbox.mkdir()
    markers.mkdir()
    return outbox, markers


def _slow_mail_env(outbox: Path, markers: Path, *, seconds: float, visibility_timeout: int = 3600) -> dict:
    return {
        "EMAIL_URL": f"filemail:///{outbox}",
        "EMAIL_BACKEND": "tests.integration.slow_backend.SlowFileBackend",
        "SLOW_EMAIL_SECONDS": str(seconds),
        "SLOW_EMAIL_MARKER_DIR": str(markers),
        "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
    }


@pytest.mark.parametrize("rescue", ["redelivery", "relay_first"])
def test_worker_killed_mid_delivery_sends_the_email_once(
    rescue, transactional_db, start_worker, publish_to_broker, broker, mail_dirs, settings
):
    outbox, markers = mail_dirs
    # This process sends to the same folder, so that an e-mail it sent by mistake would be counted too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)

    # given a worker whose e-mail backend takes 30 s, and a committed notification
    doomed = start_worker("doomed", **_slow_mail_env(outbox, markers, seconds=30))
    alice = UserFactory(email="alice@atlantic.example")
    with transaction.atomic():
        (notification,) = notify(recipients=[alice], kind="organisation.membership",
                                 subject="Your role changed", body="You are now an administrator.")

    # when the worker is inside the send (the row locked, the message taken but not acknowledged)
    (marker,) = wait_for(lambda: list(markers.iterdir()), timeout=30, what="the worker to start sending",
                         details=doomed.details)
    (task_id,) = doomed.task_ids(DELIVER, "received")
    # a second delivery at that moment finds the row locked and leaves it alone
    assert notification_deliver(notification.pk) == "skipped"
    # and the worker is killed outright
    doomed.kill()

    # then nothing was sent, the attempt died with its transaction, and the message waits in Redis
    assert read_emails(outbox) == []
    notification.refresh_from_db()
    assert (notification.email_status, notification.attempts) == (Status.PENDING, 0)
    assert broker.llen("celery") == 0
    assert broker.hlen("unacked") == 1

    # A starting worker sweeps the unacknowledged messages once, giving back those older than its
    # visibility timeout (the periodic sweeps come much later): make sure this one is old enough.
    time.sleep(max(0.0, marker.stat().st_mtime + VISIBILITY_TIMEOUT + 0.5 - time.time()))

    rescuer_env = _slow_mail_env(outbox, markers, seconds=1, visibility_timeout=VISIBILITY_TIMEOUT)
    if rescue == "redelivery":
        # when a new worker starts with a short visibility timeout, Redis gives the message back to it
        rescuer = start_worker("rescuer", **rescuer_env)
        wait_for(lambda: task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
                 what="the unacknowledged message to be delivered again", details=rescuer.details)
        # and the relay, running after it, finds nothing left to send
        relay_notifications.delay()
        assert wait_for(lambda: rescuer.task_results(RELAY), timeout=15, what="the relay to run",
                        details=rescuer.details) == ["0"]
    else:
        # when the relay runs first, on a worker that would give the message back only in an hour
        relayer = start_worker("relayer", **_slow_mail_env(outbox, markers, seconds=1))
        relay_notifications.delay()
        assert wait_for(lambda: relayer.task_results(RELAY), timeout=15, what="the relay to run",
                        details=relayer.details) == ["1"]
        relayer.stop()
        assert broker.hlen("unacked") == 1, "the killed worker's message is still waiting"
        # and the message comes back later, to a worker with a short visibility timeout
        rescuer = start_worker("rescuer", **rescuer_env)
        wait_for(lambda: task_id in rescuer.task_ids(DELIVER, "succeeded"), timeout=30,
                 what="the unacknowledged message to be delivered again", details=rescuer.details)

    # then exactly one e-mail went out, and the notification says so
    messages = read_emails(outbox)
    assert len(messages) == 1, [(m["To"], m["X-Portal-Notification"]) for m in messages]
    message = messages[0]
    assert message["To"] == "alice@atlantic.example"
    assert message["X-Portal-Notification"] == str(notification.pk)
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert notification.attempts == 1  # the killed attempt was rolled back with its transaction
    assert notification.last_error == ""
    # and nothing is left in Redis to be delivered again
    wait_for(lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0, timeout=10,
             what="the broker to be empty", details=rescuer.details)
