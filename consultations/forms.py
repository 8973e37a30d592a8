from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations import permissions
from consultations.models import Audience, Consultation, Disposition, Follow, Topic
from portal.files import PDF_ONLY, PrivateFileField
from portal.models import Organisation
from portal.translated import active_language


class ConsultationForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Topics"))
    invited_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(verified_at__isnull=False).order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Invited organisations"),
        help_text=_("Only for a working group: these organisations, and yours, can read and comment."),
    )
    opens_at = forms.DateTimeField(label=_("Opens"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                   help_text=_("Leave empty to open as soon as you publish."))
    closes_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    error_messages={"required": _("Enter the date and time comments close.")},
                                    help_text=_("Give people at least four weeks for a public consultation."))

    class Meta:
        model = Consultation
        fields = ["title", "summary", "body", "language", "topics", "audience", "invited_organisations",
                  "opens_at", "closes_at"]
        widgets = {"audience": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 3}),
                   "body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"body": _("Markdown: ## for headings, ** for bold, - for lists. Describe the process as it "
                                "is and as it would be; attach the process maps after saving.")}
        error_messages = {
            "title": {"required": _("Enter a title that says what the proposal is about.")},
            "summary": {"required": _("Enter a short summary.")},
            "body": {"required": _("Enter the proposal.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = Audience.choices
        # A new proposal is, by default, in the language its author reads; an edit keeps the one recorded.
        self.fields["language"].required = False
        if not self.instance.pk:
            self.fields["language"].initial = active_language()

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or (self.instance.language if self.instance.pk else active_language())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("audience") == Audience.INVITED and not cleaned.get("invited_organisations"):
            self.add_error("invited_organisations", _("Choose the organisations you invite to the working group."))
        return cleaned


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("What it is"), max_length=200,
                            help_text=_("For example: “Process map as is” or “Process map to be”."),
                            error_messages={"required": _("Say what the document is.")})
    file = PrivateFileField(label=_("Document"))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Markdown is allowed. Be specific: which step, which data, what you "
                                       "propose instead."),
                           error_messages={"required": _("Write your comment.")})
    on_behalf = forms.BooleanField(label="", required=False)
    position_paper = PrivateFileField(label=_("Position paper"), allowed=PDF_ONLY, required=False)

    template_name = "consultations/includes/comment_form_fields.html"

    def __init__(self, *args, user=None, membership=None, reply=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reply:
            self.fields["body"].label = _("Your reply")
            del self.fields["position_paper"]
        # Why "on behalf" is not offered, said under the form; nothing to say to someone with no organisation.
        refusal = permissions.on_behalf_refusal(user, membership) if membership else None
        self.on_behalf_refusal = refusal
        self.unverified = membership.organisation if refusal and not membership.organisation.is_verified else None
        if membership is not None and refusal is None:
            self.fields["on_behalf"].label = _("Post on behalf of %(name)s") % {"name": membership.organisation}
        else:
            del self.fields["on_behalf"]


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("Write your comment.")})


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this comment?"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=1000,
                             help_text=_("For example: personal attacks, advertising, confidential data."),
                             error_messages={"required": _("Say what is wrong with the comment.")})


class OfficialResponseForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices, widget=forms.RadioSelect,
                                    error_messages={"required": _("Choose a disposition.")})
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 8}),
                                help_text=_("Markdown is allowed. Say what will change, or why not."),
                                error_messages={"required": _("Give the reasons for the disposition.")})


class FollowForm(forms.Form):
    delivery = forms.ChoiceField(label=_("How to tell you of new comments"), choices=Follow.Delivery.choices,
                                 widget=forms.RadioSelect, initial=Follow.Delivery.DIGEST)


class OutcomeForm(forms.Form):
    summary = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 10}),
                              help_text=_("What was decided, what changes and when. Markdown is allowed. The "
                                          "report lists every comment with its official response."),
                              error_messages={"required": _("Write the outcome.")})


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, topics, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.models import PUBLISHED_PHASES, Phase

        self.fields["phase"].choices = [("", _("Any phase"))] + [(p.value, p.label) for p in Phase
                                                                 if p in PUBLISHED_PHASES]
        self.fields["topic"].choices = [("", _("Any topic"))] + [(t.slug, t.name) for t in topics]
        self.fields["organisation"].choices = [("", _("Any organisation"))] + [(str(o.pk), o.name)
                                                                               for o in organisations]
