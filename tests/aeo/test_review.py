"""Customs' side of a case: every step with the services, refusals, the four-eyes rule, monitoring."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.models import Application, Authorisation
from aeo.permissions import ActionRefused
from aeo.workflow import State
from portal.models import AuditEvent, Notification
from portal.roles import StaffGroup
from tests.conftest import _staff


@pytest.fixture
def submitted(complete_draft, alice, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # screening runs on commit
        services.application_submit(actor=alice, application=complete_draft, signatory_name="Alice Admin",
                                    signatory_position="Director", confirmed=True)
    return Application.objects.get(pk=complete_draft.pk)


@pytest.fixture
def second_supervisor(db):
    return _staff("supervisor2@customs.example", StaffGroup.AEO_SUPERVISOR)


def _state(app) -> str:
    return Application.objects.get(pk=app.pk).state


def test_one_application_through_every_step(submitted, alice, reviewer, supervisor,
                                            django_capture_on_commit_callbacks):
    app = submitted
    assert app.assigned_to == reviewer  # screening assigned the only reviewer
    services.application_accept(actor=reviewer, application=app)
    request = services.information_request_create(actor=reviewer, application=app, questions="Send the seal log.",
                                                  due_date=timezone.now().date() + timedelta(days=10))
    services.information_request_respond(actor=alice, request=request, response="Attached.", files=[])
    services.decision_deadline_extend(actor=reviewer, application=app, days=20, reason="Second site to visit.")
    visit = services.site_visit_schedule(actor=reviewer, application=app, location="Matosinhos warehouse",
                                         scheduled_for=timezone.now().date() + timedelta(days=5))
    services.site_visit_record(actor=reviewer, visit=visit, result="satisfactory", notes="Seals well kept.")
    section = app.questionnaire.sections.first()
    services.finding_record(actor=reviewer, application=app, section=section, outcome="met", notes="")
    services.grant_propose(actor=reviewer, application=app, kind="AEOC", note="All criteria met.")
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_approve(actor=supervisor, application=app, note="Agreed.")
    app.refresh_from_db()
    assert app.state == State.GRANTED and app.decided_at is not None
    authorisation = Authorisation.objects.get(application=app)
    assert authorisation.number == f"PTAEOC{authorisation.pk:06d}"
    assert authorisation.certificate.name.endswith(".pdf")  # the task ran on commit
    actions = list(AuditEvent.objects.for_target(app).order_by("created_at", "pk").values_list("action", flat=True))
    for expected in ["aeo.submit", "aeo.accept", "aeo.request_information", "aeo.respond", "aeo.deadline_extended",
                     "aeo.site_visit_scheduled", "aeo.site_visit_recorded", "aeo.finding_recorded",
                     "aeo.propose_grant", "aeo.approve_grant", "aeo.authorisation_created"]:
        assert expected in actions


def test_rejection_path_with_the_right_to_be_heard(submitted, alice, reviewer, supervisor):
    app = submitted
    services.application_accept(actor=reviewer, application=app)
    hearing = services.rejection_propose(actor=reviewer, application=app, grounds="No security plan.")
    # the reviewer cannot confirm while the applicant may still reply
    with pytest.raises(ActionRefused, match="may reply until"):
        services.rejection_confirm(actor=reviewer, application=app, note="")
    services.hearing_reply(actor=alice, hearing=hearing, reply="We disagree.", files=[])
    services.rejection_confirm(actor=reviewer, application=app, note="The reply does not answer the grounds.")
    services.decision_approve(actor=supervisor, application=app)
    assert _state(app) == State.REJECTED
    assert not Authorisation.objects.exists()


@pytest.mark.parametrize(
    ("who", "setup", "message"),
    [
        ("supervisor", "draft", "not possible while the application is draft"),
        ("reviewer", "proposed", "Only an AEO supervisor can do this."),
        ("proposer", "proposed", "another supervisor must approve it"),
        ("supervisor", "withdrawn", "not possible while the application is withdrawn"),
    ],
)
def test_transitions_outside_the_table_are_refused_and_change_nothing(
    complete_draft, alice, reviewer, supervisor, who, setup, message
):
    app = complete_draft
    proposer = supervisor
    if setup != "draft":
        services.application_submit(actor=alice, application=app, signatory_name="A", signatory_position="B",
                                    confirmed=True)
        services.application_accept(actor=reviewer, application=app)
    if setup == "proposed":
        services.grant_propose(actor=proposer, application=app, kind="AEOC", note="")
    if setup == "withdrawn":
        services.application_withdraw(actor=alice, application=app)
    before = (_state(app), AuditEvent.objects.count(), Notification.objects.count())
    actor = {"supervisor": supervisor, "reviewer": reviewer, "proposer": proposer}[who]
    with pytest.raises(ActionRefused, match=message):
        services.decision_approve(actor=actor, application=app)
    assert (_state(app), AuditEvent.objects.count(), Notification.objects.count()) == before
    assert not Authorisation.objects.exists()


def test_decision_deadline_extension_is_capped_at_60_days(submitted, reviewer):
    services.application_accept(actor=reviewer, application=submitted)
    services.decision_deadline_extend(actor=reviewer, application=submitted, days=45, reason="Complex group.")
    with pytest.raises(Exception, match="15 days are left"):
        services.decision_deadline_extend(actor=reviewer, application=submitted, days=20, reason="More.")
    submitted.refresh_from_db()
    assert submitted.decision_extension_days == 45
    assert submitted.decision_due == submitted.accepted_at.date() + timedelta(days=120 + 45)


def test_only_supervisors_assign(submitted, reviewer, supervisor):
    with pytest.raises(ActionRefused):
        services.application_assign(actor=reviewer, application=submitted, reviewer=reviewer)
    other = _staff("reviewer2@customs.example", StaffGroup.AEO_REVIEWER)
    services.application_assign(actor=supervisor, application=submitted, reviewer=other, note="Balance the load.")
    assert Application.objects.get(pk=submitted.pk).assigned_to == other


def test_screening_is_safe_to_run_twice(submitted):
    events = AuditEvent.objects.filter(action="aeo.screened").count()
    services.application_screen(application_id=submitted.pk)
    assert AuditEvent.objects.filter(action="aeo.screened").count() == events


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_supervisors_approving_at_once_make_one_decision():
    from tests.aeo.conftest import answer_all
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    admin = UserFactory(email="boss@exporter.example")
    organisation = OrganisationFactory()
    MembershipFactory(user=admin, organisation=organisation, role="admin")
    reviewer = _staff("rev@customs.example", StaffGroup.AEO_REVIEWER)
    first = _staff("sup1@customs.example", StaffGroup.AEO_SUPERVISOR)
    second = _staff("sup2@customs.example", StaffGroup.AEO_SUPERVISOR)
    app = services.application_start(actor=admin, organisation=organisation, kind="AEOC")
    answer_all(app, admin)
    services.application_submit(actor=admin, application=app, signatory_name="B", signatory_position="C",
                                confirmed=True)
    services.application_accept(actor=reviewer, application=app)
    services.grant_propose(actor=reviewer, application=app, kind="AEOC", note="")
    notifications_before = Notification.objects.count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(supervisor):
        barrier.wait()
        try:
            services.decision_approve(actor=supervisor, application=Application.objects.get(pk=app.pk))
            outcomes.append("approved")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert Authorisation.objects.filter(application=app).count() == 1
    assert AuditEvent.objects.filter(action="aeo.approve_grant").count() == 1
    # one set of notifications to the one member: the grant, then the certificate (its task runs on commit)
    new = list(Notification.objects.order_by("pk").values_list("subject", flat=True)[notifications_before:])
    assert len(new) == 2
    assert "granted: authorisation PTAEOC" in new[0] and "certificate" in new[1]


def test_monitoring_suspend_lift_revoke(submitted, alice, reviewer, supervisor):
    services.application_accept(actor=reviewer, application=submitted)
    services.grant_propose(actor=reviewer, application=submitted, kind="AEOC", note="")
    services.decision_approve(actor=supervisor, application=submitted)
    authorisation = Authorisation.objects.get()
    notice = services.change_notice_submit(actor=alice, authorisation=authorisation, files=[],
                                           description="New warehouse in Braga since 1 October.")
    assert notice.authorisation == authorisation
    until = timezone.now().date() + timedelta(days=90)
    services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Seal log not kept.",
                                   remedial_measures="Keep a seal log and train the gate staff.", until=until)
    assert Authorisation.objects.get().status == "suspended"
    assert alice.notifications.filter(subject__contains="suspended until").exists()
    with pytest.raises(ActionRefused):
        services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="x",
                                       remedial_measures="y", until=until)
    services.authorisation_lift_suspension(actor=reviewer, authorisation=authorisation, note="Log in place.")
    services.authorisation_revoke(actor=reviewer, authorisation=authorisation, reason="Repeated smuggling.")
    assert Authorisation.objects.get().status == "revoked"
    status_changes = AuditEvent.objects.for_target(submitted).exclude(action="aeo.decision_notice_issued")
    assert [e.action for e in status_changes[:3]] == [
        "aeo.revoked", "aeo.suspension_lifted", "aeo.suspended"]
    assert mail.outbox  # the holder is e-mailed


def test_customs_handles_a_change_notice_and_starts_a_reassessment(submitted, alice, reviewer, supervisor,
                                                                   client_for):
    services.application_accept(actor=reviewer, application=submitted)
    services.grant_propose(actor=reviewer, application=submitted, kind="AEOC", note="")
    services.decision_approve(actor=supervisor, application=submitted)
    authorisation = Authorisation.objects.get()
    notice = services.change_notice_submit(actor=alice, authorisation=authorisation, files=[],
                                           description="New owner since 1 November.")
    client = client_for(reviewer)
    url = reverse("admin:aeo_authorisation_notice", args=[authorisation.pk, notice.pk])
    assert "Write the note" in client.post(url, {"note": ""}).content.decode()
    client.post(url, {"note": "Ownership checked; a re-assessment follows."})
    notice.refresh_from_db()
    assert notice.handled_by == reviewer
    client.post(reverse("admin:aeo_authorisation_act", args=[authorisation.pk, "reassess"]),
                {"note": "Change of ownership."})
    draft = Application.objects.get(reassessment_of=authorisation)
    assert draft.state == State.DRAFT and draft.answers.count() == submitted.answers.count()
    assert alice.notifications.filter(subject__contains="re-assessed").exists()
    with pytest.raises(ActionRefused, match="already has an open application"):
        services.reassessment_start(actor=reviewer, authorisation=authorisation, note="Again.")


def test_applicant_timeline_leaves_out_customs_internal_work(submitted, alice, reviewer, supervisor, client_for):
    services.application_accept(actor=reviewer, application=submitted)
    section = submitted.questionnaire.sections.first()
    services.finding_record(actor=reviewer, application=submitted, section=section, outcome="met", notes="")
    services.grant_propose(actor=reviewer, application=submitted, kind="AEOC", note="Internal view.")
    services.decision_send_back(actor=supervisor, application=submitted, note="Look again at C.")
    page = client_for(alice).get(reverse("aeo:application_status", args=[submitted.pk])).content.decode()
    assert "Accepted for examination" in page
    for internal in ("Grant proposed", "Finding recorded", "Proposal sent back", "Screened", reviewer.full_name):
        assert internal not in page
    case = client_for(reviewer).get(reverse("admin:aeo_application_change", args=[submitted.pk])).content.decode()
    assert "Grant proposed" in case and "Proposal sent back for review" in case


def test_a_granted_reassessment_replaces_the_earlier_authorisation(submitted, alice, reviewer, supervisor):
    services.application_accept(actor=reviewer, application=submitted)
    services.grant_propose(actor=reviewer, application=submitted, kind="AEOC", note="")
    services.decision_approve(actor=supervisor, application=submitted)
    first = Authorisation.objects.get()
    draft = services.reassessment_start(actor=reviewer, authorisation=first, note="Change of ownership.")
    services.application_submit(actor=alice, application=draft, signatory_name="A", signatory_position="B",
                                confirmed=True)
    services.application_accept(actor=reviewer, application=draft)
    services.grant_propose(actor=reviewer, application=draft, kind="AEOC", note="")
    services.decision_approve(actor=supervisor, application=draft)
    first.refresh_from_db()
    second = Authorisation.objects.exclude(pk=first.pk).get()
    assert (first.status, second.status) == ("revoked", "active")
    assert second.number in first.revocation_reason


def test_changing_identity_after_verification_needs_verifying_again(alice, atlantic, client_for):
    assert atlantic.is_verified
    client_for(alice).post(reverse("organisation_edit", args=[atlantic.pk]), {
        "name": atlantic.name, "identifier": "PT599000111", "country": "PT", "sector": atlantic.sector,
        "street": atlantic.street, "postcode": atlantic.postcode, "city": atlantic.city})
    atlantic.refresh_from_db()
    assert atlantic.identifier == "PT599000111" and not atlantic.is_verified


def test_reconsidering_after_the_reply_reopens_the_review_and_tells_the_applicant(submitted, alice, bob, reviewer):
    # given an intended rejection that the applicant answered
    services.application_accept(actor=reviewer, application=submitted)
    hearing = services.rejection_propose(actor=reviewer, application=submitted, grounds="No security plan.")
    services.hearing_reply(actor=alice, hearing=hearing, reply="Our plan is attached.", files=[])
    # when the reviewer reconsiders
    services.hearing_reconsider(actor=reviewer, application=submitted, note="The plan answers the grounds.")
    # then the case is back under review with no decision pending, recorded and told to the applicant
    app = Application.objects.get(pk=submitted.pk)
    assert (app.state, app.proposed_decision) == (State.UNDER_REVIEW, "")
    event = AuditEvent.objects.for_target(app).filter(action="aeo.reconsider").get()
    assert (event.from_state, event.to_state, event.actor) == (State.RIGHT_TO_BE_HEARD, State.UNDER_REVIEW, reviewer)
    assert bob.notifications.filter(subject__contains="reconsiders after your reply").exists()
    # and neither a second reconsideration nor a second reply is possible
    with pytest.raises(ActionRefused, match="not possible while the application is under review"):
        services.hearing_reconsider(actor=reviewer, application=app, note="Again.")
    with pytest.raises(ActionRefused, match="already replied"):
        services.hearing_reply(actor=alice, hearing=hearing, reply="More.", files=[])


def test_reconsidering_is_for_customs_and_only_during_a_hearing(submitted, alice, reviewer):
    services.application_accept(actor=reviewer, application=submitted)
    with pytest.raises(ActionRefused, match="not possible while the application is under review"):
        services.hearing_reconsider(actor=reviewer, application=submitted, note="")
    services.rejection_propose(actor=reviewer, application=submitted, grounds="No security plan.")
    with pytest.raises(ActionRefused):
        services.hearing_reconsider(actor=alice, application=submitted, note="Please.")
    assert _state(submitted) == State.RIGHT_TO_BE_HEARD


def test_the_proposer_cannot_send_their_own_proposal_back(submitted, reviewer, supervisor, second_supervisor):
    # given a grant proposed by a supervisor
    services.application_accept(actor=reviewer, application=submitted)
    services.grant_propose(actor=supervisor, application=submitted, kind="AEOC", note="Criteria met.")
    before = (AuditEvent.objects.count(), Notification.objects.count())
    # when the proposer sends it back, it is refused and nothing changes
    with pytest.raises(ActionRefused, match="another supervisor must approve it or send it back"):
        services.decision_send_back(actor=supervisor, application=submitted, note="On second thoughts.")
    assert _state(submitted) == State.DECISION_PROPOSED
    assert (AuditEvent.objects.count(), Notification.objects.count()) == before
    # a second supervisor must say why, and then the proposal goes back to the proposer
    with pytest.raises(ValidationError, match="Say what the reviewer should look at again"):
        services.decision_send_back(actor=second_supervisor, application=submitted, note=" ")
    services.decision_send_back(actor=second_supervisor, application=submitted, note="Look again at C.")
    app = Application.objects.get(pk=submitted.pk)
    assert (app.state, app.proposed_decision) == (State.UNDER_REVIEW, "")
    assert supervisor.notifications.filter(subject__contains="your proposal was sent back").exists()
