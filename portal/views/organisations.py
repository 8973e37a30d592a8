from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.dashboard import organisation_panels_for
from portal.files import private_file_response
from portal.forms import DocumentForm, InvitationForm, OrganisationForm, RoleForm, apply_errors, submitted_data
from portal.middleware import SESSION_KEY
from portal.models import Membership
from portal.permissions import can_manage_members, get_admin_membership, get_membership
from portal.selectors import memberships_of, organisation_page
from portal.services import organisations as services
from portal.types import AuthenticatedHttpRequest


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/organisation_list.html", {"memberships": memberships_of(request.user)})


@login_required
def organisation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[SESSION_KEY] = organisation.pk
            messages.success(request, _("%(name)s has been created. You are its administrator.")
                             % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "portal/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    membership = get_membership(request.user, organisation_id)
    organisation = membership.organisation
    return render(request, "portal/organisation_detail.html", {
        "organisation": organisation, "my_membership": membership,
        "can_manage": can_manage_members(membership), "missing": organisation.missing_profile_fields(),
        "pillar_panels": organisation_panels_for(request, membership),
        **organisation_page(organisation),
    })


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organisation)
    return render(request, "portal/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def invitation_create(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(actor=request.user, organisation=organisation,
                                                           **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return redirect(organisation)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Invite a colleague to %(name)s") % {"name": organisation.name},
        "lead": _("They get an e-mail with a link that works once, for %(days)s days.")
        % {"days": settings.INVITATION_VALID_DAYS},
        "submit_label": _("Send the invitation"), "back_url": organisation.get_absolute_url(),
    })


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, organisation_id: int, invitation_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    invitation = get_object_or_404(organisation.invitations, pk=invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect(organisation)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in, or create an account with %(email)s, to accept the invitation.")
                      % {"email": invitation.email})
        return redirect_to_login(request.get_full_path())
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(actor=request.user, token=token)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
            return redirect(membership.organisation)
    return render(request, "portal/invitation_accept.html", {"invitation": invitation, "error": error})


@login_required
def membership_edit(request: AuthenticatedHttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"),
                                   organisation=organisation, pk=membership_id)
    form = RoleForm(request.POST if request.method == "POST" else None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(actor=request.user, membership=membership,
                                            role=form.cleaned_data["role"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(person)s is now %(role)s.")
                             % {"person": membership.user, "role": membership.get_role_display()})
            return redirect(organisation)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Change the role of %(person)s") % {"person": membership.user},
        "submit_label": _("Save the role"), "back_url": organisation.get_absolute_url(),
    })


@login_required
@require_POST
def membership_remove(request: AuthenticatedHttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    own = get_membership(request.user, organisation_id)
    organisation = own.organisation
    if own.pk != membership_id:
        get_admin_membership(request.user, organisation_id)
    membership = get_object_or_404(Membership.objects.select_related("user"), organisation=organisation,
                                   pk=membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(organisation)
    if membership.user == request.user:
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("dashboard")
    messages.success(request, _("%(person)s has been removed.") % {"person": membership.user})
    return redirect(organisation)


@login_required
@require_POST
def organisation_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        membership = get_membership(request.user, int(request.POST.get("organisation", "")))
    except ValueError:
        raise Http404 from None
    request.session[SESSION_KEY] = membership.organisation_id
    messages.info(request, _("You are now acting for %(name)s.") % {"name": membership.organisation.name})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "dashboard"
    return redirect(next_url)


@login_required
def document_upload(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    form = DocumentForm(*submitted_data(request))
    if request.method == "POST" and form.is_valid():
        services.organisation_document_add(actor=request.user, organisation=organisation,
                                           upload=form.cleaned_data["file"],
                                           description=form.cleaned_data["description"])
        messages.success(request, _("The document has been uploaded."))
        return redirect(organisation)
    return render(request, "portal/simple_form.html", {
        "form": form, "title": _("Upload a document for customs"),
        "lead": _("Customs looks at these documents when it verifies %(name)s.") % {"name": organisation.name},
        "submit_label": _("Upload"), "back_url": organisation.get_absolute_url(),
    })


@login_required
def document_download(request: AuthenticatedHttpRequest, organisation_id: int, document_id: int) -> HttpResponseBase:
    organisation = get_membership(request.user, organisation_id).organisation
    document = get_object_or_404(organisation.documents, pk=document_id)
    return private_file_response(document)


@login_required
@require_POST
def document_remove(request: AuthenticatedHttpRequest, organisation_id: int, document_id: int) -> HttpResponse:
    organisation = get_admin_membership(request.user, organisation_id).organisation
    document = get_object_or_404(organisation.documents, pk=document_id)
    services.organisation_document_remove(actor=request.user, document=document)
    messages.success(request, _("“%(name)s” has been removed.") % {"name": document.original_name})
    return redirect(organisation)
