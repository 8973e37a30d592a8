"""The AEO part of a person's data export: what they started, signed and answered."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aeo.models import Answer, Application
from portal.models import User
from portal.personal_data import when


def aeo_personal_data(user: User) -> dict[str, Any]:
    applications = (Application.objects.filter(Q(created_by=user) | Q(submitted_by=user))
                    .select_related("organisation").order_by("created_at", "pk"))
    return {
        "applications you started or signed": [
            {"reference": a.reference, "organisation": a.organisation.name, "type": a.kind,
             "state": a.get_state_display(), "started": when(a.created_at),
             "started by you": a.created_by_id == user.pk,
             "signed by you": a.submitted_by_id == user.pk, "signed": when(a.submitted_at),
             "signatory name": a.signatory_name if a.submitted_by_id == user.pk else None,
             "signatory position": a.signatory_position if a.submitted_by_id == user.pk else None}
            for a in applications
        ],
        "answers you last saved": [
            {"application": a.application.reference or f"draft {a.application_id}", "question": a.question.code,
             "answer": a.value, "not applicable": a.not_applicable, "justification": a.justification,
             "saved": when(a.updated_at)}
            for a in Answer.objects.filter(updated_by=user).select_related("application", "question")
            .order_by("application_id", "question__code")
        ],
    }
