"""Closing one's own account: what goes, and what the law makes us keep."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import ApiToken, Membership, Notification, NotificationPreference, Role, User
from portal.models.audit import register_actions
from portal.personal_data import ERASERS
from portal.services.audit import audit_record

CLOSED_NAME = "Former user"

register_actions({"account.closed": gettext_lazy("Account closed by its owner")})


def account_close_refusal(*, user: User) -> str:
    """Why this account cannot be closed by its owner now, or "" when it can."""
    if user.is_staff:
        return _("Customs staff accounts are closed by a programme administrator: the decisions taken with "
                 "them are official acts, and the back office must be handed over first.")
    sole_admin_of = (
        Membership.objects.filter(user=user, role=Role.ADMIN)
        .annotate(admins=Count("organisation__memberships", filter=Q(organisation__memberships__role=Role.ADMIN)),
                  members=Count("organisation__memberships"))
        .filter(admins=1, members__gt=1)
        .select_related("organisation")
    )
    names = ", ".join(m.organisation.name for m in sole_admin_of)
    if names:
        return _("You are the only administrator of %(names)s. Make another member an administrator first, so "
                 "that the organisation is not left without one.") % {"names": names}
    return ""


@transaction.atomic
def account_close(*, user: User) -> User:
    """Erase what identifies the person and end every way into the account; keep the records the law requires.

    Kept, under the user row that now has no name or address: the audit trail (customs must be able to show
    who did what and when), AEO applications once signed and their answers (they belong to the organisation
    and are evidence in an administrative procedure, with the signatory's name as signed), consultation
    comments (part of the public record the outcome report answers) and training certificates already
    issued (others verify them by their code). Drafts stay with the organisation, which owns them.
    """
    refusal = account_close_refusal(user=user)
    if refusal:
        raise ValidationError(refusal)
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Membership.objects.filter(user=user).delete()
    for erase in ERASERS.values():
        erase(user)
    user.email = f"closed-{user.pk}@closed.invalid"
    user.full_name = CLOSED_NAME
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    user.groups.clear()
    user.user_permissions.clear()
    audit_record(actor=None, action="account.closed", target=user)
    return user


def user_language_set(*, user: User, language: str) -> User:
    """Remember the language a person chose, for their pages on every device and for their e-mails."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the portal's languages.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
