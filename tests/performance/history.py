"""AEO histories written as the services record them: an application and its audit events at given times."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.contenttypes.models import ContentType

from aeo.models import Application, Authorisation, Questionnaire
from portal.models import AuditEvent

# (action, from state, to state) as aeo/workflow.py's transition table writes them
STEPS = {
    "submit": ("draft", "submitted"), "return": ("submitted", "draft"), "accept": ("submitted", "under_review"),
    "request_information": ("under_review", "information_requested"),
    "respond": ("information_requested", "under_review"),
    "propose_grant": ("under_review", "decision_proposed"), "propose_rejection": ("under_review", "right_to_be_heard"),
    "hearing_reply": ("right_to_be_heard", "right_to_be_heard"), "reconsider": ("right_to_be_heard", "under_review"),
    "confirm_rejection": ("right_to_be_heard", "decision_proposed"),
    "approve_grant": ("decision_proposed", "granted"), "approve_rejection": ("decision_proposed", "rejected"),
}


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def application(organisation, kind: str, user, *, created: str, state: str) -> Application:
    return Application.objects.create(organisation=organisation, kind=kind, questionnaire=Questionnaire.objects.get(
        version=1), created_by=user, created_at=at(created, 8), state=state)


def event(app: Application, action: str, day: str, *, from_state: str = "", to_state: str = "",
          data: dict | None = None, hour: int = 10) -> AuditEvent:
    if action in STEPS and not (from_state or to_state):
        from_state, to_state = STEPS[action]
    return AuditEvent.objects.create(
        action=f"aeo.{action}", target_type=ContentType.objects.get_for_model(Application), target_id=str(app.pk),
        target_repr=str(app), organisation=app.organisation, from_state=from_state, to_state=to_state,
        data=data or {}, created_at=at(day, hour))


def authorisation(app: Application, user, *, number: str, valid_from: date) -> Authorisation:
    return Authorisation.objects.create(application=app, organisation=app.organisation, number=number, kind=app.kind,
                                        valid_from=valid_from, granted_by=user)
