"""A trader's software takes an application from start to grant through the API alone (customs acts through
the services, as the back office does), with the pages' rules and messages."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aeo import services
from aeo.models import Application
from aeo.permissions import ACTOR_REFUSALS
from aeo.workflow import Actor
from tests import documents

BASE = "/api/v1/aeo/applications/"


def _value(question: dict) -> str:
    return {"yes_no": "yes", "text": "We keep written procedures.", "date": "2026-01-15", "number": "12",
            "choice": (question["choices"] or [""])[0]}[question["answer_type"]]


def answer_everything(api, app_id: int) -> list[dict]:
    """Answer every section through the API, each with the version it read; returns the questionnaire."""
    questionnaire = api.get("/api/v1/aeo/questionnaires/1/").json()
    questions = {q["code"]: q for s in questionnaire["sections"] for q in s["questions"]}
    sections = api.get(f"{BASE}{app_id}/sections/").json()
    for item in sections:
        section = api.get(f"{BASE}{app_id}/sections/{item['code']}/").json()
        codes = [c for s in questionnaire["sections"] if s["code"] == item["code"] for c in
                 (q["code"] for q in s["questions"])]
        saved = api.put(f"{BASE}{app_id}/sections/{item['code']}/", {
            "version": section["version"],
            "answers": [{"question": c, "value": _value(questions[c])} for c in codes]})
        assert saved.status_code == 200, saved.json()
        assert saved.json()["version"] == section["version"] + 1
    return [q for q in questions.values()]


def test_the_whole_dialogue_through_the_api(alice, carol, atlantic, reviewer, supervisor, api_for, questionnaire,
                                            django_capture_on_commit_callbacks):
    # given: the company officer's and the consultant's software
    officer, consultant = api_for(alice), api_for(carol)

    # when: the consultant starts an application and answers everything
    started = consultant.post(BASE, {"organisation": atlantic.pk, "kind": "AEOC"})
    assert started.status_code == 201, started.json()
    app_id = started.json()["id"]
    assert started.json()["state"] == "draft"
    assert started.json()["available_actions"] == []  # a consultant prepares; an administrator signs
    assert officer.get(f"{BASE}{app_id}/").json()["available_actions"] == ["submit", "withdraw"]
    answer_everything(consultant, app_id)

    # then: check lists the evidence customs expects, and attaching it empties that list
    check = consultant.get(f"{BASE}{app_id}/check/").json()
    assert check["problems"] == [] and check["ready"] is True and check["can_sign"] is False
    assert check["evidence_missing"]
    for item in consultant.get(f"{BASE}{app_id}/sections/").json():
        for code in item["evidence_missing"]:
            uploaded = consultant.post(f"{BASE}{app_id}/evidence/", {
                "question": code, "file": SimpleUploadedFile(f"{code}.pdf", documents.PDF)}, format="multipart")
            assert uploaded.status_code == 201, uploaded.json()
            assert uploaded.json()["sha256"]
    assert consultant.get(f"{BASE}{app_id}/check/").json()["evidence_missing"] == []

    # a consultant may not sign: a 403 with the rule book's words
    refused = consultant.post(f"{BASE}{app_id}/submit/", {"signatory_name": "Carol", "signatory_position": "Adviser",
                                                          "confirmed": True})
    assert refused.status_code == 403
    assert refused.json()["detail"] == str(ACTOR_REFUSALS[Actor.SIGNATORY])
    # the officer must confirm the declaration: the service's message, as on the page
    unconfirmed = officer.post(f"{BASE}{app_id}/submit/", {"signatory_name": "Alice Admin",
                                                           "signatory_position": "Director"})
    assert unconfirmed.status_code == 400
    assert unconfirmed.json() == {"detail": ["Confirm the declaration to sign the application."]}
    with django_capture_on_commit_callbacks(execute=True):
        submitted = officer.post(f"{BASE}{app_id}/submit/", {"signatory_name": "Alice Admin",
                                                             "signatory_position": "Director", "confirmed": True})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted" and submitted.json()["reference"].startswith("AEO-PT-")
    # answers can no longer change, by either way in
    frozen = consultant.put(f"{BASE}{app_id}/sections/A/", {"version": 1, "answers": []})
    assert frozen.status_code == 400 and "can no longer be changed" in str(frozen.json())

    # customs accepts and asks for information (the back office calls these services)
    application = Application.objects.get(pk=app_id)
    services.application_accept(actor=reviewer, application=application)
    info = services.information_request_create(actor=reviewer, application=application,
                                               questions="Send your security plan.",
                                               due_date=timezone.localdate() + timedelta(days=14))
    detail = consultant.get(f"{BASE}{app_id}/").json()
    assert detail["state"] == "information_requested" and detail["available_actions"] == ["respond"]
    listed = consultant.get(f"{BASE}{app_id}/information-requests/").json()
    assert [r["id"] for r in listed] == [info.pk] and listed[0]["responded_at"] is None

    # the software answers, with a file; an empty answer is refused with the page's message
    empty = consultant.post(f"{BASE}{app_id}/information-requests/{info.pk}/response/", {"response": " "},
                            format="multipart")
    assert empty.status_code == 400 and empty.json() == {"response": ["Write your answer to customs' questions."]}
    answered = consultant.post(f"{BASE}{app_id}/information-requests/{info.pk}/response/", {
        "response": "Attached.", "files": [SimpleUploadedFile("plan.pdf", documents.PDF)]}, format="multipart")
    assert answered.status_code == 200, answered.json()
    assert answered.json()["files"][0]["original_name"] == "plan.pdf"
    again = consultant.post(f"{BASE}{app_id}/information-requests/{info.pk}/response/", {"response": "More."},
                          format="multipart")
    assert again.status_code == 400 and again.json() == {"detail": ["This request has already been answered."]}
    assert consultant.get(f"{BASE}{app_id}/").json()["state"] == "under_review"

    # customs proposes and a second officer approves: granted, with an authorisation and its certificate
    with django_capture_on_commit_callbacks(execute=True):
        services.grant_propose(actor=reviewer, application=application, kind="AEOC")
        services.decision_approve(actor=supervisor, application=application)
    detail = officer.get(f"{BASE}{app_id}/").json()
    assert detail["state"] == "granted" and detail["available_actions"] == []
    assert [e["to_state"] for e in detail["timeline"] if e["to_state"]][:2] == ["granted", "under_review"]

    authorisations = officer.get("/api/v1/aeo/authorisations/").json()["results"]
    assert len(authorisations) == 1 and authorisations[0]["status"] == "active"
    auth = authorisations[0]
    assert auth["certificate_ready"] is True and auth["available_actions"] == ["consent", "change_notice",
                                                                                 "certificate"]
    pdf = officer.get(f"/api/v1/aeo/authorisations/{auth['id']}/certificate/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")

    # consent: administrators only
    assert consultant.post(f"/api/v1/aeo/authorisations/{auth['id']}/consent/",
                           {"publish": True, "mra": True}).status_code == 403
    consent = officer.post(f"/api/v1/aeo/authorisations/{auth['id']}/consent/", {"publish": False, "mra": True})
    assert consent.status_code == 200 and consent.json()["consent_mra"] is True

    # any member reports a change, with a document
    notice = consultant.post(f"/api/v1/aeo/authorisations/{auth['id']}/change-notices/", {
        "description": "New warehouse in Porto since 1 March.",
        "files": [SimpleUploadedFile("lease.pdf", documents.PDF)]}, format="multipart")
    assert notice.status_code == 201, notice.json()
    assert notice.json()["files"][0]["original_name"] == "lease.pdf"
    no_text = consultant.post(f"/api/v1/aeo/authorisations/{auth['id']}/change-notices/", {"description": ""},
                              format="multipart")
    assert no_text.json() == {"description": ["Describe what has changed and since when."]}


def test_hearing_reply_and_withdrawal_through_the_api(alice, bob, complete_draft, reviewer, api_for):
    officer, member = api_for(alice), api_for(bob)
    services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                signatory_position="Director", confirmed=True)
    services.application_accept(actor=reviewer, application=complete_draft)
    hearing = services.rejection_propose(actor=reviewer, application=complete_draft, grounds="No security plan.")
    url = f"{BASE}{complete_draft.pk}/hearings/{hearing.pk}/reply/"
    assert officer.get(f"{BASE}{complete_draft.pk}/").json()["available_actions"] == ["hearing_reply", "withdraw"]
    assert member.get(f"{BASE}{complete_draft.pk}/").json()["available_actions"] == []

    refused = member.post(url, {"reply": "We have one."}, format="multipart")
    assert refused.status_code == 403 and refused.json()["detail"] == str(ACTOR_REFUSALS[Actor.SIGNATORY])
    replied = officer.post(url, {"reply": "Here it is.", "files": [SimpleUploadedFile("plan.pdf", documents.PDF)]},
                           format="multipart")
    assert replied.status_code == 200 and replied.json()["replied_at"]
    again = officer.post(url, {"reply": "Again."}, format="multipart")
    assert again.json() == {"detail": ["You have already replied to these grounds."]}

    assert member.post(f"{BASE}{complete_draft.pk}/withdraw/", {}).status_code == 403
    withdrawn = officer.post(f"{BASE}{complete_draft.pk}/withdraw/", {"reason": "We reorganise."})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"


def test_a_section_saved_meanwhile_is_a_409_with_both_versions(alice, bob, draft, api_for):
    first, second = api_for(alice), api_for(bob)
    read_first = first.get(f"{BASE}{draft.pk}/sections/A/").json()
    read_second = second.get(f"{BASE}{draft.pk}/sections/A/").json()
    assert read_first["version"] == read_second["version"] == 0
    saved = first.put(f"{BASE}{draft.pk}/sections/A/", {"version": 0, "answers": [
        {"question": "A.1", "value": "Atlantic Freight SA"}]})
    assert saved.status_code == 200 and saved.json()["version"] == 1

    conflict = second.put(f"{BASE}{draft.pk}/sections/A/", {"version": 0, "answers": [
        {"question": "A.1", "value": "Atlantic Freight Lda"}]})

    assert conflict.status_code == 409
    body = conflict.json()
    assert body["your_version"] == 0 and body["current_version"] == 1
    assert body["saved_by"] == str(alice)
    assert [(a["question"], a["value"]) for a in body["theirs"]] == [("A.1", "Atlantic Freight SA")]
    assert [(a["question"], a["value"]) for a in body["yours"]] == [("A.1", "Atlantic Freight Lda")]
    assert "Nothing of yours was saved" in body["detail"]
    # saving again on top of the version read now works
    assert second.put(f"{BASE}{draft.pk}/sections/A/", {"version": 1, "answers": [
        {"question": "A.1", "value": "Atlantic Freight Lda"}]}).status_code == 200


def test_answers_are_checked_as_on_the_pages(alice, draft, api_for):
    api = api_for(alice)
    number = draft.questionnaire.sections.get(code="A").questions.filter(answer_type="number").first()
    bad = api.put(f"{BASE}{draft.pk}/sections/A/", {"version": 0, "answers": [
        {"question": number.code, "value": "many"}]})
    assert bad.status_code == 400 and "Enter a number, for example 12 or 3.5." in str(bad.json())
    wrong_section = api.put(f"{BASE}{draft.pk}/sections/A/", {"version": 0, "answers": [
        {"question": "B.1", "value": "yes"}]})
    assert wrong_section.status_code == 400 and wrong_section.json() == {"B.1": ["No such question in this section."]}
    assert api.get(f"{BASE}{draft.pk}/sections/Z/").status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "is named .pdf but its content is"),
    ("plan.exe", documents.PDF, "is not an accepted type"),
    ("empty.pdf", b"", "is empty"),
])
def test_evidence_goes_through_the_same_upload_check(alice, draft, api_for, name, content, message):
    question = draft.questionnaire.sections.get(code="A").questions.first()
    response = api_for(alice).post(f"{BASE}{draft.pk}/evidence/", {
        "question": question.code, "file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not draft.evidence.exists()


def test_evidence_is_listed_downloaded_and_removed(alice, draft, api_for):
    api = api_for(alice)
    question = draft.questionnaire.sections.get(code="A").questions.first()
    added = api.post(f"{BASE}{draft.pk}/evidence/", {"question": question.code,
                                                     "file": SimpleUploadedFile("plan.pdf", documents.PDF)},
                     format="multipart").json()
    assert [e["id"] for e in api.get(f"{BASE}{draft.pk}/evidence/").json()] == [added["id"]]
    download = api.get(f"{BASE}{draft.pk}/evidence/{added['id']}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert api.delete(f"{BASE}{draft.pk}/evidence/{added['id']}/").status_code == 204
    assert api.get(f"{BASE}{draft.pk}/evidence/").json() == []


def test_starting_is_refused_for_another_organisation_and_twice(alice, atlantic, other_company, draft, api_for):
    api = api_for(alice)
    assert api.post(BASE, {"organisation": other_company.pk, "kind": "AEOC"}).json() == {
        "organisation": ["You do not belong to that organisation."]}
    twice = api.post(BASE, {"organisation": atlantic.pk, "kind": "AEOC"})
    assert twice.status_code == 400
    assert twice.json() == {"detail": ["Atlantic Freight already has an open application of this type. "
                                       "Continue that one."]}


def test_submit_asks_a_reason_for_each_missing_document_and_decision_notices_are_listed(
        alice, complete_draft, reviewer, api_for, django_capture_on_commit_callbacks):
    from aeo.forms import SubmitForm
    from aeo.selectors import task_list

    api, url = api_for(alice), f"{BASE}{complete_draft.pk}/"
    missing = [q for item in task_list(complete_draft) for q in item.evidence_missing]
    assert [c.split(":")[0] for c in api.get(f"{url}check/").json()["evidence_missing"]] == [q.code for q in missing]
    declaration = {"signatory_name": "Alice Admin", "signatory_position": "Director", "confirmed": True}

    # when: signing with a reason for all but the first missing item
    reasons = {q.code: "Our auditor sends it next week." for q in missing[1:]}
    refused = api.post(f"{url}submit/", {**declaration, "evidence_reasons": reasons}, format="json")

    # then: 400 with the sign page's own message for that item, and nothing submitted
    page = SubmitForm({**declaration, **{f"evidence_reason_{c}": r for c, r in reasons.items()}},
                      missing_evidence=missing)
    assert not page.is_valid()
    assert refused.status_code == 400
    assert refused.json() == {"evidence_reasons": page.errors[f"evidence_reason_{missing[0].code}"]}
    assert api.get(url).json()["state"] == "draft"

    reasons[missing[0].code] = "Not kept at this site."
    submitted = api.post(f"{url}submit/", {**declaration, "evidence_reasons": reasons}, format="json")
    assert submitted.status_code == 200, submitted.json()
    complete_draft.refresh_from_db()
    assert complete_draft.evidence_reasons == reasons  # what customs reads on the case page
    assert submitted.json()["decision_notices"] == []

    # customs returns it as not acceptable: a decision notice, listed with its SHA-256 and downloadable
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(actor=reviewer, application=complete_draft, reasons="The plan is unsigned.")
    (notice,) = api.get(url).json()["decision_notices"]
    assert notice["kind"] == "return" and notice["ready"] is True and notice["grounds"] == "The plan is unsigned."
    assert notice["issued_at"] and notice["appeal_by"]
    assert api.get(f"{url}decision-notices/").json() == [notice]
    pdf = api.get(notice["download_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == notice["sha256"]


def test_decision_notices_are_the_applicants_only(alice, mallory, complete_draft, reviewer, api_for,
                                                 django_capture_on_commit_callbacks):
    services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice",
                                signatory_position="Director", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_return(actor=reviewer, application=complete_draft, reasons="Unsigned.")
    notice = complete_draft.decision_notices.get()
    outsider = api_for(mallory)
    assert outsider.get(f"{BASE}{complete_draft.pk}/decision-notices/").status_code == 404
    assert outsider.get(f"{BASE}{complete_draft.pk}/decision-notices/{notice.pk}/").status_code == 404
    assert api_for(alice).get(f"{BASE}{complete_draft.pk}/decision-notices/{notice.pk + 1}/").status_code == 404
