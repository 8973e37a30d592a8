"""Finding consultations, and their organisation's pages to draft, publish, close and attach documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import permissions, selectors, services
from consultations.forms import (
    AttachmentForm,
    ConsultationForm,
    FilterForm,
)
from consultations.models import Phase, Topic
from consultations.views.common import (
    CONSULTATIONS_PER_PAGE,
    message_errors,
)
from portal.files import private_file_response
from portal.forms import apply_errors
from portal.models import Membership, Organisation
from portal.pagination import EstimatedCountPaginator
from portal.types import AuthenticatedHttpRequest

# --- Finding consultations ------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    visible = selectors.consultations_visible_to(request.user)
    form = FilterForm(
        request.GET or None, topics=Topic.objects.all(),
        organisations=Organisation.objects.filter(pk__in=visible.values("organisation_id")).order_by("name"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.consultation_list(request.user, **{k: v or "" for k, v in filters.items()})
    page = EstimatedCountPaginator(qs, CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consultations/index.html", {
        "form": form, "page": page, "consultations": page.object_list,
        "can_create": bool(permissions.authoring_memberships(request.user)),
        "drafts": list(selectors.drafts_of(request.user).only("pk", "title", "phase")[:10])
        if request.user.is_authenticated else [],
    })


def dashboard_panel(request: AuthenticatedHttpRequest) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {"open": list(selectors.consultations_visible_to(request.user).filter(phase=Phase.OPEN)
                         .select_related("organisation").order_by("closes_at")[:5])}


# --- Consultations: create, edit, publish, close ----------------------------------------------------


def _authoring_membership(request: AuthenticatedHttpRequest) -> Membership:
    allowed = permissions.authoring_memberships(request.user)
    current = request.membership
    match = next((m for m in allowed if current and m.organisation_id == current.organisation_id), None)
    if match is None:
        raise PermissionDenied(_("Consultations are posted by members of a trade association or of customs, on "
                                 "behalf of their organisation. Switch to that organisation first."))
    return match


@login_required
def consultation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = _authoring_membership(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, organisation=membership.organisation,
                                                        **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved. Only %(name)s can see it until you publish it.")
                             % {"name": membership.organisation})
            return redirect(consultation)
    return render(request, "consultations/consultation_form.html", {"form": form, "organisation":
                                                                    membership.organisation})


@login_required
def consultation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    if not permissions.can_edit(request.user, consultation):
        raise PermissionDenied(_("A consultation can be edited only by its organisation, before it opens."))
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            services.consultation_update(actor=request.user, consultation=consultation, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(consultation)
    return render(request, "consultations/consultation_form.html", {"form": form, "consultation": consultation,
                                                                    "organisation": consultation.organisation})


@login_required
@require_POST
def consultation_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    try:
        consultation = services.consultation_publish(actor=request.user, consultation=consultation)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("Published. It is open for comments until %(date)s.") % {
            "date": date_format(timezone.localtime(consultation.closes_at), "DATETIME_FORMAT")}
            if consultation.phase == Phase.OPEN else
            _("Published. It opens for comments on %(date)s.") % {
                "date": date_format(timezone.localtime(consultation.opens_at), "DATETIME_FORMAT")})
    return redirect(consultation)


@login_required
@require_POST
def consultation_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    try:
        services.consultation_close(actor=request.user, consultation=consultation)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("The consultation is closed. Its followers have been told."))
    return redirect(consultation)


@login_required
def attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    if not permissions.can_edit(request.user, consultation):
        raise PermissionDenied(_("Documents can be attached only by the organisation, before it opens."))
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.attachment_add(actor=request.user, consultation=consultation, upload=form.cleaned_data["file"],
                                title=form.cleaned_data["title"])
        messages.success(request, _("The document has been attached."))
        return redirect(consultation)
    return render(request, "consultations/simple_form.html", {
        "form": form, "title": _("Attach a document"), "consultation": consultation,
        "lead": _("Process maps as they are and as they would be help people see what changes."),
        "submit_label": _("Attach the document"),
    })


@login_required
@require_POST
def attachment_remove(request: AuthenticatedHttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    consultation = selectors.get_consultation(request.user, pk)
    attachment = consultation.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": attachment.title})
    return redirect(consultation)


def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    consultation = selectors.get_consultation(request.user, pk)
    attachment = consultation.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return private_file_response(attachment)


def position_paper_download(request: HttpRequest, pk: int, comment_id: int) -> HttpResponseBase:
    consultation = selectors.get_consultation(request.user, pk)
    comment = selectors.get_comment(consultation, comment_id)
    paper = getattr(comment, "position_paper", None)
    if paper is None or not comment.shows_text:
        raise Http404
    return private_file_response(paper)
