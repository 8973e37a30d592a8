"""What the portal holds about a person: the core's part, and each pillar's, registered in its AppConfig.ready().

A user downloads it as JSON from their account page (the right of access and to data portability).
The core never imports a pillar: a pillar registers a function that gives its part for a user.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from portal.models import AuditEvent, Membership, Notification, NotificationPreference, User
from portal.models.tokens import ApiToken

Exporter = Callable[[User], dict[str, Any]]
EXPORTERS: dict[str, Exporter] = {}
# Called when an account is closed, to end what only makes sense for a living account (follows, reminders).
ERASERS: dict[str, Callable[[User], None]] = {}


def register_personal_data(name: str, export: Exporter, *, erase: Callable[[User], None] | None = None) -> None:
    EXPORTERS[name] = export
    if erase:
        ERASERS[name] = erase


def when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _core(user: User) -> dict[str, Any]:
    return {
        "profile": {"e-mail": user.email, "full name": user.full_name, "joined": when(user.date_joined),
                    "last sign-in": when(user.last_login), "customs staff": user.is_staff,
                    "language": user.language},
        "e-mail addresses": [{"address": e.email, "verified": e.verified, "primary": e.primary}
                             for e in EmailAddress.objects.filter(user=user).order_by("email")],
        "two-factor methods": [{"type": a.type, "created": when(a.created_at), "last used": when(a.last_used_at)}
                               for a in Authenticator.objects.filter(user=user).order_by("created_at")],
        "memberships": [{"organisation": m.organisation.name, "identifier": m.organisation.identifier,
                         "role": m.get_role_display(), "since": when(m.created_at)}
                        for m in Membership.objects.filter(user=user).select_related("organisation")],
        "notifications": [{"kind": n.kind, "subject": n.shown_subject, "message": n.shown_body, "link": n.link,
                           "created": when(n.created_at), "read": when(n.read_at), "e-mail": n.email_status}
                          for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")],
        "e-mail preferences": [{"kind": p.kind, "by e-mail": p.email}
                               for p in NotificationPreference.objects.filter(user=user).order_by("kind")],
        "API tokens": [{"name": t.name, "created": when(t.created_at), "last used": when(t.last_used_at)}
                       for t in ApiToken.objects.filter(user=user).order_by("created_at")],
        "actions recorded in the audit trail": [
            {"action": e.action, "on": e.target_repr, "from": e.from_state, "to": e.to_state,
             "when": when(e.created_at), "IP address": e.ip_address}
            for e in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


def personal_data(user: User) -> dict[str, Any]:
    data = {"exported": when(timezone.now()), "portal": _core(user)}
    for name, export in EXPORTERS.items():
        data[name] = export(user)
    return data
