"""The API base every app builds on: personal-token authentication, cursor pagination, and service errors
turned into API answers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, serializers
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


# --- Service errors as API answers --------------------------------------------------------------------

def api_error(error: DjangoValidationError, *, field: str | None = None,
              forbidden: Iterable[str] = ()) -> exceptions.APIException:
    """A service's ValidationError as the API's answer: 400 with the same messages as the pages.

    Field errors keep their field names; other messages go under `detail`, or under `field` when given
    (an upload refused by its size belongs to the file). A refusal because of who the user is (one of
    the `forbidden` messages of the app's rule book: a consultant trying to sign) is a 403 with the same words.
    """
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: [str(m) for e in v for m in e.messages]
                                           for k, v in error.error_dict.items()})
    messages = [str(m) for m in error.messages]
    if {str(m) for m in forbidden} & set(messages):
        return exceptions.PermissionDenied(" ".join(messages))
    return exceptions.ValidationError({field or "detail": messages})


@contextmanager
def service_call(*, field: str | None = None, forbidden: Iterable[str] = ()) -> Iterator[None]:
    """Run a service; its ValidationError (ActionRefused is one) becomes the API's 400 or 403."""
    try:
        yield
    except DjangoValidationError as error:
        raise api_error(error, field=field, forbidden=forbidden) from None
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from None


class ErrorSerializer(serializers.Serializer):
    """The shape of a 403 or 404, and of a 400 that names no field: `detail` says why."""

    detail = serializers.JSONField(help_text="The reason, or a list of reasons, in words for the user.")
