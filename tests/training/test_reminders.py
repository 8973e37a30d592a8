"""Reminders 30 days before a certificate expires and after 14 days without progress; safe to run twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django_celery_beat.models import PeriodicTask

from portal.models import Notification
from training import services, tasks

from .conftest import complete_lessons, pass_quizzes
from .factories import full_course

ISSUED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="training.reminder").order_by("pk"))


def test_expiry_reminder_comes_30_days_before_and_only_once(alice):
    with time_machine.travel(ISSUED, tick=False):
        course = full_course(validity_months=12, title="Seal integrity and container inspection")
        enrolment = services.enrolment_create(actor=alice, course=course)
        complete_lessons(alice, enrolment)
        pass_quizzes(alice, enrolment)
        certificate = services.certificate_issue(enrolment_id=enrolment.pk)
    assert certificate.expires_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    # 31 days before: nothing yet
    with time_machine.travel(certificate.expires_at - timedelta(days=31), tick=False):
        assert tasks.remind_expiring_certificates() == 0
    # 30 days before: one reminder, however often the job runs
    with time_machine.travel(certificate.expires_at - timedelta(days=30), tick=False):
        assert tasks.remind_expiring_certificates() == 1
        assert tasks.remind_expiring_certificates() == 0
    with time_machine.travel(certificate.expires_at - timedelta(days=3), tick=False):
        assert tasks.remind_expiring_certificates() == 0
    [reminder] = _reminders(alice)
    assert "expires on 1 March 2027" in reminder.subject
    # after expiry, or once revoked, there is nothing to remind of
    with time_machine.travel(certificate.expires_at + timedelta(days=1), tick=False):
        assert tasks.remind_expiring_certificates() == 0


def test_revoked_certificates_get_no_reminder(alice, programme_admin):
    with time_machine.travel(ISSUED, tick=False):
        course = full_course(validity_months=1)
        enrolment = services.enrolment_create(actor=alice, course=course)
        complete_lessons(alice, enrolment)
        pass_quizzes(alice, enrolment)
        certificate = services.certificate_issue(enrolment_id=enrolment.pk)
        services.certificate_revoke(actor=programme_admin, certificate=certificate, reason="Issued in error.")
    with time_machine.travel(ISSUED + timedelta(days=10), tick=False):
        assert tasks.remind_expiring_certificates() == 0


def test_idle_enrolment_reminder_after_14_days_once_per_quiet_spell(alice):
    with time_machine.travel(ISSUED, tick=False):
        course = full_course(title="Declaring the customs value")
        enrolment = services.enrolment_create(actor=alice, course=course)
    with time_machine.travel(ISSUED + timedelta(days=13, hours=23), tick=False):
        assert tasks.remind_idle_enrolments() == 0
    with time_machine.travel(ISSUED + timedelta(days=14), tick=False):
        assert tasks.remind_idle_enrolments() == 1
        assert tasks.remind_idle_enrolments() == 0  # the job ran twice
    # progress resets the clock; another 14 quiet days bring one more reminder
    with time_machine.travel(ISSUED + timedelta(days=20), tick=False):
        complete_lessons(alice, enrolment)
        assert tasks.remind_idle_enrolments() == 0
    with time_machine.travel(ISSUED + timedelta(days=34), tick=False):
        assert tasks.remind_idle_enrolments() == 1
    assert [r.subject for r in _reminders(alice)] == ["Pick up “Declaring the customs value” where you left off"] * 2


def test_completed_enrolments_are_not_nudged(alice):
    with time_machine.travel(ISSUED, tick=False):
        course = full_course()
        enrolment = services.enrolment_create(actor=alice, course=course)
        complete_lessons(alice, enrolment)
        pass_quizzes(alice, enrolment)
        services.certificate_issue(enrolment_id=enrolment.pk)
    with time_machine.travel(ISSUED + timedelta(days=30), tick=False):
        assert tasks.remind_idle_enrolments() == 0


def test_reminder_jobs_are_scheduled_by_the_migration(db):
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"training.tasks.remind_expiring_certificates", "training.tasks.remind_idle_enrolments",
            "training.tasks.remind_overdue_questions"} <= scheduled
