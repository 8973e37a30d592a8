"""The AEO API for traders' own software: the whole dialogue the pages carry, through the same services, rules
and messages (start, answers with a version check, evidence, check, sign and submit, information requests,
the right to be heard, withdrawal; authorisations, certificates, consent, change notices)."""

from __future__ import annotations

from django.db import transaction
from django.http import FileResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from aeo import mra, services
from aeo.models import (
    Answer,
    Application,
    Authorisation,
    AuthorisationType,
    ChangeNotice,
    DecisionNotice,
    DialogueFile,
    Evidence,
    Hearing,
    InformationRequest,
    Question,
    Questionnaire,
    Section,
)
from aeo.permissions import ACTOR_REFUSALS, APPLICANT_ACTIONS, available_actions, is_signatory, refusal
from aeo.selectors import applications_for, section_page, task_list, timeline
from aeo.services.authorisations import verification_url
from aeo.workflow import EXPLANATIONS, Actor, State
from portal.api.errors import ErrorSerializer, UploadField, UploadsField, membership_in
from portal.files import file_download_response, private_file_response
from portal.models import Organisation, Role
from portal.permissions import role_in
from portal.types import signed_in_user


class QuestionSerializer(serializers.ModelSerializer):
    """Text in the reader's language (English where a translation is missing); `choices` are the values to send,
    `choice_labels` what to show for them."""

    text = serializers.CharField(source="local_text", read_only=True)
    help = serializers.CharField(source="local_help", read_only=True)
    evidence = serializers.CharField(source="local_evidence", read_only=True)
    choice_labels = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "code", "text", "help", "answer_type", "choices", "choice_labels", "required", "criterion",
                  "allows_na", "evidence"]

    def get_choice_labels(self, question) -> list[str]:
        return [label for _value, label in question.local_choices]


class SectionSerializer(serializers.ModelSerializer):
    """Title and intro in the reader's language."""

    title = serializers.CharField(source="local_title", read_only=True)
    intro = serializers.CharField(source="local_intro", read_only=True)
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
    label = serializers.CharField(source="action_label")  # type: ignore[assignment]  # a declared field, not Field.label
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    created_at = serializers.DateTimeField()


class ApplicationSerializer(serializers.ModelSerializer):
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = serializers.PrimaryKeyRelatedField(read_only=True)
    state_explained = serializers.SerializerMethodField()
    next_step = serializers.SerializerMethodField()
    questionnaire_version = serializers.IntegerField(source="questionnaire.version", read_only=True)
    available_actions = serializers.SerializerMethodField(
        help_text="What you may do next on this application, as the pages offer it: submit, respond, "
                  "hearing_reply, withdraw. Anything else would be refused.")

    class Meta:
        model = Application
        fields = ["id", "reference", "organisation", "kind", "state", "state_explained", "next_step",
                  "questionnaire_version", "created_at", "submitted_at", "acceptance_due", "decision_due",
                  "returned_reasons", "available_actions"]

    def get_state_explained(self, obj: Application) -> str:
        return str(EXPLANATIONS[State(obj.state)][0])

    def get_next_step(self, obj: Application) -> str:
        return str(EXPLANATIONS[State(obj.state)][1])

    def get_available_actions(self, obj: Application) -> list[str]:
        return available_actions(self.context["request"].user, obj, side=APPLICANT_ACTIONS)


class DecisionNoticeSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    ready = serializers.SerializerMethodField(help_text="The PDF is written; until then `download_url` is null.")
    download_url = serializers.SerializerMethodField(help_text="The PDF through the API (your token applies).")
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the PDF, fixed once it is written.")

    class Meta:
        model = DecisionNotice
        fields = ["id", "reference", "kind", "kind_label", "issued_at", "effective_from", "effective_until",
                  "appeal_by", "grounds", "ready", "sha256", "download_url"]

    def get_ready(self, obj: DecisionNotice) -> bool:
        return bool(obj.file)

    def get_download_url(self, obj: DecisionNotice) -> str | None:
        if not obj.file:
            return None
        return reverse("aeo-application-decision-notice", args=[obj.application_id, obj.pk])


class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = serializers.SerializerMethodField()
    decision_notices = DecisionNoticeSerializer(many=True, read_only=True,
                                                help_text="Every decision that changed your rights, newest first.")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "timeline", "decision_notices"]

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, obj: Application) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list; the stubs keep the serializer's own class.
        return EventSerializer(timeline(obj, for_applicant=True), many=True).data  # type: ignore[return-value]


@extend_schema_serializer(examples=[OpenApiExample(
    "Start an AEO application", request_only=True,
    value={"organisation": 12, "kind": "AEOC"})])
class ApplicationStartSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="Id of your organisation (see /api/v1/organisations/).")
    kind = serializers.ChoiceField(choices=AuthorisationType.choices,
                                   error_messages={"invalid_choice": "Choose the authorisation you apply for."})
    copy_from = serializers.IntegerField(required=False, allow_null=True,
                                         help_text="Id of an earlier application of yours to copy answers and "
                                                   "evidence from (a renewal or re-application).")


class AnswerSerializer(serializers.ModelSerializer):
    question: serializers.SlugRelatedField[Question] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "value", "not_applicable", "justification", "updated_at"]


class AnswerWriteSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's code, e.g. A.1")
    value = serializers.CharField(allow_blank=True, required=False, default="")
    not_applicable = serializers.BooleanField(required=False, default=False)
    justification = serializers.CharField(allow_blank=True, required=False, default="")


class SectionItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="section.code")
    title = serializers.CharField(source="section.local_title")
    status = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    missing = serializers.SerializerMethodField(help_text="Required questions not answered yet.")
    unjustified = serializers.SerializerMethodField(help_text="“Not applicable” without the reason why.")
    evidence_missing = serializers.SerializerMethodField(help_text="Evidence expected and not attached.")

    def get_missing(self, item) -> list[str]:
        return [q.code for q in item.missing]

    def get_unjustified(self, item) -> list[str]:
        return [q.code for q in item.unjustified]

    def get_evidence_missing(self, item) -> list[str]:
        return [q.code for q in item.evidence_missing]


class EvidenceSerializer(serializers.ModelSerializer):
    question: serializers.SlugRelatedField[Question] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "question", "original_name", "size", "content_type", "sha256", "uploaded_at"]


class SectionSerializer_(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back with your answers: a save on top of a newer "
                                                 "version is refused with 409.")
    answers = AnswerSerializer(many=True)
    evidence = EvidenceSerializer(many=True)


@extend_schema_serializer(examples=[OpenApiExample(
    "Save a section on top of version 3", request_only=True,
    value={"version": 3,
           "answers": [{"question": "A.1", "value": "Atlantic Freight SA"},
                       {"question": "A.4",
                        "value": "",
                        "not_applicable": True,
                        "justification": "We have no branches abroad."}]})])
class SectionWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    answers = AnswerWriteSerializer(many=True)


class SectionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    your_version = serializers.IntegerField()
    current_version = serializers.IntegerField()
    saved_by = serializers.CharField()
    saved_at = serializers.DateTimeField()
    theirs = AnswerSerializer(many=True, help_text="The answers now saved.")
    yours = AnswerWriteSerializer(many=True, help_text="The answers you sent, not saved.")


class EvidenceUploadSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's code")
    file = UploadField()


class CheckSerializer(serializers.Serializer):
    ready = serializers.BooleanField(help_text="Nothing stops submission.")
    problems = serializers.ListField(child=serializers.CharField(), help_text="What stops submission.")
    evidence_missing = serializers.ListField(child=serializers.CharField(),
                                             help_text="Evidence expected and not attached, as “code: evidence”. "
                                                       "Attach it, or give a reason for each item in "
                                                       "`evidence_reasons` when you submit; customs reads them.")
    must_no = serializers.ListField(child=serializers.CharField(),
                                    help_text="Conditions of the programme answered “no”.")
    can_sign = serializers.BooleanField(help_text="You are an administrator and may sign.")


@extend_schema_serializer(examples=[OpenApiExample(
    "Sign and submit", request_only=True,
    value={"signatory_name": "Alice Almeida",
           "signatory_position": "Managing director",
           "confirmed": True,
           "evidence_reasons": {"B.3": "Our auditor sends the report by 15 March."}})])
class SubmitSerializer(serializers.Serializer):
    signatory_name = serializers.CharField(allow_blank=True, required=False, default="", max_length=150)
    signatory_position = serializers.CharField(allow_blank=True, required=False, default="", max_length=150)
    confirmed = serializers.BooleanField(
        required=False, default=False,
        help_text="I declare that the answers and evidence are true and complete to the best of my knowledge, "
                  "and that I am authorised to sign for the organisation.")
    evidence_reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000), required=False, default=dict,
        help_text="Question code → why the evidence it expects is not attached: one for each item `check` lists "
                  "under `evidence_missing`, as on the sign page.")


class DialogueFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = DialogueFile
        fields = ["id", "original_name", "size", "content_type", "sha256", "uploaded_at"]


class InformationRequestSerializer(serializers.ModelSerializer):
    files = DialogueFileSerializer(many=True, read_only=True)

    class Meta:
        model = InformationRequest
        fields = ["id", "questions", "due_date", "requested_at", "response", "responded_at", "files"]


class HearingSerializer(serializers.ModelSerializer):
    files = DialogueFileSerializer(many=True, read_only=True)

    class Meta:
        model = Hearing
        fields = ["id", "grounds", "due_date", "opened_at", "reply", "replied_at", "files"]


class ResponseWriteSerializer(serializers.Serializer):
    response = serializers.CharField(allow_blank=True, required=False, default="")
    files = UploadsField(required=False, default=list)


class HearingReplyWriteSerializer(serializers.Serializer):
    reply = serializers.CharField(allow_blank=True, required=False, default="")
    files = UploadsField(required=False, default=list)


@extend_schema_serializer(examples=[OpenApiExample(
    "Withdraw", request_only=True,
    value={"reason": "We are reorganising the group and will apply again."})])
class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


MULTIPART = [MultiPartParser]  # the routes that take files: fields and files as multipart parts


class ApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Your organisations' AEO applications: start one, answer, attach evidence, check, sign and submit,
    answer customs, withdraw. Every write goes through the services the pages use, with the same rules and
    messages; `available_actions` says what you may do next."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        # The rule book reads the hearings and open requests of each application: fetched once per page.
        return (applications_for(self.request.user).select_related("questionnaire")
                .prefetch_related("hearings", "information_requests").order_by("-created_at", "-pk"))

    def get_serializer_class(self):
        if self.action == "create":
            return ApplicationStartSerializer
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer

    def _fresh(self, application: Application) -> dict:
        return ApplicationDetailSerializer(self.get_queryset().get(pk=application.pk),
                                           context=self.get_serializer_context()).data

    @extend_schema(request=ApplicationStartSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Start an application for one of your organisations (any member may start one)."""
        data = ApplicationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_in(request.user, data.validated_data["organisation"])
        source = None
        if data.validated_data.get("copy_from"):
            source = applications_for(request.user).filter(pk=data.validated_data["copy_from"]).first()
            if source is None:
                raise ValidationError({"copy_from": ["No such application among yours."]})
        application = services.application_start(actor=signed_in_user(request), organisation=membership.organisation,
                                                  kind=data.validated_data["kind"], copy_from=source)
        return Response(self._fresh(application), status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerWriteSerializer(many=True), responses=AnswerSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def answers(self, request, pk=None):
        """GET the answers; POST a list of answers to save them over whatever is saved (drafts only). To
        be told when someone else saved a section meanwhile, use the section's PUT with its version."""
        application = self.get_object()
        if request.method == "GET":
            return Response(AnswerSerializer(application.answers.select_related("question"), many=True).data)
        incoming = AnswerWriteSerializer(data=request.data, many=True)
        incoming.is_valid(raise_exception=True)
        by_section = _answers_by_section(application, incoming.validated_data)
        try:
            with transaction.atomic():  # all the answers of one call, or none
                for section, answers in by_section.values():
                    version = application.section_versions.filter(section=section).values_list(
                        "version", flat=True).first() or 0
                    services.section_save(actor=signed_in_user(request), application=application, section=section,
                                          answers=answers, version=version)
        except services.EditConflict as conflict:
            return Response({"detail": f"{conflict.by} saved these answers a moment ago; read them and try again."},
                            status=status.HTTP_409_CONFLICT)
        return Response(AnswerSerializer(application.answers.select_related("question"), many=True).data,
                        status=status.HTTP_200_OK)

    @extend_schema(responses=SectionItemSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def sections(self, request: Request, pk=None) -> Response:
        """The task list: every section that applies, its status and what it still lacks."""
        application = self.get_object()
        return Response(SectionItemSerializer(task_list(application), many=True).data)

    @extend_schema(methods=["GET"], responses={200: SectionSerializer_})
    @extend_schema(methods=["PUT"], request=SectionWriteSerializer,
                   responses={200: SectionSerializer_, 409: OpenApiResponse(
                       SectionConflictSerializer, description="Saved by someone else since you read it; nothing of "
                                                              "yours was saved.",
                       examples=[OpenApiExample("Saved meanwhile", status_codes=[409], response_only=True, value={
                           "detail": "Bob Member saved this section after you opened it. Nothing of yours was saved: "
                                     "compare both versions and save again with version 4.",
                           "your_version": 3, "current_version": 4, "saved_by": "Bob Member",
                           "saved_at": "2026-03-02T10:15:00Z",
                           "theirs": [{"question": "A.1", "value": "Atlantic Freight SA", "not_applicable": False,
                                       "justification": "", "updated_at": "2026-03-02T10:15:00Z"}],
                           "yours": [{"question": "A.1", "value": "Atlantic Freight Lda", "not_applicable": False,
                                      "justification": ""}]})])})
    @action(detail=True, methods=["get", "put"], url_path=r"sections/(?P<code>[A-Za-z0-9._-]+)")
    def section(self, request: Request, pk=None, code: str = "") -> Response:
        """One section's answers and evidence with its version; PUT the answers with the version you read.
        If someone saved the section since, nothing is saved: 409 with their answers and yours."""
        application = self.get_object()
        section = Section.objects.filter(questionnaire_id=application.questionnaire_id, code=code).first()
        if section is None or not section.applies(application.kind):
            raise NotFound("No such section in this application.")
        if request.method == "PUT":
            incoming = SectionWriteSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            by_section = _answers_by_section(application, incoming.validated_data["answers"], only=section)
            answers = by_section.get(section.pk, (section, {}))[1]
            try:
                services.section_save(actor=signed_in_user(request), application=application, section=section,
                                      answers=answers, version=incoming.validated_data["version"])
            except services.EditConflict as conflict:
                current = application.section_versions.get(section=section).version
                return Response({
                    "detail": _("%(person)s saved this section after you opened it. Nothing of yours was saved: "
                                "compare both versions and save again with version %(version)s.")
                    % {"person": conflict.by, "version": current},
                    "your_version": incoming.validated_data["version"], "current_version": current,
                    "saved_by": str(conflict.by), "saved_at": conflict.at,
                    "theirs": AnswerSerializer(sorted(conflict.theirs.values(), key=lambda a: a.question.order),
                                               many=True).data,
                    "yours": AnswerWriteSerializer(incoming.validated_data["answers"], many=True).data,
                }, status=status.HTTP_409_CONFLICT)
        page = section_page(application, section)
        return Response(SectionSerializer_({
            "code": section.code, "version": page["version"],
            "answers": [a for _q, a, _e in page["questions"] if a],
            "evidence": [e for _q, _a, files in page["questions"] for e in files],
        }).data)

    @extend_schema(methods=["GET"], responses=EvidenceSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=MULTIPART, pagination_class=None)
    def evidence(self, request: Request, pk=None) -> Response:
        """The evidence attached; POST a file (multipart) for a question. The file goes through the same
        check as on the pages (type, content, structure, size, the application's total): 400 says why."""
        application = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(application.evidence.select_related("question"), many=True).data)
        incoming = EvidenceUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        question = Question.objects.filter(section__questionnaire_id=application.questionnaire_id,
                                           code=incoming.validated_data["question"]).select_related("section").first()
        if question is None or not question.section.applies(application.kind):
            raise ValidationError({"question": ["No such question in this application's questionnaire."]})
        evidence = services.evidence_add(actor=signed_in_user(request), application=application, question=question,
                                         upload=incoming.validated_data["file"])
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={(200, "*/*"): OpenApiTypes.BINARY})
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(detail=True, methods=["get", "delete"], url_path=r"evidence/(?P<evidence_id>[0-9]+)")
    def evidence_item(self, request: Request, pk=None, evidence_id: str = "") -> Response | FileResponse:
        """GET downloads the file as uploaded; DELETE removes it (drafts only)."""
        application = self.get_object()
        evidence = application.evidence.select_related("application").filter(pk=evidence_id).first()
        if evidence is None:
            raise NotFound
        if request.method == "GET":
            return private_file_response(evidence)
        services.evidence_remove(actor=signed_in_user(request), evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=CheckSerializer)
    @action(detail=True, methods=["get"])
    def check(self, request: Request, pk=None) -> Response:
        """Check your answers: what stops submission, and what customs will notice."""
        application = self.get_object()
        items = task_list(application)
        problems = services.submission_problems(application) if application.is_editable else []
        return Response(CheckSerializer({
            "ready": application.is_editable and not problems, "problems": problems,
            "evidence_missing": [f"{q.code}: {q.local_evidence}" for i in items for q in i.evidence_missing],
            "must_no": [q.code for i in items for q in i.must_no],
            "can_sign": is_signatory(request.user, application),
        }).data)

    @extend_schema(request=SubmitSerializer, responses={200: ApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        """Sign and submit (administrators only), with the declaration. Everything `check` lists is refused."""
        application = self.get_object()
        incoming = SubmitSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        # As on the sign page: a reason for each missing item, once the rule book lets this user submit at all
        # (else the service's refusal says why).
        if refusal(request.user, application, "submit") is None:
            lacking = services.evidence_reasons_lacking(application, incoming.validated_data["evidence_reasons"])
            if lacking:
                raise ValidationError({"evidence_reasons": lacking})
        services.application_submit(actor=signed_in_user(request), application=application, **incoming.validated_data)
        return Response(self._fresh(application))

    @extend_schema(responses=DecisionNoticeSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="decision-notices", pagination_class=None)
    def decision_notices(self, request: Request, pk=None) -> Response:
        """The decision notices of the application (grant, rejection, return; for an authorisation also
        suspension, lifting, revocation), newest first, each with its SHA-256 and a download link."""
        application = self.get_object()
        return Response(DecisionNoticeSerializer(application.decision_notices.all(), many=True).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 409: ErrorSerializer})
    @action(detail=True, methods=["get"], url_path=r"decision-notices/(?P<notice_id>[0-9]+)",
            url_name="decision-notice")
    def decision_notice(self, request: Request, pk=None, notice_id: str = ""):
        """The decision notice PDF, as issued (its SHA-256 is in the list); 409 while it is being written."""
        application = self.get_object()
        notice = application.decision_notices.filter(pk=notice_id).first()
        if notice is None:
            raise NotFound
        if not notice.file:
            return Response({"detail": _("The decision notice is being prepared; it will be here in a moment.")},
                            status=status.HTTP_409_CONFLICT)
        return file_download_response(notice.file, filename=f"{notice.reference.replace('/', '-')}.pdf",
                                      content_type="application/pdf")

    @extend_schema(responses=InformationRequestSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="information-requests", pagination_class=None)
    def information_requests(self, request: Request, pk=None) -> Response:
        """Customs' requests for information, newest first, with your answers."""
        application = self.get_object()
        return Response(InformationRequestSerializer(application.information_requests.prefetch_related("files"),
                                                     many=True).data)

    @extend_schema(request={"multipart/form-data": ResponseWriteSerializer},
                   responses={200: InformationRequestSerializer})
    @action(detail=True, methods=["post"], parser_classes=MULTIPART,
            url_path=r"information-requests/(?P<request_id>[0-9]+)/response")
    def information_response(self, request: Request, pk=None, request_id: str = "") -> Response:
        """Answer an information request, with files (multipart `files`, each checked as on the pages)."""
        application = self.get_object()
        info_request = application.information_requests.filter(pk=request_id).first()
        if info_request is None:
            raise NotFound
        incoming = ResponseWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.information_request_respond(actor=signed_in_user(request), request=info_request,
                                             response=incoming.validated_data["response"],
                                             files=incoming.validated_data["files"])
        return Response(InformationRequestSerializer(
            application.information_requests.prefetch_related("files").get(pk=info_request.pk)).data)

    @extend_schema(responses=HearingSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def hearings(self, request: Request, pk=None) -> Response:
        """Customs' grounds for an intended rejection (right to be heard), newest first, with your replies."""
        application = self.get_object()
        return Response(HearingSerializer(application.hearings.prefetch_related("files"), many=True).data)

    @extend_schema(request={"multipart/form-data": HearingReplyWriteSerializer},
                   responses={200: HearingSerializer})
    @action(detail=True, methods=["post"], parser_classes=MULTIPART, url_path=r"hearings/(?P<hearing_id>[0-9]+)/reply")
    def hearing_reply(self, request: Request, pk=None, hearing_id: str = "") -> Response:
        """Reply to the grounds (administrators only), with files, before the due date."""
        application = self.get_object()
        hearing = application.hearings.filter(pk=hearing_id).first()
        if hearing is None:
            raise NotFound
        incoming = HearingReplyWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.hearing_reply(actor=signed_in_user(request), hearing=hearing, reply=incoming.validated_data["reply"],
                               files=incoming.validated_data["files"])
        return Response(HearingSerializer(application.hearings.prefetch_related("files").get(pk=hearing.pk)).data)

    @extend_schema(request=WithdrawSerializer, responses={200: ApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        """Withdraw the application (administrators only), before a decision."""
        application = self.get_object()
        incoming = WithdrawSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.application_withdraw(actor=signed_in_user(request), application=application,
                                      reason=incoming.validated_data["reason"])
        return Response(self._fresh(application))


def _answers_by_section(application: Application, rows: list[dict], *,
                        only: Section | None = None) -> dict[int, tuple[Section, dict]]:
    """The answers sent, by section, as the services take them; 400 naming every unknown question."""
    questions = {q.code: q for q in Question.objects.filter(section__questionnaire=application.questionnaire)
                 .select_related("section")}
    by_section: dict[int, tuple[Section, dict]] = {}
    errors = {}
    for row in rows:
        question = questions.get(row["question"])
        if question is None or not question.section.applies(application.kind) or (
                only is not None and question.section_id != only.pk):
            errors[row["question"]] = [_("No such question in this section.") if only and question
                                       else _("No such question in this application's questionnaire.")]
            continue
        by_section.setdefault(question.section_id, (question.section, {}))[1][question.pk] = services.AnswerInput(
            row["value"], row["not_applicable"], row["justification"])
    if errors:
        raise ValidationError(errors)
    return by_section


class MraPartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")


class AuthorisationSerializer(serializers.ModelSerializer):
    application: serializers.PrimaryKeyRelatedField[Application] = serializers.PrimaryKeyRelatedField(read_only=True)
    certificate_ready = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()
    mra_partners = serializers.SerializerMethodField(
        help_text="The partner administrations your consent to data exchange covers (while `consent_mra`).")
    available_actions = serializers.SerializerMethodField(
        help_text="consent (administrators), change_notice (any member), certificate (once it is ready).")

    class Meta:
        model = Authorisation
        fields = ["id", "number", "kind", "status", "valid_from", "application", "suspended_until",
                  "suspension_reason", "remedial_measures", "revoked_at", "revocation_reason", "consent_publish",
                  "consent_mra", "mra_partners", "certificate_ready", "verification_url", "available_actions"]

    def get_certificate_ready(self, obj: Authorisation) -> bool:
        return bool(obj.certificate)

    def get_verification_url(self, obj: Authorisation) -> str:
        return verification_url(obj)

    @extend_schema_field(MraPartnerSerializer(many=True))
    def get_mra_partners(self, obj: Authorisation) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list; the stubs keep the serializer's own class.
        return MraPartnerSerializer(self.context.get("mra_partners", []), many=True).data  # type: ignore[return-value]

    def get_available_actions(self, obj: Authorisation) -> list[str]:
        user = self.context["request"].user
        actions = ["change_notice"] if obj.status != Authorisation.Status.REVOKED else []
        if role_in(user, obj.organisation_id) == Role.ADMIN:
            actions.insert(0, "consent")
        if obj.certificate:
            actions.append("certificate")
        return actions


@extend_schema_serializer(examples=[OpenApiExample(
    "Publish and share with partners", request_only=True,
    value={"publish": True, "mra": True})])
class ConsentSerializer(serializers.Serializer):
    publish = serializers.BooleanField(help_text="Publish our name in the public list of AEO holders.")
    mra = serializers.BooleanField(help_text="Share our AEO data with the customs administrations of "
                                             "mutual-recognition partners.")


class ChangeNoticeSerializer(serializers.ModelSerializer):
    files = DialogueFileSerializer(many=True, read_only=True)

    class Meta:
        model = ChangeNotice
        fields = ["id", "description", "submitted_at", "handled_at", "handling_note", "files"]


class ChangeNoticeWriteSerializer(serializers.Serializer):
    description = serializers.CharField(allow_blank=True, required=False, default="")
    files = UploadsField(required=False, default=list)


class AuthorisationCursor(CursorPagination):
    ordering = ("-pk",)
    page_size_query_param = "page_size"
    max_page_size = 200


class AuthorisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your organisations' authorisations: status, certificate, consent, change notices."""

    serializer_class = AuthorisationSerializer
    pagination_class = AuthorisationCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Authorisation.objects.none()
        return Authorisation.objects.visible_to(self.request.user).order_by("-pk")

    def get_serializer_context(self):
        from portal.selectors import mra_partners

        return {**super().get_serializer_context(), "mra_partners": mra_partners()}

    def _signatory(self, authorisation: Authorisation) -> None:
        if role_in(self.request.user, authorisation.organisation_id) != Role.ADMIN:
            raise PermissionDenied(ACTOR_REFUSALS[Actor.SIGNATORY])

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY,
                              409: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def certificate(self, request: Request, pk=None):
        """The PDF certificate; 409 while it is being prepared (you are notified when it is ready)."""
        authorisation = self.get_object()
        if not authorisation.certificate:
            return Response({"detail": _("The certificate is being prepared; you will be notified when it is "
                                         "ready.")}, status=status.HTTP_409_CONFLICT)
        return file_download_response(authorisation.certificate, filename=f"AEO-{authorisation.number}.pdf",
                                      content_type="application/pdf")

    @extend_schema(request=ConsentSerializer, responses=AuthorisationSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk=None) -> Response:
        """Consent to publication and to data exchange with mutual-recognition partners (administrators)."""
        authorisation = self.get_object()
        self._signatory(authorisation)
        incoming = ConsentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        authorisation = services.consent_set(actor=signed_in_user(request), authorisation=authorisation,
                                             **incoming.validated_data)
        return Response(self.get_serializer(authorisation).data)

    @extend_schema(methods=["GET"], responses=ChangeNoticeSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": ChangeNoticeWriteSerializer},
                   responses={201: ChangeNoticeSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=MULTIPART, url_path="change-notices",
            pagination_class=None)
    def change_notices(self, request: Request, pk=None) -> Response:
        """Tell customs of a change that may affect the authorisation, with documents."""
        authorisation = self.get_object()
        if request.method == "GET":
            return Response(ChangeNoticeSerializer(authorisation.change_notices.prefetch_related("files"),
                                                   many=True).data)
        incoming = ChangeNoticeWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        notice = services.change_notice_submit(actor=signed_in_user(request), authorisation=authorisation,
                                               description=incoming.validated_data["description"],
                                               files=incoming.validated_data["files"])
        return Response(ChangeNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


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

    @extend_schema(responses={200: VerificationSerializer, 404: OpenApiResponse(
        VerificationSerializer, description="No certificate has this code.", examples=[
            OpenApiExample("Unknown code", value={"status": "unknown"}, status_codes=[404], response_only=True)])})
    def get(self, request, token: str):
        authorisation = Authorisation.objects.select_related("organisation").filter(verification_token=token).first()
        if authorisation is None:
            return Response({"status": "unknown"}, status=status.HTTP_404_NOT_FOUND)
        data: dict[str, object] = {"status": authorisation.status, "number": authorisation.number}
        if authorisation.status != Authorisation.Status.REVOKED:
            data |= {"holder": authorisation.organisation.name, "kind": authorisation.kind,
                     "valid_from": authorisation.valid_from}
        return Response(VerificationSerializer(data).data)


router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="aeo-application")
router.register("questionnaires", QuestionnaireViewSet, basename="aeo-questionnaire")
router.register("authorisations", AuthorisationViewSet, basename="aeo-authorisation")
urlpatterns = [
    *router.urls,
    path("verify/<str:token>/", VerificationView.as_view(), name="aeo-verify"),
    path("mra/lookup/", mra.MraLookup.as_view(), name="aeo-mra-lookup"),
    path("mra/changes/", mra.MraChanges.as_view(), name="aeo-mra-changes"),
]
