"""The staff actions on consultations: what the pages and the back office offer is exactly what the services
(or the view, for exports) allow, for every phase and persona."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from consultations import permissions, services
from consultations.models import Phase
from portal.roles import StaffGroup
from tests.conftest import _staff
from tests.consultations.factories import CommentFactory, ConsultationFactory

PHASES = [Phase.DRAFT, Phase.SCHEDULED, Phase.OPEN, Phase.CLOSED, Phase.OUTCOME_PUBLISHED]


class _Rollback(Exception):
    pass


def _allowed(run) -> bool:
    """Whether the service carries the action out (run in a savepoint, rolled back)."""
    try:
        with transaction.atomic():
            run()
            raise _Rollback
    except _Rollback:
        return True
    except PermissionDenied:
        return False
    except ValidationError as error:
        # Refusals for the phase or the state come as ValidationErrors too; input is always valid here.
        return bool(error.message_dict if hasattr(error, "error_dict") else False)


@pytest.fixture
def cast(alice, member_of_association, customs_officer, moderator):
    return {"trader": alice, "association": member_of_association, "customs": customs_officer,
            "moderator": moderator, "programme administrator": _staff("pa@customs.example",
                                                                       StaffGroup.PROGRAMME_ADMINISTRATOR)}


@pytest.mark.parametrize("phase", PHASES)
def test_staff_actions_on_consultations_offered_exactly_when_allowed(phase, association, cast, client_for):
    consultation = ConsultationFactory(organisation=association, created_by=cast["association"], phase=phase)
    comment = CommentFactory(consultation=consultation, author=cast["trader"])
    mismatches = []
    for persona, user in cast.items():
        actions = {
            "respond to a comment": (
                permissions.can_respond_to(user, consultation, comment),
                lambda u=user: services.official_response_post(actor=u, consultation=consultation, comment=comment,
                                                               disposition="accepted", reasoning="Adopted.")),
            "respond to the consultation": (
                permissions.can_respond_to(user, consultation),
                lambda u=user: services.official_response_post(actor=u, consultation=consultation,
                                                               disposition="noted", reasoning="Thank you.")),
            "publish the outcome": (
                permissions.can_publish_outcome(user, consultation),
                lambda u=user: services.outcome_publish(actor=u, consultation=consultation, summary="Adopted.")),
            "hide a comment": (
                permissions.is_moderator(user),
                lambda u=user: services.comment_hide(actor=u, comment=comment, reason="Off topic.")),
        }
        for name, (offered, run) in actions.items():
            allowed = _allowed(run)
            if offered != allowed:
                mismatches.append(f"{persona} / {name}: offered {offered}, allowed {allowed}")
        # exports are a page of their own: the link shows exactly when the page answers
        offered = permissions.can_export(user, consultation)
        answered = client_for(user).get(reverse("consultations:export_csv", args=[consultation.pk])).status_code
        if offered != (answered == 200):
            mismatches.append(f"{persona} / export: offered {offered}, answered {answered}")
    assert mismatches == []
