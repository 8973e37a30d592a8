"""allauth's forms, where the portal answers differently."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm


class SignupForm(AllauthSignupForm):
    """Sign-up still says plainly that an address is taken, though ACCOUNT_PREVENT_ENUMERATION makes
    password reset answer alike for every address: someone who forgot they have an account learns it
    at once, and probing through sign-up is slow (its rate limit) and e-mails every address it misses."""

    def validate_unique_email(self, value) -> str:
        email = super().validate_unique_email(value)
        if self.account_already_exists:
            raise get_adapter().validation_error("email_taken")
        return email
