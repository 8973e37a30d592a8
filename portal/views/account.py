from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.forms import ApiTokenForm, NotificationPreferencesForm
from portal.models import NotificationPreference
from portal.notification_kinds import KINDS
from portal.selectors import notifications_for
from portal.services.notifications import notification_preferences_set, notifications_mark_read
from portal.services.tokens import api_token_create, api_token_revoke
from portal.types import AuthenticatedHttpRequest


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/account.html")


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "portal/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = request.POST.getlist("notification")
    notifications_mark_read(user=request.user,
                            notification_ids=[int(i) for i in ids if i.isascii() and i.isdecimal()] if ids else None)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "notification_list"
    return redirect(next_url)


@login_required
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "email"))
    form = NotificationPreferencesForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=request.user, email_kinds=form.cleaned_data)
        messages.success(request, _("Your e-mail preferences have been saved."))
        return redirect("notification_preferences")
    always = [kind for _code, kind in sorted(KINDS.items()) if not kind.optional_email]
    return render(request, "portal/notification_preferences.html", {"form": form, "always": always})


@login_required
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _token, key = api_token_create(actor=request.user, name=form.cleaned_data["name"])
        # Shown once, on the page the redirect leads to; never stored.
        request.session["new_api_key"] = key
        return redirect("api_tokens")
    new_key = request.session.pop("new_api_key", None)
    return render(request, "portal/api_tokens.html",
                  {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key})


@login_required
@require_POST
def api_token_delete(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_tokens")
