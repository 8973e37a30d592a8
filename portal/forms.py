from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from portal.files import PrivateFileField
from portal.models import Organisation, Role
from portal.notification_kinds import KINDS


class PortalFormRenderer(TemplatesSetting):
    """Every form: an error summary on top, then each field with its label, hint and errors."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https",
                             help_text=_("Customs sees it with your AEO application. Leave it empty if you have none."))

    class Meta:
        model = Organisation
        fields = ["kind", "name", "identifier", "country", "sector", "street", "postcode", "city", "website"]
        widgets = {"kind": forms.RadioSelect}
        # Optional for the form, but each says when it becomes needed, so nobody is surprised later.
        help_texts = {
            "sector": _("Needed for economic operators: it decides which Centre of Excellence advises you and "
                        "which courses we recommend. Associations leave it empty."),
            "street": _("Needed before you apply for AEO status: customs writes to this address and visits the "
                        "premises there."),
            "postcode": _("Needed before you apply for AEO status, with the street and town."),
            "city": _("Needed before you apply for AEO status, with the street and postcode."),
        }
        error_messages = {
            "kind": {"required": _("Choose what kind of organisation this is.")},
            "name": {"required": _("Enter the organisation's registered name.")},
            "identifier": {"required": _("Enter the EORI, tax or registration number.")},
            "country": {"required": _("Choose the country where the organisation is registered.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not "(optional)" beside a field that an AEO application will need: the label says when it is needed.
        self.fields["sector"].optional_note = _("needed for economic operators")
        for name in ("street", "postcode", "city"):
            self.fields[name].optional_note = _("needed to apply for AEO status")
        if self.instance.pk:
            del self.fields["kind"]  # what an organisation is does not change
        # Customs organisations are set up by the administration, not by sign-up.
        elif "kind" in self.fields:
            self.fields["kind"].choices = [c for c in Organisation.Kind.choices if c[0] != "customs"]

    def validate_unique(self):
        # The service checks the identifier with a message that says what to do; the form only shapes input.
        pass

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", self.instance.kind)
        if kind == Organisation.Kind.OPERATOR and not cleaned.get("sector"):
            self.add_error("sector", _("Choose the main industry sector of your business."))
        return cleaned


class SignupForm(forms.Form):
    """What allauth's sign-up asks besides e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                error_messages={"required": _("Enter your full name.")},
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We send the invitation link to this address."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER, widget=forms.RadioSelect,
                             help_text=_("Administrators manage members and sign applications; members "
                                         "prepare them; consultants are outside advisers who prepare but "
                                         "cannot sign."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DocumentForm(forms.Form):
    description = forms.CharField(label=_("What the document is"), max_length=200,
                                  help_text=_("For example: extract from the commercial register, 2026."))
    file = PrivateFileField(label=_("File"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, so you can tell your tokens apart."))


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification whose e-mails may be turned off."""

    def __init__(self, *args, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for code, kind in sorted(KINDS.items()):
            if kind.optional_email:
                self.fields[code] = forms.BooleanField(label=kind.label, required=False,
                                                       initial=current.get(code, True))


def submitted_data(request) -> tuple:
    """(data, files) for a form with uploads: bound on POST even when the POST is empty, unbound otherwise."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def apply_errors(form: forms.BaseForm, error: ValidationError, *, field: str | None = None) -> None:
    """Put a service's ValidationError on the form, next to the fields it names; an error that names none
    goes to `field` (the whole form by default)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, error)


class AccountCloseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So that nobody else can close your account from a computer you left signed in."),
    )
    understood = forms.BooleanField(
        label=_("I understand that I cannot sign in again and that this cannot be undone"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password. Enter the password you sign in with."))
        return password
