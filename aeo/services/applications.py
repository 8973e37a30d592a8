"""Every write to AEO applications on the trader's side. State changes go through
`application_transition`, which asks the rule book (`aeo.permissions`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from aeo import permissions
from aeo.models import (
    Answer,
    Application,
    DialogueFile,
    Evidence,
    Hearing,
    InformationRequest,
    Question,
    Questionnaire,
    Section,
    SectionVersion,
)
from aeo.selectors import task_list
from aeo.services.common import (
    ActionRefused,
    aeo_staff,
    application_locked,
    application_transition,
    case_admin_link,
    organisation_members,
)
from aeo.workflow import Action, State
from portal.files import CheckedUpload
from portal.models import Organisation, User
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text, choice_label
from portal.work import enqueue_on_commit

ACCEPTANCE_DAYS = 30
DECISION_DAYS = 120
HEARING_DAYS = 30


def _require_editable(application: Application) -> None:
    if not application.is_editable:
        raise ActionRefused(_("This application has been submitted and can no longer be changed. "
                              "Answer customs through the status page."))


def current_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.first()
    if questionnaire is None:
        raise ActionRefused(_("No questionnaire has been published yet."))
    return questionnaire


# --- Starting ---------------------------------------------------------------------------------------

@transaction.atomic
def application_start(*, actor: User, organisation: Organisation, kind: str,
                      copy_from: Application | None = None) -> Application:
    """Open a draft; with `copy_from`, start from the answers and evidence of an earlier application."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    missing = organisation.missing_profile_fields()
    if missing:
        raise ActionRefused(_("Complete your organisation's profile first. Missing: %(fields)s.")
                            % {"fields": ", ".join(missing)})
    if organisation.kind != Organisation.Kind.OPERATOR:
        raise ActionRefused(_("Only economic operators can apply for AEO status."))
    if Application.objects.filter(organisation=organisation, kind=kind).exclude(
        state__in=[State.GRANTED, State.REJECTED, State.WITHDRAWN]
    ).exists():
        raise ActionRefused(_("%(name)s already has an open application of this type. Continue that one.")
                            % {"name": organisation.name})
    questionnaire = current_questionnaire()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                organisation=organisation, kind=kind, questionnaire=questionnaire, created_by=actor,
                copied_from=copy_from,
            )
    except IntegrityError:
        raise ActionRefused(_("%(name)s already has an open application of this type.")
                            % {"name": organisation.name}) from None
    if copy_from is not None:
        answers_copy(copy_from, application, actor)
    audit_record(actor=actor, action="aeo.started", target=application, organisation=organisation,
                 to_state=State.DRAFT, data={"kind": kind, "copied_from": copy_from.reference if copy_from else None})
    return application


def answers_copy(source: Application, target: Application, actor: User) -> None:
    # Questions of another questionnaire version are matched by their code.
    by_code = {q.code: q for q in Question.objects.filter(section__questionnaire=target.questionnaire)}
    Answer.objects.bulk_create([
        Answer(application=target, question=by_code[a.question.code], value=a.value,
               not_applicable=a.not_applicable, justification=a.justification, updated_by=actor)
        for a in source.answers.select_related("question") if a.question.code in by_code
    ])
    for evidence in source.evidence.select_related("question"):
        if evidence.question.code in by_code:
            Evidence.objects.create(
                application=target, question=by_code[evidence.question.code], file=evidence.file.name,
                original_name=evidence.original_name, size=evidence.size, sha256=evidence.sha256,
                content_type=evidence.content_type, uploaded_by=actor,
            )


# --- Answers ----------------------------------------------------------------------------------------

@dataclass
class AnswerInput:
    value: str = ""
    not_applicable: bool = False
    justification: str = ""


@dataclass
class EditConflict(Exception):
    """Someone saved the section after this person opened it. Nothing of theirs or ours is lost."""

    by: User
    at: object
    theirs: dict[int, Answer] = field(default_factory=dict)


def normalise_answer(question: Question, raw: AnswerInput) -> AnswerInput:
    """Check one answer against its question; raise a ValidationError saying what to do."""
    value = raw.value.strip()
    if raw.not_applicable:
        if not question.allows_na:
            raise ValidationError(_("This question must be answered; “not applicable” is not possible here."))
        return AnswerInput("", True, raw.justification.strip())
    if not value:
        return AnswerInput("", False, "")
    kind = question.AnswerType
    if question.answer_type == kind.YES_NO and value not in ("yes", "no"):
        raise ValidationError(_("Choose yes or no."))
    if question.answer_type == kind.CHOICE and value not in question.choices:
        raise ValidationError(_("Choose one of the options."))
    if question.answer_type == kind.NUMBER:
        try:
            value = str(Decimal(value.replace(",", ".")))
        except InvalidOperation:
            raise ValidationError(_("Enter a number, for example 12 or 3.5.")) from None
    if question.answer_type == kind.DATE:
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as year-month-day, for example 2026-03-31.")) from None
    return AnswerInput(value, False, "")


@transaction.atomic
def section_save(*, actor: User, application: Application, section: Section,
                 answers: dict[int, AnswerInput], version: int) -> int:
    """Save a section's answers if nobody saved it since `version`; returns the new version.

    The version row is locked, so of two people saving the same version at once one wins and the
    other gets an EditConflict with the winner's answers.
    """
    application = application_locked(application)
    _require_editable(application)
    questions = {q.pk: q for q in section.questions.all()}
    row, _created = SectionVersion.objects.select_for_update().get_or_create(
        application=application, section=section, defaults={"updated_by": actor}
    )
    if row.version != version:
        theirs = {a.question_id: a for a in application.answers.filter(question__section=section)}
        raise EditConflict(by=row.updated_by, at=row.updated_at, theirs=theirs)
    now = timezone.now()
    existing = {a.question_id: a for a in application.answers.filter(question__section=section)}
    changed = []
    for question_id, raw in answers.items():
        question = questions[question_id]
        clean = normalise_answer(question, raw)
        answer = existing.get(question_id)
        if answer is None:
            if clean.value or clean.not_applicable:
                Answer.objects.create(application=application, question=question, value=clean.value,
                                      not_applicable=clean.not_applicable, justification=clean.justification,
                                      updated_by=actor, updated_at=now)
                changed.append(question.code)
        elif (answer.value, answer.not_applicable, answer.justification) != (
            clean.value, clean.not_applicable, clean.justification
        ):
            answer.value, answer.not_applicable, answer.justification = (
                clean.value, clean.not_applicable, clean.justification)
            answer.updated_by, answer.updated_at = actor, now
            answer.save(update_fields=["value", "not_applicable", "justification", "updated_by", "updated_at"])
            changed.append(question.code)
    row.version += 1
    row.updated_by, row.updated_at = actor, now
    row.save(update_fields=["version", "updated_by", "updated_at"])
    if changed:
        audit_record(actor=actor, action="aeo.section_saved", target=application,
                     organisation=application.organisation, data={"section": section.code, "questions": changed})
    return row.version


# --- Evidence ---------------------------------------------------------------------------------------

def evidence_total(application: Application) -> int:
    return application.evidence.aggregate(total=Sum("size"))["total"] or 0


@transaction.atomic
def evidence_add(*, actor: User, application: Application, question: Question, upload: CheckedUpload) -> Evidence:
    application = application_locked(application)
    _require_editable(application)
    total = evidence_total(application)
    limit = settings.AEO_EVIDENCE_TOTAL_BYTES
    if total + upload.size > limit:
        raise ValidationError(
            _("“%(name)s” (%(size)s) would take this application's evidence over its limit of %(limit)s; "
              "%(left)s is left. Remove files you no longer need, or send smaller ones.")
            % {"name": upload.original_name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit),
               "left": filesizeformat(max(limit - total, 0))},
            code="total",
        )
    evidence = upload.fill(Evidence(application=application, question=question), uploaded_by=actor)
    evidence.save()
    audit_record(actor=actor, action="aeo.evidence_added", target=application, organisation=application.organisation,
                 data={"question": question.code, "file": evidence.original_name, "sha256": evidence.sha256})
    return evidence


def evidence_attach_document(*, actor: User, application: Application, question: Question, name: str,
                             content: bytes) -> Evidence:
    """Attach a document the portal itself produced (a training certificate, say) as evidence.

    It goes through the same upload check and limits as a file the applicant uploads.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.files import PDF_ONLY, check_upload

    checked = check_upload(SimpleUploadedFile(name, content, content_type="application/pdf"), allowed=PDF_ONLY)
    return evidence_add(actor=actor, application=application, question=question, upload=checked)


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    application = application_locked(evidence.application)
    _require_editable(application)
    audit_record(actor=actor, action="aeo.evidence_removed", target=application,
                 organisation=application.organisation, data={"file": evidence.original_name})
    shared = Evidence.objects.filter(file=evidence.file.name).exclude(pk=evidence.pk).exists()
    name, storage = cast(str, evidence.file.name), evidence.file.storage  # a stored piece always has its file
    evidence.delete()
    if not shared:  # copies made for a re-application share the stored file
        transaction.on_commit(lambda: storage.delete(name))


# --- Submission -------------------------------------------------------------------------------------

def submission_problems(application: Application) -> list[str]:
    """Everything that stops submission, in words the applicant can act on."""
    problems = []
    for item in task_list(application):
        for question in item.missing:
            problems.append(_("%(code)s: %(text)s — answer the question.") % {"code": question.code,
                                                                               "text": question.local_text})
        for question in item.unjustified:
            problems.append(_("%(code)s: explain why the question does not apply.") % {"code": question.code})
    return problems


MISSING_EVIDENCE_REASON = gettext_lazy("%(code)s: attach the evidence, or say why it is missing.")


def evidence_reasons_lacking(application: Application, reasons: dict[str, str]) -> list[str]:
    """For each expected evidence item not attached and given no reason, what to do about it: the sign page
    and the API ask for a reason per missing item before they submit."""
    return [MISSING_EVIDENCE_REASON % {"code": question.code} for item in task_list(application)
            for question in item.evidence_missing if not reasons.get(question.code, "").strip()]


@transaction.atomic
def application_submit(*, actor: User, application: Application, signatory_name: str,
                       signatory_position: str, confirmed: bool,
                       evidence_reasons: dict[str, str] | None = None) -> Application:
    """Sign and submit. `evidence_reasons`: question code -> why the evidence it expects is not attached;
    customs reads them on the case page, and the risk score counts an explained gap for less."""
    application = application_locked(application)
    permissions.require(actor, application, "submit")
    if not confirmed:
        raise ActionRefused(_("Confirm the declaration to sign the application."))
    if not signatory_name.strip() or not signatory_position.strip():
        raise ActionRefused(_("Give the name and position of the person signing."))
    problems = submission_problems(application)
    if problems:
        raise ActionRefused(problems)
    resubmission = application.reference is not None
    application_transition(application, Action.SUBMIT, actor=actor, data={"signatory": signatory_name})
    now = timezone.now()
    application.submitted_at, application.submitted_by = now, actor
    application.signatory_name, application.signatory_position = signatory_name.strip(), signatory_position.strip()
    application.acceptance_due = now.date() + timedelta(days=ACCEPTANCE_DAYS)
    application.returned_reasons = ""
    expected = {q.code for item in task_list(application) for q in item.evidence_missing}
    application.evidence_reasons = {code: reason.strip() for code, reason in (evidence_reasons or {}).items()
                                    if code in expected and reason.strip()}
    if not resubmission:
        # Unique without a counter table: the primary key is unique and never reused.
        application.reference = f"AEO-{application.organisation.country}-{now:%Y}-{application.pk:06d}"
    application.save()
    link = application.get_absolute_url()
    notify(recipients=organisation_members(application.organisation), kind="aeo.application",
           subject=Text(gettext_noop("Application %(ref)s submitted"), ref=application.reference),
           body=Text(gettext_noop("%(person)s signed and submitted the %(kind)s application. Customs will decide by "
                                  "%(date)s whether to accept it."), person=actor,
                     kind=choice_label(application, "kind"), date=application.acceptance_due),
           link=link)
    notify(recipients=aeo_staff(), kind="aeo.review",
           subject=Text(gettext_noop("New AEO application %(ref)s from %(name)s"), ref=application.reference,
                        name=application.organisation.name),
           body=Text(gettext_noop("Acceptance is due by %(date)s."), date=application.acceptance_due),
           link=f"/admin/aeo/application/{application.pk}/change/")
    from aeo.tasks import screen_application

    enqueue_on_commit(screen_application, application.pk)
    return application


# --- Dialogue with customs ----------------------------------------------------------------------------

def _attach(files: list[CheckedUpload], actor: User, **parent: InformationRequest | Hearing) -> None:
    for upload in files:
        upload.fill(DialogueFile(**parent), uploaded_by=actor).save()


# The two kinds of CustomsDialogue, each answered by _dialogue_answer and given back as the same kind.
Dialogue = TypeVar("Dialogue", InformationRequest, Hearing)


@transaction.atomic
def _dialogue_answer(*, actor: User, item: Dialogue, action: Action, text: str, files: list[CheckedUpload],
                     answered: str, missing: str, told: str,
                     stale: Callable[[Application, Dialogue], str | None] | None = None) -> Dialogue:
    """The applicant answers what customs put to it, once: this item not answered yet, the rule book, then
    (`stale`) why another item is the one to answer; the answer kept with its files, the reviewer told."""
    application = application_locked(item.application)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.answered_at is not None:
        raise ActionRefused(answered)
    permissions.require(actor, application, action)
    reason = stale(application, item) if stale else None
    if reason:
        raise ActionRefused(reason)
    if not text.strip():
        raise ValidationError({item.ANSWER[0]: missing})
    state = application.state
    if application_transition(application, action, actor=actor) != state:
        application.save(update_fields=["state"])
    item.record_answer(actor=actor, text=text.strip())
    # The file's link to this item (a reverse manager knows its ForeignKey; the stubs leave `field` out).
    _attach(files, actor, **{item.files.field.name: item})  # type: ignore[attr-defined]
    if application.assigned_to:
        notify(recipients=[application.assigned_to], kind="aeo.review", subject=Text(told, ref=application.reference),
               body=text[:500], link=case_admin_link(application))
    return item


def information_request_respond(*, actor: User, request: InformationRequest, response: str,
                                files: list[CheckedUpload]) -> InformationRequest:
    return _dialogue_answer(
        actor=actor, item=request, action=Action.RESPOND, text=response, files=files,
        answered=_("This request has already been answered."),
        missing=_("Write your answer to customs' questions."),
        told=gettext_noop("%(ref)s: the applicant answered your request"))


def hearing_reply(*, actor: User, hearing: Hearing, reply: str, files: list[CheckedUpload]) -> Hearing:
    return _dialogue_answer(
        actor=actor, item=hearing, action=Action.HEARING_REPLY, text=reply, files=files,
        answered=_("You have already replied to these grounds."),
        missing=_("Write your reply to the grounds."),
        told=gettext_noop("%(ref)s: the applicant replied to the grounds"),
        stale=lambda application, item: _("These grounds were replaced by later ones; reply to the latest.")
        if application.hearings.values_list("pk", flat=True).first() != item.pk else None)


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    application = application_locked(application)
    application_transition(application, Action.WITHDRAW, actor=actor, note=reason)
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["state", "withdrawn_at"])
    recipients = organisation_members(application.organisation) + (
        [application.assigned_to] if application.assigned_to else [])
    notify(recipients=recipients, kind="aeo.application",
           subject=Text(gettext_noop("%(app)s was withdrawn"), app=application),
           body=Text(gettext_noop("%(person)s withdrew the application."), person=actor),
           link=application.get_absolute_url())
    return application
