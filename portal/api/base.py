"""The API base every app builds on: personal-token authentication and cursor pagination (errors, uploads and
their shapes in the schema are in portal.api.errors)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.pagination import CursorPagination

from portal.models import ApiToken
from portal.services.tokens import token_hash


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer cbp_…` with a token the user created on their account page."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode().lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer', with one space.")
        token = (ApiToken.objects.select_related("user")
                 .filter(key_hash=token_hash(header[1].decode(errors="replace"))).first())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid or has been revoked.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # A token proves no second factor: it acts for the user's organisations, never with staff powers.
        token.user.second_factor_passed = False
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal token from your account page."}


class CreatedCursorPagination(CursorPagination):
    """Stable pages over growing lists; newest first."""

    ordering = ("-created_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200
