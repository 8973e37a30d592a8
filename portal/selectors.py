"""Reads for the core's pages and API, scoped to the user first."""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from portal.models import (
    AuditEvent,
    Invitation,
    Membership,
    Notification,
    Organisation,
    OrganisationDocument,
    PartnerClient,
    User,
)


def notifications_recent(user: User, *, limit: int) -> list[Notification]:
    return list(Notification.objects.visible_to(user)[:limit])


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user)


def unread_count(user: User) -> int:
    return Notification.objects.visible_to(user).unread().count()


def _unread_key(user: User) -> str:
    return f"header:unread:{user.pk}"


def unread_count_cached(user: User) -> int:
    """The header's count, kept HEADER_COUNTS_SECONDS: a new notification may show a few seconds late;
    marking notifications read forgets it at once (unread_count_forget)."""
    count = cache.get(_unread_key(user))
    if count is None:
        count = unread_count(user)
        cache.set(_unread_key(user), count, timeout=settings.HEADER_COUNTS_SECONDS)
    return count


def unread_count_forget(user: User) -> None:
    cache.delete(_unread_key(user))


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


class OrganisationPage(TypedDict):
    members: list[Membership]
    admin_count: int
    invitations: list[Invitation]
    documents: list[OrganisationDocument]
    events: list[AuditEvent]


def organisation_page(organisation: Organisation) -> OrganisationPage:
    """Everything the organisation page shows, in a fixed number of queries."""
    members = list(organisation.memberships.select_related("user").order_by("role", "user__email"))
    invitations = list(
        organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
    )
    return {
        "members": members,
        "admin_count": sum(m.role == "admin" for m in members),
        "invitations": invitations,
        "documents": list(organisation.documents.select_related("uploaded_by")),
        # The organisation's own history; each pillar shows its cases' timelines on its own pages.
        "events": list(AuditEvent.objects.filter(organisation=organisation).filter(
            Q(action__startswith="organisation.") | Q(action__startswith="invitation.")
            | Q(action__startswith="membership.")).select_related("actor")[:20]),
    }


def organisations_for_api(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (
        Organisation.objects.visible_to(user)
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.filter(user=user),
                                   to_attr="my_memberships"))
        .order_by("name")
    )


def mra_partners() -> list[PartnerClient]:
    """The partner administrations that read the status of holders who consent to MRA exchange."""
    return list(PartnerClient.objects.active().order_by("country", "name"))
