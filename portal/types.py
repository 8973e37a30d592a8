"""Types the apps share in their annotations: who is asking, and the requests the portal's middleware extends."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from rest_framework.request import Request

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


def signed_in_user(request: Request | HttpRequest) -> User:
    """The user of a request the view lets in only when signed in, where the request's type cannot say so:
    API methods (they override DRF's, whose signatures take any Request, behind `IsAuthenticated`) and pages
    that turn visitors away themselves before they act."""
    return cast(User, request.user)
