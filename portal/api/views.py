"""The core's endpoints under /api/v1/: me, my organisations and their members, my notifications; and the API
guide, the page for the engineers of traders' software."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.files import human_size
from portal.models import Membership, Notification, Organisation, User
from portal.selectors import notifications_for, organisations_for_api
from portal.services.notifications import notifications_mark_read
from portal.services.webhooks import EVENT_KINDS
from portal.types import signed_in_user

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def api_guide(request: HttpRequest) -> HttpResponse:
    """Authentication, requests, pagination, errors and webhooks, with the figures this portal runs with."""
    return render(request, "portal/api_guide.html", {
        "schema_url": reverse("api-schema"), "docs_url": reverse("api-docs"), "tokens_url": reverse("api_tokens"),
        "upload_limit": human_size(settings.UPLOAD_MAX_BYTES),
        "user_rate": cast("dict[str, dict[str, str]]", settings.REST_FRAMEWORK)["DEFAULT_THROTTLE_RATES"]["user"],
        "webhook_timeout": settings.WEBHOOK_TIMEOUT, "webhook_attempts": settings.WEBHOOK_MAX_ATTEMPTS,
        "event_kinds": sorted(EVENT_KINDS.items()),
    })


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "date_joined"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_name", "role"]


class MeSerializer(UserSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "memberships"]


class MeView(APIView):
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        user = User.objects.prefetch_related(
            "memberships__organisation"
        ).get(pk=signed_in_user(request).pk)
        return Response(MeSerializer(user).data)



class _MyMemberships(TypedDict):  # prefetched by portal.selectors.organisations_for_api
    my_memberships: list[Membership]


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    my_role = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "name", "identifier", "country", "sector", "street", "postcode", "city",
                  "website", "verified", "member_count", "my_role", "created_at"]

    def get_my_role(self, obj: Organisation) -> str:  # the schema generator reads this hint at run time
        return cast("WithAnnotations[Organisation, _MyMemberships]", obj).my_memberships[0].role


class MemberSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisations you belong to, and their members."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return organisations_for_api(self.request.user)

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, serializer_class=MemberSerializer)
    def members(self, request: Request, pk: str | None = None) -> Response:
        organisation = self.get_object()  # 404 outside the user's organisations
        page = self.paginate_queryset(organisation.memberships.select_related("user"))
        return self.get_paginated_response(MemberSerializer(page, many=True).data)


class NotificationSerializer(serializers.ModelSerializer):
    # In the reader's language (the request's), like the portal's list.
    subject = serializers.CharField(source="shown_subject", read_only=True)
    body = serializers.CharField(source="shown_body", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created_at", "read_at", "read"]

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first; `?read_at__isnull=true` for the unread ones."""

    serializer_class = NotificationSerializer
    filterset_fields = {"read_at": ["isnull"], "kind": ["exact"]}

    def get_queryset(self):
        return notifications_for(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        notifications_mark_read(user=signed_in_user(request), notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)
