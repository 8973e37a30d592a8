"""Webhooks: an organisation's endpoints, and one durable delivery record per event and endpoint."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def webhook_secret() -> str:
    # The Standard Webhooks form: "whsec_" and the base64 of the key the signature is made with.
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """A URL of an organisation's own system that is told of the events it chose, signed with its secret.

    The secret is shown once, when the endpoint is registered; it is kept because each delivery is signed
    with it (a hash would not do: the receiver must be able to make the same signature).
    """

    organisation = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    event_kinds = models.JSONField(_("events"), default=list, help_text=_("The kinds of event sent there."))
    description = models.CharField(_("what it is for"), max_length=200, blank=True)
    secret = models.CharField(max_length=80, default=webhook_secret, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "disabled_at"])]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row of a webhook, written in the change's transaction.

    `event_id` is the idempotency key the receiver sees (`webhook-id`): the same on every attempt.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Given up")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, help_text=_("The start of the receiver's last answer."))
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due",
                                condition=Q(status__in=["pending", "sending"]))]

    def __str__(self) -> str:
        return f"{self.kind} to {self.endpoint_id}"
