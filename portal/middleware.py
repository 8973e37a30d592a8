from __future__ import annotations

from contextvars import ContextVar

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

_ip: ContextVar[str | None] = ContextVar("portal_request_ip", default=None)


def current_ip() -> str | None:
    """The IP address of the request being served, for the audit trail (None in jobs)."""
    return _ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR is the proxy's address behind a load balancer; it sets the real one there.
        token = _ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)


SESSION_KEY = "organisation_id"


def _current_membership(request):
    from portal.models import Membership

    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    chosen = request.session.get(SESSION_KEY)
    membership = (memberships.filter(organisation_id=chosen).first() if chosen else None) or memberships.first()
    if membership and membership.organisation_id != chosen:
        request.session[SESSION_KEY] = membership.organisation_id
    return membership


class CurrentOrganisationMiddleware:
    """`request.membership`: the user's membership in the organisation they act for now (or None)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _current_membership(request))
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff reach the back office only once they have a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from allauth.mfa.utils import is_mfa_enabled

        user = request.user
        if (
            request.path.startswith("/admin/")
            and user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, _("Customs staff must set up two-factor authentication before "
                                        "using the back office."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
