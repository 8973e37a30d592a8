"""What the AEO service modules share: locking a case, moving it along the table, whom to tell."""

from __future__ import annotations

from typing import Any

from aeo import permissions
from aeo.models import Application
from aeo.permissions import ActionRefused
from aeo.workflow import Action, State, transition_for
from portal.models import Membership, Organisation, User
from portal.roles import StaffGroup
from portal.services.audit import audit_record

__all__ = ["ActionRefused", "aeo_staff", "aeo_supervisors", "application_locked", "application_transition",
           "case_admin_link", "organisation_members"]


def application_locked(application: Application) -> Application:
    """The application again, locked until the transaction ends: two officers cannot both act on it."""
    return Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)


def application_transition(application: Application, action: Action, *, actor: User, note: str = "",
                           data: dict[str, Any] | None = None) -> State:
    """Move the (locked) application along the table, with its audit event, if the rule book lets the
    actor take that step now; refuse with the reason otherwise."""
    permissions.require(actor, application, action)
    transition = transition_for(application.state, action)
    assert transition is not None  # require() refused a step the table does not have
    old = application.state
    application.state = transition.target
    audit_record(actor=actor, action=f"aeo.{action}", target=application, organisation=application.organisation,
                 from_state=old, to_state=transition.target, data={"note": note, **(data or {})})
    return transition.target


def organisation_members(organisation: Organisation) -> list[User]:
    return [m.user for m in Membership.objects.filter(organisation=organisation).select_related("user")]


def aeo_staff() -> list[User]:
    """Reviewers and supervisors: who hears of a new application."""
    return list(User.objects.filter(
        is_active=True, is_staff=True,
        groups__name__in=[StaffGroup.AEO_REVIEWER.value, StaffGroup.AEO_SUPERVISOR.value],
    ).distinct())


def aeo_supervisors() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True, groups__name=StaffGroup.AEO_SUPERVISOR.value))


def case_admin_link(application: Application) -> str:
    return f"/admin/aeo/application/{application.pk}/change/"
