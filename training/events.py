"""Which training changes are webhook events: a certificate issued to someone learning for the organisation."""

from __future__ import annotations

from portal.models import AuditEvent
from portal.services.webhooks import WebhookEvent, register_audit_event, register_event_kinds

KINDS = {"training.certificate_issued": "Someone enrolled for your organisation earned a training certificate"}


def certificate_events(event: AuditEvent) -> list[WebhookEvent]:
    return [WebhookEvent("training.certificate_issued", frozenset([event.organisation_id]),
                         {"certificate": int(event.target_id)})]


def register() -> None:
    register_event_kinds(KINDS)
    register_audit_event(["training.certificate_issued"], certificate_events)
