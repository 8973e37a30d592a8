from __future__ import annotations

from typing import TypedDict

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import WithAnnotations

from portal.files import private_file_response
from portal.models import ApiToken, AuditEvent, Invitation, Membership, Notification, Organisation, User
from portal.permissions import may_grant_roles, require_recent_sign_in
from portal.services.notifications import notification_retry
from portal.services.organisations import PROFILE_FIELDS, organisation_update, organisation_verify
from portal.services.staff import user_update_by_staff


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People: staff see who has which role; programme administrators give and take roles, through the
    service that audits it (never their own). Passwords and e-mail addresses are the person's own."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["email", "is_superuser", "date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "full_name"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["date_joined", "last_login"]}),
    ]
    filter_horizontal = ["groups"]

    def has_add_permission(self, request) -> bool:
        return False  # people sign up; the first staff user comes from `manage.py create_staff`

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts are deactivated, so that the audit trail keeps naming who acted

    def has_change_permission(self, request, obj=None) -> bool:
        return may_grant_roles(request.user)

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied  # people set their own passwords, or reset them by e-mail

    def save_model(self, request, obj: User, form, change) -> None:
        data = form.cleaned_data
        user_update_by_staff(actor=request.user, user=obj, full_name=data["full_name"],
                             is_active=data["is_active"], is_staff=data["is_staff"], groups=data["groups"])

    def save_related(self, request, form, formsets, change) -> None:
        pass  # the groups were set by the service

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            require_recent_sign_in(request)  # roles are powers over traders' cases
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied as refused:
            if request.method != "POST" or not refused.args:
                raise
            messages.error(request, refused.args[0])
            return redirect(request.path)


admin.site.unregister(Group)


class ReadOnly:
    """For records the back office shows and never edits."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Group)
class GroupAdmin(ReadOnly, BaseGroupAdmin):
    """The staff groups and their permissions come from the apps' data migrations: shown, not edited."""


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("no", _("Waiting for verification")), ("yes", _("Verified"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(verified_at__isnull=self.value() == "no")
        return queryset


class _MemberCount(TypedDict):  # annotated by OrganisationAdmin.get_queryset
    member_count: int


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "identifier", "country", "sector", "verified_tag", "member_count", "created_at"]
    list_filter = [VerifiedFilter, "kind", "country", "sector"]
    search_fields = ["name", "identifier"]
    fields = [*PROFILE_FIELDS, "created_at", "verified_at", "verified_by", "documents_list"]
    readonly_fields = ["kind", "created_at", "verified_at", "verified_by", "documents_list"]
    inlines = [MembershipInline]
    actions = ["verify"]
    ordering = ["verified_at", "-created_at"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False  # organisations are registered by their people

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Organisation, form, change) -> None:
        # Through the service: a new name, identifier or country needs verifying again, and is audited.
        organisation_update(actor=request.user, organisation=obj,
                            **{f: form.cleaned_data[f] for f in form.changed_data if f in PROFILE_FIELDS})

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: WithAnnotations[Organisation, _MemberCount]) -> int:
        return obj.member_count

    @admin.display(description=_("verified"), ordering="verified_at")
    def verified_tag(self, obj: Organisation):
        if obj.is_verified:
            return format_html('<span class="tag tag--green">{}</span>', _("Verified"))
        return format_html('<span class="tag tag--yellow">{}</span>', _("Waiting"))

    @admin.display(description=_("documents"))
    def documents_list(self, obj: Organisation):
        docs = obj.documents.all()
        if not docs:
            return _("No documents uploaded.")
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> — {} (SHA-256 {}…)</li>', (
            (f"document/{d.pk}/", d.original_name, d.description, d.sha256[:12]) for d in docs)))

    def get_urls(self):
        return [
            path("<int:object_id>/change/document/<int:document_id>/", self.admin_site.admin_view(self.document),
                 name="portal_organisation_document"),
            *super().get_urls(),
        ]

    def document(self, request, object_id: int, document_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        organisation = get_object_or_404(Organisation, pk=object_id)
        return private_file_response(get_object_or_404(organisation.documents, pk=document_id))

    def has_verify_permission(self, request) -> bool:
        return request.user.has_perm("portal.verify_organisation")

    @admin.action(description=_("Verify selected organisations"), permissions=["verify"])
    def verify(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(request, "admin/portal/organisation/verify_confirm.html", {
                **self.admin_site.each_context(request), "title": _("Verify organisations"),
                "organisations": queryset, "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        for organisation in queryset:
            organisation_verify(actor=request.user, organisation=organisation)
        self.message_user(request, ngettext("%d organisation verified.", "%d organisations verified.",
                                            queryset.count()) % queryset.count(), messages.SUCCESS)
        return None


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an organisation's administrators revoke their invitations


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_repr", "from_state", "to_state", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_repr", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
    show_full_result_count = False


class EmailStatusFilter(admin.SimpleListFilter):
    title = _("e-mail")
    parameter_name = "email_status"

    def lookups(self, request, model_admin):
        return Notification.EmailStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(email_status=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject", "address_display", "status_tag", "attempts", "next_attempt_at",
                    "last_error"]
    list_filter = [EmailStatusFilter, "kind"]
    search_fields = ["subject", "email", "recipient__email"]
    list_select_related = ["recipient"]
    exclude = ["body", "html_body"]  # may hold account links; staff need the delivery state
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("to"))
    def address_display(self, obj: Notification) -> str:
        return obj.address

    @admin.display(description=_("status"), ordering="email_status")
    def status_tag(self, obj: Notification):
        colour = {"sent": "green", "pending": "blue", "skipped": "grey", "dead": "red"}[obj.email_status]
        return format_html('<span class="tag tag--{}">{}</span>', colour, obj.get_email_status_display())

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("portal.retry_notification")

    @admin.action(description=_("Retry sending the selected dead notifications"), permissions=["retry"])
    def retry(self, request, queryset):
        count = notification_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%d notification will be sent again.",
                                            "%d notifications will be sent again.", count) % count)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
