"""Who may see or do what in the core. Views call one of these on their first line.

Outside the user's scope an object is a 404, so that its existence is not confirmed; a member
who lacks the role for an action gets a 403 with a message.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from portal.models import Membership, Role
from portal.roles import StaffGroup, has_staff_powers, in_group
from portal.selectors import memberships_of
from portal.types import AnyUser

# The code of a ValidationError a service raises when it refuses because of who the user is, not because of
# what was sent or the state of things: pages show it like any other reason, the API answers 403 with it.
FORBIDDEN = "forbidden"


def memberships(user: AnyUser) -> list[Membership]:
    """The user's memberships with their organisations, read once per user object."""
    if not user.is_authenticated:
        return []
    cached = user.__dict__.get("_memberships")
    if cached is None:
        cached = list(memberships_of(user))
        user.__dict__["_memberships"] = cached
    return cached


def role_in(user: AnyUser, organisation_id: int) -> str | None:
    """The user's role in that organisation, or None."""
    return next((m.role for m in memberships(user) if m.organisation_id == organisation_id), None)


def get_membership(user: AnyUser, organisation_id: int) -> Membership:
    """The user's membership in that organisation, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("organisation"), user=user, organisation_id=organisation_id
    )


def get_admin_membership(user: AnyUser, organisation_id: int) -> Membership:
    """As get_membership, and the user must be an admin of the organisation (else 403)."""
    membership = get_membership(user, organisation_id)
    if membership.role != Role.ADMIN:
        raise PermissionDenied(_("Only the organisation's administrators can do this."))
    return membership


def can_manage_members(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.ADMIN


def may_grant_roles(user: AnyUser) -> bool:
    """Staff roles are given and taken by programme administrators (see portal.services.staff)."""
    return has_staff_powers(user) and (user.is_superuser or in_group(user, StaffGroup.PROGRAMME_ADMINISTRATOR))


def require_recent_sign_in(request: HttpRequest) -> None:
    """For sensitive staff actions (roles, decisions, outcomes, exports): the session's last sign-in or
    confirmation must be at most STAFF_REAUTHENTICATION_SECONDS old. Otherwise allauth asks the officer to
    confirm who they are, then carries on with the request (a form posted meanwhile is kept)."""
    from allauth.account.authentication import get_authentication_records
    from allauth.core.exceptions import ReauthenticationRequired

    if not has_staff_powers(request.user):
        return
    last = max((record.get("at", 0) for record in get_authentication_records(request, request.user)), default=0)
    if time.time() - last > settings.STAFF_REAUTHENTICATION_SECONDS:
        raise ReauthenticationRequired()
