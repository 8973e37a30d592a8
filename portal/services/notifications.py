"""The notification outbox: write in the caller's transaction, deliver after commit, relay the rest."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.charset import BASE64, Charset
from email.header import Header
from email.message import EmailMessage as StdlibEmailMessage
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Notification, NotificationPreference, User
from portal.notification_kinds import get_kind
from portal.selectors import unread_count_forget
from portal.texts import Text, english
from portal.work import enqueue_on_commit

logger = logging.getLogger(__name__)
Status = Notification.EmailStatus
NOTIFY_BATCH = 1000  # rows per INSERT when thousands are notified at once


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Text | str,
    body: Text | str,
    link: str = "",
    key: str | None = None,
) -> list[Notification]:
    """Notify users in the portal and, as each prefers, by e-mail.

    `subject` and `body` are Texts, shown and sent in each recipient's language; a plain str (what a
    user wrote) is kept as it is. Call it inside the transaction of the change it reports: a rollback takes
    the notifications with it. With `key`, a second call for the same event and recipient adds nothing
    (jobs may run twice).
    """
    kind_def = get_kind(kind)
    stored = _stored(subject=subject, body=body)
    users = {u.pk: u for u in recipients}
    created: list[Notification] = []
    now = timezone.now()
    ids = sorted(users)
    for i in range(0, len(ids), NOTIFY_BATCH):
        for pk, recipient_id, status in _insert_rows(ids[i:i + NOTIFY_BATCH], kind=kind, stored=stored,
                                                      link=link, key=key, now=now,
                                                      optional_email=kind_def.optional_email):
            created.append(Notification(
                pk=pk, recipient=users[recipient_id], kind=kind, **stored, link=link,
                created_at=now, next_attempt_at=now, email_status=status,
                idempotency_key=f"{key}:{recipient_id}" if key else None))
    created.sort(key=lambda n: n.pk)
    _deliver_on_commit([n.pk for n in created if n.email_status == Status.PENDING])
    return created


def _insert_rows(recipient_ids: list[int], *, kind: str, stored: dict[str, Any], link: str, key: str | None,
                 now: datetime, optional_email: bool) -> list[tuple[int, int, str]]:
    """Write one notification per recipient in one INSERT ... SELECT, worked out by the database (who has
    opted out of these e-mails, who is inactive, each row's key), and return (id, recipient, status) of
    the rows written. With a key, a row already written for the event is left as it is (ON CONFLICT DO
    NOTHING): a job that runs twice, or two calls at once, write one row per recipient, and only the call
    that wrote it delivers it."""
    table, users = Notification._meta.db_table, User._meta.db_table
    preferences = NotificationPreference._meta.db_table
    opted_out = (f"OR EXISTS (SELECT 1 FROM {preferences} p WHERE p.user_id = u.id AND p.kind = %s"  # noqa: S608
                 " AND NOT p.email)" if optional_email else "")
    key_sql = "CAST(%s AS text) || ':' || CAST(u.id AS text)" if key else "NULL"
    texts_sql = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"  # (SQLite keeps JSON as text)
    at = connection.ops.adapt_datetimefield_value(now)
    params = [kind, stored["subject"], stored["body"], json.dumps(stored["texts"]), link, at,
              *([kind] if optional_email else []), Status.SKIPPED, Status.PENDING, at, *([key] if key else []),
              *recipient_ids]
    sql = f"""
        INSERT INTO {table} (recipient_id, email, kind, subject, body, texts, html_body, link, created_at,
                             email_status, attempts, next_attempt_at, last_error, idempotency_key)
        SELECT u.id, '', %s, %s, %s, {texts_sql}, '', %s, %s,
               CASE WHEN NOT u.is_active {opted_out} THEN %s ELSE %s END, 0, %s, '', {key_sql}
        FROM {users} u WHERE u.id IN ({", ".join(["%s"] * len(recipient_ids))})
        ON CONFLICT DO NOTHING
        RETURNING id, recipient_id, email_status"""  # noqa: S608 (table names from the models; values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def notify_address(*, email: str, kind: str, subject: Text | str, body: Text | str, html_body: str = "",
                   link: str = "") -> Notification:
    """E-mail an address that may have no account yet (invitations, account e-mails).

    Texts are sent in the language active now (the sender's: the address has no profile to ask)."""
    get_kind(kind)
    stored = _stored(subject=subject, body=body)
    stored["texts"]["language"] = translation.get_language() or settings.LANGUAGE_CODE
    notification = Notification.objects.create(email=email, kind=kind, **stored, html_body=html_body, link=link)
    _deliver_on_commit([notification.pk])
    return notification


def _stored(*, subject: Text | str, body: Text | str) -> dict[str, Any]:
    """The columns keep the English rendering (staff search it in the admin); `texts` keeps the Texts."""
    return {
        "subject": english(subject)[:200], "body": english(body),
        "texts": {part: message.to_json() for part, message in (("subject", subject), ("body", body))
                  if isinstance(message, Text)},
    }


def email_language(notification: Notification) -> str:
    """The recipient's chosen language, else the one the address was written to in, else the default."""
    if notification.recipient and notification.recipient.language:
        return notification.recipient.language
    return notification.texts.get("language") or settings.LANGUAGE_CODE


def _deliver_on_commit(notification_ids: list[int]) -> None:
    """Nudge delivery after commit: a few ids in one task; thousands as ranges of ids, so that a fan-out
    to every follower publishes a handful of tasks, not one per small batch, and each task carries two
    numbers. A range task delivers what is due in it until its time is up and hands on the rest."""
    from portal.tasks import deliver_notification_range, deliver_notifications

    ids = sorted(notification_ids)
    if len(ids) <= settings.NOTIFICATION_BATCH_SIZE:
        if ids:
            enqueue_on_commit(deliver_notifications, ids)
        return
    size = settings.NOTIFICATION_RANGE_SIZE
    for i in range(0, len(ids), size):
        part = ids[i:i + size]
        enqueue_on_commit(deliver_notification_range, part[0], part[-1])


def due_in_range(first_id: int, last_id: int) -> list[int]:
    return list(Notification.objects.due().filter(pk__gte=first_id, pk__lte=last_id).order_by("pk")
                .values_list("pk", flat=True))


_SUBJECT_CHARSET = Charset("utf-8")
_SUBJECT_CHARSET.header_encoding = BASE64


@functools.lru_cache(maxsize=256)
def _encoded_subject(subject: str) -> str:
    """The Subject header as sent: ASCII as it is, else RFC 2047 words in base64 on one line (the mail
    library folds it). Python's default tries two encodings and measures the quoted-printable one
    character by character, about a millisecond for a long subject; a fan-out sends one subject thousands
    of times, so it is encoded once."""
    return subject if subject.isascii() else Header(subject, _SUBJECT_CHARSET).encode(linesep=" ")


class NotificationEmail(EmailMultiAlternatives):
    """A notification's e-mail; its `subject` stays the text people read, encoded once when sent."""

    def message(self, **options: Any) -> StdlibEmailMessage:  # (Django 6 adds `policy`; passed through)
        subject, self.subject = self.subject, _encoded_subject(self.subject)
        try:
            return super().message(**options)
        finally:
            self.subject = subject


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail in the recipient's language: the notification's texts and the templates' own words."""
    with translation.override(email_language(notification)):
        return _render_email(notification)


def _render_email(notification: Notification) -> EmailMultiAlternatives:
    if notification.html_body or notification.kind == "account":
        text, html = notification.body, notification.html_body
        subject = notification.shown_subject
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
    message = NotificationEmail(
        subject=" ".join(subject.split()), body=text, to=[notification.address],
        headers={"X-Portal-Notification": str(notification.pk)},
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def notification_deliver(notification_id: int, *, connection: BaseEmailBackend | None = None) -> str:
    """Send one notification's e-mail if it is due; safe to call any number of times, concurrently."""
    claimed = _claim([notification_id], now=timezone.now())
    if not claimed:
        return "skipped"  # sent, dead, not yet due, or in the hands of another worker right now
    if not _hand_over(claimed[0], connection=connection):
        return "failed"
    _mark_sent([notification_id])
    return "sent"


def _claim(notification_ids: list[int], *, now: datetime) -> list[Notification]:
    """Claim the due ones among these notifications, in one statement, and load them.

    Each becomes "sending", leased until a time by which any task sending it has been stopped by its
    hard time limit: a second caller finds it leased and skips it; if this process dies mid-way, the
    lease runs out and the relay tries again. The lease's end (to the microsecond) tells this claim's
    rows from another's.
    """
    lease_until = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    claimed = Notification.objects.due(now=now).filter(pk__in=notification_ids).update(
        email_status=Status.SENDING, next_attempt_at=lease_until, attempts=F("attempts") + 1)
    if not claimed:
        return []
    return list(Notification.objects.select_related("recipient").filter(
        pk__in=notification_ids, email_status=Status.SENDING, next_attempt_at=lease_until).order_by("pk"))


def _hand_over(notification: Notification, *, connection: BaseEmailBackend | None) -> bool:
    """Hand a claimed notification's e-mail to the backend, with no transaction open; False if it failed
    (recorded, to be tried again after its back-off). The caller marks it sent."""
    now = timezone.now()
    try:
        message = render_email(notification)
        if connection is None:
            message.send()
        else:
            connection.open()  # once per batch: it stays open for the next message
            connection.send_messages([message])
    except SoftTimeLimitExceeded:
        # Stopped in the middle of the conversation with the mail server, so whether it took the message
        # is unknown. Not a failure to count: the lease runs out and the relay sends it again.
        logger.warning("Notification %s interrupted by the time limit while sending", notification.pk)
        raise
    except Exception as exc:
        _record_failure(notification, exc, now=now)
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()  # the next message starts on a fresh connection
        return False
    return True


def _mark_sent(notification_ids: list[int]) -> None:
    if notification_ids:
        Notification.objects.filter(pk__in=notification_ids, email_status=Status.SENDING).update(
            email_status=Status.SENT, sent_at=timezone.now(), last_error="")


def _record_failure(notification: Notification, exc: Exception, *, now: datetime) -> None:
    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        notification.email_status = Status.DEAD
        logger.error("Notification %s is dead after %s attempts", notification.pk, notification.attempts)
    else:
        notification.email_status = Status.PENDING
        backoff = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
        notification.next_attempt_at = now + timedelta(seconds=backoff)
    notification.save(update_fields=["last_error", "email_status", "next_attempt_at"])


def notifications_deliver(notification_ids: list[int], *, stop_at: float) -> tuple[int, list[int]]:
    """Deliver the notifications over one connection to the mail server, claiming them up to
    NOTIFICATION_CLAIM_BATCH at a time and starting no send after `stop_at` (a `time.monotonic()` value);
    return how many were sent and the ids left for later (claimed ones not sent return to the outbox when
    their lease runs out).

    A claimed batch is marked sent in one UPDATE once the backend has taken each of its e-mails (also when
    the soft time limit stops the task mid-way). A sender killed outright before that UPDATE leaves the
    batch leased: when the lease runs out, the relay sends again those of its e-mails the backend had
    already taken, so a kill repeats at most the e-mails of the one batch in flight (README, Notifications).
    """
    connection = get_connection(fail_silently=False)
    sent, done, spent = 0, 0, 0.0
    position = 0
    try:
        while position < len(notification_ids):
            if time.monotonic() >= stop_at:
                return sent, notification_ids[position:]
            # Claim what this task can send in the time it has left, at the pace seen so far (one e-mail
            # first): the rest stays free for other workers while a slow server holds this one up.
            size = settings.NOTIFICATION_CLAIM_BATCH
            if done < 1:
                size = 1
            elif spent > 0:
                size = max(1, int(min(size, (stop_at - time.monotonic()) * done / spent)))
            batch = notification_ids[position:position + size]
            position += len(batch)
            claimed = _claim(batch, now=timezone.now())
            taken: list[int] = []
            try:
                for i, notification in enumerate(claimed):
                    if time.monotonic() >= stop_at:
                        _release(claimed[i:])
                        return sent + len(taken), sorted([n.pk for n in claimed[i:]]
                                                         + notification_ids[position:])
                    started = time.monotonic()
                    if _hand_over(notification, connection=connection):
                        taken.append(notification.pk)
                    spent += time.monotonic() - started
                    done += 1
            finally:
                _mark_sent(taken)
            sent += len(taken)
        return sent, []
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def _release(notifications: list[Notification]) -> None:
    """Claimed but not sent (time was up): due again at once, for the next task or the relay."""
    Notification.objects.filter(pk__in=[n.pk for n in notifications], email_status=Status.SENDING).update(
        email_status=Status.PENDING, next_attempt_at=timezone.now(), attempts=F("attempts") - 1)


def notifications_relay(*, stop_at: float) -> int:
    """Deliver the due notifications that no nudge delivered (broker down, worker killed, back-off),
    oldest first, until `stop_at`; the next run takes the rest."""
    due = list(Notification.objects.due().order_by("next_attempt_at").values_list("pk", flat=True)[:1000])
    sent, _left = notifications_deliver(due, stop_at=stop_at)
    return sent


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
    marked = qs.update(read_at=timezone.now())
    unread_count_forget(user)  # the header shows the new count on the next page
    return marked


def notification_preferences_set(*, user: User, email_kinds: dict[str, bool]) -> None:
    """Which kinds the user also wants by e-mail. Kinds that are always e-mailed (security, legal deadlines and
    decisions) cannot be turned off: asking to is refused, with the reason."""
    for kind, wants_email in email_kinds.items():
        kind_def = get_kind(kind)
        if not kind_def.optional_email:
            if not wants_email:
                raise ValidationError(_("“%(kind)s” e-mails cannot be turned off. %(why)s") % {
                    "kind": kind_def.label, "why": kind_def.why or _("They are always sent.")})
            continue
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wants_email})
