"""A notification written in a transaction reaches a real worker through Redis and goes out once."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from portal.models import Notification
from portal.services.notifications import notify
from tests.factories import UserFactory
from tests.integration.conftest import read_emails, wait_for

pytestmark = pytest.mark.integration
Status = Notification.EmailStatus


def test_worker_delivers_the_email_of_a_committed_notification(
    transactional_db, start_worker, publish_to_broker, tmp_path, caplog
):
    # given a worker that writes e-mails to files, as the settings configure it from EMAIL_URL
    outbox = tmp_path / "mail"
    worker = start_worker("deliver", EMAIL_URL=f"filemail:///{outbox}")  # three slashes + an absolute path
    alice = UserFactory(email="alice@atlantic.example")

    # when a change notifies her and commits
    with caplog.at_level(logging.WARNING, logger="portal.services.notifications"):
        with transaction.atomic():
            (notification,) = notify(recipients=[alice], kind="organisation.membership",
                                     subject="Your role changed", body="You are now an administrator.",
                                     link="/dashboard/")
        assert not caplog.records, "the nudge did not reach the broker"

    # then the worker sends the e-mail and records it
    def delivered():
        notification.refresh_from_db()
        return notification.email_status == Status.SENT and read_emails(outbox)

    wait_for(delivered, timeout=60, what="the e-mail to be sent", details=worker.details)
    messages = read_emails(outbox)
    assert len(messages) == 1, [(m["To"], m["X-Portal-Notification"]) for m in messages]
    message = messages[0]
    assert message["To"] == "alice@atlantic.example"
    assert message["Subject"] == "[Customs-Business Portal] Your role changed"
    assert message["X-Portal-Notification"] == str(notification.pk)
    assert "You are now an administrator." in message.get_body(("plain",)).get_content()
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.last_error == ""
    assert worker.task_ids("portal.tasks.deliver_notifications", "succeeded")
