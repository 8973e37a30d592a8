"""allauth's forms, where the portal answers differently."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class WithoutPlaceholders(forms.Form):
    """Our fields carry labels and hints; allauth's placeholders repeat the label in other words
    ("Email address" under "E-mail address") and vanish as one types, so they go."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class SignupForm(WithoutPlaceholders, AllauthSignupForm):
    """Sign-up still says plainly that an address is taken, though ACCOUNT_PREVENT_ENUMERATION makes
    password reset answer alike for every address: someone who forgot they have an account learns it
    at once, and probing through sign-up is slow (its rate limit) and e-mails every address it misses."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _("We send a link to it, to check that it is yours.")
        self.fields["password1"].label = _("Password")
        if "password2" in self.fields:
            self.fields["password2"].label = _("Password again")

    def validate_unique_email(self, value) -> str:
        email = super().validate_unique_email(value)
        if self.account_already_exists:
            raise get_adapter().validation_error("email_taken")
        return email


class LoginForm(WithoutPlaceholders, AllauthLoginForm):
    """allauth's sign-in form, labelled in the portal's words."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        self.fields["password"].label = _("Password")
        self.fields["remember"].label = _("Keep me signed in on this device")
        self.fields["remember"].help_text = _("Do not tick this on a shared computer.")


class ChangePasswordForm(WithoutPlaceholders, AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")


class ResetPasswordKeyForm(WithoutPlaceholders, AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password again")


class ResetPasswordForm(WithoutPlaceholders, AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
