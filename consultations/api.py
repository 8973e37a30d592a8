"""Consultations API under /api/v1/consultations/: the same scoping and services as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations import permissions as rules
from consultations import selectors, services
from consultations.models import (
    Attachment,
    Comment,
    Consultation,
    CoSignature,
    Follow,
    OfficialResponse,
    PositionPaper,
    Topic,
)
from portal.api.errors import UploadField, membership_in
from portal.files import PDF_ONLY, private_file_response
from portal.types import signed_in_user


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
    topics: serializers.SlugRelatedField[Topic] = serializers.SlugRelatedField(many=True, read_only=True,
                                                                               slug_field="slug")
    comment_count = serializers.IntegerField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Consultation
        fields = ["id", "title", "summary", "language", "organisation", "topics", "audience", "phase", "opens_at",
                  "closes_at", "published_at", "outcome_published_at", "comment_count", "participant_count", "url"]


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


class PositionPaperSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="The PDF through the API.")

    class Meta:
        model = PositionPaper
        fields = ["original_name", "size", "sha256", "download_url"]

    def get_download_url(self, obj: PositionPaper) -> str:
        return reverse("api-comment-position-paper", args=[obj.comment_id])


class CommentSerializer(serializers.ModelSerializer):
    signed_as = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    official_response = serializers.SerializerMethodField()
    position_paper = serializers.SerializerMethodField()
    cosigned_by = serializers.SerializerMethodField(help_text="The organisations that co-sign the comment.")
    may_cosign_for = serializers.SerializerMethodField(
        help_text="Ids of your organisations that may co-sign it now (POST …/cosign/ with one of them).")

    class Meta:
        model = Comment
        fields = ["id", "parent", "depth", "signed_as", "on_behalf", "body_html", "status", "support_count",
                  "created_at", "edited_at", "position_paper", "cosigned_by", "may_cosign_for", "official_response"]

    @extend_schema_field(PositionPaperSerializer(allow_null=True))
    def get_position_paper(self, obj: Comment) -> dict | None:
        paper = _position_paper(obj)
        return PositionPaperSerializer(paper).data if paper else None

    def get_cosigned_by(self, obj: Comment) -> list[str]:
        return [c.organisation.name for c in obj.cosignatures.all()] if obj.shows_text else []

    def get_may_cosign_for(self, obj: Comment) -> list[int]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated or not obj.consultation.is_open:
            return []
        cosigned = {c.organisation_id for c in obj.cosignatures.all()}
        return [m.organisation_id for m in rules.cosigning_memberships(request.user, obj, cosigned)]

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


def _position_paper(comment: Comment) -> PositionPaper | None:
    """The comment's position paper while its text shows (a hidden or removed comment takes its paper along)."""
    try:
        paper = comment.position_paper
    except Comment.position_paper.RelatedObjectDoesNotExist:
        return None
    return paper if comment.shows_text else None


@extend_schema_serializer(examples=[OpenApiExample(
    "Comment on behalf of your organisation", request_only=True,
    value={"body": "The threshold should be **EUR 150**, as in the IOSS.", "on_behalf_of": 12})])
class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField()
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]  # a declared field, not Field.parent
    on_behalf_of = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="Id of an organisation you belong to, to post on its behalf.")
    position_paper = UploadField(allowed=PDF_ONLY, required=False,
                                 help_text="A PDF setting out your position (comments only, not replies; multipart).")


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
    parser_classes = [JSONParser, MultiPartParser]  # a position paper comes as a file

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
            "author", "organisation", "official_response__organisation", "position_paper",
        ).prefetch_related(Prefetch("cosignatures", queryset=CoSignature.objects.select_related("organisation")))

    @extend_schema(request={"application/json": CommentCreateSerializer,
                            "multipart/form-data": CommentCreateSerializer}, responses={201: CommentSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        """Comment while the consultation is open, as yourself or on behalf of your organisation, with a position
        paper (multipart); or reply to a comment (`parent`). The pages' rules and messages."""
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
            membership = membership_in(request.user, data.validated_data["on_behalf_of"], field="on_behalf_of")
        comment = services.comment_post(actor=signed_in_user(request), consultation=consultation,
                                        body=data.validated_data["body"], parent=parent, acting_for=membership,
                                        on_behalf=membership is not None,
                                        position_paper=data.validated_data.get("position_paper"))
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data,
                        status=status.HTTP_201_CREATED)


def _visible_comment(request, pk: int) -> Comment:
    comment = selectors.comments_visible_to(request.user).select_related("consultation").filter(pk=pk).first()
    if comment is None:
        raise exceptions.NotFound
    return comment


class PositionPaperView(APIView):
    """The position paper of a comment you can see, as uploaded (a PDF)."""

    permission_classes = [permissions.AllowAny]  # as public as the comment

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int):
        comment = _visible_comment(request, pk)
        paper = _position_paper(comment)
        if paper is None:
            raise exceptions.NotFound
        return private_file_response(paper)


@extend_schema_serializer(examples=[OpenApiExample(
    "Report advertising", request_only=True,
    value={"reason": "The comment advertises a software product."})])
class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=1000,
                                   help_text="What is wrong with the comment (personal attacks, advertising, "
                                             "confidential data): moderators judge it.")


class ReportView(APIView):
    """Report a comment that breaks the rules; moderators look at it (once per comment until they have)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReportSerializer, responses={201: inline_serializer(
        "CommentReported", {"detail": serializers.CharField()})})
    def post(self, request: Request, pk: int) -> Response:
        comment = _visible_comment(request, pk)
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_report(actor=signed_in_user(request), comment=comment, reason=data.validated_data["reason"])
        return Response({"detail": _("Thank you. A moderator will look at the comment.")},
                        status=status.HTTP_201_CREATED)


@extend_schema_serializer(examples=[OpenApiExample(
    "Co-sign for your association", request_only=True,
    value={"organisation": 31})])
class CosignSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="Id of your organisation that co-signs (see the comment's "
                                                      "`may_cosign_for`).")


class CosignView(APIView):
    """Co-sign a comment posted on behalf of an organisation, for another organisation you speak for."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CosignSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, pk: int) -> Response:
        comment = _visible_comment(request, pk)
        data = CosignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_in(request.user, data.validated_data["organisation"])
        services.comment_cosign(actor=signed_in_user(request), comment=comment, organisation=membership.organisation)
        fresh = Comment.objects.select_related("consultation", "organisation", "position_paper").prefetch_related(
            Prefetch("cosignatures", queryset=CoSignature.objects.select_related("organisation"))).get(pk=comment.pk)
        return Response(CommentSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED)


class SupportView(APIView):
    """Toggle your support of a comment."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("Support", {"supported": serializers.BooleanField(),
                                                                          "support_count": serializers.IntegerField()}))
    def post(self, request: Request, pk: int) -> Response:
        comment = _visible_comment(request, pk)
        supported = services.comment_support_toggle(actor=signed_in_user(request), comment=comment)
        comment.refresh_from_db(fields=["support_count"])
        return Response({"supported": supported, "support_count": comment.support_count})


@extend_schema_serializer(examples=[OpenApiExample(
    "Follow, told at once", request_only=True,
    value={"delivery": "immediate"})])
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
        follow = services.follow_set(actor=signed_in_user(request), consultation=consultation, **data.validated_data)
        return Response({"delivery": follow.delivery})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.follow_remove(actor=signed_in_user(request), consultation=self._consultation(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("", ConsultationList.as_view(), name="api-consultation-list"),
    path("<int:pk>/", ConsultationDetail.as_view(), name="api-consultation-detail"),
    path("<int:pk>/comments/", CommentList.as_view(), name="api-consultation-comments"),
    path("<int:pk>/follow/", FollowView.as_view(), name="api-consultation-follow"),
    path("comments/<int:pk>/support/", SupportView.as_view(), name="api-comment-support"),
    path("comments/<int:pk>/report/", ReportView.as_view(), name="api-comment-report"),
    path("comments/<int:pk>/cosign/", CosignView.as_view(), name="api-comment-cosign"),
    path("comments/<int:pk>/position-paper/", PositionPaperView.as_view(), name="api-comment-position-paper"),
]
