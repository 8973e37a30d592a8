"""Changes to people's accounts that staff make in the back office: roles, access and names, each audited.

Only programme administrators (and superusers) grant or remove staff roles, and never their own: a role
is a power over traders' cases, so it takes a second person to give it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User
from portal.permissions import may_grant_roles
from portal.roles import forget_staff_groups
from portal.services.audit import audit_record


@transaction.atomic
def user_update_by_staff(*, actor: User, user: User, full_name: str, is_active: bool, is_staff: bool,
                         groups: Iterable[Group]) -> User:
    """Save what the back office may change about a person, with an audit event for each kind of change."""
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {g.name for g in groups}
    current = set(user.groups.values_list("name", flat=True))
    roles_change = wanted != current or is_staff != user.is_staff
    if roles_change:
        if not may_grant_roles(actor):
            raise PermissionDenied(_("Only a programme administrator can grant or remove staff roles."))
        if actor.pk == user.pk:
            raise PermissionDenied(_("Nobody grants or removes their own roles: ask another programme "
                                     "administrator."))
    if full_name != user.full_name:
        audit_record(actor=actor, action="user.updated", target=user, data={"fields": ["full_name"]})
        user.full_name = full_name
    if is_active != user.is_active:
        audit_record(actor=actor, action="user.reactivated" if is_active else "user.deactivated", target=user,
                     from_state="active" if user.is_active else "inactive",
                     to_state="active" if is_active else "inactive")
        user.is_active = is_active
    if is_staff != user.is_staff:
        audit_record(actor=actor, action="staff.access_granted" if is_staff else "staff.access_removed",
                     target=user, data={"by": actor.email})
        user.is_staff = is_staff
    user.save(update_fields=["full_name", "is_active", "is_staff"])
    for name in sorted(wanted - current):
        audit_record(actor=actor, action="staff.role_granted", target=user, data={"role": name, "by": actor.email})
    for name in sorted(current - wanted):
        audit_record(actor=actor, action="staff.role_removed", target=user, data={"role": name, "by": actor.email})
    if wanted != current:
        user.groups.set(Group.objects.filter(name__in=wanted))
    forget_staff_groups(user)
    return user
