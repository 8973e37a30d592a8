"""The back office as the reviewer and supervisor personas use it, and who may do what there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.models import Application, Authorisation
from aeo.workflow import State
from portal.models import Organisation
from portal.roles import StaffGroup
from tests.conftest import _staff
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def submitted(complete_draft, alice, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice Admin",
                                    signatory_position="Director", confirmed=True)
    return Application.objects.get(pk=complete_draft.pk)


def _act(client, app, action, data=None):
    return client.post(reverse("admin:aeo_application_act", args=[app.pk, action]), data or {})


def test_case_through_the_admin_as_reviewer_and_supervisor(submitted, reviewer, supervisor, client_for,
                                                           django_capture_on_commit_callbacks):
    rev, sup = client_for(reviewer), client_for(supervisor)
    queue = rev.get(reverse("admin:aeo_application_changelist") + "?assigned=me").content.decode()
    assert submitted.reference in queue
    case = rev.get(reverse("admin:aeo_application_change", args=[submitted.pk])).content.decode()
    for part in ("Decision box", "Answers by section", "Screening", "Timeline", "Accept the application"):
        assert part in case
    # a confirmation form first; nothing happens on GET
    assert "Confirm" in rev.get(reverse("admin:aeo_application_act", args=[submitted.pk, "accept"])).content.decode()
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert _act(rev, submitted, "accept").status_code == 302
    due = (timezone.now().date() + timedelta(days=20)).isoformat()
    _act(rev, submitted, "request_information", {"questions": "Send the seal log.", "due_date": due})
    assert Application.objects.get(pk=submitted.pk).state == State.INFORMATION_REQUESTED
    request = submitted.information_requests.get()
    services.information_request_respond(actor=submitted.created_by, request=request, response="Here.", files=[])
    section = submitted.questionnaire.sections.first()
    _act(rev, submitted, "finding", {"section": section.pk, "outcome": "met", "notes": "Fine."})
    refused = _act(rev, submitted, "propose_grant", {"kind": "AEOC", "note": ""})
    assert "This field is required." in refused.content.decode()
    _act(rev, submitted, "propose_grant", {"kind": "AEOC", "note": "All criteria met."})
    assert Application.objects.get(pk=submitted.pk).state == State.DECISION_PROPOSED
    # the reviewer is not offered the approval, and is refused it
    case = rev.get(reverse("admin:aeo_application_change", args=[submitted.pk])).content.decode()
    assert "Approve the proposed decision" not in case
    response = _act(rev, submitted, "approve", {})
    assert Application.objects.get(pk=submitted.pk).state == State.DECISION_PROPOSED
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        _act(sup, submitted, "approve", {"note": "Agreed."})
    assert Application.objects.get(pk=submitted.pk).state == State.GRANTED
    authorisation = Authorisation.objects.get()
    page = sup.get(reverse("admin:aeo_authorisation_change", args=[authorisation.pk])).content.decode()
    assert authorisation.number in page and "Download the certificate" in page
    download = sup.get(reverse("admin:aeo_authorisation_certificate", args=[authorisation.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    sup.post(reverse("admin:aeo_authorisation_act", args=[authorisation.pk, "revoke"]), {"reason": "Fraud."})
    assert Authorisation.objects.get().status == "revoked"


def test_who_may_do_what_in_the_back_office(submitted, reviewer, programme_admin, client_for):
    moderator = _staff("moderator@customs.example", StaffGroup.CONSULTATION_MODERATOR)
    queue = reverse("admin:aeo_application_changelist")
    assert client_for(moderator).get(queue).status_code == 403
    assert "Authorised Economic Operators" not in client_for(moderator).get(reverse("admin:index")).content.decode()
    # the programme administrator sees the queue and manages questionnaires, but acts on no case
    assert client_for(programme_admin).get(queue).status_code == 200
    response = _act(client_for(programme_admin), submitted, "accept")
    assert response.status_code == 302 and Application.objects.get(pk=submitted.pk).state == State.SUBMITTED
    assert client_for(programme_admin).get(reverse("admin:aeo_questionnaire_load")).status_code == 200
    assert client_for(reviewer).get(reverse("admin:aeo_questionnaire_load")).status_code == 403
    # drafts never reach the queue
    draft = Application.objects.create(organisation=OrganisationFactory(), kind="AEOS",
                                       questionnaire=submitted.questionnaire, created_by=submitted.created_by)
    assert client_for(reviewer).get(reverse("admin:aeo_application_change", args=[draft.pk])).status_code == 404


def _bulk_cases(count: int, questionnaire, creator) -> None:
    organisations = Organisation.objects.bulk_create(
        Organisation(kind="operator", name=f"Operator {i}", identifier=f"BULK{i:06d}", country="ES",
                     sector="machinery") for i in range(count))
    today = timezone.now().date()
    Application.objects.bulk_create(
        Application(organisation=o, kind="AEOC", questionnaire=questionnaire, created_by=creator,
                    state=State.SUBMITTED if i % 2 else State.UNDER_REVIEW, reference=f"AEO-ES-2026-{i:06d}",
                    acceptance_due=today + timedelta(days=i % 40 - 10), decision_due=today + timedelta(days=i % 90),
                    risk_score=i % 100)
        for i, o in enumerate(organisations))


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_queue_query_count_is_the_same_with_10_and_10000_cases(reviewer, client_for, questionnaire):
    client = client_for(reviewer)
    creator = UserFactory()
    url = reverse("admin:aeo_application_changelist")
    _bulk_cases(10, questionnaire, creator)
    client.get(url)
    small = _queries(client, url)
    Application.objects.all().delete()
    Organisation.objects.filter(identifier__startswith="BULK").delete()
    _bulk_cases(10_000, questionnaire, creator)
    large = _queries(client, url)
    assert len(small) == len(large)
    # a filtered page counts only what the filter finds, never the whole table
    filtered = _queries(client, url + "?deadline=overdue&risk=high&state=submitted")
    counts = [q for q in filtered if "COUNT(" in q.upper()]
    assert counts and all("WHERE" in q.upper() for q in counts)


def test_the_queue_flags_only_the_cases_past_their_deadline(client_for, reviewer, submitted):
    # given a case past its acceptance deadline
    Application.objects.filter(pk=submitted.pk).update(acceptance_due=timezone.now().date() - timedelta(days=2))
    # when the reviewer opens the queue
    page = client_for(reviewer).get(reverse("admin:aeo_application_changelist")).content.decode()
    # then that case carries an "Overdue" tag, and no row shows a "no" icon for the others
    assert page.count('<span class="tag tag--red">Overdue</span>') == 1
    assert "icon-no.svg" not in page
