"""Publishing new risk weights: a new version, never an edit of one in use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from aeo.models import RiskModel
from aeo.risk import validate_weights
from portal.models import User
from portal.services.audit import audit_record


@transaction.atomic
def risk_model_publish(*, actor: User, weights: dict[str, Any], note: str) -> RiskModel:
    """Programme administrators publish weights; cases screened from now on use them and keep the version."""
    if not actor.has_perm("aeo.manage_risk_model"):
        raise PermissionDenied(_("Only programme administrators publish risk weights."))
    try:
        validate_weights(weights)
    except ValueError as error:
        raise ValidationError({"weights": str(error)}) from None
    if not note.strip():
        raise ValidationError({"note": _("Say what changed and why; reviewers read it next to the scores.")})
    RiskModel.objects.select_for_update().order_by("-version").first()  # one publication at a time
    version = (RiskModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    model = RiskModel.objects.create(version=version, weights=weights, note=note.strip(), created_by=actor)
    audit_record(actor=actor, action="aeo.risk_model_published", target=model, organisation=None,
                 data={"version": version, "note": note.strip()})
    return model
