"""The notification outbox: nothing is lost, nothing is sent twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import Notification, NotificationPreference
from portal.services import notifications as outbox
from portal.work import broker_outage
from tests.factories import NotificationFactory, UserFactory

Status = Notification.EmailStatus
FOREVER = float("inf")  # no time budget


def _notify(user, **kwargs):
    return outbox.notify(recipients=[user], kind="organisation.membership", subject="Your role changed",
                         body="You are now an administrator.", link="/dashboard/", **kwargs)


@pytest.fixture
def user(db):
    return UserFactory(email="owner@example.com")


def test_rolled_back_transaction_leaves_no_notification(user, django_capture_on_commit_callbacks):
    # given a change that fails after notifying
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _notify(user)
        raise RuntimeError("the change failed")
    # then neither the notification nor its delivery survive
    assert Notification.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_committed_transaction_leaves_one_notification_and_delivers_on_commit(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            _notify(user)
        # nothing is sent before the commit's callbacks run
        assert mail.outbox == []
    assert Notification.objects.count() == 1
    assert len(callbacks) == 1
    callbacks[0]()  # the nudge (Celery runs eagerly in tests)
    notification = Notification.objects.get()
    assert notification.email_status == Status.SENT
    assert notification.attempts == 1
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert mail.outbox[0].subject == "[Customs-Business Portal] Your role changed"
    assert "You are now an administrator." in mail.outbox[0].body
    assert "http://localhost:8000/dashboard/" in mail.outbox[0].alternatives[0][0]


def test_same_key_notifies_once(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(user, key="deadline:7:14d")
        second = _notify(user, key="deadline:7:14d")
    assert len(first) == 1 and second == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_opted_out_kind_is_shown_but_not_emailed(user, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=user, kind="organisation.membership", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user)
    assert Notification.objects.get().email_status == Status.SKIPPED
    assert mail.outbox == []


def test_delivering_twice_sends_one_email(user):
    notification = NotificationFactory(recipient=user)
    assert outbox.notification_deliver(notification.pk) == "sent"
    assert outbox.notification_deliver(notification.pk) == "skipped"
    assert outbox.notifications_relay(stop_at=FOREVER) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_deliveries_send_one_email(settings):
    """Two workers deliver the same row at the same moment: the row lock lets only one send."""
    settings.EMAIL_BACKEND = "tests.portal.slow_mail.SlowLocmemBackend"
    notification = NotificationFactory(recipient=UserFactory(email="race@example.com"))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def deliver():
        barrier.wait()
        try:
            results.append(outbox.notification_deliver(notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


def test_always_failing_notification_ends_dead_without_looping(user, settings):
    settings.EMAIL_BACKEND = "tests.portal.slow_mail.BrokenBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = NotificationFactory(recipient=user)
    start = timezone.now()
    outcomes = []
    for hours in range(0, 10):  # the relay runs many times over the following hours
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            outcomes.append(outbox.notification_deliver(notification.pk))
    notification.refresh_from_db()
    assert outcomes[:3] == ["failed", "failed", "failed"]
    assert set(outcomes[3:]) == {"skipped"}
    assert notification.email_status == Status.DEAD
    assert notification.attempts == 3
    assert "SMTP server refused" in notification.last_error


def test_failed_delivery_backs_off(user, settings):
    settings.EMAIL_BACKEND = "tests.portal.slow_mail.BrokenBackend"
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    notification = NotificationFactory(recipient=user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.notification_deliver(notification.pk) == "failed"
        # not due again until the back-off has passed
        assert outbox.notification_deliver(notification.pk) == "skipped"
    notification.refresh_from_db()
    assert notification.next_attempt_at == start + timedelta(seconds=60)


def test_dead_notification_can_be_retried(user, django_capture_on_commit_callbacks):
    notification = NotificationFactory(recipient=user, email_status=Status.DEAD, attempts=6, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.notification_retry(notification_ids=[notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert len(mail.outbox) == 1


@pytest.fixture
def broker_unreachable(settings):
    """Point Celery at a port where nothing listens, as when Redis is down; restore it afterwards."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, conf.broker_transport_options
    conf.broker_url = "redis://127.0.0.1:9/0"
    conf.task_always_eager = False
    conf.broker_transport_options = {"socket_connect_timeout": 1}
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    broker_outage.clear()
    conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_broker_down_at_commit_request_succeeds_and_relay_delivers_once(
    alice, bob, client_for, broker_unreachable, django_capture_on_commit_callbacks, caplog
):
    # given Redis is down when alice changes bob's role
    membership = bob.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(
            reverse("membership_edit", args=[membership.organisation_id, membership.pk]), {"role": "admin"}
        )
    # then the change is made and the notification waits in the outbox
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "admin"
    notification = Notification.objects.get(recipient=bob)
    assert notification.email_status == Status.PENDING
    assert mail.outbox == []
    assert "Broker (Redis) unreachable" in caplog.text
    # and the next change does not wait for the broker again, its notification waits too
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(
            reverse("membership_edit", args=[membership.organisation_id, membership.pk]), {"role": "member"}
        )
    assert "Broker recently unreachable" in caplog.text
    # when the broker is back, the relay delivers it exactly once
    celery_app.conf.task_always_eager = True
    assert outbox.notifications_relay(stop_at=FOREVER) == 2
    assert outbox.notifications_relay(stop_at=FOREVER) == 0
    assert [m.to for m in mail.outbox] == [["bob@atlantic.example"]] * 2
    assert {m.subject for m in mail.outbox} == {
        "[Customs-Business Portal] Your role in Atlantic Freight is now Administrator",
        "[Customs-Business Portal] Your role in Atlantic Freight is now Member",
    }
