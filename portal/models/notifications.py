from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.texts import Text


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def due(self, *, now=None) -> NotificationQuerySet:
        """Waiting to be sent, or claimed by a sender whose lease ran out (it died or was stopped)."""
        return self.filter(email_status__in=Notification.IN_OUTBOX, next_attempt_at__lte=now or timezone.now())


class Notification(models.Model):
    """The outbox: one row per message, written in the transaction of the change that causes it.

    A delivery task sends its e-mail; a periodic relay picks up whatever a nudge missed.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not e-mailed (preference)")
        DEAD = "dead", _("Failed for good")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        help_text=_("Empty for messages to an address only (invitations, account e-mails)."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # The subject and body as messages and their values (portal.texts), rendered in the reader's language;
    # `subject` and `body` keep the English rendering. Empty (rows written before) or without one of them:
    # the column is shown as it is.
    texts = models.JSONField(default=dict, blank=True, editable=False)
    html_body = models.TextField(blank=True, help_text=_("Pre-rendered HTML e-mail, for account e-mails."))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True,
        help_text=_("Stops a job that runs twice from notifying twice."),
    )

    # Rows the outbox still has to send; for "sending", next_attempt_at is when the sender's lease ends.
    IN_OUTBOX = (EmailStatus.PENDING, EmailStatus.SENDING)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at", "-pk"]
        permissions = [("retry_notification", "Can retry dead notifications")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["next_attempt_at"], condition=Q(email_status__in=["pending", "sending"]),
                name="notification_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_address"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def shown_subject(self) -> str:
        """The subject in the active language."""
        return self._shown("subject")

    @property
    def shown_body(self) -> str:
        """The body in the active language."""
        return self._shown("body")

    def _shown(self, part: str) -> str:
        if part in self.texts:
            return Text.from_json(self.texts[part]).render()
        return getattr(self, part)

    @property
    def address(self) -> str:
        return self.email or (self.recipient.email if self.recipient else "")


class NotificationPreference(models.Model):
    """A user's choice to get (or not) e-mails of one kind; the portal always shows them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {'e-mail' if self.email else 'portal only'}"
