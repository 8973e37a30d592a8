"""Which consultation changes are webhook events: phases, for the owner; official responses, for the owner
and the organisation whose comment was answered."""

from __future__ import annotations

from portal.models import AuditEvent
from portal.services.webhooks import WebhookEvent, register_audit_event, register_event_kinds

KINDS = {
    "consultation.phase_changed": "One of your consultations was published, opened, closed or its outcome "
                                  "published",
    "consultation.official_response": "Customs answered a consultation officially (yours, or a comment made "
                                      "for your organisation)",
}
PHASES = ("consultation.published", "consultation.opened", "consultation.closed", "consultation.outcome_published")


def _consultation(pk: str) -> dict:
    return {"consultation": int(pk), "url": f"/api/v1/consultations/{pk}/"}


def phase_events(event: AuditEvent) -> list[WebhookEvent]:
    return [WebhookEvent("consultation.phase_changed", frozenset([event.organisation_id]), {
        **_consultation(event.target_id), "from_phase": event.from_state, "to_phase": event.to_state})]


def official_response_events(event: AuditEvent) -> list[WebhookEvent]:
    from consultations.models import Comment

    comment_id = event.data.get("comment")
    organisations = {event.organisation_id}
    if comment_id:
        organisations |= set(Comment.objects.filter(pk=comment_id, on_behalf=True)
                             .values_list("organisation_id", flat=True))
    return [WebhookEvent("consultation.official_response", frozenset(organisations), {
        **_consultation(event.target_id), "comment": comment_id})]


def register() -> None:
    register_event_kinds(KINDS)
    register_audit_event(PHASES, phase_events)
    register_audit_event(["official_response.posted"], official_response_events)
