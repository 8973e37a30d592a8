"""Exactly one certificate per completion, an unguessable code, a PDF with a QR code, public verification."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from tests.pdf import pdf_text, qr_codes_in
from training import services
from training.models import Certificate, Enrolment

from .conftest import complete_lessons, pass_quizzes
from .factories import CertificateFactory, full_course


def _completed_enrolment(user, course) -> Enrolment:
    enrolment = services.enrolment_create(actor=user, course=course)
    complete_lessons(user, enrolment)
    pass_quizzes(user, enrolment)
    return enrolment


def test_completion_issues_one_certificate_through_the_task(alice, course, django_capture_on_commit_callbacks,
                                                            mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _completed_enrolment(alice, course)
    certificate = Certificate.objects.get()
    enrolment.refresh_from_db()
    assert certificate.enrolment == enrolment and enrolment.completed_at is not None
    assert certificate.holder_name == "Alice Admin"
    assert certificate.pdf  # the PDF task ran after commit
    # calling the task again (a retry, a second worker) returns the same certificate
    assert services.certificate_issue(enrolment_id=enrolment.pk) == certificate
    assert Certificate.objects.count() == 1
    assert alice.notifications.filter(kind="training.certificate").count() == 1


def test_expiry_follows_the_courses_validity(alice, db):
    with time_machine.travel(datetime(2026, 1, 31, 9, 0, tzinfo=UTC), tick=False):
        course = full_course(validity_months=1)
        certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    assert certificate.expires_at == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)


def test_no_expiry_without_a_validity(alice, db):
    course = full_course(validity_months=None)
    certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    assert certificate.expires_at is None and certificate.status == "valid"


def test_verification_codes_are_long_random_and_distinct(db):
    codes = {CertificateFactory().code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) >= 26 for code in codes)  # 20 random bytes, base64url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_completing_at_once_make_one_certificate(alice, monkeypatch):
    # given an enrolment whose last step is done (committed, so other connections see it), and
    # whose certificate task has not run yet
    from training import tasks

    monkeypatch.setattr(tasks.issue_certificate, "apply_async", lambda *args, **kwargs: None)
    course = full_course()
    enrolment = _completed_enrolment(alice, course)
    assert not Certificate.objects.exists()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def issue() -> None:
        try:
            barrier.wait()
            results.append(services.certificate_issue(enrolment_id=enrolment.pk).pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # when two threads, each with its own PostgreSQL connection, issue at the same moment
    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then both get the same, single certificate
    assert connection.vendor == "postgresql"
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_refuses_a_second_certificate_for_an_enrolment(alice):
    from django.db import IntegrityError

    certificate = CertificateFactory()
    with pytest.raises(IntegrityError):
        Certificate.objects.create(enrolment=certificate.enrolment, user=certificate.user,
                                   course=certificate.course, holder_name="Copy")


def test_pdf_carries_a_qr_code_to_the_verification_page(alice, course, client_for, settings):
    settings.SITE_URL = "https://portal.example"
    certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    # the download draws the PDF if the task has not yet
    response = client_for(alice).get(reverse("training:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    expected = f"https://portal.example/training/verify/{certificate.code}/"
    assert qr_codes_in(pdf) == [expected]
    text = pdf_text(pdf)
    assert "Alice Admin" in text and course.title in text and certificate.code in text


def test_only_the_holder_downloads_the_pdf(alice, bob, mallory, course, client_for):
    certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    url = reverse("training:certificate_pdf", args=[certificate.pk])
    assert client_for(bob).get(url).status_code == 404
    assert client_for(mallory).get(url).status_code == 404


@pytest.mark.parametrize(("when", "revoked", "status", "says"), [
    (None, False, "valid", "This certificate is valid."),
    (timedelta(days=800), False, "expired", "This certificate has expired."),
    (None, True, "revoked", "This certificate has been revoked."),
])
def test_verification_says_valid_expired_or_revoked_without_login(client, alice, course, programme_admin, when,
                                                                   revoked, status, says):
    certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)  # 24 months
    if revoked:
        services.certificate_revoke(actor=programme_admin, certificate=certificate,
                                    reason="Quiz answers were shared.")
    with time_machine.travel(certificate.issued_at + (when or timedelta(0)), tick=False):
        response = client.get(reverse("training:verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200 and says in page
    assert "Alice Admin" in page and course.title in page
    api = client.get(reverse("training-api:verify", args=[certificate.code])) if when is None else None
    if api is not None:
        assert api.status_code == 200 and api.json()["status"] == status


def test_unknown_or_altered_code_reveals_nothing(client, alice, course):
    certificate = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    altered = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    for code in (altered, "CERT-0001", certificate.code.upper() if certificate.code.upper() != certificate.code
                 else certificate.code.lower(), "x" * 300):
        response = client.get(reverse("training:verify", args=[code]))
        page = response.content.decode()
        assert response.status_code == 404
        assert "We cannot confirm a certificate with this code." in page
        assert "Alice Admin" not in page and course.title not in page
        api = client.get(reverse("training-api:verify", args=[code]))
        assert api.status_code == 404 and "Alice" not in api.content.decode()


def test_verification_form_goes_to_the_code_page(client, db):
    response = client.get(reverse("training:verify_form"), {"code": " abc "})
    assert response.status_code == 302 and response.url == reverse("training:verify", args=["abc"])
    assert client.get(reverse("training:verify_form")).status_code == 200


def test_sweep_issues_the_certificate_when_the_broker_was_down(alice, course, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    from portal.tasks import sweep_work
    from training import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    # given a completion whose certificate task could not be queued
    monkeypatch.setattr(tasks.issue_certificate, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _completed_enrolment(alice, course)
    assert not Certificate.objects.exists()
    # when the periodic sweep runs, twice
    assert sweep_work()["training.certificates"] == 1
    assert sweep_work()["training.certificates"] == 0
    # then there is one certificate, and its PDF
    certificate = Certificate.objects.get()
    assert certificate.enrolment == enrolment
    assert certificate.pdf


def test_renewal_opens_30_days_before_expiry_and_earns_a_new_certificate(alice, client_for):
    from .factories import full_course as make_course

    with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=UTC), tick=False):
        course = make_course(validity_months=12)
        first = services.certificate_issue(enrolment_id=_completed_enrolment(alice, course).pk)
    # too early: 31 days before expiry
    with (time_machine.travel(first.expires_at - timedelta(days=31), tick=False),
          pytest.raises(ValidationError, match="from 30 days before")):
        services.enrolment_renew(actor=alice, course=course)
    # 30 days before: the course page offers it, and the learner starts again from zero
    with time_machine.travel(first.expires_at - timedelta(days=30), tick=False):
        client = client_for(alice)
        assert "Start again to renew" in client.get(course.get_absolute_url()).content.decode()
        client.post(reverse("training:enrol", args=[course.slug]), {"renew": "1"})
        renewed = Enrolment.objects.current().get(user=alice, course=course)
        assert renewed.pk != first.enrolment_id and not renewed.lesson_completions.exists()
        complete_lessons(alice, renewed)
        pass_quizzes(alice, renewed)
        second = services.certificate_issue(enrolment_id=renewed.pk)
    assert second.pk != first.pk and second.expires_at > first.expires_at
    first.refresh_from_db()
    assert first.status_at(first.expires_at - timedelta(days=1)) == "valid"  # the old one is untouched
