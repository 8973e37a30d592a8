"""The pages a public service must have: about, privacy, cookies, accessibility, terms of use, contact."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _page(template: str):
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, f"portal/legal/{template}.html", {
            "contact_email": settings.CONTACT_EMAIL,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        })
    view.__name__ = template
    return view


about = _page("about")
privacy = _page("privacy")
cookies = _page("cookies")
accessibility = _page("accessibility")
terms = _page("terms")
contact = _page("contact")
