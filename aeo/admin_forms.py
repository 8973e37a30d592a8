"""The confirmation forms of the back office's case actions; each asks for the reason or note it records."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aeo.models import AuthorisationType, Finding, MonitoringReview, Section, SiteVisit
from portal.files import JSON_ONLY, PrivateFileField
from portal.models import User
from portal.roles import StaffGroup


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note for the file"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write the note: it is recorded and shown to the people "
                                                         "concerned.")})


class ReturnForm(forms.Form):
    reasons = forms.CharField(label=_("What the applicant must correct"), widget=forms.Textarea(attrs={"rows": 5}))


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            is_active=True, is_staff=True, groups__name=StaffGroup.AEO_REVIEWER.value).order_by("full_name")


class InformationRequestForm(forms.Form):
    questions = forms.CharField(label=_("What you ask the applicant"), widget=forms.Textarea(attrs={"rows": 5}))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
                               initial=lambda: timezone.now().date() + timedelta(days=30))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Reason (shown to the applicant)"), widget=forms.Textarea(attrs={"rows": 3}))


class SiteVisitForm(forms.Form):
    scheduled_for = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("Site"), max_length=200)


class SiteVisitResultForm(forms.Form):
    visit = forms.ModelChoiceField(label=_("Visit"), queryset=SiteVisit.objects.none())
    result = forms.ChoiceField(label=_("Result"), choices=SiteVisit.Result.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = application.site_visits.all()


class FindingForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Finding.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(questionnaire=application.questionnaire)


class ProposeGrantForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type to grant"), choices=AuthorisationType.choices)
    note = forms.CharField(label=_("Summary of the examination"), widget=forms.Textarea(attrs={"rows": 4}))


class RejectionForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds (sent to the applicant, who may reply within 30 days)"),
                              widget=forms.Textarea(attrs={"rows": 6}))


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    remedial_measures = forms.CharField(label=_("What the holder must do"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(label=_("Suspended until"), widget=forms.DateInput(attrs={"type": "date"}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


class QuestionnaireUploadForm(forms.Form):
    # Through the upload check like every upload, though it is loaded rather than stored.
    file = PrivateFileField(label=_("Questionnaire file (JSON)"), allowed=JSON_ONLY)


class MonitoringVisitForm(forms.Form):
    planned_for = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("The holder is told at once, so that the right people and records "
                                              "are there."))
    location = forms.CharField(label=_("Site"), max_length=200, help_text=_("For example: the main warehouse."))
    officer_role = forms.ChoiceField(label=_("Who visits"), choices=MonitoringReview.OfficerRole.choices,
                                     help_text=_("The holder is told the role, not the name."))


class MonitoringReviewForm(forms.Form):
    visit = forms.ModelChoiceField(label=_("Planned visit"), queryset=MonitoringReview.objects.none(),
                                   required=False, empty_label=_("None: a review that was not planned here"),
                                   help_text=_("The findings of a planned visit complete it."))
    kind = forms.ChoiceField(label=_("Kind of review"), choices=MonitoringReview.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(label=_("Result"), choices=MonitoringReview.Result.choices)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=_("What customs found. Shortcomings bring the next review forward to a "
                                           "year from now."))

    def __init__(self, *args, authorisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        planned = authorisation.reviews.filter(held_on__isnull=True) if authorisation else None
        if planned is not None and planned.exists():
            self.fields["visit"].queryset = planned
        else:
            del self.fields["visit"]


class RiskWeightsForm(forms.Form):
    weights = forms.JSONField(label=_("Weights"), widget=forms.Textarea(attrs={"rows": 22, "cols": 80}),
                              help_text=_("Points per item for each rule, a cap per family, and where each band "
                                          "starts. Cases screened from now on use the new version; earlier scores "
                                          "keep theirs."))
    note = forms.CharField(label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 3}))
