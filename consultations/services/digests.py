"""Periodic notifications: the daily digest and customs' reminder of unanswered comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from consultations.models import (
    Comment,
    Consultation,
    Follow,
    Phase,
)
from consultations.services.lifecycle import UNANSWERED_REMINDER_AFTER
from portal.models import Organisation, User
from portal.services.notifications import notify
from portal.texts import Text

# --- Periodic notifications -----------------------------------------------------------------------


@transaction.atomic
def digests_send(*, now: datetime | None = None) -> int:
    """Send each digest follower one message for yesterday's comments (UTC day); safe to run twice.

    The idempotency key carries the day, so a second run (or a second worker) adds nothing.
    """
    now = now or timezone.now()
    day_end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start = day_end - timedelta(days=1)
    comments = list(Comment.objects.filter(created_at__gte=day_start, created_at__lt=day_end,
                                           deleted_at__isnull=True, hidden_at__isnull=True)
                    .select_related("consultation", "author", "organisation").order_by("consultation_id", "pk"))
    if not comments:
        return 0
    by_consultation: dict[int, list[Comment]] = {}
    for comment in comments:
        by_consultation.setdefault(comment.consultation_id, []).append(comment)
    follows = (Follow.objects.filter(consultation_id__in=list(by_consultation), delivery=Follow.Delivery.DIGEST,
                                     user__is_active=True).select_related("user", "consultation"))
    sent = 0
    for follow in follows:
        new = [c for c in by_consultation[follow.consultation_id] if c.author_id != follow.user_id]
        if not new:
            continue
        lines = [f"- {c.signed_as}: {' '.join(c.body.split())[:200]}" for c in new]
        sent += len(notify(
            recipients=[follow.user], kind="consultations.digest",
            subject=Text(gettext_noop("%(n)s new comments on “%(title)s”"), n=len(new),
                         title=follow.consultation.title),
            body="\n".join(lines), link=follow.consultation.get_absolute_url(),
            key=f"consultations.digest:{follow.consultation_id}:{day_start:%Y-%m-%d}",
        ))
    return sent


def official_responders() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True,
                                    memberships__organisation__kind=Organisation.Kind.CUSTOMS).distinct())


@transaction.atomic
def unanswered_remind(*, now: datetime | None = None) -> int:
    """Remind customs of comments still without an official response a week after closing (once)."""
    now = now or timezone.now()
    responders = official_responders()
    sent = 0
    for consultation in Consultation.objects.filter(phase=Phase.CLOSED,
                                                    closed_at__lte=now - UNANSWERED_REMINDER_AFTER):
        waiting = consultation.comments.filter(official_response__isnull=True, deleted_at__isnull=True,
                                               hidden_at__isnull=True).count()
        if not waiting:
            continue
        sent += len(notify(
            recipients=responders, kind="consultations.unanswered",
            subject=Text(gettext_noop("%(n)s comments on “%(title)s” still need an official response"), n=waiting,
                         title=consultation.title),
            body=Text(gettext_noop("The consultation closed on %(date)s. Respondents are waiting to know what became "
                                   "of their input: answer each comment before publishing the outcome."),
                      date=timezone.localdate(consultation.closed_at)),
            link=f"{consultation.get_absolute_url()}?unanswered=1",
            key=f"consultations.unanswered:{consultation.pk}",
        ))
    return sent
