from __future__ import annotations

import ipaddress
import json
import re
import time
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

_ip: ContextVar[str | None] = ContextVar("portal_request_ip", default=None)


def current_ip() -> str | None:
    """The IP address of the request being served, for the audit trail (None in jobs)."""
    return _ip.get()


def client_ip(request) -> str | None:
    """The client's address: the one rule for rate limits, API throttles, sessions and the audit trail.

    Each of the TRUSTED_PROXY_COUNT proxies in front of us appends the address it saw to
    X-Forwarded-For, so the client's is that many entries from the right; whatever lies further left
    was written by the client and is ignored. With no trusted proxy the header is ignored entirely.
    """
    address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        address = entries[-min(count, len(entries))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)


SESSION_KEY = "organisation_id"


def _memberships(request) -> list:
    from portal.permissions import memberships

    return memberships(request.user)  # kept on the user: the permission helpers reuse it


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


def passed_second_factor(request) -> bool:
    """Whether this session's sign-in (or a later re-authentication) used a second factor."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffMFAMiddleware:
    """Staff powers need a session that passed a second factor, on every path.

    Each staff request's user is marked with `second_factor_passed`, which `portal.roles` reads for
    every staff check (pages, admin, API alike). The back office itself sends staff without a second
    factor to set one up, and a session that has not used it to confirm it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from allauth.mfa.utils import is_mfa_enabled

        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return self.get_response(request)
        user.second_factor_passed = passed_second_factor(request)
        if request.path.startswith("/admin/") and not user.second_factor_passed:
            if not is_mfa_enabled(user):
                messages.warning(request, _("Customs staff must set up two-factor authentication before "
                                            "using the back office."))
                return redirect("mfa_activate_totp")
            return redirect_to_login(request.get_full_path(), reverse("mfa_reauthenticate"))
        return self.get_response(request)


class SessionActivityMiddleware:
    """allauth's session list, kept up to date without a write on every page.

    allauth's own middleware updates the user's session row (five queries, an UPDATE among them) on every
    request. Here it runs on a session's first request, when the address or browser changed, and at
    most every ACTIVITY_INTERVAL otherwise: "last seen" on the account page is then that fresh.
    """

    ACTIVITY_INTERVAL = 300  # seconds
    SESSION_KEY = "portal_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user, session = getattr(request, "user", None), getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None and session.session_key:
            self._track(request, session)
        return self.get_response(request)

    def _track(self, request, session) -> None:
        from allauth.account.adapter import get_adapter
        from allauth.usersessions.internal.usersessionkit import track_activity

        client = [get_adapter().get_client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:200]]
        seen_at, seen_client = (session.get(self.SESSION_KEY) or [0, None])[:2]
        now = time.time()
        if seen_client == client and now - seen_at < self.ACTIVITY_INTERVAL:
            return
        track_activity(request, user=request.user, session=session)
        session[self.SESSION_KEY] = [now, client]


# NUL cannot be stored by PostgreSQL (psycopg refuses it), and lone surrogates cannot be encoded as
# UTF-8: either would end as a server error deep in a query. Paths and query strings have no use for
# any control character at all. Form fields keep tabs, line breaks and the rest of what people paste.
_NOT_IN_URLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NOT_IN_TEXT = re.compile(r"[\x00\ud800-\udfff]")
_JSON_TYPES = re.compile(r"^application/([\w.+-]+\+)?json\b", re.IGNORECASE)


def _json_strings(value, depth: int = 0):
    if depth > 100:  # deeper than any real document; the parser has its own limit too
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, depth + 1)


def _invalid_part(request) -> str | None:
    """Where the request carries a character we refuse, in words for the message; None if nowhere."""
    if _NOT_IN_URLS.search(request.path_info):
        return _("the address (path)")
    for name, values in request.GET.lists():
        if _NOT_IN_URLS.search(name) or any(_NOT_IN_URLS.search(v) for v in values):
            return _("the query parameter “%(name)s”") % {"name": _NOT_IN_URLS.sub("", name)[:50]}
    for header, value in request.META.items():
        if header.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            return _("the header %(name)s") % {"name": header[5:].replace("_", "-").title()}
    for name, value in request.COOKIES.items():  # quoted cookies may carry octal escapes such as \000
        if _NOT_IN_URLS.search(name) or _NOT_IN_URLS.search(value):
            return _("the cookie “%(name)s”") % {"name": _NOT_IN_URLS.sub("", name)[:50]}
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, values in request.POST.lists():
            if _NOT_IN_TEXT.search(name) or any(_NOT_IN_TEXT.search(v) for v in values):
                return _("the form field “%(name)s”") % {"name": _NOT_IN_TEXT.sub("", name)[:50]}
    elif _JSON_TYPES.match(content_type) and request.body:
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return None  # not JSON at all: the API's parser answers that with its own 400
        if any(_NOT_IN_TEXT.search(text) for text in _json_strings(document)):
            return _("the JSON body")
    return None


class InvalidCharactersMiddleware:
    """Answer 400, saying where, when a request carries NUL or another character we never accept.

    It runs before anything reads the session or the database, so no such byte reaches a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Too much data or a broken multipart body raise here, and Django answers them with 400.
        where = _invalid_part(request)
        if where is None:
            return self.get_response(request)
        message = _("The request contains a character that is not allowed (a NUL byte or another control "
                    "character) in %(where)s. Remove it and try again.") % {"where": where}
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(render_to_string("errors/invalid_characters.html", {"message": message}))


class PermissionsPolicyMiddleware:
    """Send PERMISSIONS_POLICY (settings) on every response: Django has no setting of its own for it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in
                               settings.PERMISSIONS_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


class UserLanguageMiddleware:
    """A signed-in person's pages are in the language on their profile, whatever the browser or cookie says;
    visitors get LocaleMiddleware's choice (the switcher's cookie, then Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
