"""Training under /api/v1/training/: the public catalogue, your enrolments and progress, quiz attempts,
and the public certificate verification. The same selectors, services and permission helpers as the pages.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from training import selectors, services
from training.models import Centre, Certificate, Choice, Course, Enrolment, Lesson, Question, QuizAttempt

app_name = "training-api"


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["slug", "name", "description", "sectors"]


class CourseSerializer(serializers.ModelSerializer):
    centre = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    centre_name = serializers.CharField(source="centre.name", read_only=True)
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
    prerequisites = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "prerequisites", "modules", "quizzes"]


class TitleCursorPagination(CursorPagination):
    ordering = ("title", "pk")
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(parameters=[
    OpenApiParameter("search", str), OpenApiParameter("level", str, enum=Course.Level.values),
    OpenApiParameter("centre", str, description="A centre's slug"),
    OpenApiParameter("aeo", str, description="`any`, or an AEO section code"),
])
class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """The published courses (public)."""

    permission_classes = [AllowAny]
    serializer_class = CourseSerializer
    pagination_class = TitleCursorPagination
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        courses = selectors.catalogue(search=params.get("search", "")[:100], level=params.get("level", ""),
                                      centre=params.get("centre", ""), aeo=params.get("aeo", ""))
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

    def get_steps_done(self, obj: Enrolment) -> int:
        return selectors.progress_of(obj).done

    def get_steps_total(self, obj: Enrolment) -> int:
        return selectors.progress_of(obj).total

    def get_percent(self, obj: Enrolment) -> int:
        return selectors.progress_of(obj).percent

    def get_certificate_code(self, obj: Enrolment) -> str | None:
        certificate = getattr(obj, "certificate", None)
        return certificate.code if certificate else None


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
        services.lesson_complete(actor=request.user, enrolment=enrolment, lesson=lesson)
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


class QuizAttemptStartSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    quiz = serializers.IntegerField()


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
        return self.get_paginated_response(self.get_serializer(self._with_questions(list(page)), many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(self._with_questions([self.get_object()])[0]).data)

    @extend_schema(request=QuizAttemptStartSerializer, responses={201: QuizAttemptSerializer})
    def create(self, request: Request) -> Response:
        data = QuizAttemptStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = Enrolment.objects.current().filter(pk=data.validated_data["enrolment"], user=request.user).first()
        if enrolment is None:
            raise Http404
        quiz = enrolment.course.quizzes.filter(pk=data.validated_data["quiz"]).first()
        if quiz is None:
            raise ApiValidationError({"quiz": ["No such quiz in this course."]})
        attempt = services.quiz_attempt_start(actor=request.user, enrolment=enrolment, quiz=quiz)
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
        attempt = services.quiz_attempt_submit(actor=request.user, attempt=attempt, answers=answers)
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

    @extend_schema(responses={200: TrainingCertificateVerificationSerializer, 404: inline_serializer(
        "TrainingCertificateNotFound", {"detail": serializers.CharField()})})
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            return Response({"detail": "No certificate can be confirmed with this code."}, status=404)
        data = TrainingCertificateVerificationSerializer(certificate).data
        return Response(data, headers={"Cache-Control": "no-store"})


router = SimpleRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("courses", CourseViewSet, basename="course")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("attempts", QuizAttemptViewSet, basename="attempt")
urlpatterns = [
    path("certificates/verify/<str:code>/", CertificateVerificationView.as_view(), name="verify"),
    *router.urls,
]
