"""Consultations API under /api/v1/consultations/: the same scoping and services as the pages."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations import selectors, services
from consultations.models import Attachment, Comment, Consultation, Follow, OfficialResponse
from portal.models import Membership


class ConsultationCursor(CursorPagination):
    ordering = ("-pk",)
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CommentCursor(CursorPagination):
    ordering = ("created_at", "pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ConsultationSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    comment_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "title", "summary", "organisation", "topics", "audience", "phase", "opens_at", "closes_at",
                  "published_at", "outcome_published_at", "comment_count", "participant_count", "url"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "title", "original_name", "size", "content_type", "url"]


class ConsultationDetailSerializer(ConsultationSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(ConsultationSerializer.Meta):
        fields = [*ConsultationSerializer.Meta.fields, "body_html", "outcome_html", "attachments"]


class OfficialResponseSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = OfficialResponse
        fields = ["id", "disposition", "reasoning_html", "organisation", "created_at"]


class CommentSerializer(serializers.ModelSerializer):
    signed_as = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    official_response = serializers.SerializerMethodField()
    position_paper_url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "parent", "depth", "signed_as", "on_behalf", "body_html", "status", "support_count",
                  "created_at", "edited_at", "position_paper_url", "official_response"]

    def get_position_paper_url(self, obj: Comment) -> str | None:
        try:
            paper = obj.position_paper
        except Comment.position_paper.RelatedObjectDoesNotExist:
            return None
        return paper.get_download_url() if obj.shows_text else None

    def get_signed_as(self, obj: Comment) -> str:
        return obj.signed_as if obj.shows_text else ""

    def get_body_html(self, obj: Comment) -> str:
        return obj.body_html if obj.shows_text else ""

    def get_status(self, obj: Comment) -> str:
        return "removed" if obj.is_removed else "hidden" if obj.is_hidden else "published"

    @extend_schema_field(OfficialResponseSerializer(allow_null=True))
    def get_official_response(self, obj: Comment) -> dict | None:
        try:
            response = obj.official_response
        except Comment.official_response.RelatedObjectDoesNotExist:
            return None
        return OfficialResponseSerializer(response).data if response else None


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField()
    parent = serializers.IntegerField(required=False, allow_null=True)
    on_behalf_of = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="Id of an organisation you belong to, to post on its behalf.")


class ConsultationList(generics.ListAPIView):
    """Consultations you may see; filter with `phase`, `topic`, `organisation` and search with `q`."""

    serializer_class = ConsultationSerializer
    pagination_class = ConsultationCursor
    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter(n, str) for n in ("q", "phase", "topic", "organisation")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        qs = selectors.consultation_list(self.request.user, **{k: params.get(k, "") for k in
                                                               ("phase", "topic", "organisation")})
        q = params.get("q", "").strip()
        if q:
            # The cursor orders by id; search narrows, ranking is for the pages.
            qs = qs.filter(pk__in=selectors.search(Consultation.objects.all(), q).values("pk"))
        return qs


class ConsultationDetail(generics.RetrieveAPIView):
    serializer_class = ConsultationDetailSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self):
        qs = selectors.consultation_list(self.request.user).prefetch_related("attachments")
        obj = qs.filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise exceptions.NotFound
        return obj


class CommentList(generics.ListCreateAPIView):
    """Comments of a consultation, oldest first, with cursor pagination; POST to comment while it is open."""

    serializer_class = CommentSerializer
    pagination_class = CommentCursor

    def get_permissions(self):
        return [permissions.IsAuthenticated()] if self.request.method == "POST" else [permissions.AllowAny()]

    def consultation(self) -> Consultation:
        if not hasattr(self, "_consultation"):
            self._consultation = selectors.consultations_visible_to(self.request.user).filter(
                pk=self.kwargs["pk"]).select_related("organisation").first()
            if self._consultation is None:
                raise exceptions.NotFound
        return self._consultation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Comment.objects.none()
        return self.consultation().comments.select_related(
            "author", "organisation", "official_response__organisation", "position_paper")

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        consultation = self.consultation()
        data = CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data.get("parent"):
            parent = consultation.comments.filter(pk=data.validated_data["parent"]).first()
            if parent is None:
                raise exceptions.ValidationError({"parent": ["No such comment in this consultation."]})
        membership = None
        if data.validated_data.get("on_behalf_of"):
            membership = Membership.objects.select_related("organisation").filter(
                user=request.user, organisation_id=data.validated_data["on_behalf_of"]).first()
            if membership is None:
                raise exceptions.ValidationError({"on_behalf_of": ["You do not belong to that organisation."]})
        comment = services.comment_post(actor=request.user, consultation=consultation,
                                        body=data.validated_data["body"], parent=parent, acting_for=membership,
                                        on_behalf=membership is not None)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


def _visible_comment(request, pk: int) -> Comment:
    comment = selectors.comments_visible_to(request.user).select_related("consultation").filter(pk=pk).first()
    if comment is None:
        raise exceptions.NotFound
    return comment


class SupportView(APIView):
    """Toggle your support of a comment."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("Support", {"supported": serializers.BooleanField(),
                                                                          "support_count": serializers.IntegerField()}))
    def post(self, request: Request, pk: int) -> Response:
        comment = _visible_comment(request, pk)
        supported = services.comment_support_toggle(actor=request.user, comment=comment)
        comment.refresh_from_db(fields=["support_count"])
        return Response({"supported": supported, "support_count": comment.support_count})


class FollowSerializer(serializers.Serializer):
    delivery = serializers.ChoiceField(choices=Follow.Delivery.choices, default=Follow.Delivery.DIGEST)


class FollowView(APIView):
    """Follow a consultation (POST, with `delivery`), or stop following it (DELETE)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = FollowSerializer

    def _consultation(self, request, pk) -> Consultation:
        consultation = selectors.consultations_visible_to(request.user).filter(pk=pk).first()
        if consultation is None:
            raise exceptions.NotFound
        return consultation

    @extend_schema(request=FollowSerializer, responses=FollowSerializer)
    def post(self, request: Request, pk: int) -> Response:
        consultation = self._consultation(request, pk)
        data = FollowSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        follow = services.follow_set(actor=request.user, consultation=consultation, **data.validated_data)
        return Response({"delivery": follow.delivery})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.follow_remove(actor=request.user, consultation=self._consultation(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("", ConsultationList.as_view(), name="api-consultation-list"),
    path("<int:pk>/", ConsultationDetail.as_view(), name="api-consultation-detail"),
    path("<int:pk>/comments/", CommentList.as_view(), name="api-consultation-comments"),
    path("<int:pk>/follow/", FollowView.as_view(), name="api-consultation-follow"),
    path("comments/<int:pk>/support/", SupportView.as_view(), name="api-comment-support"),
]
