"""The AEO API for traders' own software: their applications, the questionnaire, and draft answers."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from aeo import services
from aeo.models import Answer, Application, Authorisation, Question, Questionnaire, Section
from aeo.selectors import applications_for, timeline
from aeo.workflow import EXPLANATIONS, State


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "code", "text", "help", "answer_type", "choices", "required", "criterion", "allows_na",
                  "evidence"]


class SectionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["code", "title", "intro", "applies_to", "questions"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["version", "title", "published_at", "sections"]


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The questionnaire versions, each with its sections and questions."""

    serializer_class = QuestionnaireSerializer
    lookup_field = "version"
    pagination_class = None
    queryset = Questionnaire.objects.prefetch_related("sections__questions")


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField(source="action_label")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    created_at = serializers.DateTimeField()


class ApplicationSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    state_explained = serializers.SerializerMethodField()
    questionnaire_version = serializers.IntegerField(source="questionnaire.version", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "reference", "organisation", "kind", "state", "state_explained", "questionnaire_version",
                  "created_at", "submitted_at", "acceptance_due", "decision_due", "returned_reasons"]

    def get_state_explained(self, obj: Application) -> str:
        return str(EXPLANATIONS[State(obj.state)][0])


class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "timeline"]

    @extend_schema(responses=EventSerializer(many=True))
    def get_timeline(self, obj: Application) -> list[dict]:
        return EventSerializer(timeline(obj, for_applicant=True), many=True).data


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "value", "not_applicable", "justification", "updated_at"]


class AnswerWriteSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's code, e.g. A.1")
    value = serializers.CharField(allow_blank=True, required=False, default="")
    not_applicable = serializers.BooleanField(required=False, default=False)
    justification = serializers.CharField(allow_blank=True, required=False, default="")


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your organisations' AEO applications, with state, deadlines and timeline."""

    def get_queryset(self):
        return applications_for(self.request.user).select_related("questionnaire").order_by("-created_at")

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    @extend_schema(request=AnswerWriteSerializer(many=True), responses=AnswerSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def answers(self, request, pk=None):
        """GET the answers; POST a list of answers to save them (drafts only; 409 if someone saved the
        same section at the same moment)."""
        application = self.get_object()
        if request.method == "GET":
            return Response(AnswerSerializer(application.answers.select_related("question"), many=True).data)
        incoming = AnswerWriteSerializer(data=request.data, many=True)
        incoming.is_valid(raise_exception=True)
        questions = {q.code: q for q in Question.objects.filter(section__questionnaire=application.questionnaire)
                     .select_related("section")}
        by_section: dict[int, dict] = {}
        errors = {}
        for row in incoming.validated_data:
            question = questions.get(row["question"])
            if question is None or not question.section.applies(application.kind):
                errors[row["question"]] = ["No such question in this application's questionnaire."]
                continue
            by_section.setdefault(question.section_id, {})[question.pk] = services.AnswerInput(
                row["value"], row["not_applicable"], row["justification"])
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():  # all the answers of one call, or none
                for section_id, answers in by_section.items():
                    section = get_object_or_404(Section, pk=section_id)
                    version = application.section_versions.filter(section=section).values_list(
                        "version", flat=True).first() or 0
                    services.section_save(actor=request.user, application=application, section=section,
                                          answers=answers, version=version)
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from None
        except services.EditConflict as conflict:
            return Response({"detail": f"{conflict.by} saved these answers a moment ago; read them and try again."},
                            status=status.HTTP_409_CONFLICT)
        return Response(AnswerSerializer(application.answers.select_related("question"), many=True).data,
                        status=status.HTTP_200_OK)


class VerificationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["active", "suspended", "revoked", "unknown"])
    number = serializers.CharField(required=False)
    holder = serializers.CharField(required=False)
    kind = serializers.CharField(required=False)
    valid_from = serializers.DateField(required=False)


class VerificationView(APIView):
    """Check a certificate by the code in its QR link; no sign-in. An unknown code reveals nothing."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=VerificationSerializer)
    def get(self, request, token: str):
        authorisation = Authorisation.objects.select_related("organisation").filter(verification_token=token).first()
        if authorisation is None:
            return Response({"status": "unknown"}, status=status.HTTP_404_NOT_FOUND)
        data = {"status": authorisation.status, "number": authorisation.number}
        if authorisation.status != Authorisation.Status.REVOKED:
            data |= {"holder": authorisation.organisation.name, "kind": authorisation.kind,
                     "valid_from": authorisation.valid_from}
        return Response(VerificationSerializer(data).data)


router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="aeo-application")
router.register("questionnaires", QuestionnaireViewSet, basename="aeo-questionnaire")
urlpatterns = [*router.urls, path("verify/<str:token>/", VerificationView.as_view(), name="aeo-verify")]
