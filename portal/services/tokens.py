from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from portal.models import ApiToken, User
from portal.services.audit import audit_record

TOKEN_PREFIX = "cbp_"


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[len(TOKEN_PREFIX):][:6],
                                    key_hash=token_hash(key))
    audit_record(actor=actor, action="api_token.created", target=token, data={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    audit_record(actor=actor, action="api_token.revoked", target=token, data={"name": token.name})
    token.delete()
