"""What the consultation pages share: errors as messages, the acting membership, page sizes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from portal.models import Membership
from portal.types import PortalHttpRequest

THREADS_PER_PAGE = 20
CONSULTATIONS_PER_PAGE = 20


def message_errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def acting_membership(request: PortalHttpRequest) -> Membership | None:
    membership = request.membership
    return membership if membership else None
