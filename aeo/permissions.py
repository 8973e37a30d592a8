"""Who may do what with AEO applications and authorisations: the one place that decides.

Trader side: any member of the applicant (admin, member, consultant) sees and prepares its
applications; only its administrators sign, submit, withdraw and reply to the grounds of an intended
rejection. Everyone else gets a 404.

Customs side: AEO reviewers (and supervisors) examine cases; a supervisor other than the proposer
approves or sends back a proposal (four eyes); supervisors assign cases. Staff powers need a session
that passed a second factor (`portal.roles`).

`refusal(user, application, action)` says why an action is not open to the user now, or None; the
services call `require` with it before they act, and the admin, the pages and the API offer exactly
`available_actions`, so nothing is offered that would then be refused. The transition table
(`aeo.workflow`) names who takes each transition; `ACTORS` says what that means.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aeo.models import Application, Authorisation, Hearing, InformationRequest
from aeo.selectors import get_application
from aeo.workflow import Action, Actor, State, transition_for
from portal.models import Role
from portal.permissions import FORBIDDEN, role_in
from portal.roles import StaffGroup, in_group
from portal.types import AnyUser


class ActionRefused(ValidationError):
    """The action is not open to this user on this object now; the message says why. A ValidationError,
    so that pages and the API show it like any other reason an action could not be taken."""


# --- Who the user is, for a case --------------------------------------------------------------------

def is_member(user: AnyUser, application: Application) -> bool:
    return role_in(user, application.organisation_id) is not None


def is_signatory(user: AnyUser, application: Application) -> bool:
    return role_in(user, application.organisation_id) == Role.ADMIN


def is_reviewer(user: AnyUser) -> bool:
    return in_group(user, StaffGroup.AEO_REVIEWER) or in_group(user, StaffGroup.AEO_SUPERVISOR)


def is_supervisor(user: AnyUser) -> bool:
    return in_group(user, StaffGroup.AEO_SUPERVISOR)


def is_second_supervisor(user: AnyUser, application: Application) -> bool:
    """A supervisor who did not propose the decision: the second pair of eyes."""
    return is_supervisor(user) and application.proposed_by_id != user.pk


ACTORS: dict[Actor, Callable[..., bool]] = {
    Actor.APPLICANT: is_member,
    Actor.SIGNATORY: is_signatory,
    Actor.REVIEWER: lambda user, application: is_reviewer(user),
    Actor.SUPERVISOR: is_second_supervisor,
}
ACTOR_REFUSALS = {
    Actor.APPLICANT: _("Only the applicant's members can do this."),
    Actor.SIGNATORY: _("Only an administrator of the applicant can do this. Consultants and members prepare "
                       "the application; an administrator signs."),
    Actor.REVIEWER: _("Only an AEO reviewer or supervisor can do this."),
    Actor.SUPERVISOR: _("Only an AEO supervisor can do this."),
}


# --- The rules ----------------------------------------------------------------------------------------

EXAMINED = (State.UNDER_REVIEW, State.INFORMATION_REQUESTED, State.RIGHT_TO_BE_HEARD)
# Actions on a case that are not transitions of the table: who may take them, and in which states.
CASE_WORK: dict[str, tuple[Actor | StaffGroup, tuple[State, ...]]] = {
    "assign": (StaffGroup.AEO_SUPERVISOR, (State.SUBMITTED, *EXAMINED, State.DECISION_PROPOSED)),
    "extend": (Actor.REVIEWER, (*EXAMINED, State.DECISION_PROPOSED)),
    "schedule_visit": (Actor.REVIEWER, (State.UNDER_REVIEW, State.INFORMATION_REQUESTED)),
    "record_visit": (Actor.REVIEWER, EXAMINED),
    "finding": (Actor.REVIEWER, EXAMINED),
}
# The admin's and the pages' names for the actions, in the order they are offered.
CUSTOMS_ACTIONS = ("accept", "return", "assign", "request_information", "extend", "schedule_visit", "record_visit",
                   "finding", "propose_grant", "propose_rejection", "reconsider", "confirm_rejection", "approve",
                   "send_back")
APPLICANT_ACTIONS = ("submit", "respond", "hearing_reply", "withdraw")


# Customs grants the status only to a business it has verified is who it says it is: the applicant cannot
# submit before, and customs cannot accept or grant while the organisation is unverified (a change of name,
# identifier or country sends it back to verification). Rejection, return and withdrawal stay open.
VERIFIED_ONLY = {
    Action.SUBMIT: gettext_lazy(
        "Customs has not verified your organisation yet. Customs checks who a business is before it can apply: "
        "make sure your organisation's details and documents are complete, and wait for the verification."),
    Action.ACCEPT: gettext_lazy(
        "The organisation has not been verified yet. Verify it first (its page under Organisations), then accept "
        "the application."),
    Action.PROPOSE_GRANT: gettext_lazy(
        "The organisation is not verified (its identity changed since it was). Verify it again before proposing "
        "a grant."),
    Action.APPROVE_GRANT: gettext_lazy(
        "The organisation is not verified (its identity changed since it was). Verify it again before approving "
        "the grant."),
}


def _transition_action(application: Application, action: str) -> Action | None:
    if action == "approve":
        return Action.APPROVE_GRANT if application.proposed_decision == "grant" else Action.APPROVE_REJECTION
    return Action(action) if action in Action.values else None


def refusal(user: AnyUser, application: Application, action: str, *, today: date | None = None) -> str | None:
    """Why `user` may not take `action` on the application now, in words for them; None if they may."""
    today = today or timezone.localdate()
    if action in CASE_WORK:
        actor, states = CASE_WORK[action]
        if actor == StaffGroup.AEO_SUPERVISOR and not is_supervisor(user):
            return _("Only an AEO supervisor can assign cases.")
        if actor == Actor.REVIEWER and not is_reviewer(user):
            return ACTOR_REFUSALS[Actor.REVIEWER]
        if application.state not in states:
            return _("This is not possible while the application is %(state)s.") % {
                "state": application.get_state_display().lower()}
        if action == "extend" and application.decision_due is None:
            return _("Only a case under examination has a decision deadline to extend.")
        if action == "record_visit" and not _has_site_visits(application):
            return _("Schedule a site validation before recording one.")
        return None
    step = _transition_action(application, action)
    transition = transition_for(application.state, step) if step else None
    if transition is None:
        return _("“%(action)s” is not possible while the application is %(state)s.") % {
            "action": Action(step).label if step else action, "state": application.get_state_display().lower()}
    if not ACTORS[transition.actor](user, application):
        if transition.actor == Actor.SUPERVISOR and is_supervisor(user):
            return _("You proposed this decision; another supervisor must approve it or send it back.")
        return ACTOR_REFUSALS[transition.actor]
    if step in VERIFIED_ONLY and not application.organisation.is_verified:
        return str(VERIFIED_ONLY[step])
    if step == Action.CONFIRM_REJECTION:
        hearing = _latest_hearing(application)
        if hearing and hearing.replied_at is None and hearing.due_date >= today:
            return _("The applicant may reply until %(date)s; wait for the reply or the end of the period.") % {
                "date": date_format(hearing.due_date)}
    if step == Action.HEARING_REPLY:
        hearing = _latest_hearing(application)
        if hearing is None or hearing.replied_at is not None:
            return _("You have already replied to these grounds.")
        if hearing.due_date < today:
            return _("The period to reply ended on %(date)s.") % {"date": date_format(hearing.due_date)}
    if step == Action.RESPOND and not _open_request(application):
        return _("This request has already been answered.")
    return None


def require(user: AnyUser, application: Application, action: str) -> None:
    """For services, on the locked application: refuse with the reason, or return."""
    reason = refusal(user, application, action)
    if reason is not None:
        raise ActionRefused(reason, code=FORBIDDEN if reason in ACTOR_REFUSALS.values() else None)


def available_actions(user: AnyUser, application: Application, *, side: tuple[str, ...] = CUSTOMS_ACTIONS) -> list[str]:
    """What to offer the user on this case: exactly what the services would let them do."""
    return [action for action in side if refusal(user, application, action) is None]


# The related rows some rules read; the case page prefetches them, so a page asks once.
def _latest_hearing(application: Application) -> Hearing | None:
    return next(iter(application.hearings.all()), None)  # newest first (Meta.ordering)


def _open_request(application: Application) -> InformationRequest | None:
    return next((r for r in application.information_requests.all() if r.responded_at is None), None)


def _has_site_visits(application: Application) -> bool:
    return bool(application.site_visits.all())


# --- Authorisations after the grant -------------------------------------------------------------------

MONITORING_STATES = {
    "suspend": (Authorisation.Status.ACTIVE,),
    "lift": (Authorisation.Status.SUSPENDED,),
    "revoke": (Authorisation.Status.ACTIVE, Authorisation.Status.SUSPENDED),
    "reassess": (Authorisation.Status.ACTIVE, Authorisation.Status.SUSPENDED),
    "plan_visit": (Authorisation.Status.ACTIVE, Authorisation.Status.SUSPENDED),
    "review": (Authorisation.Status.ACTIVE, Authorisation.Status.SUSPENDED),
}


def monitoring_refusal(user: AnyUser, authorisation: Authorisation, action: str) -> str | None:
    if not is_reviewer(user):
        return ACTOR_REFUSALS[Actor.REVIEWER]
    if authorisation.status not in MONITORING_STATES[action]:
        return _("This is not possible while the authorisation is %(status)s.") % {
            "status": authorisation.get_status_display().lower()}
    return None


def require_monitoring(user: AnyUser, authorisation: Authorisation, action: str) -> None:
    reason = monitoring_refusal(user, authorisation, action)
    if reason is not None:
        raise ActionRefused(reason, code=FORBIDDEN if reason in ACTOR_REFUSALS.values() else None)


def available_monitoring(user: AnyUser, authorisation: Authorisation) -> list[str]:
    return [action for action in MONITORING_STATES if monitoring_refusal(user, authorisation, action) is None]


# --- Pages ----------------------------------------------------------------------------------------------

def get_application_for_member(user: AnyUser, pk: int) -> Application:
    return get_application(user, pk)


def get_application_for_signatory(user: AnyUser, pk: int) -> Application:
    application = get_application(user, pk)
    if not is_signatory(user, application):
        raise PermissionDenied(ACTOR_REFUSALS[Actor.SIGNATORY])
    return application
