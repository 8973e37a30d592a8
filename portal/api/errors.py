"""Errors, written once: the exception handler that turns the services' errors into API answers, the upload
field that runs the portal's one upload check, and every operation's error answers in the schema.

Kept apart from portal.api.base: DRF reads its settings (which name base's authentication) when its views
module is imported, and this module needs that one.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.files import DOCUMENT_TYPES, CheckedUpload, check_upload, human_size
from portal.models import Membership
from portal.permissions import FORBIDDEN, memberships


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, taught the services' errors, so that views call services and never translate.

    A Django ValidationError (ActionRefused is one) becomes a 400 with the same messages as the pages: field
    errors under their field names, the others under `detail`; one raised with the code FORBIDDEN is a 403.
    Every 400 has that shape: a list of errors (a bare `raise ValidationError("…")`) goes under `detail` too.
    """
    if isinstance(exc, DjangoValidationError):
        exc = _as_api_error(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400 and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response


def _as_api_error(error: DjangoValidationError) -> exceptions.APIException:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({field: [str(m) for e in errors for m in e.messages]
                                           for field, errors in error.error_dict.items()})
    messages = [str(m) for e in error.error_list for m in e.messages]
    if all(e.code == FORBIDDEN for e in error.error_list):
        return exceptions.PermissionDenied(" ".join(messages))
    return exceptions.ValidationError({"detail": messages})


class UploadField(serializers.FileField):
    """A file through the portal's one upload check (type, content, size); its value is a CheckedUpload.
    A refusal names the file and says why, under the field's name (DRF takes the check's ValidationError)."""

    def __init__(self, *, allowed: dict[str, str] = DOCUMENT_TYPES, **kwargs) -> None:
        self.allowed = allowed
        kwargs.setdefault("allow_empty_file", True)  # the check's own message says the file is empty
        types = ", ".join(sorted({e.upper() for e in allowed}))
        kwargs.setdefault("help_text", f"{types}, at most {human_size(settings.UPLOAD_MAX_BYTES)}.")
        super().__init__(**kwargs)

    # The field's value is the checked upload, not the File that FileField gives.
    def to_internal_value(self, data: Any) -> CheckedUpload:  # type: ignore[override]
        return check_upload(cast(UploadedFile, super().to_internal_value(data)), allowed=self.allowed)


class UploadsField(serializers.ListField):
    child = UploadField()


def membership_in(user, organisation_id: int | None, *, field: str = "organisation") -> Membership:
    """The user's membership of the organisation a request names, or a 400 on that field."""
    membership = next((m for m in memberships(user) if m.organisation_id == organisation_id), None)
    if membership is None:
        raise exceptions.ValidationError({field: [_("You do not belong to that organisation.")]})
    return membership


class ErrorSerializer(serializers.Serializer):
    """The shape of a 401, 403, 404, 409 or 429: `detail` says why, in words for the user."""

    detail = serializers.CharField(help_text="The reason, in words for the user.")


class ValidationErrorSerializer(serializers.Serializer):
    """The shape of every 400: each field sent that was refused, by its name, with its messages; reasons that
    belong to no field under `detail`. The messages are the pages' own."""

    detail = serializers.JSONField(required=False, help_text="Reasons that belong to no one field: a list of "
                                                             "messages (a request that cannot be read: one).")

    class Meta:
        # Any field of the request may carry its own list of messages.
        ref_name = "ValidationError"


ERROR_EXAMPLES = {
    "400": ("Something sent was refused; nothing was changed.", ValidationErrorSerializer,
            {"question": ["No such question in this application's questionnaire."],
             "detail": ["Confirm the declaration to sign the application."]}),
    "401": ("No valid token or session.", ErrorSerializer,
            {"detail": "This token is not valid or has been revoked."}),
    "403": ("You may not do this; the reason says why.", ErrorSerializer,
            {"detail": "Only an administrator of the applicant can do this. Consultants and members prepare the "
                       "application; an administrator signs."}),
    "404": ("No such object among those you may see.", ErrorSerializer, {"detail": "Not found."}),
    "409": ("A conflict with the object's state; the reason says what to do.", ErrorSerializer,
            {"detail": "The decision notice is being prepared; it will be here in a moment."}),
    "429": ("Too many requests; wait as long as Retry-After says.", ErrorSerializer,
            {"detail": "Request was throttled. Expected available in 42 seconds."}),
}


class PortalAutoSchema(AutoSchema):
    """Every operation in the schema documents the errors it can answer, with their shape and an example:
    400, 401 and 403 where a sign-in is needed, 404 on object routes and paginated lists, 429."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code in self._error_codes():
            description, serializer, example = ERROR_EXAMPLES[code]
            if code not in bodies:
                documented = OpenApiResponse(serializer, description=description, examples=[
                    OpenApiExample(f"Error {code}", value=example, status_codes=[code], response_only=True)])
                bodies[code] = self._get_response_for_code(documented, code, direction=direction)
        for code, body in bodies.items():  # an error a view declares itself, in the shape above: its example too
            content = body.get("content", {}).get("application/json", {})
            if code in ERROR_EXAMPLES and "examples" not in content and content.get("schema", {}).get(
                    "$ref", "").endswith("/Error"):
                content["examples"] = {f"Error{code}": {"value": ERROR_EXAMPLES[code][2]}}
        return bodies

    def _error_codes(self) -> list[str]:
        codes = ["400"]  # any request can be refused: a body, a filter, a character never accepted
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):  # or a cursor that is not ours
            codes.append("404")
        return [*codes, "429"]
