"""Webhook endpoints under /api/v1/webhooks/: an organisation's administrators register them, see each
delivery with the receiver's last answer, and ask for a test event."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api.errors import membership_in
from portal.models import Role, WebhookDelivery, WebhookEndpoint
from portal.permissions import memberships
from portal.services import webhooks
from portal.types import signed_in_user


class WebhookEndpointSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    event_kinds = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "organisation", "url", "event_kinds", "description", "created_at", "disabled_at"]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Shown this once: keep it to verify each delivery's signature.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


@extend_schema_serializer(examples=[OpenApiExample(
    "Register an endpoint", request_only=True,
    value={"organisation": 12,
           "url": "https://erp.example.com/portal-events",
           "event_kinds": ["application.state_changed", "application.information_requested"],
           "description": "ERP production"})])
class WebhookEndpointWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="Id of an organisation you administer.")
    url = serializers.URLField(max_length=500, help_text="https only; the name must resolve to public addresses.")
    event_kinds = serializers.ListField(child=serializers.CharField(), min_length=1,
                                        help_text="Kinds of event to send there; see /api/v1/webhooks/kinds/.")
    description = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "kind", "status", "attempts", "created_at", "last_attempt_at",
                  "next_attempt_at", "delivered_at", "last_status_code", "last_response", "last_error", "payload"]


class EventKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()


class DeliveryCursor(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class WebhookEndpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                             viewsets.GenericViewSet):
    """The webhook endpoints of the organisations you administer (other members see none)."""

    serializer_class = WebhookEndpointSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        administered = [m.organisation_id for m in memberships(self.request.user) if m.role == Role.ADMIN]
        return WebhookEndpoint.objects.filter(organisation_id__in=administered, disabled_at__isnull=True)

    @extend_schema(request=WebhookEndpointWriteSerializer,
                   responses={201: WebhookEndpointCreatedSerializer})
    def create(self, request: Request) -> Response:
        """Register an endpoint; the answer carries its secret, once."""
        data = WebhookEndpointWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_in(request.user, data.validated_data["organisation"])
        endpoint, secret = webhooks.webhook_endpoint_register(
            actor=signed_in_user(request), organisation=membership.organisation, url=data.validated_data["url"],
            event_kinds=data.validated_data["event_kinds"], description=data.validated_data["description"])
        endpoint.secret = secret
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        webhooks.webhook_endpoint_remove(actor=signed_in_user(self.request), endpoint=instance)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk=None) -> Response:
        """Send a test event (`webhook.test`) through the outbox; see it among the deliveries."""
        delivery = webhooks.webhook_test_send(actor=signed_in_user(request), endpoint=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=DeliveryCursor)
    def deliveries(self, request: Request, pk=None) -> Response:
        """Every delivery to this endpoint, newest first, with the receiver's last answer."""
        page = self.paginate_queryset(self.get_object().deliveries.all())
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(responses=EventKindSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def kinds(self, request: Request) -> Response:
        """The kinds of event an endpoint can be sent."""
        return Response(EventKindSerializer([{"kind": k, "description": d} for k, d in
                                             sorted(webhooks.EVENT_KINDS.items())], many=True).data)
