"""Who sees the staff view of the performance figures.

Programme administrators and AEO supervisors, with a second factor set up (as the back office asks).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

from portal.roles import StaffGroup, in_group
from portal.types import AnyUser

STAFF_VIEW_GROUPS = (StaffGroup.PROGRAMME_ADMINISTRATOR, StaffGroup.AEO_SUPERVISOR)


def can_see_staff_figures(user: AnyUser) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return (user.is_authenticated and any(in_group(user, group) for group in STAFF_VIEW_GROUPS)
            and is_mfa_enabled(user))


def require_staff_figures(request: HttpRequest) -> HttpResponseRedirect | None:
    """None when the user may see the staff view; a sign-in redirect for visitors; 403 for everyone else."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_see_staff_figures(request.user):
        raise PermissionDenied(_("The staff view of the performance figures is for programme administrators "
                                 "and AEO supervisors. The public figures are on the performance page."))
    return None
