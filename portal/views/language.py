"""The language switcher: a form on every page that works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from portal.services.accounts import user_language_set


@require_http_methods(["GET", "POST"])
def choose_language(request: HttpRequest) -> HttpResponse:
    """Set the language and go back to the page the form was on.

    Visitors send the form by GET, so the public pages that carry it stay cacheable (no CSRF cookie), and only
    a cookie changes. Signed-in people send it by POST, with its CSRF token: their choice is also kept on their
    profile, for every device and for their e-mails.
    """
    data = request.POST if request.method == "POST" else request.GET
    language, back = data.get("language", ""), data.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    response = redirect(back)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.method == "POST" and request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax", secure=request.is_secure(), httponly=True,
    )
    return response
