"""Check answers, sign and submit; status and deadlines; the dialogue with customs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.models import Application
from aeo.services.common import application_transition
from aeo.workflow import State
from portal.models import Notification
from tests import documents

SIGN = {"signatory_name": "Alice Admin", "signatory_position": "Managing director", "confirmed": "on"}
PDF = documents.PDF


def _check_url(app):
    return reverse("aeo:application_check", args=[app.pk])


def signed(app) -> dict:
    """The signing form, with a reason for each piece of expected evidence not attached."""
    from aeo.selectors import task_list

    return {**SIGN, **{f"evidence_reason_{q.code}": "Sent by post to the customs office."
                       for item in task_list(app) for q in item.evidence_missing}}


def test_submission_is_refused_with_the_reasons_while_answers_are_missing(draft, alice, client_for):
    response = client_for(alice).post(_check_url(draft), SIGN)
    page = response.content.decode()
    assert "The application cannot be submitted yet" in page
    assert "A. Company information</a>:" in page and "A.1, A.2" in page  # a line per section, its questions
    assert "Sign and submit the application" not in page  # not offered while it can only be refused
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.reference is None


def test_consultant_prepares_but_cannot_sign(complete_draft, carol, client_for):
    client = client_for(carol)
    page = client.get(_check_url(complete_draft)).content.decode()
    assert "An administrator of your organisation signs" in page
    assert client.post(_check_url(complete_draft), SIGN).status_code == 403
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.DRAFT


def test_admin_signs_and_submits(complete_draft, alice, bob, reviewer, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(_check_url(complete_draft), signed(complete_draft))
    assert response["Location"] == reverse("aeo:application_status", args=[complete_draft.pk])
    app = Application.objects.get(pk=complete_draft.pk)
    today = timezone.now().date()
    assert app.state == State.SUBMITTED
    assert app.reference == f"AEO-PT-{today:%Y}-{app.pk:06d}"
    assert (app.signatory_name, app.submitted_by) == ("Alice Admin", alice)
    assert app.acceptance_due == today + timedelta(days=30)
    # the organisation's users and customs are told; screening ran and assigned the reviewer
    assert Notification.objects.filter(recipient=bob, kind="aeo.application").exists()
    assert Notification.objects.filter(recipient=reviewer, kind="aeo.review").count() == 2
    assert app.assigned_to == reviewer
    assert app.screening["complete"] is True


def test_nothing_changes_after_submission(complete_draft, alice, client_for):
    services.application_submit(actor=alice, application=complete_draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    section = complete_draft.answers.select_related("question__section").first().question.section
    client = client_for(alice)
    url = reverse("aeo:section_edit", args=[complete_draft.pk, section.code])
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("aeo:application_status", args=[complete_draft.pk])
    with pytest.raises(services.ActionRefused):
        services.section_save(actor=alice, application=complete_draft, section=section, answers={}, version=1)
    evidence_q = complete_draft.answers.first().question
    upload = client.post(reverse("aeo:evidence_upload", args=[complete_draft.pk, evidence_q.pk]),
                         {"file": SimpleUploadedFile("late.pdf", PDF)})
    assert "can no longer be changed" in upload.content.decode()
    assert not complete_draft.evidence.exists()


@pytest.fixture
def submitted(complete_draft, alice):
    return services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice Admin",
                                       signatory_position="Director", confirmed=True)


def test_status_page_explains_and_counts_the_days(submitted, bob, client_for):
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        page = client_for(bob).get(reverse("aeo:application_status", args=[submitted.pk])).content.decode()
    assert "checking that it is complete enough to examine" in page
    assert "Customs decides whether to accept it by" in page
    assert "20 days left" in page
    assert "Signed and submitted" in page  # the timeline


def test_returned_application_is_corrected_and_resubmitted_without_retyping(submitted, alice, reviewer, client_for):
    services.application_return(actor=reviewer, application=submitted, reasons="Attach last year's accounts.")
    client = client_for(alice)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Attach last year&#x27;s accounts." in page
    answers_before = submitted.answers.count()
    response = client.post(_check_url(submitted), signed(submitted))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert submitted.answers.count() == answers_before
    assert submitted.reference.startswith("AEO-PT-")  # the same reference


def test_information_request_is_answered_with_a_file(submitted, bob, reviewer, client_for):
    services.application_accept(actor=reviewer, application=submitted)
    request = services.information_request_create(actor=reviewer, application=submitted,
                                                  questions="Send your seal register.",
                                                  due_date=timezone.now().date() + timedelta(days=14))
    client = client_for(bob)
    page = client.get(reverse("aeo:application_status", args=[submitted.pk])).content.decode()
    assert "Send your seal register." in page and "Answer the information request by" in page
    url = reverse("aeo:information_response", args=[submitted.pk, request.pk])
    refused = client.post(url, {"response": "", "file": SimpleUploadedFile("register.pdf", PDF)})
    assert "Write your answer to customs&#x27; questions." in refused.content.decode()
    client.post(url, {"response": "Attached.", "file": SimpleUploadedFile("register.pdf", PDF)})
    request.refresh_from_db()
    submitted.refresh_from_db()
    assert request.response == "Attached." and request.files.get().original_name == "register.pdf"
    assert submitted.state == State.UNDER_REVIEW


def test_right_to_be_heard_reply_by_an_admin_before_the_due_date(submitted, alice, bob, reviewer, client_for):
    services.application_accept(actor=reviewer, application=submitted)
    hearing = services.rejection_propose(actor=reviewer, application=submitted, grounds="No security plan.")
    url = reverse("aeo:hearing_reply", args=[submitted.pk, hearing.pk])
    assert client_for(bob).get(url).status_code == 403
    page = client_for(alice).get(reverse("aeo:application_status", args=[submitted.pk])).content.decode()
    assert "No security plan." in page and "Reply to the grounds by" in page
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        late = client_for(alice).post(url, {"reply": "Here it is."})
    assert "The period to reply ended" in late.content.decode()
    client_for(alice).post(url, {"reply": "Our plan is attached."})
    hearing.refresh_from_db()
    assert hearing.reply == "Our plan is attached."


def test_withdraw_needs_confirmation_and_an_admin(submitted, alice, bob, client_for):
    url = reverse("aeo:application_withdraw", args=[submitted.pk])
    assert client_for(bob).post(url, {"confirmed": "on"}).status_code == 403
    unconfirmed = client_for(alice).post(url, {})
    assert "Tick the box to confirm." in unconfirmed.content.decode(), unconfirmed.content.decode()[-3000:]
    client_for(alice).post(url, {"confirmed": "on", "reason": "Not ready."})
    submitted.refresh_from_db()
    assert submitted.state == State.WITHDRAWN and submitted.withdrawn_at is not None


def test_a_new_application_starts_from_a_copy(submitted, alice, client_for):
    services.application_withdraw(actor=alice, application=submitted)
    response = client_for(alice).post(reverse("aeo:application_copy", args=[submitted.pk]))
    copy = Application.objects.exclude(pk=submitted.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.answers.count() == submitted.answers.count()
    assert copy.copied_from == submitted and copy.state == State.DRAFT


@pytest.mark.parametrize("action", ["approve_grant", "accept", "respond", "hearing_reply"])
def test_transitions_outside_the_table_are_refused(draft, alice, action):
    from aeo.workflow import Action

    locked = Application.objects.get(pk=draft.pk)
    with pytest.raises(services.ActionRefused, match="not possible while the application is draft"):
        application_transition(locked, Action(action), actor=alice)
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_check_page_sums_up_each_section_in_its_closed_summary(complete_draft, alice, client_for):
    from aeo.selectors import task_list

    first = task_list(complete_draft)[0]
    page = client_for(alice).get(_check_url(complete_draft)).content.decode()
    summary = page[page.index(f"<summary><h2>{first.section.code}. "):page.index("</summary>")]
    assert "Completed" in summary and f"{first.total} of {first.total} questions answered" in summary
    assert page.count('<details class="answers-section">') == len(task_list(complete_draft))
    assert "<details class=\"answers-section\" open" not in page  # closed: the summaries are the page
