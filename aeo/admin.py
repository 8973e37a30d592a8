"""The customs back office for AEO: the review queue, the case page with its actions, authorisations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, DateField, F, Prefetch, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise, WithAnnotations

from aeo import admin_forms, permissions, risk, services
from aeo.models import (
    Application,
    Authorisation,
    ChangeNotice,
    ChangeNoticeFile,
    DialogueFile,
    Finding,
    Hearing,
    InformationRequest,
    Questionnaire,
    RiskModel,
)
from aeo.questionnaire import QuestionnaireError, load_questionnaire_data, questionnaire_read
from aeo.selectors import case_sheet, history, risk_calibration
from aeo.services.monitoring import monitoring_review_record, monitoring_visit_plan
from aeo.services.risk_models import risk_model_publish
from aeo.workflow import State
from portal.files import file_download_response, private_file_response
from portal.forms import apply_errors
from portal.pagination import EstimatedCountPaginator
from portal.performance.charts import Chart
from portal.performance.charts import render as render_chart
from portal.permissions import require_recent_sign_in
from portal.types import AuthenticatedHttpRequest


class _NextDue(TypedDict):  # annotated by ApplicationAdmin.get_queryset
    next_due: date | None


class _SectionTotal(TypedDict):  # annotated by QuestionnaireAdmin.get_queryset
    section_total: int



def _tag(colour: str, text) -> str:
    return format_html('<span class="tag tag--{}">{}</span>', colour, text)


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [c for c in State.choices if c[0] != State.DRAFT]  # drafts never reach customs

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class AssignedToMeFilter(admin.SimpleListFilter):
    title = _("assignment")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("Assigned to me")), ("nobody", _("Not assigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("14", _("Due within 14 days"))]

    def queryset(self, request, queryset):
        today = timezone.now().date()
        if self.value() == "overdue":
            return queryset.filter(next_due__lt=today)
        if self.value() == "14":
            return queryset.filter(next_due__gte=today, next_due__lte=today + timezone.timedelta(days=14))
        return queryset


def _current_weights() -> dict:
    model = RiskModel.objects.order_by("-version").first()
    return model.weights if model else risk.DEFAULT_WEIGHTS


class RiskBandFilter(admin.SimpleListFilter):
    """The bands of the current risk weights."""

    title = _("risk")
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        self.ranges = {band: (low, high) for band, low, high in risk.band_ranges(_current_weights())}
        return [(band, f"{risk.BANDS[band]} ({low}–{high})") for band, (low, high) in self.ranges.items()]

    def queryset(self, request, queryset):
        if self.value() in self.ranges:
            low, high = self.ranges[self.value()]
            return queryset.filter(risk_score__gte=low, risk_score__lte=high)
        return queryset


@dataclass(frozen=True)
class CaseAction:
    label: StrOrPromise
    form: type[forms.Form]
    # (request, application, cleaned_data); the back office lets in signed-in staff only
    run: Callable[[AuthenticatedHttpRequest, Application, dict[str, Any]], object]


# Who may take each action, and when, is decided in aeo.permissions; this says how the back office asks.
CASE_ACTIONS: dict[str, CaseAction] = {
    "accept": CaseAction(_("Accept the application"), admin_forms.NoteForm,
                         lambda r, a, d: services.application_accept(actor=r.user, application=a, **d)),
    "return": CaseAction(_("Return as not acceptable"), admin_forms.ReturnForm,
                         lambda r, a, d: services.application_return(actor=r.user, application=a, **d)),
    "assign": CaseAction(_("Assign or reassign"), admin_forms.AssignForm,
                         lambda r, a, d: services.application_assign(actor=r.user, application=a, **d)),
    "request_information": CaseAction(
        _("Request information"), admin_forms.InformationRequestForm,
        lambda r, a, d: services.information_request_create(actor=r.user, application=a, **d)),
    "extend": CaseAction(_("Extend the decision deadline"), admin_forms.ExtendForm,
                         lambda r, a, d: services.decision_deadline_extend(actor=r.user, application=a, **d)),
    "schedule_visit": CaseAction(_("Schedule a site validation"), admin_forms.SiteVisitForm,
                                 lambda r, a, d: services.site_visit_schedule(actor=r.user, application=a, **d)),
    "record_visit": CaseAction(_("Record a site validation"), admin_forms.SiteVisitResultForm,
                               lambda r, a, d: services.site_visit_record(actor=r.user, **d)),
    "finding": CaseAction(_("Record a finding for a section"), admin_forms.FindingForm,
                          lambda r, a, d: services.finding_record(actor=r.user, application=a, **d)),
    "propose_grant": CaseAction(_("Propose to grant"), admin_forms.ProposeGrantForm,
                                lambda r, a, d: services.grant_propose(actor=r.user, application=a, **d)),
    "propose_rejection": CaseAction(_("Propose to reject (opens the right to be heard)"), admin_forms.RejectionForm,
                                    lambda r, a, d: services.rejection_propose(actor=r.user, application=a, **d)),
    "reconsider": CaseAction(_("Reconsider after the hearing"), admin_forms.RequiredNoteForm,
                             lambda r, a, d: services.hearing_reconsider(actor=r.user, application=a, **d)),
    "confirm_rejection": CaseAction(_("Propose the final rejection"), admin_forms.RequiredNoteForm,
                                    lambda r, a, d: services.rejection_confirm(actor=r.user, application=a, **d)),
    "approve": CaseAction(_("Approve the proposed decision"), admin_forms.NoteForm,
                          lambda r, a, d: services.decision_approve(actor=r.user, application=a, **d)),
    "send_back": CaseAction(_("Send the proposal back"), admin_forms.RequiredNoteForm,
                            lambda r, a, d: services.decision_send_back(actor=r.user, application=a, **d)),
}
assert tuple(CASE_ACTIONS) == permissions.CUSTOMS_ACTIONS
DECISIONS = ("approve", "send_back")  # the second pair of eyes confirms who they are when the sign-in is old


def _form_for(action: str, application: Application, data=None) -> forms.Form:
    form_class = CASE_ACTIONS[action].form
    if form_class in (admin_forms.SiteVisitResultForm, admin_forms.FindingForm):
        return form_class(data, application=application)
    return form_class(data)


# What the case page shows of a case's dialogue; the rule book reads the same rows (no second query).
CASE_PREFETCH = (
    Prefetch("information_requests", queryset=InformationRequest.objects.prefetch_related("files")),
    Prefetch("hearings", queryset=Hearing.objects.prefetch_related("files")),
    "site_visits", Prefetch("findings", queryset=Finding.objects.select_related("section")), "decision_notices",
)


def risk_view(application: Application) -> dict | None:
    """The score on its scale, its band and each reason with its points, from the screening (no query)."""
    if application.risk_score is None:
        return None
    weights = application.risk_model.weights if application.risk_model else risk.DEFAULT_WEIGHTS
    band = risk.band_of(application.risk_score, weights)
    reasons = [{"family": risk.FAMILIES.get(r["family"], r["family"]), "text": risk.reason_text(r),
                "points": r["points"], "capped": r.get("capped"),
                "cap": weights["families"].get(r["family"], {}).get("cap")}
               for r in application.screening.get("risk_reasons", [])]
    return {"score": application.risk_score, "max": risk.SCALE_MAX, "band": band, "band_label": risk.BANDS[band],
            "version": application.risk_model.version if application.risk_model else None, "reasons": reasons,
            "bands": [(risk.BANDS[b], low, high, b == band) for b, low, high in risk.band_ranges(weights)],
            "legacy": not application.screening.get("risk_reasons") and bool(application.screening.get("reasons"))}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """The review queue. Drafts are the applicant's own and never reach it."""

    list_display = ["reference", "operator", "country", "kind", "state_tag", "assigned_to", "risk", "due", "overdue"]
    list_filter = [StateFilter, "kind", AssignedToMeFilter, OverdueFilter, RiskBandFilter]
    search_fields = ["reference", "organisation__name", "organisation__identifier"]
    list_select_related = ["organisation", "assigned_to"]
    list_per_page = 50
    show_full_result_count = False  # filtered pages do not count the whole table
    paginator = EstimatedCountPaginator  # nor does the queue itself, past a thousand cases

    def get_ordering(self, request):
        return [F("next_due").asc(nulls_last=True), "pk"]  # the nearest deadline first

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "title": _("AEO review queue")})

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(state=State.DRAFT).annotate(
            next_due=Case(When(state=State.SUBMITTED, then="acceptance_due"),
                          When(state__in=[State.GRANTED, State.REJECTED, State.WITHDRAWN], then=None),
                          default="decision_due", output_field=DateField()))

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("operator"), ordering="organisation__name")
    def operator(self, obj: Application) -> str:
        return obj.organisation.name

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, obj: Application) -> str:
        # A CountryField gives a Country; the stubs see the str of the CharField it extends.
        return obj.organisation.country.code  # type: ignore[attr-defined]

    @admin.display(description=_("state"), ordering="state")
    def state_tag(self, obj: Application) -> str:
        return _tag(obj.state_colour, obj.get_state_display())

    @admin.display(description=_("risk (0–100)"), ordering="risk_score")
    def risk(self, obj: Application) -> str:
        # The band the screening found, with the weights of its time: no query per row.
        band = obj.screening.get("band")
        if obj.risk_score is None:
            return "—"
        return format_html("{} <small>{}</small>", obj.risk_score, risk.BANDS[band]) if band in risk.BANDS \
            else str(obj.risk_score)

    @admin.display(description=_("due"), ordering="next_due")
    def due(self, obj: WithAnnotations[Application, _NextDue]) -> str:
        if obj.next_due is None:
            return "—"
        days = (obj.next_due - timezone.now().date()).days
        return format_html('<span class="due__date">{}</span> <small>({})</small>', date_format(obj.next_due),
                           ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days} if days >= 0
                           else ngettext("%(n)s day late", "%(n)s days late", -days) % {"n": -days})

    @admin.display(description=_("overdue"))
    def overdue(self, obj: WithAnnotations[Application, _NextDue]) -> str:
        # A red tag on the cases past their deadline only: a column of "no" icons reads as alarms.
        late = obj.next_due is not None and obj.next_due < timezone.now().date()
        return _tag("red", _("Overdue")) if late else ""

    def get_urls(self):
        return [
            path("<int:pk>/act/<slug:action>/", self.admin_site.admin_view(self.act), name="aeo_application_act"),
            path("<int:pk>/evidence/<int:evidence_id>/", self.admin_site.admin_view(self.evidence),
                 name="aeo_application_evidence"),
            path("<int:pk>/files/<int:file_id>/", self.admin_site.admin_view(self.dialogue_file),
                 name="aeo_application_file"),
            path("<int:pk>/decisions/<int:notice_id>/", self.admin_site.admin_view(self.decision_notice),
                 name="aeo_application_decision"),
            *super().get_urls(),
        ]

    def _case(self, request, pk: int, *, prefetch: tuple = ()) -> Application:
        if not self.has_view_permission(request):
            raise PermissionDenied
        cases = self.get_queryset(request).select_related("organisation", "assigned_to", "questionnaire",
                                                          "risk_model", "proposed_by")
        return get_object_or_404(cases.prefetch_related(*prefetch), pk=pk)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        if not object_id.isdecimal():
            raise Http404
        application = self._case(request, int(object_id), prefetch=CASE_PREFETCH)
        organisation = application.organisation
        items, sections = case_sheet(application)
        # The operator's other applications and every authorisation (each belongs to one application) in one read.
        submitted = list(organisation.aeo_applications.exclude(state=State.DRAFT).select_related(
            "organisation", "authorisation").order_by("-created_at"))
        authorisations = sorted((a.authorisation for a in submitted if getattr(a, "authorisation", None)),
                                key=lambda a: a.number)
        actions = [(slug, CASE_ACTIONS[slug].label)
                   for slug in permissions.available_actions(request.user, application)]
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": str(application),
            "application": application, "organisation": organisation, "items": items, "sections": sections,
            "events": history(application, limit=100), "requests": application.information_requests.all(),
            "hearings": application.hearings.all(), "visits": application.site_visits.all(),
            "findings": application.findings.all(),
            "earlier": [a for a in submitted if a.pk != application.pk],
            "authorisation": next((a for a in authorisations if a.application_id == application.pk), None),
            "authorisations": authorisations, "case_actions": actions, "documents": organisation.documents.all(),
            "risk": risk_view(application), "notices": application.decision_notices.all(),
            "evidence_reasons": sorted(application.evidence_reasons.items()),
            # the same list the applicant sees on the task list and the check page
            "missing_evidence_ids": {q.pk for item in items for q in item.evidence_missing},
            "verification_refusal": None if organisation.is_verified else permissions.VERIFIED_ONLY.get(
                {"submitted": permissions.Action.ACCEPT, "under_review": permissions.Action.PROPOSE_GRANT,
                 "decision_proposed": permissions.Action.APPROVE_GRANT}.get(application.state)),
        }
        return TemplateResponse(request, "admin/aeo/application/case.html", context)

    def act(self, request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:  # an admin_view
        if action not in CASE_ACTIONS:
            raise Http404
        application = self._case(request, pk)
        case_action = CASE_ACTIONS[action]
        refusal = permissions.refusal(request.user, application, action)
        if refusal is not None:
            messages.error(request, _("“%(action)s” is not available to you on this case now: %(reason)s")
                           % {"action": case_action.label, "reason": refusal})
            return redirect("admin:aeo_application_change", pk)
        if request.method == "POST" and action in DECISIONS:
            require_recent_sign_in(request)
        form = _form_for(action, application, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                case_action.run(request, application, form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": case_action.label})
                return redirect("admin:aeo_application_change", pk)
        return TemplateResponse(request, "admin/aeo/application/action.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "application": application,
            "title": case_action.label, "form": form,
        })

    def evidence(self, request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
        application = self._case(request, pk)
        return private_file_response(get_object_or_404(application.evidence, pk=evidence_id))

    def decision_notice(self, request: HttpRequest, pk: int, notice_id: int) -> HttpResponseBase:
        application = self._case(request, pk)
        notice = get_object_or_404(application.decision_notices, pk=notice_id)
        if not notice.file:
            raise Http404
        return file_download_response(notice.file, filename=f"{notice.reference.replace('/', '-')}.pdf",
                                      content_type="application/pdf")

    def dialogue_file(self, request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
        """A file the applicant sent with an answer to a request or a reply to the grounds."""
        application = self._case(request, pk)
        files = DialogueFile.objects.filter(Q(information_request__application=application)
                                            | Q(hearing__application=application))
        return private_file_response(get_object_or_404(files, pk=file_id))


class AuthorisationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Authorisation.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


# action → (label, form, service taking actor, authorisation and the form's cleaned data)
MONITORING: dict[str, tuple[StrOrPromise, type[forms.Form], Callable[..., object]]] = {
    "suspend": (_("Suspend"), admin_forms.SuspendForm, services.authorisation_suspend),
    "lift": (_("Lift the suspension"), admin_forms.RequiredNoteForm, services.authorisation_lift_suspension),
    "revoke": (_("Revoke"), admin_forms.RevokeForm, services.authorisation_revoke),
    "reassess": (_("Start a re-assessment"), admin_forms.RequiredNoteForm, services.reassessment_start),
    "plan_visit": (_("Plan a visit"), admin_forms.MonitoringVisitForm, monitoring_visit_plan),
    "review": (_("Record a monitoring review"), admin_forms.MonitoringReviewForm, monitoring_review_record),
}
STATUS_ACTIONS = ("aeo.authorisation_created", "aeo.suspended", "aeo.suspension_lifted", "aeo.revoked",
                  "aeo.replaced")


@admin.register(Authorisation)
class AuthorisationAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "kind", "status_tag", "valid_from", "next_review_due", "consent_publish"]
    list_filter = [AuthorisationStatusFilter, "kind"]
    search_fields = ["number", "organisation__name", "organisation__identifier"]
    list_select_related = ["organisation"]
    show_full_result_count = False
    readonly_fields = ["number", "organisation", "application", "kind", "status", "valid_from", "granted_by",
                       "consent_publish", "consent_mra", "suspended_until", "suspension_reason", "remedial_measures",
                       "revoked_at", "revocation_reason", "next_review_due", "certificate_link", "status_history",
                       "reviews_list", "decisions", "notices"]
    exclude = ["certificate"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only: every change is a monitoring action, through its service

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("status"), ordering="status")
    def status_tag(self, obj: Authorisation) -> str:
        return _tag(obj.status_colour, obj.get_status_display())

    @admin.display(description=_("certificate"))
    def certificate_link(self, obj: Authorisation) -> StrOrPromise:
        if not obj.certificate:
            return _("Being generated")
        return format_html('<a href="{}">{}</a>', reverse("admin:aeo_authorisation_certificate", args=[obj.pk]),
                           _("Download the certificate"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        authorisation = get_object_or_404(Authorisation, pk=object_id) if object_id.isdecimal() else None
        if authorisation is None:
            raise Http404
        offered = [(slug, MONITORING[slug][0])
                   for slug in permissions.available_monitoring(request.user, authorisation)]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}),
                                                                   "monitoring_actions": offered})

    @admin.display(description=_("history of its status"))
    def status_history(self, obj: Authorisation) -> StrOrPromise:
        from portal.models import AuditEvent

        status = dict(Authorisation.Status.choices)
        rows = []
        for e in AuditEvent.objects.for_target(obj.application).filter(action__in=STATUS_ACTIONS).order_by(
                "created_at", "pk"):
            # The grant's event is the application's; the authorisation it creates starts active.
            to = Authorisation.Status.ACTIVE if e.action == "aeo.authorisation_created" else e.to_state
            rows.append((date_format(e.created_at), e.action_label, status.get(e.from_state, "—"),
                         status.get(to, "—"), e.data.get("reason") or e.data.get("note") or ""))
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}: {} ({} → {}) {}</li>", rows)) if rows \
            else _("None")

    @admin.display(description=_("visits and reviews"))
    def reviews_list(self, obj: Authorisation) -> StrOrPromise:
        rows = [(_("%(kind)s planned for %(date)s at %(place)s, by: %(who)s — findings still to be recorded") % {
                    "kind": r.get_kind_display(), "date": date_format(r.planned_for), "place": r.location,
                    "who": r.get_officer_role_display()} if r.held_on is None else
                 f"{date_format(r.held_on)}: {r.get_kind_display()}, {r.get_result_display()} — {r.findings}",)
                for r in obj.reviews.all()]
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", rows)) if rows else _("None yet")

    @admin.display(description=_("decision notices"))
    def decisions(self, obj: Authorisation) -> StrOrPromise:
        rows = [(reverse("admin:aeo_application_decision", args=[obj.application_id, n.pk]), n.get_kind_display(),
                 date_format(n.issued_at)) for n in obj.decision_notices.exclude(file="")]
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a>, {}</li>', rows)) if rows \
            else _("None")

    @admin.display(description=_("change notices"))
    def notices(self, obj: Authorisation) -> StrOrPromise:
        rows = [(date_format(n.submitted_at), n.description,
                 format_html_join(" ", '<a href="{}">{}</a>', (
                     (reverse("admin:aeo_authorisation_notice_file", args=[obj.pk, f.pk]), f.original_name)
                     for f in n.files.all())),
                 n.handling_note or format_html('<a href="{}">{}</a>', reverse(
                     "admin:aeo_authorisation_notice", args=[obj.pk, n.pk]), _("Record how it was handled")))
                for n in obj.change_notices.prefetch_related("files")]
        if not rows:
            return _("None")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {} {} — {}</li>", rows))

    def get_urls(self):
        return [
            path("<int:pk>/certificate/", self.admin_site.admin_view(self.certificate),
                 name="aeo_authorisation_certificate"),
            path("<int:pk>/act/<slug:action>/", self.admin_site.admin_view(self.act), name="aeo_authorisation_act"),
            path("<int:pk>/notices/<int:notice_id>/", self.admin_site.admin_view(self.handle_notice),
                 name="aeo_authorisation_notice"),
            path("<int:pk>/notice-files/<int:file_id>/", self.admin_site.admin_view(self.notice_file),
                 name="aeo_authorisation_notice_file"),
            *super().get_urls(),
        ]

    def notice_file(self, request, pk: int, file_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return private_file_response(get_object_or_404(ChangeNoticeFile, notice__authorisation_id=pk, pk=file_id))

    def handle_notice(self, request, pk: int, notice_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        notice = get_object_or_404(ChangeNotice, authorisation_id=pk, pk=notice_id)
        form = admin_forms.RequiredNoteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.change_notice_handle(actor=request.user, notice=notice, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The handling of the change notice has been recorded."))
                return redirect("admin:aeo_authorisation_change", pk)
        return TemplateResponse(request, "admin/aeo/application/action.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Handle the change notice of %(date)s") % {"date": date_format(notice.submitted_at)},
            "form": form, "back": reverse("admin:aeo_authorisation_change", args=[pk]),
        })

    def certificate(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        authorisation = get_object_or_404(Authorisation, pk=pk)
        if not authorisation.certificate:
            raise Http404
        return file_download_response(authorisation.certificate, filename=f"{authorisation.number}.pdf",
                                      content_type="application/pdf")

    def act(self, request, pk: int, action: str):
        if action not in MONITORING or not self.has_view_permission(request):
            raise PermissionDenied
        authorisation = get_object_or_404(Authorisation, pk=pk)
        label, form_class, run = MONITORING[action]
        refusal = permissions.monitoring_refusal(request.user, authorisation, action)
        if refusal is not None:
            messages.error(request, _("“%(action)s” is not available to you now: %(reason)s")
                           % {"action": label, "reason": refusal})
            return redirect("admin:aeo_authorisation_change", pk)
        if request.method == "POST" and action in ("suspend", "revoke"):
            require_recent_sign_in(request)
        # The review form offers the visits planned for this authorisation, to record their findings.
        form = form_class(request.POST if request.method == "POST" else None,
                          **({"authorisation": authorisation} if action == "review" else {}))
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                run(actor=request.user, authorisation=authorisation, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": label})
                return redirect("admin:aeo_authorisation_change", pk)
        return TemplateResponse(request, "admin/aeo/application/action.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": f"{label} {authorisation}",
            "form": form, "back": reverse("admin:aeo_authorisation_change", args=[pk]),
        })


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Programme administrators load new versions; a loaded version never changes."""

    list_display = ["version", "title", "published_at", "section_count"]
    readonly_fields = ["version", "title", "published_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_total=Count("sections"))

    @admin.display(description=_("sections"), ordering="section_total")
    def section_count(self, obj: WithAnnotations[Questionnaire, _SectionTotal]) -> int:
        return obj.section_total

    def get_urls(self):
        return [path("load/", self.admin_site.admin_view(self.load), name="aeo_questionnaire_load"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_load": request.user.has_perm("aeo.manage_questionnaire")}
        return super().changelist_view(request, extra_context)

    def load(self, request):
        if not request.user.has_perm("aeo.manage_questionnaire"):
            raise PermissionDenied
        form = admin_forms.QuestionnaireUploadForm(request.POST if request.method == "POST" else None,
                                                   request.FILES if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                data = questionnaire_read(form.cleaned_data["file"].file.read())
                questionnaire, created = load_questionnaire_data(data)
            except QuestionnaireError as error:
                form.add_error("file", _("This file is not a questionnaire. Correct it and load it again:"))
                for problem in error.problems:
                    form.add_error("file", problem)
            else:
                messages.success(request, _("Loaded %(q)s.") % {"q": questionnaire} if created
                                 else _("Version %(v)s was already loaded; nothing changed.")
                                 % {"v": questionnaire.version})
                return redirect("admin:aeo_questionnaire_changelist")
        return TemplateResponse(request, "admin/aeo/application/action.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Load a new questionnaire version"), "form": form, "multipart": True,
            "back": reverse("admin:aeo_questionnaire_changelist"),
        })


@admin.register(RiskModel)
class RiskModelAdmin(admin.ModelAdmin):
    """The risk weights: every version kept; programme administrators publish a new one and see how the
    weights sort the cases already decided."""

    list_display = ["version", "created_at", "created_by", "note"]
    readonly_fields = ["version", "weights_table", "note", "created_by", "created_at"]
    exclude = ["weights"]

    def has_add_permission(self, request) -> bool:
        return False  # a new version is published through its own page, never edited in place

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("weights"))
    def weights_table(self, obj: RiskModel) -> str:
        rows = [(risk.FAMILIES.get(name, name), family["cap"],
                 ", ".join(f"{risk.RULES.get(rule, rule)}: {points}" for rule, points in family["rules"].items()))
                for name, family in obj.weights["families"].items()]
        return format_html("<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>", _("family"), _("cap"),
                           _("points per item"), format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                                                                  rows))

    def get_urls(self):
        return [path("publish/", self.admin_site.admin_view(self.publish), name="aeo_riskmodel_publish"),
                path("calibration/", self.admin_site.admin_view(self.calibration), name="aeo_riskmodel_calibration"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "can_publish": request.user.has_perm("aeo.manage_risk_model")})

    def publish(self, request):
        if not request.user.has_perm("aeo.manage_risk_model"):
            raise PermissionDenied
        current = RiskModel.objects.order_by("-version").first()
        form = admin_forms.RiskWeightsForm(request.POST if request.method == "POST" else None,
                                           initial={"weights": current.weights if current else risk.DEFAULT_WEIGHTS})
        if request.method == "POST":
            require_recent_sign_in(request)
        if request.method == "POST" and form.is_valid():
            try:
                model = risk_model_publish(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Published %(model)s.") % {"model": model})
                return redirect("admin:aeo_riskmodel_calibration")
        return TemplateResponse(request, "admin/aeo/application/action.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Publish new risk weights"), "form": form,
            "back": reverse("admin:aeo_riskmodel_changelist"),
        })

    def calibration(self, request):
        if not request.user.has_perm("aeo.manage_risk_model"):
            raise PermissionDenied
        current = RiskModel.objects.order_by("-version").first()
        weights = current.weights if current else risk.DEFAULT_WEIGHTS
        result = risk_calibration(weights)
        labels = [f"{row['label']} {row['low']}–{row['high']}" for row in result["bands"]]
        chart = Chart(kind="stacked", title=_("Cases per risk band, and how they were decided"),
                      description=_("Cases in each band of the current weights: granted, rejected and not yet "
                                    "decided. The numbers are in the table."), x_labels=labels,
                      series=[(_("Granted"), [row["granted"] for row in result["bands"]]),
                              (_("Rejected"), [row["rejected"] for row in result["bands"]]),
                              (_("Not decided"), [row["open"] for row in result["bands"]])])
        return TemplateResponse(request, "admin/aeo/riskmodel/calibration.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("How the current risk weights sort past decisions"), "model": current, **result,
            "chart": render_chart(chart, chart_id="risk-calibration"),
        })
