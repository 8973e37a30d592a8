"""How partner administrations authenticate: a credential of their own, never a user's token.

A partner's token (`cbpmra_…`) is accepted only by the views that name `PartnerTokenAuthentication`;
everywhere else it is an unknown token (401). It carries one scope, and its own rate limit.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.throttling import SimpleRateThrottle

from portal.models import PartnerClient
from portal.services.partners import PARTNER_TOKEN_PREFIX
from portal.services.tokens import token_hash


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2 or not header[1].decode(errors="replace").startswith(PARTNER_TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed("Give a partner administration's token after 'Bearer'.")
        client = PartnerClient.objects.active().filter(key_hash=token_hash(header[1].decode())).first()
        if client is None:
            raise exceptions.AuthenticationFailed("This token is not valid or has been revoked.")
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
            PartnerClient.objects.filter(pk=client.pk).update(last_used_at=now)
        return client, client

    def authenticate_header(self, request) -> str:
        return self.keyword


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A partner administration's token, issued by the programme administrator."}


class HasMraScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PartnerClient) and request.auth.scope == PartnerClient.Scope.MRA


class PartnerThrottle(SimpleRateThrottle):
    """Per partner client, whatever address it calls from."""

    scope = "partner"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, PartnerClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"partner-{request.auth.pk}"}
