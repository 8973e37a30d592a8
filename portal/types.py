"""Types the apps share in their annotations: who is asking, and the requests the portal's middleware extends."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from portal.models import Membership, User

# The user of a request: signed in or not. Permissions and selectors take either.
AnyUser = User | AnonymousUser


class PortalHttpRequest(HttpRequest):
    """Every request, as `portal.middleware.CurrentOrganisationMiddleware` leaves it."""

    memberships: list[Membership]  # the user's memberships, for the organisation switcher
    membership: Membership | None  # the one the user acts for now


class AuthenticatedHttpRequest(PortalHttpRequest):
    """A request to a view that requires sign-in (`login_required`, `LoginRequiredMixin`): its user is a User."""

    user: User
