"""Training under /api/v1/training/: the public catalogue, your enrolments and progress, quiz attempts,
and the public certificate verification. The same selectors, services and permission helpers as the pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from portal.api.errors import ErrorSerializer, UploadsField, membership_in
from portal.files import file_download_response, private_file_response
from portal.types import signed_in_user
from training import selectors, services
from training.forms import PrivateFilesField
from training.models import (
    AdvisoryAttachment,
    AdvisoryQuestion,
    AeoSection,
    Centre,
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    Question,
    QuizAttempt,
)
from training.permissions import questions_visible_to

if TYPE_CHECKING:
    from training.selectors import ProgressEnrolment

app_name = "training-api"


class CentreSerializer(serializers.ModelSerializer):
    """Name and description in the reader's language (English where a translation is missing)."""

    name = serializers.CharField(source="local_name", read_only=True)
    description = serializers.CharField(source="local_description", read_only=True)

    class Meta:
        model = Centre
        fields = ["slug", "name", "description", "sectors"]


class CourseSerializer(serializers.ModelSerializer):
    """Title, summary and centre name in the reader's language (English where a translation is missing)."""

    title = serializers.CharField(source="local_title", read_only=True)
    summary = serializers.CharField(source="local_summary", read_only=True)
    centre: serializers.SlugRelatedField[Centre] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    centre_name = serializers.CharField(source="centre.local_name", read_only=True)
    lesson_count = serializers.IntegerField(read_only=True)
    quiz_count = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Course
        fields = ["slug", "title", "summary", "centre", "centre_name", "level", "duration_minutes",
                  "validity_months", "aeo_sections", "lesson_count", "quiz_count", "url"]


class LessonOutlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "title", "duration_minutes"]


class ModuleOutlineSerializer(serializers.Serializer):
    title = serializers.CharField()
    lessons = LessonOutlineSerializer(many=True, source="lessons.all")


class QuizOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    questions_per_attempt = serializers.IntegerField()
    pass_mark = serializers.IntegerField()
    max_attempts = serializers.IntegerField()


class CourseDetailSerializer(CourseSerializer):
    modules = ModuleOutlineSerializer(many=True, source="modules.all", read_only=True)
    quizzes = QuizOutlineSerializer(many=True, source="quizzes.all", read_only=True)
    prerequisites: serializers.SlugRelatedField[Course] = serializers.SlugRelatedField(slug_field="slug", many=True,
                                                                                       read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "prerequisites", "modules", "quizzes"]


class TitleCursorPagination(CursorPagination):
    ordering = ("title", "pk")
    page_size_query_param = "page_size"
    max_page_size = 200


class CourseFilter(filters.FilterSet):
    """The catalogue's filters, as its page offers them; the selectors do the reading."""

    search = filters.CharFilter(method="filter_search", max_length=100,
                                help_text="Words in the title, the summary or the centre's name.")
    level = filters.ChoiceFilter(choices=Course.Level.choices)
    centre = filters.CharFilter(field_name="centre__slug", help_text="A centre's slug.")
    aeo = filters.ChoiceFilter(method="filter_aeo", choices=[("any", "Supports an AEO application"),
                                                             *AeoSection.choices],
                               help_text="`any`: courses that support an AEO application; a section's code: "
                                         "those that support that section.")

    class Meta:
        model = Course
        fields = ["search", "level", "centre", "aeo"]

    def filter_search(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return selectors.courses_matching(queryset, value)

    def filter_aeo(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return selectors.courses_for_aeo(queryset, value)


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """The published courses (public)."""

    permission_classes = [AllowAny]
    serializer_class = CourseSerializer
    pagination_class = TitleCursorPagination
    lookup_field = "slug"
    filterset_class = CourseFilter

    def get_queryset(self):
        courses = selectors.catalogue()
        if self.action == "retrieve":
            courses = courses.prefetch_related(
                Prefetch("modules__lessons", queryset=Lesson.objects.order_by("order", "pk")), "quizzes",
                "prerequisites")
        return courses

    def get_serializer_class(self):
        return CourseDetailSerializer if self.action == "retrieve" else CourseSerializer


class CentreViewSet(viewsets.ReadOnlyModelViewSet):
    """The ten Centres of Excellence and Expertise (public)."""

    permission_classes = [AllowAny]
    serializer_class = CentreSerializer
    queryset = Centre.objects.all()
    pagination_class = None
    lookup_field = "slug"
    filter_backends: list = []


@extend_schema_serializer(examples=[OpenApiExample(
    "Enrol on a course", request_only=True,
    value={"course": "hs-classification-machinery"})])
class EnrolmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", queryset=Course.objects.published())
    steps_done = serializers.SerializerMethodField()
    steps_total = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    certificate_code = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = ["id", "course", "enrolled_at", "last_activity_at", "completed_at", "steps_done", "steps_total",
                  "percent", "certificate_code"]
        read_only_fields = ["enrolled_at", "last_activity_at", "completed_at"]

    # The enrolments of selectors.my_enrolments, annotated by with_progress. The schema generator reads these
    # methods' hints at run time, and an annotated model has no run-time type: hence Enrolment and a cast.
    def get_steps_done(self, obj: Enrolment) -> int:
        return selectors.progress_of(cast("ProgressEnrolment", obj)).done

    def get_steps_total(self, obj: Enrolment) -> int:
        return selectors.progress_of(cast("ProgressEnrolment", obj)).total

    def get_percent(self, obj: Enrolment) -> int:
        return selectors.progress_of(cast("ProgressEnrolment", obj)).percent

    def get_certificate_code(self, obj: Enrolment) -> str | None:
        certificate = getattr(obj, "certificate", None)
        return certificate.code if certificate else None


@extend_schema_serializer(examples=[OpenApiExample(
    "Mark a lesson done", request_only=True,
    value={"lesson": 88})])
class LessonCompleteSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()


class EnrolledAtPagination(CursorPagination):
    ordering = ("-enrolled_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Your enrolments with progress counted from what you did; enrol; mark a lesson done."""

    serializer_class = EnrolmentSerializer
    pagination_class = EnrolledAtPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Enrolment.objects.none()
        return selectors.my_enrolments(self.request.user).order_by("-enrolled_at", "-pk")

    def perform_create(self, serializer):
        membership = getattr(self.request, "membership", None)
        enrolment = services.enrolment_create(actor=self.request.user, course=serializer.validated_data["course"],
                                              organisation=membership.organisation if membership else None)
        serializer.instance = self.get_queryset().get(pk=enrolment.pk)

    @extend_schema(request=LessonCompleteSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], url_path="complete-lesson")
    def complete_lesson(self, request: Request, pk: str | None = None) -> Response:
        enrolment = self.get_object()
        data = LessonCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = Lesson.objects.filter(pk=data.validated_data["lesson"], module__course=enrolment.course_id).first()
        if lesson is None:
            raise ApiValidationError({"lesson": ["No such lesson in this course."]})
        services.lesson_complete(actor=signed_in_user(request), enrolment=enrolment, lesson=lesson)
        return Response(EnrolmentSerializer(self.get_queryset().get(pk=enrolment.pk)).data)


class TrainingChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "text"]  # never whether it is right: that stays on the server until submitted


class AttemptQuestionSerializer(serializers.ModelSerializer):
    choices = TrainingChoiceSerializer(many=True, source="choices.all")
    answer_type = serializers.CharField(source="kind")

    class Meta:
        model = Question
        fields = ["id", "text", "answer_type", "choices"]


class QuizAttemptSerializer(serializers.ModelSerializer):
    questions = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuizAttempt
        fields = ["id", "enrolment", "quiz", "number", "started_at", "submitted_at", "score", "max_score",
                  "percent", "passed", "questions"]

    @extend_schema_field(AttemptQuestionSerializer(many=True))
    def get_questions(self, obj: QuizAttempt) -> list[dict]:
        found = {q.pk: q for q in getattr(obj, "question_objects", [])}
        return [AttemptQuestionSerializer(found[int(pk)]).data for pk in obj.question_ids if int(pk) in found]


@extend_schema_serializer(examples=[OpenApiExample(
    "Start an attempt", request_only=True,
    value={"enrolment": 40, "quiz": 7})])
class QuizAttemptStartSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    quiz = serializers.IntegerField()


@extend_schema_serializer(examples=[OpenApiExample(
    "Submit the answers", request_only=True,
    value={"answers": {"101": [503], "102": [507, 508]}})])
class QuizAttemptSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()),
                                    help_text="Question id → ids of the chosen answers.")


class StartedAtPagination(CursorPagination):
    ordering = ("-started_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200


class QuizAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your quiz attempts: start one (questions drawn on the server), submit answers, get the score."""

    serializer_class = QuizAttemptSerializer
    pagination_class = StartedAtPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return QuizAttempt.objects.none()
        return QuizAttempt.objects.filter(enrolment__user=self.request.user).order_by("-started_at", "-pk")

    def _with_questions(self, attempts: list[QuizAttempt]) -> list[QuizAttempt]:
        ids = {int(pk) for a in attempts for pk in a.question_ids}
        questions = {q.pk: q for q in Question.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))}
        for attempt in attempts:
            attempt.question_objects = [questions[int(pk)] for pk in attempt.question_ids if int(pk) in questions]
        return attempts

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # StartedAtPagination always pages (PAGE_SIZE is set)
        return self.get_paginated_response(self.get_serializer(self._with_questions(list(page)), many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(self._with_questions([self.get_object()])[0]).data)

    @extend_schema(request=QuizAttemptStartSerializer, responses={201: QuizAttemptSerializer, 404: ErrorSerializer})
    def create(self, request: Request) -> Response:
        data = QuizAttemptStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = Enrolment.objects.current().filter(pk=data.validated_data["enrolment"],
                                                       user=signed_in_user(request)).first()
        if enrolment is None:
            raise Http404
        quiz = enrolment.course.quizzes.filter(pk=data.validated_data["quiz"]).first()
        if quiz is None:
            raise ApiValidationError({"quiz": ["No such quiz in this course."]})
        attempt = services.quiz_attempt_start(actor=signed_in_user(request), enrolment=enrolment, quiz=quiz)
        return Response(self.get_serializer(self._with_questions([attempt])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuizAttemptSubmitSerializer, responses=QuizAttemptSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        attempt = self.get_object()
        data = QuizAttemptSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answers = {int(q): ids for q, ids in data.validated_data["answers"].items()}
        except ValueError as error:
            raise ApiValidationError({"answers": ["Question ids must be whole numbers."]}) from error
        attempt = services.quiz_attempt_submit(actor=signed_in_user(request), attempt=attempt, answers=answers)
        return Response(self.get_serializer(self._with_questions([attempt])[0]).data)


class TrainingCertificateVerificationSerializer(serializers.Serializer):
    # A plain string in the schema (valid, expired or revoked): an enum named "status" would clash with others.
    status = serializers.SerializerMethodField(help_text="valid, expired or revoked")
    holder_name = serializers.CharField()
    course = serializers.CharField(source="course.title")
    centre = serializers.CharField(source="course.centre.name")
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_status(self, obj: Certificate) -> str:
        return obj.status_at(timezone.now())


class CertificateVerificationView(APIView):
    """Public: the status of the certificate with this code. Any other code is a plain 404."""

    permission_classes = [AllowAny]
    serializer_class = TrainingCertificateVerificationSerializer

    @extend_schema(responses=TrainingCertificateVerificationSerializer)
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            return Response({"detail": "No certificate can be confirmed with this code."}, status=404)
        data = TrainingCertificateVerificationSerializer(certificate).data
        return Response(data, headers={"Cache-Control": "no-store"})


class CertificateSerializer(serializers.ModelSerializer):
    course: serializers.SlugRelatedField[Course] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    centre = serializers.CharField(source="course.centre.name", read_only=True)
    status = serializers.SerializerMethodField(help_text="valid, expired or revoked")
    verification_url = serializers.SerializerMethodField(help_text="The public page that confirms it.")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF through the API.")

    class Meta:
        model = Certificate
        fields = ["id", "code", "course", "course_title", "centre", "holder_name", "issued_at", "expires_at",
                  "revoked_at", "revoked_reason", "status", "verification_url", "pdf_url"]

    def get_status(self, obj: Certificate) -> str:
        return obj.status_at(timezone.now())

    def get_verification_url(self, obj: Certificate) -> str:
        return services.verification_url(obj)

    def get_pdf_url(self, obj: Certificate) -> str:
        return reverse("training-api:certificate-pdf", args=[obj.pk])


class IssuedAtPagination(CursorPagination):
    ordering = ("-issued_at", "-pk")
    page_size_query_param = "page_size"
    max_page_size = 200


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """Your training certificates, newest first, and their PDFs."""

    serializer_class = CertificateSerializer
    pagination_class = IssuedAtPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return selectors.my_certificates(self.request.user).order_by("-issued_at", "-pk")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None):
        """The certificate as a PDF (drawn now if the task has not done it yet, as on the page)."""
        certificate = self.get_object()
        if not certificate.pdf:
            certificate = services.certificate_pdf_render(certificate_id=certificate.pk)
        return file_download_response(certificate.pdf, filename=f"certificate-{certificate.course.slug}.pdf",
                                      content_type="application/pdf")


class AdvisoryAttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AdvisoryAttachment
        fields = ["id", "original_name", "size", "content_type", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, obj: AdvisoryAttachment) -> str:
        return reverse("training-api:question-attachment", args=[obj.question_id, obj.pk])


class AdvisoryQuestionSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    centre: serializers.SlugRelatedField[Centre] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    asked_by = serializers.CharField(source="asked_by.__str__", read_only=True)
    attachments = AdvisoryAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = AdvisoryQuestion
        fields = ["id", "organisation", "organisation_name", "centre", "centre_name", "subject", "text", "status",
                  "asked_by", "created_at", "answer_html", "answered_at", "attachments"]


@extend_schema_serializer(examples=[OpenApiExample(
    "Ask a centre", request_only=True,
    value={"organisation": 12,
           "centre": "machinery",
           "subject": "Robotic palletiser",
           "text": "Is a palletiser with its own conveyor a functional unit under Note 4 to Section XVI?"})])
class AdvisoryQuestionWriteSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="Id of your organisation, on whose behalf you ask.")
    centre = serializers.SlugRelatedField(slug_field="slug", queryset=Centre.objects.all(),
                                          help_text="The centre's slug (see /api/v1/training/centres/).")
    subject = serializers.CharField(allow_blank=True, max_length=200)
    text = serializers.CharField(allow_blank=True)
    files = UploadsField(required=False, default=list, max_length=PrivateFilesField.MAX_FILES,
                         help_text="Documents (multipart), each through the portal's upload check.")


class AdvisoryQuestionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=AdvisoryQuestion.Status.choices)
    centre = filters.CharFilter(field_name="centre__slug", help_text="A centre's slug.")

    class Meta:
        model = AdvisoryQuestion
        fields = ["status", "centre"]


class AdvisoryQuestionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Questions your organisations put to a centre, with the advisers' answers; ask one, with documents."""

    serializer_class = AdvisoryQuestionSerializer
    filterset_class = AdvisoryQuestionFilter
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AdvisoryQuestion.objects.none()
        return (questions_visible_to(self.request.user).select_related("organisation", "centre", "asked_by")
                .prefetch_related("attachments").order_by("-created_at", "-pk"))

    @extend_schema(request={"multipart/form-data": AdvisoryQuestionWriteSerializer,
                            "application/json": AdvisoryQuestionWriteSerializer},
                   responses={201: AdvisoryQuestionSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Ask a centre on behalf of your organisation; its advisers are told. The page's rules and messages."""
        incoming = AdvisoryQuestionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        membership = membership_in(request.user, data["organisation"])
        question = services.advisory_question_ask(actor=signed_in_user(request), organisation=membership.organisation,
                                                  centre=data["centre"], subject=data["subject"], text=data["text"],
                                                  files=data["files"])
        return Response(self.get_serializer(self.get_queryset().get(pk=question.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)",
            url_name="attachment")
    def attachment(self, request: Request, pk: str | None = None, attachment_id: str = ""):
        """A document attached to the question, as uploaded."""
        question = self.get_object()
        attachment = next((a for a in question.attachments.all() if str(a.pk) == attachment_id), None)
        if attachment is None:
            raise Http404
        return private_file_response(attachment)


router = SimpleRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("courses", CourseViewSet, basename="course")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attempts", QuizAttemptViewSet, basename="attempt")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("questions", AdvisoryQuestionViewSet, basename="question")
urlpatterns = [
    path("certificates/verify/<str:code>/", CertificateVerificationView.as_view(), name="verify"),
    *router.urls,
]
