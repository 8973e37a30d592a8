"""Partner administrations' API clients: issued and revoked by a programme administrator, audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import PartnerClient, User
from portal.roles import StaffGroup, in_group
from portal.services.audit import audit_record
from portal.services.tokens import token_hash

PARTNER_TOKEN_PREFIX = "cbpmra_"


def _require_programme_administrator(actor: User) -> None:
    from django.core.exceptions import PermissionDenied

    if not in_group(actor, StaffGroup.PROGRAMME_ADMINISTRATOR):
        raise PermissionDenied(_("Only a programme administrator can issue or revoke partner credentials."))


@transaction.atomic
def partner_client_issue(*, actor: User, name: str, country: str,
                         scope: str = PartnerClient.Scope.MRA) -> tuple[PartnerClient, str]:
    """A credential for a partner administration; the secret is returned once and never stored."""
    _require_programme_administrator(actor)
    key = PARTNER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = PartnerClient.objects.create(name=name.strip(), country=country, scope=scope, issued_by=actor,
                                          prefix=key[len(PARTNER_TOKEN_PREFIX):][:6], key_hash=token_hash(key))
    audit_record(actor=actor, action="partner.issued", target=client, data={"name": client.name,
                                                                            "country": str(client.country)})
    return client, key


@transaction.atomic
def partner_client_revoke(*, actor: User, client: PartnerClient) -> PartnerClient:
    _require_programme_administrator(actor)
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="partner.revoked", target=client, data={"name": client.name})
    return client


def partner_read_record(*, client: PartnerClient, what: str, data: dict[str, Any]) -> None:
    """Every read by a partner goes into the audit trail: who read, what they asked, what they were told."""
    audit_record(actor=None, action=f"partner.{what}", target=client, data=data)
