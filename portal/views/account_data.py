"""A person's own data: download it all as JSON, or close the account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.forms import AccountCloseForm
from portal.personal_data import personal_data
from portal.services.accounts import account_close, account_close_refusal
from portal.types import AuthenticatedHttpRequest


@require_GET
@never_cache
@login_required
def personal_data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    body = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"portal-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def account_close_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    refusal = account_close_refusal(user=request.user)
    form = AccountCloseForm(request.POST or None, user=request.user)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            account_close(user=request.user)
        except ValidationError as exc:
            refusal = exc.messages[0]
        else:
            logout(request)
            messages.success(request, _("Your account is closed. We kept only the records described on this page."))
            return redirect("privacy")
    return render(request, "portal/account_close.html", {"form": form, "refusal": refusal})
