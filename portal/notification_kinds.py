"""The kinds of notification, registered by the app that sends them.

Each kind has a label for the preferences page and says whether people may turn its e-mails off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: StrOrPromise
    optional_email: bool = True  # False: always e-mailed (security, legal deadlines)
    why: StrOrPromise = ""  # for a kind always e-mailed: why, in words for the preferences page


KINDS: dict[str, NotificationKind] = {}


def register_kind(code: str, label: StrOrPromise, *, optional_email: bool = True,
                  why: StrOrPromise = "") -> NotificationKind:
    kind = NotificationKind(code, label, optional_email, why)
    KINDS[code] = kind
    return kind


def get_kind(code: str) -> NotificationKind:
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(f"Unknown notification kind {code!r}: register it first") from None


ACCOUNT = register_kind("account", _("Account and security e-mails"), optional_email=False)
INVITATION = register_kind("organisation.invitation", _("Invitations to join an organisation"), optional_email=False)
MEMBERSHIP = register_kind("organisation.membership", _("Changes to your organisation's members and roles"))
VERIFICATION = register_kind("organisation.verification", _("Verification of your organisation by customs"))
