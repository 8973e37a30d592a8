"""Which AEO changes are webhook events, read from the audit events the services write.

Payloads are thin: ids, states and numbers, and the API address to read the rest from, so that an
event says no more than the organisation's own API token could read.
"""

from __future__ import annotations

from portal.models import AuditEvent
from portal.services.webhooks import WebhookEvent, register_audit_event, register_event_kinds

KINDS = {
    "application.state_changed": "An AEO application moved to another state (submitted, accepted, …)",
    "application.information_requested": "Customs asks for information on an application",
    "application.hearing_opened": "Customs intends to reject an application: the right to be heard",
    "authorisation.granted": "An AEO authorisation was granted",
    "authorisation.certificate_ready": "The certificate of an authorisation can be downloaded",
    "authorisation.suspended": "An authorisation was suspended",
    "authorisation.reinstated": "The suspension of an authorisation was lifted",
    "authorisation.revoked": "An authorisation was revoked (or replaced after re-assessment)",
}
# Every transition of the table writes its audit event as "aeo.<action>".
TRANSITIONS = ("aeo.submit", "aeo.return", "aeo.accept", "aeo.request_information", "aeo.respond",
               "aeo.propose_grant", "aeo.propose_rejection", "aeo.reconsider", "aeo.confirm_rejection",
               "aeo.approve_grant", "aeo.approve_rejection", "aeo.send_back", "aeo.withdraw")
AUTHORISATION = {
    "aeo.authorisation_created": "authorisation.granted",
    "aeo.certificate_ready": "authorisation.certificate_ready",
    "aeo.suspended": "authorisation.suspended",
    "aeo.suspension_lifted": "authorisation.reinstated",
    "aeo.revoked": "authorisation.revoked",
    "aeo.replaced": "authorisation.revoked",
}


def _application(event: AuditEvent) -> dict:
    return {"application": int(event.target_id), "url": f"/api/v1/aeo/applications/{event.target_id}/"}


def application_events(event: AuditEvent) -> list[WebhookEvent]:
    organisations = frozenset([event.organisation_id])
    events = []
    if event.from_state != event.to_state:  # a hearing reply is a step of the table that keeps the state
        events.append(WebhookEvent("application.state_changed", organisations, {
            **_application(event), "from_state": event.from_state, "to_state": event.to_state}))
    if event.action == "aeo.request_information":
        events.append(WebhookEvent("application.information_requested", organisations, _application(event)))
    if event.action == "aeo.propose_rejection":
        events.append(WebhookEvent("application.hearing_opened", organisations, _application(event)))
    return events


def authorisation_events(event: AuditEvent) -> list[WebhookEvent]:
    # These audit events name the application; the authorisation is read by its number.
    from aeo.models import Authorisation

    authorisation = Authorisation.objects.filter(application_id=event.target_id).only("pk", "number", "status").first()
    if authorisation is None:
        return []
    return [WebhookEvent(AUTHORISATION[event.action], frozenset([event.organisation_id]), {
        "authorisation": authorisation.pk, "number": authorisation.number, "status": authorisation.status,
        "application": int(event.target_id), "url": f"/api/v1/aeo/authorisations/{authorisation.pk}/"})]


def register() -> None:
    register_event_kinds(KINDS)
    register_audit_event(TRANSITIONS, application_events)
    register_audit_event(AUTHORISATION, authorisation_events)
