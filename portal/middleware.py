from __future__ import annotations

from contextvars import ContextVar

from django.contrib import messages
from django.shortcuts import redirect
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


def _memberships(request) -> list:
    from portal.selectors import memberships_of

    return list(memberships_of(request.user)) if request.user.is_authenticated else []


def _current_membership(request):
    chosen = request.session.get(SESSION_KEY)
    memberships = request.memberships
    membership = next((m for m in memberships if m.organisation_id == chosen), None) or next(iter(memberships), None)
    if membership and membership.organisation_id != chosen:
        request.session[SESSION_KEY] = membership.organisation_id
    return membership


class CurrentOrganisationMiddleware:
    """`request.memberships`: the signed-in user's memberships (for the switcher), in one query;
    `request.membership`: the one in the organisation they act for now, or None.

    Not lazy: a lazy object wrapping None would not compare equal to None.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = _memberships(request)
        request.membership = _current_membership(request)
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
