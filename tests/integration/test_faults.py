"""Fault drills with the real pieces: a Redis the test stops and starts, mail servers that are slow or hung.

Each drill prints its counts. Every server listens on a free loopback port of its own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from aeo import services as aeo_services
from aeo.models import Application, Authorisation
from aeo.selectors import task_list
from consultations.models import Comment
from portal.celery import app as celery_app
from portal.models import AuditEvent, Notification
from portal.services.notifications import notify
from portal.services.organisations import organisation_verify
from portal.tasks import sweep_work
from tests.aeo.conftest import answer_all
from tests.consultations.factories import ConsultationFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.conftest import _reset_celery_connections, wait_for
from tests.integration.servers import HungSmtpServer, RedisServer, SmtpSink

pytestmark = pytest.mark.integration
Status = Notification.EmailStatus
SWEEP = "portal.tasks.sweep_work"
SIGN = {"signatory_name": "Alice Admin", "signatory_position": "Managing director", "confirmed": "on"}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    server.start()
    yield server
    server.stop()


# --- Redis down during requests -------------------------------------------------------------------

@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def portal_on_own_redis(own_redis, settings, transactional_db) -> Iterator[RedisServer]:
    """This process's cache and broker are the Redis the test stops and starts."""
    settings.CACHES = {"default": {"BACKEND": "portal.cache.DegradingRedisCache", "LOCATION": own_redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    conf = celery_app.conf
    saved = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}
    _reset_celery_connections()
    conf.update(broker_url=own_redis.url, task_always_eager=False)
    yield own_redis
    _reset_celery_connections()
    conf.update(saved)


def _proposed_grant(reviewer) -> Application:
    """An application of another company, up to the grant proposal, waiting for a supervisor."""
    boss = UserFactory(email="boss@exporter.example")
    MembershipFactory(user=boss, organisation=(company := OrganisationFactory()), role="admin")
    organisation_verify(actor=reviewer, organisation=company)
    application = aeo_services.application_start(actor=boss, organisation=company, kind="AEOC")
    answer_all(application, boss)
    aeo_services.application_submit(actor=boss, application=application, signatory_name="B. Oss",
                                    signatory_position="Director", confirmed=True)
    aeo_services.application_accept(actor=reviewer, application=application)
    aeo_services.grant_propose(actor=reviewer, application=application, kind="AEOC", note="All criteria met.")
    return application


def _fast_relay_and_sweep() -> None:
    """Beat runs the outbox relay and the sweeps every second, and nothing else."""
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    promised = ["portal.tasks.relay_notifications", SWEEP]
    PeriodicTask.objects.filter(task__in=promised).update(interval=every_second, expire_seconds=None)
    PeriodicTask.objects.exclude(task__in=promised).update(enabled=False)


def test_redis_down_every_request_answers_and_all_work_is_done_once_it_returns(
    portal_on_own_redis, alice, reviewer, supervisor, member_of_association, client, client_for, start_worker,
    sink,
):
    # given a draft ready to sign (of an organisation customs verified), an open consultation and a grant
    # waiting for approval
    atlantic = organisation_verify(actor=reviewer, organisation=alice.memberships.get().organisation)
    draft = aeo_services.application_start(actor=alice, organisation=atlantic, kind="AEOC")
    answer_all(draft, alice)
    consultation = ConsultationFactory(organisation=member_of_association.memberships.get().organisation,
                                       created_by=member_of_association)
    proposed = _proposed_grant(reviewer)
    returning = UserFactory(email="returning@example.com")
    # when Redis (cache and broker) goes down
    portal_on_own_redis.stop()
    started = time.monotonic()
    answers = {
        "sign-up": client.post(reverse("account_signup"), {
            "email": "new.trader@example.com", "full_name": "Nuno Trader",
            "password1": "a-long-pass-phrase-2026", "password2": "a-long-pass-phrase-2026"}),
        "sign-in": Client().post(reverse("account_login"), {"login": returning.email,
                                                             "password": "correct-horse-battery"}),
        "password reset": client.post(reverse("account_reset_password"), {"email": "alice@atlantic.example"}),
        "comment": client_for(alice).post(reverse("consultations:comment_post", args=[consultation.pk]),
                                          {"body": "The data set should allow a single consignor field."}),
        "AEO submit": client_for(alice).post(reverse("aeo:application_check", args=[draft.pk]), {
            **SIGN, **{f"evidence_reason_{q.code}": "Handed to the customs office in person."
                       for item in task_list(draft) for q in item.evidence_missing}}),
        "grant": client_for(supervisor).post(reverse("admin:aeo_application_act", args=[proposed.pk, "approve"]),
                                             {"note": "Agreed."}),
    }
    seconds = time.monotonic() - started
    # then every request answers, none waits on the broker, and the work waits in the database
    codes = {name: response.status_code for name, response in answers.items()}
    print(f"\nRedis down: {codes} in {seconds:.1f}s")
    assert all(200 <= code < 400 for code in codes.values()), codes
    assert seconds < 15
    assert Comment.objects.filter(consultation=consultation, author=alice).exists()
    assert Application.objects.get(pk=draft.pk).state == "submitted"
    authorisation = Authorisation.objects.get(application=proposed)
    assert not authorisation.certificate
    waiting = Notification.objects.filter(email_status=Status.PENDING).count()
    assert waiting > 0

    # when Redis comes back, and a worker with beat runs
    portal_on_own_redis.start()
    _fast_relay_and_sweep()
    worker = start_worker("after", beat=True, REDIS_URL=portal_on_own_redis.url,
                          CELERY_BROKER_URL=portal_on_own_redis.url, EMAIL_URL=sink.url)

    # then every application is screened, the certificate written, and every e-mail sent
    def all_done() -> bool:
        screened = all(a.screening.get("submitted_at") for a in Application.objects.filter(pk__in=[draft.pk]))
        certified = bool(Authorisation.objects.get(pk=authorisation.pk).certificate)
        certificate_told = Notification.objects.filter(kind="aeo.application", subject__contains="certificate")
        outbox_empty = not Notification.objects.filter(email_status__in=Notification.IN_OUTBOX).exists()
        return screened and certified and certificate_told.exists() and outbox_empty
    wait_for(all_done, timeout=60, what="the promised work to be done", details=worker.details)
    time.sleep(3)  # more relays and sweeps run meanwhile: they must find nothing to do again
    e_mailed = set(Notification.objects.exclude(email_status=Status.SKIPPED).values_list("pk", flat=True))
    received = sink.notification_ids()
    print(f"after Redis returned: {waiting} notifications had waited, {len(e_mailed)} to e-mail in all, "
          f"{sum(received.values())} e-mails, duplicates {sum(received.values()) - len(received)}; "
          f"screenings {AuditEvent.objects.filter(action='aeo.screened').count()}, "
          f"certificates {Authorisation.objects.exclude(certificate='').count()}")
    assert {int(pk) for pk in received} == e_mailed
    assert max(received.values()) == 1
    assert AuditEvent.objects.filter(action="aeo.screened", target_id=str(draft.pk)).count() == 1
    assert Notification.objects.filter(kind="aeo.application", subject__contains="certificate").count() == 1


# --- Slow mail server -----------------------------------------------------------------------------

def test_slow_mail_server_gets_each_email_exactly_once(transactional_db, start_worker, publish_to_broker):
    # given a mail server that takes each message, then waits 2 s before it says so
    sink = SmtpSink(delay=2.0)
    sink.start()
    try:
        # and delivery tasks whose soft limit (12 s) is shorter than a batch of 10 such sends
        limits = {"EMAIL_URL": sink.url, "EMAIL_TIMEOUT": "3", "CELERY_TASK_SOFT_TIME_LIMIT": "12",
                  "CELERY_TASK_TIME_LIMIT": "15", "NOTIFICATION_LEASE_SECONDS": "16"}
        workers = [start_worker(f"mail{i}", queues="mail", concurrency=3, **limits) for i in range(2)]
        people = [UserFactory(email=f"trader{i}@example.com") for i in range(100)]
        # when 100 notifications are raised in one transaction
        started = time.monotonic()
        with transaction.atomic():
            notify(recipients=people, kind="organisation.membership", subject="Your role changed",
                   body="You are now an administrator.")
        # then each is e-mailed exactly once
        wait_for(lambda: not Notification.objects.filter(email_status__in=Notification.IN_OUTBOX).exists(),
                 timeout=150, what="every notification to be sent",
                 details=lambda: "\n".join(w.details()[-3000:] for w in workers))
        seconds = time.monotonic() - started
        time.sleep(2)
        received = sink.notification_ids()
        print(f"\nslow mail server: 100 notifications, {sum(received.values())} e-mails, "
              f"duplicates {sum(received.values()) - len(received)}, in {seconds:.0f}s")
        assert len(received) == 100 and max(received.values()) == 1
        assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}
        assert not any("SoftTimeLimitExceeded" in w.log() for w in workers)
    finally:
        sink.stop()


# --- Hung mail server -----------------------------------------------------------------------------

def test_hung_mail_server_holds_up_no_other_work(transactional_db, start_worker, publish_to_broker):
    # given a mail server that accepts connections and never answers, and the two kinds of worker
    hung = HungSmtpServer()
    hung.start()
    try:
        mail_worker = start_worker("mail", queues="mail", EMAIL_URL=hung.url, EMAIL_TIMEOUT="30",
                                   CELERY_TASK_SOFT_TIME_LIMIT="100", CELERY_TASK_TIME_LIMIT="120")
        default_worker = start_worker("default", queues="celery", EMAIL_URL=hung.url)
        with transaction.atomic():
            notify(recipients=[UserFactory(email=f"trader{i}@example.com") for i in range(3)],
                   kind="organisation.membership", subject="Your role changed", body="You are now an administrator.")
        wait_for(lambda: Notification.objects.filter(email_status=Status.SENDING).exists(), timeout=15,
                 what="the mail worker to be stuck in a send", details=mail_worker.details)
        # when a periodic job is queued meanwhile
        started = time.monotonic()
        result = sweep_work.delay()
        # then it runs within seconds on the other worker
        wait_for(lambda: result.id in default_worker.task_ids(SWEEP, "succeeded"), timeout=10,
                 what="the sweep to run", details=default_worker.details)
        seconds = time.monotonic() - started
        print(f"\nhung mail server: a periodic job ran {seconds:.1f}s after it was queued, "
              f"while {Notification.objects.filter(email_status=Status.SENDING).count()} e-mail waited on the server")
        assert Notification.objects.filter(email_status=Status.SENDING).count() == 1
    finally:
        hung.stop()
