"""Outsiders see nothing of another company's applications; the API for traders' software; query counts."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from aeo import services
from aeo.models import Answer, Question
from aeo.questionnaire import load_questionnaire
from portal.models import AuditEvent
from portal.services.tokens import api_token_create
from tests import documents

PDF = documents.PDF


def _routes(app, evidence, info_request, hearing, section_code, question_id):
    return [
        ("get", reverse("aeo:application_tasks", args=[app.pk])),
        ("get", reverse("aeo:section_edit", args=[app.pk, section_code])),
        ("get", reverse("aeo:evidence_upload", args=[app.pk, question_id])),
        ("get", reverse("aeo:evidence_download", args=[app.pk, evidence.pk])),
        ("post", reverse("aeo:evidence_remove", args=[app.pk, evidence.pk])),
        ("get", reverse("aeo:application_check", args=[app.pk])),
        ("get", reverse("aeo:application_status", args=[app.pk])),
        ("get", reverse("aeo:information_response", args=[app.pk, info_request.pk])),
        ("get", reverse("aeo:hearing_reply", args=[app.pk, hearing.pk])),
        ("get", reverse("aeo:application_withdraw", args=[app.pk])),
        ("post", reverse("aeo:application_copy", args=[app.pk])),
        ("get", f"/api/v1/aeo/applications/{app.pk}/"),
        ("get", f"/api/v1/aeo/applications/{app.pk}/answers/"),
        ("post", f"/api/v1/aeo/applications/{app.pk}/answers/"),
    ]


def test_outsider_gets_404_on_every_aeo_route(draft, alice, mallory, reviewer, client_for):
    question = Question.objects.filter(section__questionnaire=draft.questionnaire).exclude(evidence="").first()
    upload = client_for(alice).post(reverse("aeo:evidence_upload", args=[draft.pk, question.pk]),
                                    {"file": SimpleUploadedFile("plan.pdf", PDF)})
    assert upload.status_code == 302
    evidence = draft.evidence.get()
    info_request = draft.information_requests.create(questions="?", due_date="2030-01-01", requested_by=reviewer)
    hearing = draft.hearings.create(grounds="?", due_date="2030-01-01", opened_by=reviewer)
    outsider = client_for(mallory)
    for method, url in _routes(draft, evidence, info_request, hearing, question.section.code, question.pk):
        assert getattr(outsider, method)(url).status_code == 404, url
    assert draft.evidence.exists()
    assert outsider.get("/api/v1/aeo/applications/").json()["results"] == []


def test_anonymous_visitor_is_sent_to_sign_in(draft, client):
    response = client.get(reverse("aeo:application_tasks", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.fixture
def api(carol):
    client = APIClient()
    _token, key = api_token_create(actor=carol, name="ERP")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_api_lists_and_reads_own_applications_with_timeline(draft, api):
    listed = api.get("/api/v1/aeo/applications/").json()["results"]
    assert [a["id"] for a in listed] == [draft.pk]
    detail = api.get(f"/api/v1/aeo/applications/{draft.pk}/").json()
    assert detail["state"] == "draft" and detail["questionnaire_version"] == 1
    assert detail["timeline"][0]["label"] == "Application started"


def test_api_reads_the_questionnaire(api, questionnaire):
    data = api.get("/api/v1/aeo/questionnaires/1/").json()
    assert len(data["sections"]) == questionnaire.sections.count()
    assert data["sections"][0]["questions"][0]["code"] == "A.1"


def test_api_writes_answers_of_a_draft_and_says_what_is_wrong(draft, api, alice):
    yes_no = Question.objects.filter(section__questionnaire=draft.questionnaire, answer_type="yes_no",
                                     section__applies_to="both").first()
    number = Question.objects.filter(section__questionnaire=draft.questionnaire, answer_type="number",
                                     section__applies_to="both").first()
    ok = api.post(f"/api/v1/aeo/applications/{draft.pk}/answers/", [{"question": yes_no.code, "value": "yes"}])
    assert ok.status_code == 200
    assert Answer.objects.get(application=draft, question=yes_no).value == "yes"
    bad = api.post(f"/api/v1/aeo/applications/{draft.pk}/answers/", [{"question": number.code, "value": "many"}])
    assert bad.status_code == 400 and "Enter a number" in str(bad.json())
    unknown = api.post(f"/api/v1/aeo/applications/{draft.pk}/answers/", [{"question": "Z.99", "value": "yes"}])
    assert unknown.status_code == 400 and "Z.99" in unknown.json()
    # once submitted, the API cannot change answers either
    draft.state = "submitted"
    draft.save(update_fields=["state"])
    refused = api.post(f"/api/v1/aeo/applications/{draft.pk}/answers/", [{"question": yes_no.code, "value": "no"}])
    assert refused.status_code == 400 and "can no longer be changed" in str(refused.json())


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def _grow(application, user, events: int):
    """Answer every question (over 100 answers) and add `events` audit events."""
    from tests.aeo.conftest import answer_all

    answer_all(application, user)
    for i in range(events):
        AuditEvent.objects.create(actor=user, action="aeo.section_saved", target_type_id=_ct(application),
                                  target_id=str(application.pk), target_repr="x", organisation=application.organisation,
                                  data={"n": i})


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _large_questionnaire(tmp_path):
    """A questionnaire of 13 sections of 16 questions (208), larger than the one we ship."""
    sections = [{
        "code": f"S{s}", "title": f"Section {s}", "applies_to": "both", "intro": "",
        "questions": [{"code": f"S{s}.{q}", "text": f"Question {q}?", "help": "Help.", "answer_type": kind,
                       "choices": ["Monthly", "Yearly"] if kind == "choice" else [], "required": True,
                       "criterion": "must", "allows_na": False, "evidence": "A document" if q % 3 == 0 else ""}
                      for q, kind in enumerate(["yes_no", "text", "number", "date", "choice"] * 3 + ["yes_no"], 1)],
    } for s in range(1, 14)]
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"version": 99, "title": "Large", "sections": sections}))
    load_questionnaire(path)


@pytest.mark.parametrize("page", ["tasks", "section", "check", "status"])
def test_query_counts_do_not_grow_with_answers_and_events(alice, atlantic, client_for, questionnaire, page, tmp_path):
    _large_questionnaire(tmp_path)
    small = services.application_start(actor=alice, organisation=atlantic, kind="AEOC")
    big = services.application_start(actor=alice, organisation=atlantic, kind="AEOS")
    _grow(big, alice, events=100)
    assert big.answers.count() >= 200
    client = client_for(alice)
    client.get(reverse("dashboard"))  # the first request records the session

    def url(app):
        section = app.questionnaire.sections.order_by("order").first().code
        return {"tasks": reverse("aeo:application_tasks", args=[app.pk]),
                "section": reverse("aeo:section_edit", args=[app.pk, section]),
                "check": reverse("aeo:application_check", args=[app.pk]),
                "status": reverse("aeo:application_status", args=[app.pk])}[page]

    assert _count(client, url(small)) == _count(client, url(big))
