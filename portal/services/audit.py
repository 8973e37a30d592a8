from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.middleware import current_ip
from portal.models import AuditEvent, Organisation
from portal.types import AnyUser


def audit_record(
    *,
    actor: AnyUser | None,
    action: str,
    target: models.Model,
    organisation: Organisation | None = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail; call it inside the transaction of the change itself."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        organisation=organisation,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        ip_address=current_ip(),
    )


def admin_change_record(*, actor: AnyUser | None, target: models.Model, change: str,
                        fields: list[str] | None = None) -> AuditEvent:
    """A change staff made to reference data in the back office ("added", "changed" or "deleted")."""
    return audit_record(actor=actor, action=f"admin.{change}", target=target, data={
        "model": target._meta.label, "fields": sorted(fields or [])})
