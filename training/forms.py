from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.files import PrivateFileField
from training.models import AeoSection, Centre, Course, Question

if TYPE_CHECKING:
    from aeo.models import Question as AeoQuestion
    from training.models import Certificate


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("Any level")), *Course.Level.choices])
    aeo = forms.ChoiceField(label=_("AEO relevance"), required=False, choices=[
        ("", _("Any course")), ("any", _("Supports an AEO application")),
        *((code, _("AEO: %(section)s") % {"section": label}) for code, label in AeoSection.choices),
    ])

    def __init__(self, *args, centres: list[Centre], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["centre"]).choices = [
            ("", _("All centres")), *((c.slug, c.name) for c in centres)]


class QuizAttemptForm(forms.Form):
    """One field per drawn question: radio buttons for single choice, checkboxes for multiple choice.

    The server scores what comes back; the form only keeps the learner's ticks if the page is redisplayed.
    """

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        for number, question in enumerate(questions, start=1):
            choices = [(c.pk, c.text) for c in question.choices.all()]
            label = _("Question %(n)s: %(text)s") % {"n": number, "text": question.text}
            field: forms.ChoiceField
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label, choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple,
                    help_text=_("Tick every answer that is right."))
            else:
                field = forms.TypedChoiceField(label=label, choices=choices, coerce=int, widget=forms.RadioSelect,
                                               help_text=_("Choose one answer."))
            # Every question needs an answer, so that a stray click on "Submit" does not spend an attempt.
            field.error_messages["required"] = _("Answer question %(n)s.") % {"n": number}
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, list[int]]:
        result = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            result[int(name[1:])] = value if isinstance(value, list) else [value]
        return result


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PrivateFilesField(PrivateFileField):
    """Several uploads at once, each through the same check; `cleaned_data` holds a list of CheckedUploads."""

    MAX_FILES = 5

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.MAX_FILES:
            raise forms.ValidationError(_("Attach at most %(n)s files.") % {"n": self.MAX_FILES}, code="too_many")
        return [super(PrivateFilesField, self).clean(upload, initial) for upload in uploads]


class AdvisoryQuestionForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.all(), empty_label=None,
                                    help_text=_("The centre for your organisation's main sector is chosen for you."))
    subject = forms.CharField(label=_("Subject"), max_length=200,
                              error_messages={"required": _("Enter a subject: a line that says what it is about.")})
    text = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("Say which goods, procedure and country it is about."),
                           error_messages={"required": _("Write your question.")})
    # The form's metaclass moves declared fields into base_fields, so `self.files` stays the uploads;
    # the stubs do not model that move.
    files = PrivateFilesField(label=_("Attach documents"), required=False)  # type: ignore[assignment]


class AeoEvidenceForm(forms.Form):
    certificate: forms.ModelChoiceField[Certificate] = forms.ModelChoiceField(
        label=_("Certificate"), queryset=None, widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": _("Choose the certificate to attach.")})
    question: forms.ModelChoiceField[AeoQuestion] = forms.ModelChoiceField(
        label=_("Attach it to question"), queryset=None,
        error_messages={"required": _("Choose the question it is evidence for.")})

    def __init__(self, *args, certificates: list, questions: list, **kwargs):
        super().__init__(*args, **kwargs)
        from aeo.models import Question
        from training.models import Certificate

        certificate_field = cast(forms.ModelChoiceField, self.fields["certificate"])
        certificate_field.queryset = Certificate.objects.filter(pk__in=[c.pk for c in certificates])
        # A per-instance label (no subclass for one lambda); mypy reads it as an unbound method, hence the ignores.
        certificate_field.label_from_instance = (  # type: ignore[method-assign]
            lambda c: f"{c.course.title} — {c.holder_name}, {date_format(c.issued_at)}")  # type: ignore[assignment]
        expecting = [q for q in questions if q.evidence] or questions
        question_field = cast(forms.ModelChoiceField, self.fields["question"])
        question_field.queryset = Question.objects.filter(pk__in=[q.pk for q in expecting])
        question_field.label_from_instance = lambda q: f"{q.code} {q.text}"  # type: ignore[method-assign, assignment]
