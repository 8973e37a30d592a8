"""Decisions an administration can stand behind: verified applicants only, a decision notice for every decision
that changes rights (with grounds, legal basis and how and by when to appeal), legal notices always e-mailed."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aeo import services
from aeo.models import Application, Authorisation, DecisionNotice
from aeo.permissions import ActionRefused
from aeo.services.decisions import decision_notice_render, decision_notices_render_due, legal_basis
from aeo.services.monitoring import monitoring_visit_plan
from portal.models import Notification
from portal.roles import StaffGroup
from portal.services.notifications import notification_preferences_set
from tests.conftest import _staff

SIGN = {"signatory_name": "Alice Admin", "signatory_position": "Managing director", "confirmed": True}


@pytest.fixture
def proposer(db):
    return _staff("proposer@customs.example", StaffGroup.AEO_SUPERVISOR)


def _submit(app, alice):
    return services.application_submit(actor=alice, application=app, **SIGN)


def _unverify(organisation):
    type(organisation).objects.filter(pk=organisation.pk).update(verified_at=None, verified_by=None)


def _pdf_text(notice: DecisionNotice) -> str:
    notice.refresh_from_db()
    with notice.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == notice.sha256
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


# --- 1. Verified applicants --------------------------------------------------------------------------------

def test_an_unverified_organisation_cannot_submit_and_the_check_page_says_why(complete_draft, alice, client_for):
    # given the organisation customs has not verified
    _unverify(complete_draft.organisation)
    app = Application.objects.get(pk=complete_draft.pk)
    # then the service refuses with the reason
    with pytest.raises(ActionRefused, match="Customs has not verified your organisation yet"):
        _submit(app, alice)
    # and the check page says so, links to what customs needs and offers no signing form
    page = client_for(alice).get(reverse("aeo:application_check", args=[app.pk])).content.decode()
    assert "Customs has not verified your organisation yet" in page
    assert reverse("organisation_detail", args=[app.organisation_id]) in page
    assert "Sign and submit the application" not in page
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_customs_cannot_accept_an_unverified_organisation_and_the_case_page_offers_verification(
        complete_draft, alice, reviewer, client_for):
    _submit(complete_draft, alice)
    _unverify(complete_draft.organisation)  # its identity changed after submission
    app = Application.objects.get(pk=complete_draft.pk)
    with pytest.raises(ActionRefused, match="has not been verified yet"):
        services.application_accept(actor=reviewer, application=app)
    page = client_for(reviewer).get(reverse("admin:aeo_application_change", args=[app.pk])).content.decode()
    assert "has not been verified yet. Verify it first" in page
    assert reverse("admin:portal_organisation_change", args=[app.organisation_id]) in page
    assert reverse("admin:aeo_application_act", args=[app.pk, "accept"]) not in page
    assert reverse("admin:aeo_application_act", args=[app.pk, "return"]) in page  # returning stays open


# --- 3. Decision notices -----------------------------------------------------------------------------------

def _granted(app, alice, reviewer, proposer, supervisor):
    _submit(app, alice)
    services.application_accept(actor=reviewer, application=app)
    services.grant_propose(actor=proposer, application=app, kind=app.kind, note="All criteria met after the visit.")
    services.decision_approve(actor=supervisor, application=app, note="Agreed.")
    return Authorisation.objects.get(application=app)


GROUNDS = {
    "return": "Section B is empty: attach the register extract.",
    "rejection": "Seals are not logged at the Porto warehouse.",
    "grant": "All criteria met after the visit.",
    "suspension": "Unlogged seals found on two containers.",
    "lifting": "The seal log is now kept and checked weekly.",
    "revocation": "Repeated smuggling through the Porto warehouse.",
}


def _decide(kind: str, app, alice, reviewer, proposer, supervisor):
    today = timezone.localdate()
    if kind == "return":
        _submit(app, alice)
        services.application_return(actor=reviewer, application=app, reasons=GROUNDS[kind])
        return
    if kind == "rejection":
        _submit(app, alice)
        services.application_accept(actor=reviewer, application=app)
        hearing = services.rejection_propose(actor=reviewer, application=app, grounds=GROUNDS[kind])
        type(hearing).objects.filter(pk=hearing.pk).update(due_date=today - timedelta(days=1))
        services.rejection_confirm(actor=proposer, application=app, note="No reply within the period.")
        services.decision_approve(actor=supervisor, application=app, note="Agreed.")
        return
    authorisation = _granted(app, alice, reviewer, proposer, supervisor)
    if kind == "grant":
        return
    services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason=GROUNDS["suspension"],
                                   remedial_measures="Log every seal.", until=today + timedelta(days=60))
    if kind == "lifting":
        services.authorisation_lift_suspension(actor=reviewer, authorisation=authorisation, note=GROUNDS[kind])
    if kind == "revocation":
        services.authorisation_revoke(actor=reviewer, authorisation=authorisation, reason=GROUNDS[kind])


@pytest.mark.parametrize("kind", list(GROUNDS))
def test_each_decision_yields_one_notice_with_grounds_legal_basis_and_appeal_deadline(
        kind, complete_draft, alice, bob, reviewer, proposer, supervisor, django_capture_on_commit_callbacks,
        settings):
    settings.AEO_ISSUING_ADMINISTRATION = "Autoridade Tributária e Aduaneira"
    # when the decision is taken (its notice rendered after commit)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(kind, complete_draft, alice, reviewer, proposer, supervisor)
    # then exactly one notice of that kind exists, written with its SHA-256
    notices = DecisionNotice.objects.filter(application=complete_draft, kind=kind)
    assert notices.count() == 1
    notice = notices.get()
    text = _pdf_text(notice)
    assert GROUNDS[kind] in text
    assert " ".join(legal_basis(kind).split()) in text
    assert f"Appeal by {notice.appeal_by.day} {notice.appeal_by:%B %Y}" in text
    assert notice.appeal_by == timezone.localdate() + timedelta(days=settings.AEO_APPEAL_DAYS)
    assert "Autoridade Tributária e Aduaneira" in text
    # officers appear by role, not by name
    assert "AEO" in text and "supervisor@customs.example" not in text and "reviewer@customs.example" not in text
    assert str(supervisor) not in text and str(reviewer) not in text and str(proposer) not in text
    # and the applicant's members are e-mailed a link, whatever their preferences
    told = Notification.objects.filter(recipient=bob, kind="aeo.legal", link__in=[
        notice.get_download_url(), complete_draft.get_absolute_url()]).latest("pk")
    assert told.email_status == "pending" or told.email_status == "sent"


def test_a_notice_is_rendered_once_swept_when_missed_and_never_changed(complete_draft, alice, reviewer):
    # given a return whose render task never ran (no on-commit callbacks in this test)
    _submit(complete_draft, alice)
    services.application_return(actor=reviewer, application=complete_draft, reasons=GROUNDS["return"])
    notice = DecisionNotice.objects.get(application=complete_draft)
    assert not notice.file
    # when the sweep runs twice
    assert decision_notices_render_due() == 1
    assert decision_notices_render_due() == 0
    notice.refresh_from_db()
    first = (notice.file.name, notice.sha256)
    # then rendering again changes nothing, and the written notice cannot be saved with changes
    assert (decision_notice_render(notice_id=notice.pk).file.name, notice.sha256) == first
    notice.grounds = "Something else"
    with pytest.raises(ValueError):
        notice.save()


def test_the_rejected_applicant_opens_the_notice_from_the_status_page_and_nobody_else_can(
        complete_draft, alice, mallory, reviewer, proposer, supervisor, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _decide("rejection", complete_draft, alice, reviewer, proposer, supervisor)
    notice = DecisionNotice.objects.get(application=complete_draft)
    page = client_for(alice).get(reverse("aeo:application_status", args=[complete_draft.pk])).content.decode()
    assert notice.get_download_url() in page and "Rejection of the application" in page
    response = client_for(alice).get(notice.get_download_url())
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == notice.sha256
    assert client_for(mallory).get(notice.get_download_url()).status_code == 404


def test_the_certificate_names_the_issuing_administration(complete_draft, alice, reviewer, proposer, supervisor,
                                                         settings, django_capture_on_commit_callbacks):
    settings.AEO_ISSUING_ADMINISTRATION = "Autoridade Tributária e Aduaneira"
    with django_capture_on_commit_callbacks(execute=True):
        authorisation = _granted(complete_draft, alice, reviewer, proposer, supervisor)
    authorisation.refresh_from_db()
    with authorisation.certificate.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Issued by Autoridade Tributária e Aduaneira" in text


def _status_queries(client, app) -> int:
    url = reverse("aeo:application_status", args=[app.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_status_page_queries_do_not_grow_with_the_decisions(complete_draft, alice, reviewer, proposer, supervisor,
                                                            client_for, django_capture_on_commit_callbacks):
    # given a granted application with its grant notice
    with django_capture_on_commit_callbacks(execute=True):
        authorisation = _granted(complete_draft, alice, reviewer, proposer, supervisor)
    client = client_for(alice)
    before = _status_queries(client, complete_draft)
    # when suspensions and their lifting add four more notices
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for _round in range(2):
            services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Seals.",
                                           remedial_measures="Log them.", until=today + timedelta(days=30))
            services.authorisation_lift_suspension(actor=reviewer, authorisation=authorisation, note="Logged.")
    assert DecisionNotice.objects.filter(application=complete_draft).count() == 5
    # then the status page costs the same
    assert _status_queries(client, complete_draft) == before <= 20


def test_case_page_queries_do_not_grow_with_the_decisions_or_the_visits(complete_draft, alice, reviewer, proposer,
                                                                         supervisor, client_for,
                                                                         django_capture_on_commit_callbacks):
    # given a granted case with its grant notice, seen by the supervisor
    with django_capture_on_commit_callbacks(execute=True):
        authorisation = _granted(complete_draft, alice, reviewer, proposer, supervisor)
    client = client_for(supervisor)
    url = reverse("admin:aeo_application_change", args=[complete_draft.pk])

    def queries() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    # when decisions (suspensions and liftings) and post-grant visits add up
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for days in (10, 20):
            services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Seals.",
                                           remedial_measures="Log them.", until=today + timedelta(days=30))
            services.authorisation_lift_suspension(actor=reviewer, authorisation=authorisation, note="Logged.")
            monitoring_visit_plan(actor=reviewer, authorisation=authorisation, planned_for=today + timedelta(days),
                                  location="Main warehouse", officer_role="auditor")
    page = client.get(url).content.decode()
    assert page.count("appeal by") == 5
    # then the case page costs the same
    assert queries() == before <= 25


# --- 6. Legal notices always by e-mail ---------------------------------------------------------------------

def test_muting_a_legal_kind_is_refused_and_the_page_says_why(alice, client_for):
    with pytest.raises(ValidationError, match="cannot be turned off"):
        notification_preferences_set(user=alice, email_kinds={"aeo.legal": False})
    page = client_for(alice).get(reverse("notification_preferences")).content.decode()
    assert "Always sent by e-mail" in page and "legal deadline or a decision" in page
    assert 'name="aeo.legal"' not in page  # no box to untick


def test_a_muted_ordinary_kind_does_not_mute_the_legal_notices(complete_draft, alice, reviewer):
    notification_preferences_set(user=alice, email_kinds={"aeo.application": False})
    _submit(complete_draft, alice)
    services.application_accept(actor=reviewer, application=complete_draft)
    services.information_request_create(actor=reviewer, application=complete_draft, questions="Send the seal log.",
                                        due_date=timezone.localdate() + timedelta(days=20))
    legal = Notification.objects.get(recipient=alice, kind="aeo.legal")
    assert legal.email_status == "pending"
    assert Notification.objects.filter(recipient=alice, kind="aeo.application").exclude(
        email_status="skipped").count() == 0


@pytest.mark.parametrize("what", ["information request", "hearing"])
def test_the_applicant_is_reminded_7_and_2_days_before_a_legal_deadline_once_each(what, complete_draft, alice,
                                                                                   reviewer):
    from aeo.services.deadlines import deadlines_watch

    _submit(complete_draft, alice)
    services.application_accept(actor=reviewer, application=complete_draft)
    today = timezone.localdate()
    if what == "hearing":
        hearing = services.rejection_propose(actor=reviewer, application=complete_draft, grounds="Seals.")
        due = hearing.due_date
    else:
        due = today + timedelta(days=20)
        services.information_request_create(actor=reviewer, application=complete_draft, questions="Seal log.",
                                            due_date=due)
    reminders = Notification.objects.filter(recipient=alice, kind="aeo.legal", idempotency_key__isnull=False)
    for days_left, expected in [(10, 0), (7, 1), (6, 1), (3, 1), (2, 2), (1, 2), (0, 2)]:
        deadlines_watch(today=due - timedelta(days=days_left))
        deadlines_watch(today=due - timedelta(days=days_left))  # the job runs twice: nothing twice
        assert reminders.count() == expected, days_left
