"""The notification outbox: write in the caller's transaction, deliver after commit, relay the rest."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string, select_template
from django.utils import timezone

from portal.models import Notification, NotificationPreference, User
from portal.notification_kinds import get_kind

logger = logging.getLogger(__name__)
Status = Notification.EmailStatus


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    key: str | None = None,
) -> list[Notification]:
    """Notify users in the portal and, as each prefers, by e-mail.

    Call it inside the transaction of the change it reports: a rollback takes the notifications with it.
    With `key`, a second call for the same event and recipient adds nothing (jobs may run twice).
    """
    kind_def = get_kind(kind)
    recipients = list({u.pk: u for u in recipients}.values())
    if not recipients:
        return []
    opted_out: set[int] = set()
    if kind_def.optional_email:
        opted_out = set(
            NotificationPreference.objects.filter(user__in=recipients, kind=kind, email=False)
            .values_list("user_id", flat=True)
        )
    created = []
    for user in recipients:
        fields = dict(
            recipient=user, kind=kind, subject=subject[:200], body=body, link=link,
            email_status=Status.SKIPPED if user.pk in opted_out or not user.is_active else Status.PENDING,
        )
        if key:
            notification, is_new = Notification.objects.get_or_create(
                idempotency_key=f"{key}:{user.pk}", defaults=fields
            )
            if not is_new:
                continue
        else:
            notification = Notification.objects.create(**fields)
        created.append(notification)
    _deliver_on_commit([n.pk for n in created if n.email_status == Status.PENDING])
    return created


def notify_address(*, email: str, kind: str, subject: str, body: str, html_body: str = "",
                   link: str = "") -> Notification:
    """E-mail an address that may have no account yet (invitations, account e-mails)."""
    get_kind(kind)
    notification = Notification.objects.create(
        email=email, kind=kind, subject=subject[:200], body=body, html_body=html_body, link=link
    )
    _deliver_on_commit([notification.pk])
    return notification


# After a failed publish, skip nudges for a while: each attempt at a broker that is down costs the
# request several seconds of connection retries, and the relay delivers those rows anyway.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


def _deliver_on_commit(notification_ids: list[int]) -> None:
    if not notification_ids:
        return

    def nudge() -> None:
        global _broker_down_until
        from portal.tasks import deliver_notifications

        if time.monotonic() < _broker_down_until:
            logger.info("Broker recently unreachable; leaving notifications %s to the relay", notification_ids)
            return
        try:
            deliver_notifications.apply_async((notification_ids,), retry=False)
        except Exception:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("Broker unreachable; the relay will deliver notifications %s", notification_ids,
                           exc_info=True)

    transaction.on_commit(nudge, robust=True)


def render_email(notification: Notification) -> EmailMultiAlternatives:
    if notification.html_body or notification.kind == "account":
        text, html = notification.body, notification.html_body
        subject = notification.subject
    else:
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "link": f"{settings.SITE_URL}{notification.link}" if notification.link.startswith("/")
            else notification.link,
            "site_url": settings.SITE_URL,
        }
        kind_dir = notification.kind.replace(".", "/")
        text = select_template([f"emails/{kind_dir}.txt", "emails/notification.txt"]).render(context)
        html = select_template([f"emails/{kind_dir}.html", "emails/notification.html"]).render(context)
        subject = render_to_string("emails/notification_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[notification.address],
        headers={"X-Portal-Notification": str(notification.pk)},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def notification_deliver(notification_id: int) -> str:
    """Send one notification's e-mail if it is due; safe to call any number of times, concurrently.

    The row stays locked while the e-mail goes out, so a second worker skips it instead of sending
    it again; if this process dies mid-way, the lock goes with its connection and the row stays due.
    """
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_status=Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if notification is None:
            return "skipped"  # sent, dead, not yet due, or in the hands of another worker right now
        notification.attempts += 1
        try:
            render_email(notification).send()
        except Exception as exc:
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                notification.email_status = Status.DEAD
                logger.error("Notification %s is dead after %s attempts", notification.pk, notification.attempts)
            else:
                backoff = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
                notification.next_attempt_at = now + timedelta(seconds=backoff)
            notification.save(update_fields=["attempts", "last_error", "email_status", "next_attempt_at"])
            return "failed"
        notification.email_status = Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_error", "email_status", "sent_at"])
        return "sent"


def notifications_relay(*, batch_size: int = 200) -> int:
    """Deliver every due notification that no nudge delivered (broker down, worker killed, back-off)."""
    due = list(
        Notification.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:batch_size]
    )
    return sum(notification_deliver(pk) == "sent" for pk in due)


def notification_retry(*, notification_ids: Iterable[int]) -> int:
    """Give dead notifications a fresh set of attempts (staff, from the admin)."""
    ids = list(notification_ids)
    with transaction.atomic():
        count = Notification.objects.filter(pk__in=ids, email_status=Status.DEAD).update(
            email_status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        _deliver_on_commit(ids)
    return count


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all of them."""
    qs = Notification.objects.visible_to(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notification_preferences_set(*, user: User, email_kinds: dict[str, bool]) -> None:
    for kind, wants_email in email_kinds.items():
        if not get_kind(kind).optional_email:
            continue
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wants_email})
