"""The outcome: publishing it, the report with its statistics, and the exports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from consultations import permissions, selectors, services
from consultations.forms import (
    OutcomeForm,
)
from consultations.models import Comment, Consultation, Phase
from portal.csv_export import csv_response
from portal.forms import apply_errors
from portal.permissions import require_recent_sign_in
from portal.types import AuthenticatedHttpRequest

# --- Outcome --------------------------------------------------------------------------------------


@login_required
def outcome_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    if not permissions.can_manage_outcome(request.user, consultation):
        raise PermissionDenied(_("Only the organisation that ran the consultation, or customs, can publish its "
                                 "outcome."))
    if request.method == "POST":
        require_recent_sign_in(request)
    form = OutcomeForm(request.POST or None)
    waiting = consultation.comments.filter(official_response__isnull=True, deleted_at__isnull=True,
                                           hidden_at__isnull=True).count()
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_publish(actor=request.user, consultation=consultation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The outcome is published; everyone who took part has been told."))
            return redirect("consultations:report", pk=consultation.pk)
    return render(request, "consultations/simple_form.html", {
        "form": form, "consultation": consultation, "title": _("Publish the outcome"),
        "lead": _("%(n)s comments have no official response yet; they appear in the report as “no response”.")
        % {"n": waiting} if waiting else _("Every comment has an official response."),
        "submit_label": _("Publish the outcome"),
    })


def _report_rows(consultation: Consultation) -> list[Comment]:
    return list(selectors.comments_for_report(consultation))


def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome report: public once published; the owner and customs can preview it after closing."""
    consultation = selectors.get_consultation(request.user, pk)
    manager = permissions.can_manage_outcome(request.user, consultation)
    if consultation.phase != Phase.OUTCOME_PUBLISHED and not (manager and consultation.phase == Phase.CLOSED):
        raise Http404
    return render(request, "consultations/report.html", {
        "consultation": consultation, "comments": _report_rows(consultation),
        "stats": selectors.participation_statistics(consultation), "can_export": manager,
        "consultation_responses": list(consultation.official_responses.filter(comment__isnull=True)
                                       .select_related("organisation")),
    })


EXPORT_FIELDS = ["id", "parent_id", "depth", "posted_at", "author", "organisation", "on_behalf",
                 "organisation_kind", "country", "sector", "status", "comment", "supports", "cosigned_by",
                 "disposition", "reasoning"]


def _export_rows(consultation: Consultation) -> list[dict]:
    rows = []
    for c in _report_rows(consultation):
        response = getattr(c, "official_response", None) if permissions.has_official_response(c) else None
        rows.append({
            "id": c.pk, "parent_id": c.parent_id, "depth": c.depth, "posted_at": c.created_at,
            "author": str(c.author), "organisation": c.organisation.name if c.organisation else "",
            "on_behalf": c.on_behalf, "organisation_kind": c.organisation.kind if c.organisation else "",
            "country": str(c.organisation.country) if c.organisation else "",
            "sector": c.organisation.sector if c.organisation else "",
            "status": "removed" if c.is_removed else "hidden" if c.is_hidden else "published",
            "comment": c.body if c.shows_text else "", "supports": c.support_count,
            "cosigned_by": "; ".join(s.organisation.name for s in c.cosignatures.all()),
            "disposition": response.disposition if response else "",
            "reasoning": response.reasoning if response else "",
        })
    return rows


@login_required
def export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    if not permissions.can_export(request.user, consultation):
        raise PermissionDenied(_("Only the organisation that ran the consultation, and customs, can export its "
                                 "comments, once it has opened."))
    require_recent_sign_in(request)
    rows = _export_rows(consultation)
    filename = f"consultation-{consultation.pk}-comments.{fmt}"
    if fmt == "csv":
        return csv_response(filename, EXPORT_FIELDS, ([row[name] for name in EXPORT_FIELDS] for row in rows))
    response = HttpResponse(json.dumps({"consultation": {"id": consultation.pk, "title": consultation.title,
                                                         "phase": consultation.phase},
                                        "comments": rows}, cls=DjangoJSONEncoder, indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
