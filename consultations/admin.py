"""Moderation in the back office: the report queue, and hiding (with a reason) or restoring comments.

Only the "Consultation moderator" group (and superusers) see these pages; every change goes through
the services, which check the group again and record the audit event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise, WithAnnotations

from consultations import services
from consultations.models import Comment, CommentRevision, Consultation, Report
from consultations.permissions import is_moderator


class ModeratorOnly:
    def has_module_permission(self, request):
        return is_moderator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the actions

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown in place of the comment"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Give the reason; it is shown in place of the comment.")})


def _hide(modeladmin, request, comments):
    """Ask for the reason on a confirmation page, then hide each comment through the service."""
    form = HideForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        for comment in comments:
            services.comment_hide(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        modeladmin.message_user(request, _("%(n)s comments hidden.") % {"n": len(comments)}, messages.SUCCESS)
        return None
    return TemplateResponse(request, "consultations/admin/hide.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Hide comments"), "form": form,
        "comments": comments, "action": request.POST.get("action"),
        "ids": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    })


@admin.action(description=_("Hide the selected comments (asks for a reason)"))
def hide_comments(modeladmin, request, queryset):
    return _hide(modeladmin, request, list(queryset.select_related("consultation")))


@admin.action(description=_("Restore the selected comments"))
def restore_comments(modeladmin, request, queryset):
    for comment in queryset.select_related("consultation"):
        services.comment_restore(actor=request.user, comment=comment)
    modeladmin.message_user(request, _("Comments restored."), messages.SUCCESS)


class OpenReportsFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", _("With open reports")), ("hidden", _("Hidden"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(reports__resolved_at__isnull=True).distinct()
        if self.value() == "hidden":
            return queryset.filter(hidden_at__isnull=False)
        return queryset


class RevisionInline(admin.TabularInline):
    model = CommentRevision
    fields = ["created_at", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("earlier versions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_moderator(request.user)


class _OpenReports(TypedDict):  # annotated by CommentAdmin.get_queryset
    open_report_count: int


class _ConsultationCounts(TypedDict):  # annotated by ConsultationAdmin.get_queryset
    comment_count: int
    open_report_count: int


@admin.register(Comment)
class CommentAdmin(ModeratorOnly, admin.ModelAdmin):
    inlines = [RevisionInline]
    list_display = ["excerpt", "consultation", "author", "created_at", "open_reports", "state"]
    list_filter = [OpenReportsFilter, "consultation"]
    search_fields = ["body", "author__email", "consultation__title"]
    list_select_related = ["consultation", "author"]
    actions = [hide_comments, restore_comments]
    readonly_fields = ["consultation", "author", "organisation", "on_behalf", "body", "created_at", "edited_at",
                       "deleted_at", "hidden_at", "hidden_by", "hidden_reason", "support_count"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True)))

    @admin.display(description=_("comment"))
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80]

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, obj: WithAnnotations[Comment, _OpenReports]) -> int:
        return obj.open_report_count

    @admin.display(description=_("state"))
    def state(self, obj: Comment) -> StrOrPromise:
        if obj.is_hidden:
            return format_html("<strong>{}</strong>: {}", _("Hidden"), obj.hidden_reason)
        return _("Removed by author") if obj.is_removed else _("Published")


@admin.action(description=_("Hide the reported comments (asks for a reason)"))
def hide_reported(modeladmin, request, queryset):
    comments = list({r.comment_id: r.comment for r in queryset.select_related("comment__consultation")}.values())
    return _hide(modeladmin, request, comments)


@admin.action(description=_("Dismiss: nothing wrong, keep the comment"))
def dismiss_reports(modeladmin, request, queryset):
    try:
        count = services.reports_dismiss(actor=request.user, reports=list(queryset))
    except ValidationError as error:  # pragma: no cover
        modeladmin.message_user(request, error.messages[0], messages.ERROR)
        return
    modeladmin.message_user(request, _("%(n)s reports dismissed.") % {"n": count}, messages.SUCCESS)


class ReportStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("To do")), ("resolved", _("Done"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class ReportResolutionFilter(admin.SimpleListFilter):
    # Named choices: the field's own filter lists "" (not yet resolved) as a link with no text.
    title = _("resolution")
    parameter_name = "resolution"

    def lookups(self, request, model_admin):
        return [("hidden", _("Comment hidden")), ("dismissed", _("Dismissed")), ("none", _("Not resolved yet"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(resolution="")
        if self.value():
            return queryset.filter(resolution=self.value())
        return queryset


@admin.register(Report)
class ReportAdmin(ModeratorOnly, admin.ModelAdmin):
    """The moderation queue: oldest open report first."""

    list_display = ["comment_excerpt", "reason", "reporter", "waiting", "resolution"]
    list_filter = [ReportStateFilter, ReportResolutionFilter]
    list_select_related = ["comment", "reporter"]
    ordering = ["resolved_at", "created_at"]
    actions = [hide_reported, dismiss_reports]
    readonly_fields = ["comment", "reporter", "reason", "created_at", "resolved_at", "resolved_by", "resolution"]
    fields = readonly_fields

    @admin.display(description=_("comment"))
    def comment_excerpt(self, obj: Report) -> str:
        return obj.comment.body[:80]

    @admin.display(description=_("reported"), ordering="created_at")
    def waiting(self, obj: Report) -> str:
        """How long the report has waited; over a day is flagged, as reported comments stay visible meanwhile."""
        if obj.resolved_at:
            return _("%(date)s (done)") % {"date": date_format(obj.created_at, "SHORT_DATETIME_FORMAT")}
        age = timesince(obj.created_at)
        if timezone.now() - obj.created_at > timedelta(days=1):
            return format_html("<strong>{}</strong>", _("%(age)s ago — overdue") % {"age": age})
        return _("%(age)s ago") % {"age": age}

    def changelist_view(self, request, extra_context=None):
        if "state" not in request.GET and not request.GET.get("_changelist_filters"):
            request.GET = request.GET.copy()
            request.GET["state"] = "open"
        return super().changelist_view(request, extra_context)


@admin.register(Consultation)
class ConsultationAdmin(ModeratorOnly, admin.ModelAdmin):
    """Read-only overview for moderators: which consultations have comments waiting for moderation."""

    list_display = ["title", "organisation", "phase", "audience", "closes_at", "comments", "open_reports"]
    list_filter = ["phase", "audience"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]
    fields = ["title", "organisation", "phase", "audience", "opens_at", "closes_at", "published_at", "closed_at",
              "summary"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            comment_count=Count("comments", distinct=True),
            open_report_count=Count("comments__reports", filter=Q(comments__reports__resolved_at__isnull=True),
                                    distinct=True),
        )

    @admin.display(description=_("comments"), ordering="comment_count")
    def comments(self, obj: WithAnnotations[Consultation, _ConsultationCounts]) -> int:
        return obj.comment_count

    @admin.display(description=_("open reports"), ordering="open_report_count")
    def open_reports(self, obj: WithAnnotations[Consultation, _ConsultationCounts]) -> int:
        return obj.open_report_count
