"""Customs' side of a case: acceptance, information requests, site visits, findings, proposals and
the four-eyes decision. Every action first asks the rule book (`aeo.permissions.require`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aeo import permissions
from aeo.models import (
    Application,
    DecisionNotice,
    Finding,
    Hearing,
    InformationRequest,
    RiskModel,
    Section,
    SiteVisit,
)
from aeo.risk import DEFAULT_WEIGHTS, RiskFacts, band_of, reason_text
from aeo.risk import score as risk_score
from aeo.selectors import SectionItem, task_list
from aeo.services.applications import DECISION_DAYS, HEARING_DAYS
from aeo.services.common import (
    ActionRefused,
    aeo_supervisors,
    application_locked,
    application_transition,
    case_admin_link,
    organisation_members,
)
from aeo.services.decisions import decision_notice_issue
from aeo.workflow import OPEN_STATES, Action, State
from portal.models import AuditEvent, User
from portal.roles import StaffGroup
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text, choice_label
from portal.work import SWEEP_BATCH


@transaction.atomic
def application_return(*, actor: User, application: Application, reasons: str) -> Application:
    """Customs returns a submitted application as not acceptable; the applicant corrects and resubmits."""
    application = application_locked(application)
    permissions.require(actor, application, "return")
    if not reasons.strip():
        raise ValidationError({"reasons": _("Say what the applicant must correct.")})
    application_transition(application, Action.RETURN, actor=actor, note=reasons)
    application.returned_reasons = reasons.strip()
    application.acceptance_due = None
    application.save(update_fields=["state", "returned_reasons", "acceptance_due"])
    decision_notice_issue(actor=actor, application=application, kind=DecisionNotice.Kind.RETURN, grounds=reasons)
    notify(recipients=organisation_members(application.organisation), kind="aeo.legal",
           subject=Text(gettext_noop("%(ref)s was returned to you"), ref=application.reference),
           body=Text(gettext_noop("Customs could not accept the application as it is: %(reasons)s\n\nThe decision "
                                  "notice, with how to appeal, is on the application's status page."),
                     reasons=reasons),
           link=application.get_absolute_url())
    return application


@transaction.atomic
def application_accept(*, actor: User, application: Application, note: str = "") -> Application:
    application = application_locked(application)
    permissions.require(actor, application, "accept")
    application_transition(application, Action.ACCEPT, actor=actor, note=note)
    application.accepted_at = timezone.now()
    application.decision_due = application.accepted_at.date() + timedelta(days=DECISION_DAYS)
    application.save(update_fields=["state", "accepted_at", "decision_due"])
    notify(recipients=organisation_members(application.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(ref)s was accepted for examination"), ref=application.reference),
           body=Text(gettext_noop("Customs will decide by %(date)s."), date=application.decision_due),
           link=application.get_absolute_url())
    return application


@transaction.atomic
def information_request_create(*, actor: User, application: Application, questions: str,
                               due_date: date) -> InformationRequest:
    application = application_locked(application)
    permissions.require(actor, application, "request_information")
    if due_date <= timezone.now().date():
        raise ValidationError({"due_date": _("The due date must be in the future.")})
    application_transition(application, Action.REQUEST_INFORMATION, actor=actor, note=questions)
    application.save(update_fields=["state"])
    request = InformationRequest.objects.create(application=application, questions=questions, due_date=due_date,
                                                requested_by=actor)
    notify(recipients=organisation_members(application.organisation), kind="aeo.legal",
           subject=Text(gettext_noop("%(ref)s: customs asks for information by %(date)s"), ref=application.reference,
                        date=due_date),
           body=questions, link=application.get_absolute_url())
    return request


@transaction.atomic
def rejection_propose(*, actor: User, application: Application, grounds: str) -> Hearing:
    application = application_locked(application)
    permissions.require(actor, application, "propose_rejection")
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds for the intended rejection.")})
    application_transition(application, Action.PROPOSE_REJECTION, actor=actor, note=grounds)
    application.proposed_by = actor
    application.save(update_fields=["state", "proposed_by"])
    hearing = Hearing.objects.create(application=application, grounds=grounds, opened_by=actor,
                                     due_date=timezone.now().date() + timedelta(days=HEARING_DAYS))
    notify(recipients=organisation_members(application.organisation), kind="aeo.legal",
           subject=Text(gettext_noop("%(ref)s: customs intends to reject — you may reply by %(date)s"),
                        ref=application.reference, date=hearing.due_date),
           body=grounds, link=application.get_absolute_url())
    return hearing


# --- Screening --------------------------------------------------------------------------------------

def current_risk_model() -> RiskModel | None:
    return RiskModel.objects.order_by("-version").first()


def risk_facts(application: Application, items: list[SectionItem]) -> RiskFacts:
    """What the score weighs, from the task list and the organisation's history with customs."""
    explained = {code for code, reason in application.evidence_reasons.items() if reason.strip()}
    missing = [q.code for i in items for q in i.evidence_missing]
    organisation = application.organisation
    history = {row["action"]: row["n"] for row in AuditEvent.objects.filter(
        organisation=organisation, action__in=["aeo.suspended", "aeo.revoked"]).order_by().values("action").annotate(
        n=Count("pk"))}
    return RiskFacts(
        must_no=[q.code for i in items for q in i.must_no], should_no=[q.code for i in items for q in i.should_no],
        evidence_missing=[c for c in missing if c not in explained],
        evidence_explained=[c for c in missing if c in explained],
        not_applicable=sorted(q.code for i in items for q in i.not_applicable),
        earlier_rejection=organisation.aeo_applications.filter(state=State.REJECTED).exclude(
            pk=application.pk).count(),
        suspension=history.get("aeo.suspended", 0), revocation=history.get("aeo.revoked", 0),
        unverified=not organisation.is_verified,
    )


@transaction.atomic
def application_screen(*, application_id: int) -> Application:
    """Screen a submitted application and assign it to the least-loaded reviewer. Safe to run twice."""

    application = Application.objects.select_for_update().select_related("organisation").get(pk=application_id)
    if application.state != State.SUBMITTED or _screened(application):
        return application
    items = task_list(application)
    facts = risk_facts(application, items)
    model = current_risk_model()
    weights = model.weights if model else DEFAULT_WEIGHTS
    application.risk_score, reasons = risk_score(facts, weights)
    application.risk_model = model
    application.screening = {
        "submitted_at": str(application.submitted_at), "complete": all(i.is_complete for i in items),
        "must_no": facts.must_no, "evidence_missing": [q.code for i in items for q in i.evidence_missing],
        "not_applicable": facts.not_applicable, "facts": facts.as_data(), "risk_reasons": reasons,
        "band": band_of(application.risk_score, weights),
        "reasons": [reason_text(r) for r in reasons],
    }
    if application.assigned_to is None:
        application.assigned_to = _least_loaded_reviewer()
    application.save(update_fields=["risk_score", "risk_model", "screening", "assigned_to"])
    audit_record(actor=None, action="aeo.screened", target=application, organisation=application.organisation,
                 data={"risk_score": application.risk_score, "risk_model": model.version if model else None,
                       "assigned_to": application.assigned_to.email if application.assigned_to else None})
    if application.assigned_to:
        notify(recipients=[application.assigned_to], kind="aeo.review",
               subject=Text(gettext_noop("%(ref)s is assigned to you"), ref=application.reference),
               body=Text(gettext_noop("Risk score %(score)s. Acceptance is due by %(date)s."),
                         score=application.risk_score, date=application.acceptance_due),
               link=f"/admin/aeo/application/{application.pk}/change/",
               key=f"aeo.assigned:{application.pk}:{application.submitted_at:%Y%m%d%H%M%S}")
    return application


def applications_screen_due() -> int:
    """Screen the submitted applications whose task never ran (broker down, worker lost). A sweep."""
    submitted = Application.objects.filter(state=State.SUBMITTED).only("submitted_at", "screening")
    waiting = [a.pk for a in submitted.iterator() if not _screened(a)][:SWEEP_BATCH]
    for pk in waiting:
        application_screen(application_id=pk)
    return len(waiting)


def _screened(application: Application) -> bool:
    """Screened since its latest submission (a returned application is screened again when resubmitted)."""
    return application.screening.get("submitted_at") == str(application.submitted_at)


def _least_loaded_reviewer() -> User | None:
    reviewers = Group.objects.get(name=StaffGroup.AEO_REVIEWER.value).user_set.filter(is_active=True, is_staff=True)
    return reviewers.annotate(
        load=Count("aeo_cases", filter=Q(aeo_cases__state__in=[s.value for s in OPEN_STATES]))
    ).order_by("load", "pk").first()


# --- Case work ---------------------------------------------------------------------------------------

MAX_EXTENSION_DAYS = 60


@transaction.atomic
def application_assign(*, actor: User, application: Application, reviewer: User, note: str = "") -> Application:
    application = application_locked(application)
    permissions.require(actor, application, "assign")
    if not permissions.is_reviewer(reviewer):
        raise ActionRefused(_("%(person)s is not an AEO reviewer.") % {"person": reviewer})
    previous = application.assigned_to
    application.assigned_to = reviewer
    application.save(update_fields=["assigned_to"])
    audit_record(actor=actor, action="aeo.assigned", target=application, organisation=application.organisation,
                 data={"from": previous.email if previous else None, "to": reviewer.email, "note": note})
    notify(recipients=[reviewer], kind="aeo.review",
           subject=Text(gettext_noop("%(ref)s is assigned to you"), ref=application.reference), body=note,
           link=case_admin_link(application))
    return application


@transaction.atomic
def decision_deadline_extend(*, actor: User, application: Application, days: int, reason: str) -> Application:
    """Customs extends the decision deadline, by at most 60 days in all, with a recorded reason."""
    application = application_locked(application)
    permissions.require(actor, application, "extend")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension; the applicant will see it.")})
    left = MAX_EXTENSION_DAYS - application.decision_extension_days
    if days < 1 or days > left:
        raise ValidationError({"days": _("Customs may extend by at most %(max)s days in all; %(left)s days are left.")
                               % {"max": MAX_EXTENSION_DAYS, "left": left}})
    old = cast(date, application.decision_due)  # refusal() extends only a case that has a deadline
    application.decision_due = old + timedelta(days=days)
    application.decision_extension_days += days
    application.save(update_fields=["decision_due", "decision_extension_days"])
    audit_record(actor=actor, action="aeo.deadline_extended", target=application,
                 organisation=application.organisation,
                 data={"days": days, "from": old.isoformat(), "to": application.decision_due.isoformat(),
                       "reason": reason})
    notify(recipients=organisation_members(application.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(ref)s: the decision is now due by %(date)s"), ref=application.reference,
                        date=application.decision_due),
           body=reason, link=application.get_absolute_url())
    return application


@transaction.atomic
def site_visit_schedule(*, actor: User, application: Application, scheduled_for: date,
                        location: str) -> SiteVisit:
    from aeo.models import SiteVisit

    application = application_locked(application)
    permissions.require(actor, application, "schedule_visit")
    visit = SiteVisit.objects.create(application=application, scheduled_for=scheduled_for, location=location,
                                     scheduled_by=actor)
    audit_record(actor=actor, action="aeo.site_visit_scheduled", target=application,
                 organisation=application.organisation, data={"date": scheduled_for.isoformat(), "at": location})
    notify(recipients=organisation_members(application.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(ref)s: customs will visit you on %(date)s"), ref=application.reference,
                        date=scheduled_for),
           body=Text(gettext_noop("Customs plans a validation visit at %(place)s."), place=location),
           link=application.get_absolute_url())
    return visit


@transaction.atomic
def site_visit_record(*, actor: User, visit: SiteVisit, result: str, notes: str) -> SiteVisit:
    application = application_locked(visit.application)
    permissions.require(actor, application, "record_visit")
    visit.result, visit.notes, visit.recorded_by, visit.recorded_at = result, notes, actor, timezone.now()
    visit.save(update_fields=["result", "notes", "recorded_by", "recorded_at"])
    audit_record(actor=actor, action="aeo.site_visit_recorded", target=visit.application,
                 organisation=visit.application.organisation, data={"result": result})
    return visit


@transaction.atomic
def finding_record(*, actor: User, application: Application, section: Section, outcome: str,
                   notes: str) -> Finding:
    from aeo.models import Finding

    application = application_locked(application)
    permissions.require(actor, application, "finding")
    finding, _created = Finding.objects.update_or_create(
        application=application, section=section,
        defaults={"outcome": outcome, "notes": notes, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    audit_record(actor=actor, action="aeo.finding_recorded", target=application,
                 organisation=application.organisation, data={"section": section.code, "outcome": outcome})
    return finding


@transaction.atomic
def grant_propose(*, actor: User, application: Application, kind: str, note: str = "") -> Application:
    """Propose to grant, confirming the type; a supervisor other than the proposer approves."""
    application = application_locked(application)
    permissions.require(actor, application, "propose_grant")
    if kind != application.kind and Application.objects.filter(
        organisation=application.organisation, kind=kind
    ).exclude(pk=application.pk).exclude(state__in=[State.GRANTED, State.REJECTED, State.WITHDRAWN]).exists():
        raise ActionRefused(_("The operator has another open application of that type; decide that one first."))
    application_transition(application, Action.PROPOSE_GRANT, actor=actor, note=note, data={"kind": kind})
    application.kind = kind
    application.proposed_by, application.proposed_decision, application.proposal_note = actor, "grant", note
    application.save(update_fields=["state", "kind", "proposed_by", "proposed_decision", "proposal_note"])
    notify(recipients=[u for u in aeo_supervisors() if u != actor], kind="aeo.review",
           subject=Text(gettext_noop("%(ref)s: grant proposed, waiting for your approval"), ref=application.reference),
           body=note, link=case_admin_link(application))
    return application


@transaction.atomic
def hearing_reconsider(*, actor: User, application: Application, note: str) -> Application:
    application = application_locked(application)
    permissions.require(actor, application, "reconsider")
    application_transition(application, Action.RECONSIDER, actor=actor, note=note)
    application.proposed_decision = ""
    application.save(update_fields=["state", "proposed_decision"])
    notify(recipients=organisation_members(application.organisation), kind="aeo.application",
           subject=Text(gettext_noop("%(ref)s: customs reconsiders after your reply"), ref=application.reference),
           body=note, link=application.get_absolute_url())
    return application


@transaction.atomic
def rejection_confirm(*, actor: User, application: Application, note: str) -> Application:
    """After the reply or the end of the 30 days, propose the final rejection for approval."""
    application = application_locked(application)
    permissions.require(actor, application, "confirm_rejection")
    application_transition(application, Action.CONFIRM_REJECTION, actor=actor, note=note)
    application.proposed_by, application.proposed_decision, application.proposal_note = actor, "reject", note
    application.save(update_fields=["state", "proposed_by", "proposed_decision", "proposal_note"])
    notify(recipients=[u for u in aeo_supervisors() if u != actor], kind="aeo.review",
           subject=Text(gettext_noop("%(ref)s: rejection proposed, waiting for your approval"),
                        ref=application.reference),
           body=note, link=case_admin_link(application))
    return application


@transaction.atomic
def decision_approve(*, actor: User, application: Application, note: str = "") -> Application:
    """The second pair of eyes. The row lock makes two supervisors approving at once produce one decision."""
    from aeo.services.authorisations import authorisation_create

    application = application_locked(application)
    permissions.require(actor, application, "approve")
    action = Action.APPROVE_GRANT if application.proposed_decision == "grant" else Action.APPROVE_REJECTION
    application_transition(application, action, actor=actor, note=note)
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decided_at"])
    recipients = organisation_members(application.organisation)
    proposed_by = application.proposed_by
    if application.state == State.GRANTED:
        authorisation = authorisation_create(actor=actor, application=application)
        if application.reassessment_of is not None:
            from aeo.services.authorisations import authorisation_replace

            authorisation_replace(actor=actor, old=application.reassessment_of, new=authorisation)
        notice = decision_notice_issue(
            actor=actor, application=application, kind=DecisionNotice.Kind.GRANT, authorisation=authorisation,
            proposed_by=proposed_by, grounds=_grounds(application.proposal_note, note) or _(
                "The applicant meets the criteria for the %(kind)s authorisation.")
            % {"kind": application.get_kind_display()})
        notify(recipients=recipients, kind="aeo.legal",
               subject=Text(gettext_noop("%(ref)s granted: authorisation %(number)s"), ref=application.reference,
                            number=authorisation.number),
               body=Text(gettext_noop("Customs has granted your %(kind)s authorisation. Your certificate is being "
                                      "prepared. The decision notice is on the application's status page."),
                         kind=choice_label(application, "kind")), link=notice.get_download_url())
    else:
        hearing = application.hearings.first()
        notice = decision_notice_issue(
            actor=actor, application=application, kind=DecisionNotice.Kind.REJECTION, proposed_by=proposed_by,
            grounds=_grounds(hearing.grounds if hearing else "", application.proposal_note, note))
        notify(recipients=recipients, kind="aeo.legal",
               subject=Text(gettext_noop("%(ref)s was rejected"), ref=application.reference),
               body=Text(gettext_noop("%(grounds)s\n\nThe decision notice gives the grounds and says how and by when "
                                      "you may appeal (by %(date)s)."), grounds=notice.grounds, date=notice.appeal_by),
               link=notice.get_download_url())
    return application


def _grounds(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


@transaction.atomic
def decision_send_back(*, actor: User, application: Application, note: str) -> Application:
    application = application_locked(application)
    permissions.require(actor, application, "send_back")
    if not note.strip():
        raise ValidationError({"note": _("Say what the reviewer should look at again.")})
    application_transition(application, Action.SEND_BACK, actor=actor, note=note)
    application.proposed_decision = ""
    application.save(update_fields=["state", "proposed_decision"])
    if application.proposed_by:
        notify(recipients=[application.proposed_by], kind="aeo.review",
               subject=Text(gettext_noop("%(ref)s: your proposal was sent back"), ref=application.reference),
               body=note, link=case_admin_link(application))
    return application
