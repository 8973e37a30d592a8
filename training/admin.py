"""The training back office: authors write courses, advisers work their centre's question queue."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from portal.admin_audit import AuditedAdmin
from portal.files import private_file_response
from training import services
from training.models import (
    AdvisoryQuestion,
    AeoSection,
    Centre,
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    Module,
    Question,
    Quiz,
)
from training.permissions import can_answer_question, can_revoke_certificate, questions_for_adviser


@admin.register(Centre)
class CentreAdmin(AuditedAdmin):
    list_display = ["name", "contact_email", "adviser_list"]
    filter_horizontal = ["advisers"]
    readonly_fields = ["slug"]
    fields = ["name", "slug", "description", "translations", "sectors", "contact_email", "advisers", "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("advisers")

    @admin.display(description=_("advisers"))
    def adviser_list(self, obj: Centre) -> str:
        return ", ".join(str(a) for a in obj.advisers.all()) or "—"

    def has_add_permission(self, request) -> bool:
        return False  # the ten centres come from a data migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CourseForm(forms.ModelForm):
    aeo_sections = forms.MultipleChoiceField(
        label=_("AEO questionnaire sections supported"), choices=AeoSection.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = ["centre", "title", "slug", "summary", "translations", "level", "duration_minutes", "is_published",
                  "prerequisites", "validity_months", "aeo_sections"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "prerequisites" in self.fields:
            self.fields["prerequisites"].queryset = Course.objects.exclude(pk=self.instance.pk)

    def clean_prerequisites(self):
        prerequisites = self.cleaned_data["prerequisites"]
        if self.instance.pk:
            # A course that needs this one cannot also come before it: nobody could enrol on either.
            circular = [c.title for c in prerequisites if c.prerequisites.filter(pk=self.instance.pk).exists()]
            if circular:
                raise forms.ValidationError(_("These courses require this one already: %(titles)s.")
                                            % {"titles": ", ".join(circular)})
        return prerequisites


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "title"]
    show_change_link = True  # lessons are edited on the module's page


class QuizInline(admin.TabularInline):
    model = Quiz
    extra = 0
    fields = ["order", "title", "questions_per_attempt", "pass_mark", "max_attempts"]
    show_change_link = True  # questions are edited on the quiz's page


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    form = CourseForm
    list_display = ["title", "centre", "level", "is_published", "validity_months", "updated_at"]
    list_filter = ["centre", "level", "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    # No filter_horizontal: its widget's search icon carries an aria-label on a bare span (axe), and a
    # course has few prerequisites; the plain multiple select is labelled and works without JavaScript.
    inlines = [ModuleInline, QuizInline]
    fieldsets = [
        (None, {"fields": ["centre", "title", "slug", "summary", "level", "duration_minutes", "is_published"]}),
        (_("Requirements and certificate"), {"fields": ["prerequisites", "validity_months", "aeo_sections"]}),
    ]
    view_on_site = True  # authors preview unpublished courses on the site


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = ["order", "title", "duration_minutes", "body"]


@admin.register(Module)
class ModuleAdmin(AuditedAdmin):
    list_display = ["title", "course", "order"]
    list_filter = ["course__centre", "course"]
    list_select_related = ["course"]
    inlines = [LessonInline]

    def view_on_site(self, obj: Module) -> str:
        return obj.course.get_absolute_url()


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 3
    fields = ["order", "text", "is_correct"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind"]
    show_change_link = True


class _Bank(TypedDict):  # annotated by QuizAdmin.get_queryset
    bank: int


@admin.register(Quiz)
class QuizAdmin(AuditedAdmin):
    list_display = ["title", "course", "questions_per_attempt", "pass_mark", "max_attempts", "bank_size"]
    list_filter = ["course__centre"]
    list_select_related = ["course"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(bank=Count("questions"))

    @admin.display(description=_("questions in the bank"))
    def bank_size(self, obj: WithAnnotations[Quiz, _Bank]) -> int:
        return obj.bank

    def change_view(self, request, object_id, form_url="", extra_context=None):
        quiz = self.get_object(request, object_id)
        warning = quiz.bank_warning(quiz.bank) if quiz is not None and request.method == "GET" else ""
        if warning:
            messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Question)
class QuestionAdmin(AuditedAdmin):
    list_display = ["__str__", "quiz", "kind"]
    list_filter = ["quiz__course", "kind"]
    list_select_related = ["quiz"]
    inlines = [ChoiceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        question = form.instance
        correct = question.choices.filter(is_correct=True).count()
        if correct == 0:
            messages.warning(request, _("“%(q)s” has no right answer: no learner can score on it.") % {"q": question})
        elif question.kind == Question.Kind.SINGLE and correct > 1:
            messages.warning(request, _("“%(q)s” is single choice but has %(n)s right answers.")
                             % {"q": question, "n": correct})


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "course", "organisation", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course__centre", "course"]
    list_select_related = ["user", "course", "organisation"]
    search_fields = ["user__email", "organisation__name"]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "course", "issued_at", "expires_at", "status_tag"]
    list_filter = ["course__centre", "course"]
    list_select_related = ["course"]
    search_fields = ["holder_name", "user__email", "code"]
    readonly_fields = ["enrolment", "user", "course", "holder_name", "issued_at", "expires_at", "revoked_at",
                       "revoked_reason", "verification_link"]
    exclude = ["pdf"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The list's revoke action needs it; a certificate's own page is read-only (revoking is the action).
        return obj is None and can_revoke_certificate(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("status"))
    def status_tag(self, obj: Certificate) -> str:
        return str(Certificate.Status(obj.status).label)

    @admin.display(description=_("verification page"))
    def verification_link(self, obj: Certificate) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_verification_url(), obj.get_verification_url())

    @admin.action(description=_("Revoke the selected certificates"), permissions=["change"])
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            for certificate in queryset.select_related("course", "user", "enrolment__organisation"):
                services.certificate_revoke(actor=request.user, certificate=certificate,
                                            reason=form.cleaned_data["reason"])
            self.message_user(request, _("%(n)s certificates revoked.") % {"n": queryset.count()})
            return None
        return TemplateResponse(request, "admin/training/revoke.html", {
            **self.admin_site.each_context(request), "title": _("Revoke certificates"), "form": form,
            "certificates": queryset, "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Open past the reminder"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            cutoff = timezone.now() - timedelta(days=services.advisory_reminder_days())
            return queryset.filter(status=AdvisoryQuestion.Status.OPEN, created_at__lte=cutoff)
        return queryset


class AnswerForm(forms.ModelForm):
    class Meta:
        model = AdvisoryQuestion
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "answer" not in self.fields:  # a staff member who may only read the question: every field read-only
            return
        self.fields["answer"].required = True
        self.fields["answer"].help_text = _("Markdown. The person who asked is notified when you save.")


@admin.register(AdvisoryQuestion)
class AdvisoryQuestionAdmin(admin.ModelAdmin):
    """The queue of a centre's advisers: only questions to the centres they advise; they answer here."""

    form = AnswerForm
    view_on_site = False  # the trader's page is for the organisation's members
    list_display = ["subject", "centre", "organisation", "created_at", "status", "overdue_flag"]
    list_filter = ["status", OverdueFilter, "centre"]
    list_select_related = ["centre", "organisation"]
    search_fields = ["subject", "text", "organisation__name"]
    ordering = ["status", "created_at"]
    readonly_fields = ["centre", "organisation", "asked_by", "created_at", "subject", "text", "files",
                       "status", "answered_by", "answered_at"]
    fields = ["centre", "organisation", "asked_by", "created_at", "subject", "text", "files", "status",
              "answer", "answered_by", "answered_at"]

    def get_queryset(self, request):
        return questions_for_adviser(request.user).select_related("centre", "organisation", "asked_by",
                                                                  "answered_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_answer_question(request.user, obj)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj: AdvisoryQuestion) -> bool:
        limit = timezone.now() - timedelta(days=services.advisory_reminder_days())
        return obj.status == AdvisoryQuestion.Status.OPEN and obj.created_at <= limit

    @admin.display(description=_("attachments"))
    def files(self, obj: AdvisoryQuestion) -> str:
        rows = [(reverse("admin:training_advisoryquestion_attachment", args=[obj.pk, a.pk]), a.original_name)
                for a in obj.attachments.all()]
        return format_html_join(", ", '<a href="{}">{}</a>', rows) or "—"

    def get_urls(self):
        return [
            path("<int:object_id>/attachments/<int:attachment_id>/",
                 self.admin_site.admin_view(self.attachment), name="training_advisoryquestion_attachment"),
            *super().get_urls(),
        ]

    def attachment(self, request, object_id: int, attachment_id: int):
        question = get_object_or_404(self.get_queryset(request), pk=object_id)
        return private_file_response(get_object_or_404(question.attachments, pk=attachment_id))

    def save_model(self, request, obj: AdvisoryQuestion, form, change) -> None:
        # The answer goes through the service: it checks the adviser, records and notifies.
        try:
            services.advisory_question_answer(actor=request.user, question=obj, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
