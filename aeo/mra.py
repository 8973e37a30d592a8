"""Mutual recognition: partner administrations read the AEO status of holders who consented to the exchange.

Only with a partner's token (`portal.api.partners`), only holders with `consent_mra`, only what the
MRA scope names (number, type, status and its dates; the holder's name, identifier and country; no
person), and every read is in the audit trail. A number of a holder who did not consent answers
exactly as an unknown number does.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aeo.models import Application, Authorisation
from portal.api.partners import HasMraScope, PartnerThrottle, PartnerTokenAuthentication
from portal.models import AuditEvent, PartnerClient
from portal.services.partners import partner_read_record

MAX_LOOKUP = 500
# The changes a partner hears of. Consent given shows the holder from then on; consent withdrawn hides it.
FEED_ACTIONS = {
    "aeo.authorisation_created": "granted", "aeo.suspended": "suspended", "aeo.suspension_lifted": "reinstated",
    "aeo.revoked": "revoked", "aeo.replaced": "revoked", "aeo.consent_changed": "consent",
}


class MraStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="active, suspended or revoked; unknown for a number that is not "
                                             "shared with you (not ours, or the holder did not consent)")
    kind = serializers.CharField(required=False)
    valid_from = serializers.DateField(required=False)
    suspended_until = serializers.DateField(required=False, allow_null=True)
    revoked_on = serializers.DateField(required=False, allow_null=True)
    holder_name = serializers.CharField(required=False)
    holder_identifier = serializers.CharField(required=False, help_text="EORI or national identifier")
    holder_country = serializers.CharField(required=False)


def _status(authorisation: Authorisation) -> dict[str, Any]:
    organisation = authorisation.organisation
    return {
        "number": authorisation.number, "status": authorisation.status, "kind": authorisation.kind,
        "valid_from": authorisation.valid_from, "suspended_until": authorisation.suspended_until,
        "revoked_on": authorisation.revoked_at.date() if authorisation.revoked_at else None,
        "holder_name": organisation.name, "holder_identifier": organisation.identifier,
        # A CountryField gives a Country; the stubs see the str of the CharField it extends.
        "holder_country": organisation.country.code,  # type: ignore[attr-defined]
    }


def shared() -> QuerySet[Authorisation]:
    return Authorisation.objects.filter(consent_mra=True).select_related("organisation")


class MraLookupSerializer(serializers.Serializer):
    numbers = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list,
                                    max_length=MAX_LOOKUP)
    identifiers = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                        max_length=MAX_LOOKUP, help_text="Holders' EORI or national identifiers")

    def validate(self, attrs):
        if not attrs["numbers"] and not attrs["identifiers"]:
            raise ValidationError({"numbers": ["Give the authorisation numbers or holder identifiers to check."]})
        if len(attrs["numbers"]) + len(attrs["identifiers"]) > MAX_LOOKUP:
            raise ValidationError({"numbers": [f"Ask for at most {MAX_LOOKUP} numbers and identifiers in one call."]})
        return attrs


class MraLookupResultSerializer(serializers.Serializer):
    numbers = MraStatusSerializer(many=True, help_text="One result per number asked, in the order asked.")
    identifiers = serializers.DictField(child=MraStatusSerializer(many=True),
                                        help_text="Per identifier asked, the shared authorisations of its holder "
                                                  "(empty when none is shared).")


def _partner(request: Request) -> PartnerClient:
    """The partner administration a request of a PartnerView comes from (PartnerTokenAuthentication's auth)."""
    return cast(PartnerClient, request.auth)


class PartnerView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasMraScope]
    throttle_classes = [PartnerThrottle]


class MraLookup(PartnerView):
    """Status of up to 500 authorisations at once, by number or by holder identifier (partners only)."""

    @extend_schema(request=MraLookupSerializer, responses={200: MraLookupResultSerializer})
    def post(self, request: Request) -> Response:
        data = MraLookupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        numbers, identifiers = data.validated_data["numbers"], data.validated_data["identifiers"]
        found = {a.number: a for a in shared().filter(number__in=numbers)} if numbers else {}
        by_identifier: dict[str, list[dict]] = {i: [] for i in identifiers}
        if identifiers:
            for authorisation in shared().filter(organisation__identifier__in=identifiers).order_by("number"):
                by_identifier[authorisation.organisation.identifier].append(
                    MraStatusSerializer(_status(authorisation)).data)
        results = [MraStatusSerializer(_status(found[n])).data if n in found else {"number": n, "status": "unknown"}
                   for n in numbers]
        partner_read_record(client=_partner(request), what="lookup", data={
            "numbers": numbers, "identifiers": identifiers, "shared": sorted(found) + sorted(
                s["number"] for v in by_identifier.values() for s in v)})
        return Response({"numbers": results, "identifiers": by_identifier})


class MraChangeSerializer(serializers.Serializer):
    change = serializers.CharField(help_text="granted, suspended, reinstated, revoked or consent (shared from now)")
    changed_at = serializers.DateTimeField()
    authorisation = MraStatusSerializer(help_text="Its status now")


class FeedCursor(CursorPagination):
    ordering = ("created_at", "pk")  # oldest first: a partner reads on from where it stopped
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class MraChanges(PartnerView):
    """Changes to shared authorisations since a moment, oldest first, a cursor to read on; `If-None-Match`
    with the last ETag answers 304 when nothing changed. Changes appear once they are
    `MRA_FEED_SETTLE_SECONDS` old, so that a change still being committed is never skipped by a cursor."""

    pagination_class = FeedCursor

    @extend_schema(parameters=[OpenApiParameter("since", str, description="ISO 8601 date and time"),
                               OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
                   responses={200: MraChangeSerializer(many=True), 304: OpenApiResponse(description="Not modified")})
    def get(self, request: Request) -> Response:
        since = request.query_params.get("since")
        settled = timezone.now() - timedelta(seconds=settings.MRA_FEED_SETTLE_SECONDS)
        events = AuditEvent.objects.filter(action__in=FEED_ACTIONS, created_at__lte=settled,
                                           target_type=ContentType.objects.get_for_model(Application))
        if since:
            moment = parse_datetime(since)
            if moment is None or moment.tzinfo is None:
                raise ValidationError({"since": ["Give a date and time with its offset, e.g. 2026-03-01T00:00:00Z."]})
            events = events.filter(created_at__gt=moment)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events.only("pk", "action", "created_at", "target_id"), request, view=self)
        assert page is not None  # a cursor paginator with a page size always pages
        authorisations = {str(a.application_id): a for a in
                          shared().filter(application_id__in={int(e.target_id) for e in page})}
        changes: list[dict[str, Any]] = [{"change": FEED_ACTIONS[e.action], "changed_at": e.created_at,
                    "authorisation": _status(authorisations[e.target_id])}
                   for e in page if e.target_id in authorisations]
        response = paginator.get_paginated_response(MraChangeSerializer(changes, many=True).data)
        etag = '"' + hashlib.sha256(json.dumps(response.data, default=str).encode()).hexdigest()[:32] + '"'
        partner_read_record(client=_partner(request), what="changes", data={
            "since": since, "cursor": request.query_params.get("cursor"),
            "shared": [c["authorisation"]["number"] for c in changes]})
        if request.headers.get("If-None-Match") == etag:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        response["ETag"] = etag
        return response
