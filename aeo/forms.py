from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from aeo.models import Answer, Authorisation, AuthorisationType, Question
from aeo.services import AnswerInput, normalise_answer
from aeo.services.applications import MISSING_EVIDENCE_REASON
from portal.files import PrivateFileField

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which authorisation do you apply for?"), choices=AuthorisationType.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Choose the authorisation you apply for.")})


class SectionForm(forms.Form):
    """The questions of one section. Saving part of a section is fine: completeness is checked on submit."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], answers: dict[int, Answer], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            answer = answers.get(q.pk)
            self.fields[f"q{q.pk}"] = self._value_field(q, answer)
            # Saving part of a section is allowed, so no field is required here; mark only the
            # questions that are optional for submission.
            self.fields[f"q{q.pk}"].show_optional = not q.required
            if q.allows_na:
                self.fields[f"q{q.pk}_na"] = forms.BooleanField(
                    label=_("This does not apply to us"), required=False,
                    initial=bool(answer and answer.not_applicable))
                self.fields[f"q{q.pk}_why"] = forms.CharField(
                    label=_("Why it does not apply"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                    initial=answer.justification if answer else "")

    @staticmethod
    def _value_field(q: Question, answer: Answer | None) -> forms.Field:
        label = f"{q.code} {q.local_text}"
        initial = answer.value if answer else ""
        common: dict[str, Any] = {"label": label, "required": False, "help_text": q.local_help, "initial": initial}
        kind = Question.AnswerType
        if q.answer_type == kind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if q.answer_type == kind.CHOICE:
            return forms.ChoiceField(choices=q.local_choices, widget=forms.RadioSelect, **common)
        if q.answer_type == kind.DATE:
            return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if q.answer_type == kind.NUMBER:
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)

    def rows(self):
        """(question, value field, n/a field, justification field) for the template."""
        for q in self.questions:
            yield (q, self[f"q{q.pk}"], self[f"q{q.pk}_na"] if q.allows_na else None,
                   self[f"q{q.pk}_why"] if q.allows_na else None)

    def clean(self):
        cleaned = super().clean()
        self.answers: dict[int, AnswerInput] = {}
        for q in self.questions:
            raw = AnswerInput(str(cleaned.get(f"q{q.pk}") or ""), bool(cleaned.get(f"q{q.pk}_na")),
                              cleaned.get(f"q{q.pk}_why", ""))
            if raw.not_applicable and raw.value:
                self.add_error(f"q{q.pk}", _("Either answer the question or say it does not apply, not both."))
                continue
            try:
                self.answers[q.pk] = normalise_answer(q, raw)
            except ValidationError as error:
                self.add_error(f"q{q.pk}", error)
        return cleaned


class EvidenceForm(forms.Form):
    file = PrivateFileField(label=_("Add a file"))


class SubmitForm(forms.Form):
    signatory_name = forms.CharField(label=_("Full name of the person signing"), max_length=150,
                                     error_messages={"required": _("Enter the name of the person signing.")})
    signatory_position = forms.CharField(label=_("Position in the organisation"), max_length=150,
                                         error_messages={"required": _("Enter the position of the person signing.")})
    confirmed = forms.BooleanField(
        label=_("I declare that the answers and evidence are true and complete to the best of my knowledge, "
                "and that I am authorised to sign for the organisation."),
        error_messages={"required": _("Confirm the declaration to sign.")})

    def __init__(self, *args, missing_evidence=(), **kwargs):
        """`missing_evidence`: the questions whose expected evidence is not attached; each needs a reason."""
        super().__init__(*args, **kwargs)
        self.missing_evidence = list(missing_evidence)
        fields = {}
        for question in self.missing_evidence:
            fields[f"evidence_reason_{question.code}"] = forms.CharField(
                label=_("%(code)s: why is “%(evidence)s” not attached?") % {"code": question.code,
                                                                           "evidence": question.local_evidence},
                widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                error_messages={"required": MISSING_EVIDENCE_REASON % {"code": question.code}})
        # The reasons come first: the declaration covers them too.
        self.fields = {**fields, **self.fields}

    def submission(self) -> dict:
        """The service's keyword arguments."""
        data = dict(self.cleaned_data)
        reasons = {q.code: data.pop(f"evidence_reason_{q.code}") for q in self.missing_evidence}
        return {**data, "evidence_reasons": reasons}


class ResponseForm(forms.Form):
    text_field = "response"  # what the dialogue page hands to the service (so does HearingReplyForm)
    response = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}),
                               error_messages={"required": _("Write your answer to customs' questions.")})
    file = PrivateFileField(label=_("Attach a file"), required=False)


class HearingReplyForm(forms.Form):
    text_field = "reply"
    reply = forms.CharField(label=_("Your reply to the grounds"), widget=forms.Textarea(attrs={"rows": 6}),
                            error_messages={"required": _("Write your reply to the grounds.")})
    file = PrivateFileField(label=_("Attach a file"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why you withdraw (optional)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirmed = forms.BooleanField(label=_("Yes, withdraw this application"),
                                   error_messages={"required": _("Tick the box to confirm.")})


class ConsentForm(forms.Form):
    publish = forms.BooleanField(label=_("Publish our name in the public list of AEO holders"), required=False)
    mra = forms.BooleanField(label=_("Share our AEO data with customs administrations of mutual-recognition "
                                     "partners, so that our status is recognised there"), required=False)


class ChangeNoticeForm(forms.Form):
    description = forms.CharField(label=_("What has changed, and since when"), widget=forms.Textarea(attrs={"rows": 6}),
                                  error_messages={"required": _("Describe what has changed and since when.")})
    file = PrivateFileField(label=_("Attach a document"), required=False)


class HolderFilter(django_filters.FilterSet):
    """The public list of holders, searched by name, country and type from the query string."""

    name = django_filters.CharFilter(label=_("Name"), field_name="organisation__name", lookup_expr="icontains")
    country = django_filters.ChoiceFilter(label=_("Country"), field_name="organisation__country",
                                          choices=countries, empty_label=_("Any country"))
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=AuthorisationType.choices, empty_label=_("Any type"))

    class Meta:
        model = Authorisation
        fields = ["name", "country", "kind"]
