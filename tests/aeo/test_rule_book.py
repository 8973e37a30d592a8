"""What is offered is exactly what is allowed: for every state of a case and every persona, each action the
back office or the status page offers is one the service carries out, and each it does not offer is refused.

The services are run for real, each in a savepoint that is rolled back, with valid input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from aeo import permissions, services
from aeo.models import Application, Authorisation
from aeo.permissions import ActionRefused
from aeo.services.monitoring import monitoring_review_record, monitoring_visit_plan
from portal.roles import StaffGroup
from tests.conftest import _staff
from tests.portal.test_staff_second_factor import age_the_sign_in

ALL_ACTIONS = permissions.APPLICANT_ACTIONS + permissions.CUSTOMS_ACTIONS
STATES = ["draft", "submitted", "under_review", "information_requested", "hearing_open", "hearing_ended",
          "grant_proposed", "rejection_proposed", "granted", "rejected", "withdrawn"]


class _Rollback(Exception):
    pass


@pytest.fixture
def cast(alice, bob, carol, mallory, reviewer, supervisor, programme_admin):
    return {
        "operator admin": alice, "member": bob, "consultant": carol, "outsider": mallory, "reviewer": reviewer,
        "other reviewer": _staff("reviewer2@customs.example", StaffGroup.AEO_REVIEWER),
        "supervisor": supervisor, "proposer": _staff("proposer@customs.example", StaffGroup.AEO_SUPERVISOR),
        "programme administrator": programme_admin,
        "moderator": _staff("moderator@customs.example", StaffGroup.CONSULTATION_MODERATOR),
    }


def _case(state: str, draft: Application, cast) -> Application:
    """A case brought to `state` through the services, as the personas would."""
    alice, reviewer, proposer = cast["operator admin"], cast["reviewer"], cast["proposer"]
    supervisor = cast["supervisor"]
    today = timezone.localdate()
    app = draft
    if state == "draft":
        return app
    services.application_submit(actor=alice, application=app, signatory_name="Alice Admin", signatory_position="CEO",
                                confirmed=True)
    if state == "withdrawn":
        services.application_withdraw(actor=alice, application=app, reason="We merge with another company.")
    if state in ("submitted", "withdrawn"):
        return Application.objects.get(pk=app.pk)
    services.application_accept(actor=reviewer, application=app)
    services.site_visit_schedule(actor=reviewer, application=app, scheduled_for=today + timedelta(days=7),
                                 location="Leixões warehouse")
    if state == "information_requested":
        services.information_request_create(actor=reviewer, application=app, questions="Send the seal log.",
                                            due_date=today + timedelta(days=14))
    if state in ("hearing_open", "hearing_ended", "rejection_proposed", "rejected"):
        hearing = services.rejection_propose(actor=reviewer, application=app, grounds="Security procedures missing.")
        if state != "hearing_open":
            type(hearing).objects.filter(pk=hearing.pk).update(due_date=today - timedelta(days=1))
        if state in ("rejection_proposed", "rejected"):
            services.rejection_confirm(actor=proposer, application=app, note="No reply within the period.")
    if state in ("grant_proposed", "granted"):
        services.grant_propose(actor=proposer, application=app, kind="AEOC", note="All criteria met.")
    if state in ("granted", "rejected"):
        services.decision_approve(actor=supervisor, application=app, note="Agreed.")
    return Application.objects.get(pk=app.pk)


def _runner(action: str, app: Application, cast) -> Callable[..., object] | None:
    """How to take the action on this case with valid input, or None if there is nothing to take it on."""
    today = timezone.localdate()
    request = app.information_requests.first()
    hearing = app.hearings.first()
    visit = app.site_visits.first()
    runs = {
        "submit": lambda u: services.application_submit(actor=u, application=app, signatory_name="A. Person",
                                                        signatory_position="Director", confirmed=True),
        "respond": request and (lambda u: services.information_request_respond(actor=u, request=request,
                                                                               response="Here it is.", files=[])),
        "hearing_reply": hearing and (lambda u: services.hearing_reply(actor=u, hearing=hearing,
                                                                       reply="We have fixed it.", files=[])),
        "withdraw": lambda u: services.application_withdraw(actor=u, application=app, reason="No longer needed."),
        "accept": lambda u: services.application_accept(actor=u, application=app),
        "return": lambda u: services.application_return(actor=u, application=app, reasons="Section B is empty."),
        "assign": lambda u: services.application_assign(actor=u, application=app, reviewer=cast["other reviewer"]),
        "request_information": lambda u: services.information_request_create(
            actor=u, application=app, questions="Send the seal log.", due_date=today + timedelta(days=10)),
        "extend": lambda u: services.decision_deadline_extend(actor=u, application=app, days=5, reason="Group."),
        "schedule_visit": lambda u: services.site_visit_schedule(
            actor=u, application=app, scheduled_for=today + timedelta(days=3), location="Porto"),
        "record_visit": visit and (lambda u: services.site_visit_record(actor=u, visit=visit, result="satisfactory",
                                                                        notes="Seals in order.")),
        "finding": lambda u: services.finding_record(actor=u, application=app,
                                                     section=app.questionnaire.sections.first(), outcome="met",
                                                     notes=""),
        "propose_grant": lambda u: services.grant_propose(actor=u, application=app, kind=app.kind, note="Fine."),
        "propose_rejection": lambda u: services.rejection_propose(actor=u, application=app, grounds="Not met."),
        "reconsider": lambda u: services.hearing_reconsider(actor=u, application=app, note="The reply convinces."),
        "confirm_rejection": lambda u: services.rejection_confirm(actor=u, application=app, note="Final."),
        "approve": lambda u: services.decision_approve(actor=u, application=app, note="Agreed."),
        "send_back": lambda u: services.decision_send_back(actor=u, application=app, note="Look again."),
    }
    return runs[action] or None


def _allowed(run, user) -> bool:
    try:
        with transaction.atomic():
            run(user)
            raise _Rollback
    except _Rollback:
        return True
    except (ActionRefused, PermissionDenied):
        return False


def _unverify(app: Application) -> None:
    """The organisation's identity changed after the case was built: customs must verify it again."""
    type(app.organisation).objects.filter(pk=app.organisation_id).update(verified_at=None, verified_by=None)


@pytest.mark.parametrize("verified", [True, False], ids=["verified", "unverified"])
@pytest.mark.parametrize("state", STATES)
def test_offered_is_exactly_allowed_for_every_persona(state, verified, complete_draft, cast):
    assert complete_draft.organisation.is_verified  # the cases are of a verified organisation ...
    app = _case(state, complete_draft, cast)
    if not verified:  # ... or of one whose verification lapsed
        _unverify(app)
    mismatches = []
    offered_somewhere: set[str] = set()
    for persona, user in cast.items():
        for action in ALL_ACTIONS:
            case = Application.objects.get(pk=app.pk)
            offered = action in permissions.available_actions(user, case, side=ALL_ACTIONS)
            run = _runner(action, case, cast)
            allowed = run is not None and _allowed(run, user)
            if offered != allowed:
                mismatches.append(f"{persona} / {action}: offered {offered}, allowed {allowed}")
            if offered:
                offered_somewhere.add(action)
    assert mismatches == []
    if state in ("granted", "rejected", "withdrawn"):
        assert offered_somewhere == set()


# Who is offered what, written out for the states where the four eyes and the roles matter most.
SUPERVISING = {"assign", "extend"}
EXAMINING = {"reconsider", "extend", "finding", "record_visit"}  # during the hearing
EXPECTED = {
    "submitted": {"operator admin": {"withdraw"}, "reviewer": {"accept", "return"},
                  "other reviewer": {"accept", "return"}, "supervisor": {"accept", "return", "assign"},
                  "proposer": {"accept", "return", "assign"}},
    "hearing_open": {"operator admin": {"hearing_reply", "withdraw"}, "reviewer": EXAMINING,
                     "other reviewer": EXAMINING, "supervisor": EXAMINING | {"assign"},
                     "proposer": EXAMINING | {"assign"}},
    "grant_proposed": {"operator admin": {"withdraw"}, "reviewer": {"extend"}, "other reviewer": {"extend"},
                       "supervisor": SUPERVISING | {"approve", "send_back"}, "proposer": SUPERVISING},
    "granted": {},
}


# An unverified organisation's case: nothing that leads to a grant, the rest as usual.
UNVERIFIED = {
    "draft": {"operator admin": {"withdraw"}},
    "submitted": {"operator admin": {"withdraw"}, "reviewer": {"return"}, "other reviewer": {"return"},
                  "supervisor": {"return", "assign"}, "proposer": {"return", "assign"}},
    "grant_proposed": {"operator admin": {"withdraw"}, "reviewer": {"extend"}, "other reviewer": {"extend"},
                       "supervisor": SUPERVISING | {"send_back"}, "proposer": SUPERVISING},
}


@pytest.mark.parametrize("state", UNVERIFIED)
def test_who_is_offered_what_when_the_organisation_is_not_verified(state, complete_draft, cast):
    app = _case(state, complete_draft, cast)
    _unverify(app)
    app = Application.objects.select_related("organisation").get(pk=app.pk)
    offered = {persona: set(permissions.available_actions(user, app, side=ALL_ACTIONS))
               for persona, user in cast.items()}
    assert offered == {persona: UNVERIFIED[state].get(persona, set()) for persona in cast}


@pytest.mark.parametrize("state", EXPECTED)
def test_who_is_offered_what(state, complete_draft, cast):
    app = _case(state, complete_draft, cast)
    offered = {persona: set(permissions.available_actions(user, app, side=ALL_ACTIONS))
               for persona, user in cast.items()}
    assert offered == {persona: EXPECTED[state].get(persona, set()) for persona in cast}


@pytest.mark.parametrize("status", ["active", "suspended", "revoked"])
def test_monitoring_offered_is_exactly_allowed(status, complete_draft, cast):
    app = _case("granted", complete_draft, cast)
    authorisation = Authorisation.objects.get(application=app)
    reviewer = cast["reviewer"]
    today = timezone.localdate()
    if status != "active":
        services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Audit findings.",
                                       remedial_measures="Fix the seals.", until=today + timedelta(days=30))
    if status == "revoked":
        services.authorisation_revoke(actor=reviewer, authorisation=authorisation, reason="Fraud.")
    runs = {
        "suspend": lambda u, a: services.authorisation_suspend(actor=u, authorisation=a, reason="Findings.",
                                                               remedial_measures="Fix.", until=today + timedelta(10)),
        "lift": lambda u, a: services.authorisation_lift_suspension(actor=u, authorisation=a, note="Fixed."),
        "revoke": lambda u, a: services.authorisation_revoke(actor=u, authorisation=a, reason="Fraud."),
        "reassess": lambda u, a: services.reassessment_start(actor=u, authorisation=a, note="Yearly review."),
        "plan_visit": lambda u, a: monitoring_visit_plan(actor=u, authorisation=a, planned_for=today + timedelta(9),
                                                         location="Main warehouse", officer_role="auditor"),
        "review": lambda u, a: monitoring_review_record(actor=u, authorisation=a, kind="visit", held_on=today,
                                                        result="satisfactory", findings="Seals and logs in order."),
    }
    mismatches = []
    for persona, user in cast.items():
        for action, run in runs.items():
            current = Authorisation.objects.get(pk=authorisation.pk)
            offered = action in permissions.available_monitoring(user, current)
            allowed = _allowed(lambda u, run=run, current=current: run(u, current), user)
            if offered != allowed:
                mismatches.append(f"{persona} / {action}: offered {offered}, allowed {allowed}")
    assert mismatches == []
    offered = set(permissions.available_monitoring(reviewer, Authorisation.objects.get(pk=authorisation.pk)))
    assert offered == {"active": {"suspend", "revoke", "reassess", "plan_visit", "review"},
                       "suspended": {"lift", "revoke", "reassess", "plan_visit", "review"}, "revoked": set()}[status]


def _case_page_queries(client, app) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("admin:aeo_application_change", args=[app.pk])
    client.get(url)  # the session's first request records it in the list of sessions
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_page_queries_do_not_grow_with_the_case_or_the_checks(complete_draft, cast, client_for):
    # given a case far along: a site visit and a hearing open, so the rule book weighs many actions
    app = _case("hearing_open", complete_draft, cast)
    client = client_for(cast["supervisor"])
    before = _case_page_queries(client, app)
    # when the case grows: findings for several sections, the visit recorded, more history
    reviewer = cast["reviewer"]
    for section in app.questionnaire.sections.all()[:4]:
        services.finding_record(actor=reviewer, application=app, section=section, outcome="met", notes="In place.")
    for days in (10, 20):
        services.decision_deadline_extend(actor=reviewer, application=app, days=days, reason="Group structure.")
    for visit in app.site_visits.all():
        services.site_visit_record(actor=reviewer, visit=visit, result="satisfactory", notes="Seals in order.")
    # then the page costs the same, at most 21 queries (one of them names the sections in the timeline)
    assert _case_page_queries(client, app) == before <= 21


def test_a_decision_on_an_old_sign_in_asks_to_confirm_it_first(complete_draft, alice, reviewer, supervisor,
                                                                client_for, settings):
    from django.urls import reverse

    services.application_submit(actor=alice, application=complete_draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    services.application_accept(actor=reviewer, application=complete_draft)
    services.grant_propose(actor=reviewer, application=complete_draft, kind="AEOC", note="All met.")
    client = client_for(supervisor)
    age_the_sign_in(client, settings.STAFF_REAUTHENTICATION_SECONDS + 60)
    url = reverse("admin:aeo_application_act", args=[complete_draft.pk, "approve"])
    # when the supervisor approves on a sign-in older than the setting
    response = client.post(url, {"note": "Agreed."})
    # then they are asked to confirm who they are, and nothing is decided yet
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    assert Application.objects.get(pk=complete_draft.pk).state == "decision_proposed"
    # and on a fresh sign-in the same approval goes through
    assert client_for(supervisor).post(url, {"note": "Agreed."}).status_code == 302
    assert Application.objects.get(pk=complete_draft.pk).state == "granted"
