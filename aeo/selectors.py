"""Reads for the AEO pages and API: scoped first, then shaped in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from aeo.models import Answer, Application, DialogueFile, Evidence, Question, Section
from portal.models import AuditEvent
from portal.types import AnyUser


class SectionStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    NEEDS_ATTENTION = "needs_attention"

    LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", COMPLETED: "Completed",
              NEEDS_ATTENTION: "Needs attention"}
    COLOURS = {NOT_STARTED: "grey", IN_PROGRESS: "blue", COMPLETED: "green", NEEDS_ATTENTION: "orange"}


@dataclass
class SectionItem:
    section: Section
    answered: int = 0
    total: int = 0
    missing: list[Question] = field(default_factory=list)  # required and unanswered
    unjustified: list[Question] = field(default_factory=list)  # "not applicable" without a reason
    must_no: list[Question] = field(default_factory=list)  # a condition of the programme answered "no"
    should_no: list[Question] = field(default_factory=list)  # a recommended practice answered "no"
    not_applicable: list[Question] = field(default_factory=list)
    evidence_missing: list[Question] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.answered == 0:
            return SectionStatus.NOT_STARTED
        if self.missing or self.unjustified:
            return SectionStatus.IN_PROGRESS
        return SectionStatus.NEEDS_ATTENTION if self.must_no else SectionStatus.COMPLETED

    @property
    def is_complete(self) -> bool:
        return self.status in (SectionStatus.COMPLETED, SectionStatus.NEEDS_ATTENTION)

    @property
    def missing_codes(self) -> str:
        return ", ".join(q.code for q in self.missing)

    @property
    def unjustified_codes(self) -> str:
        return ", ".join(q.code for q in self.unjustified)

    @property
    def status_label(self) -> str:
        return SectionStatus.LABELS[self.status]

    @property
    def status_colour(self) -> str:
        return SectionStatus.COLOURS[self.status]


def applications_for(user: AnyUser) -> QuerySet[Application]:
    return Application.objects.visible_to(user).select_related("organisation")


def get_application(user: AnyUser, pk: int) -> Application:
    """The application if the user belongs to its organisation, else 404."""
    return get_object_or_404(applications_for(user), pk=pk)


def sections_of(application: Application) -> list[Section]:
    sections = (
        Section.objects.filter(questionnaire_id=application.questionnaire_id)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order")))
        .order_by("order")
    )
    return [s for s in sections if s.applies(application.kind)]


def task_list(application: Application) -> list[SectionItem]:
    """Every section that applies, with its state, in four queries whatever the number of answers."""
    answers = {a.question_id: a for a in Answer.objects.filter(application=application)}
    with_evidence = set(Evidence.objects.filter(application=application).values_list("question_id", flat=True))
    return _task_items(sections_of(application), answers, with_evidence)


def _task_items(sections: list[Section], answers: dict[int, Answer], with_evidence: set[int]) -> list[SectionItem]:
    items = []
    for section in sections:
        item = SectionItem(section)
        for question in section.questions.all():
            item.total += 1
            answer = answers.get(question.pk)
            if answer is None or not (answer.value or answer.not_applicable):
                if question.required:
                    item.missing.append(question)
                continue
            item.answered += 1
            if answer.not_applicable:
                item.not_applicable.append(question)
                if not answer.justification:
                    item.unjustified.append(question)
            if question.criterion == Question.Criterion.MUST and answer.value == "no":
                item.must_no.append(question)
            elif question.answer_type == Question.AnswerType.YES_NO and answer.value == "no":
                item.should_no.append(question)
            if question.evidence and not answer.not_applicable and question.pk not in with_evidence:
                item.evidence_missing.append(question)
        items.append(item)
    return items


class SectionPage(TypedDict):
    questions: list[tuple[Question, Answer | None, list[Evidence]]]
    version: int


def section_page(application: Application, section: Section) -> SectionPage:
    """The questions of one section with their answers and evidence, in a fixed number of queries."""
    questions = list(section.questions.order_by("order"))
    answers = {a.question_id: a for a in Answer.objects.filter(application=application, question__section=section)
               .select_related("updated_by")}
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(application=application, question__section=section):
        evidence.setdefault(item.question_id, []).append(item)
    version = application.section_versions.filter(section=section).values_list("version", flat=True).first() or 0
    return {"questions": [(q, answers.get(q.pk), evidence.get(q.pk, [])) for q in questions], "version": version}


AnswerSheet = list[tuple[Section, list[tuple[Question, Answer | None, list[Evidence]]]]]


def case_sheet(application: Application) -> tuple[list[SectionItem], AnswerSheet]:
    """The task list and every answer with its evidence, from one read of each table (the case page and
    "check your answers")."""
    sections = sections_of(application)
    answers = {a.question_id: a for a in Answer.objects.filter(application=application)}
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(application=application):
        evidence.setdefault(item.question_id, []).append(item)
    sheet = [(section, [(q, answers.get(q.pk), evidence.get(q.pk, [])) for q in section.questions.all()])
             for section in sections]
    return _task_items(sections, answers, set(evidence)), sheet


# What the applicant's timeline shows: its own steps and customs' decisions, not customs' internal work
# (screening, assignment, findings, proposals and send-backs).
TRADER_ACTIONS = {
    "aeo.started", "aeo.section_saved", "aeo.evidence_added", "aeo.evidence_removed", "aeo.submit", "aeo.return",
    "aeo.accept", "aeo.request_information", "aeo.respond", "aeo.propose_rejection", "aeo.hearing_reply",
    "aeo.approve_grant", "aeo.approve_rejection", "aeo.withdraw", "aeo.deadline_extended",
    "aeo.site_visit_scheduled", "aeo.authorisation_created", "aeo.consent_changed", "aeo.change_notified",
    "aeo.change_handled", "aeo.suspended", "aeo.suspension_lifted", "aeo.revoked", "aeo.replaced",
    "aeo.reassessment_started", "aeo.decision_notice_issued", "aeo.review_planned",
}


def timeline(application: Application, *, limit: int = 50, for_applicant: bool = False) -> list[AuditEvent]:
    events = AuditEvent.objects.for_target(application)
    if for_applicant:
        events = events.filter(action__in=TRADER_ACTIONS)
    return list(events[:limit])


# Saves by one person this close together are one sitting: the history shows them as one line.
SAVES_COALESCE_WITHIN = timedelta(minutes=30)


@dataclass
class HistoryEntry:
    """One line of an application's history: an audit event, or a sitting of saves coalesced into one."""

    action: str
    action_label: str
    created_at: datetime  # the latest event's time
    actor: object | None
    data: dict[str, Any]
    started_at: datetime  # the first event's time; equal to created_at for a single event
    saves: int = 1
    sections: list[str] = field(default_factory=list)  # "B. Customs compliance", for saves


def history(application: Application, *, limit: int = 50, for_applicant: bool = False) -> list[HistoryEntry]:
    """The application's timeline for people to read, newest first: a run of answer saves by the same person,
    each within SAVES_COALESCE_WITHIN of the next, is one line naming the sections saved. Two queries."""
    titles = {s.code: str(s) for s in Section.objects.filter(questionnaire_id=application.questionnaire_id)}
    # Enough raw events to fill `limit` lines even when most are saves that coalesce.
    entries: list[HistoryEntry] = []
    for event in timeline(application, limit=limit * 5, for_applicant=for_applicant):
        section: str | None = (event.data or {}).get("section") if event.action == "aeo.section_saved" else None
        title = titles.get(section, section) if section else None
        last = entries[-1] if entries else None
        if (section and last is not None and last.action == "aeo.section_saved"
                and last.actor == event.actor and last.started_at - event.created_at <= SAVES_COALESCE_WITHIN):
            last.started_at, last.saves = event.created_at, last.saves + 1
            if title is not None and title not in last.sections:
                last.sections.insert(0, title)  # events come newest first: an earlier section goes in front
            continue
        if len(entries) == limit:
            break
        entries.append(HistoryEntry(
            action=event.action, action_label=event.action_label, created_at=event.created_at, actor=event.actor,
            data=event.data or {}, started_at=event.created_at, sections=[title] if title else []))
    return entries


def dialogue_files_of(application: Application) -> QuerySet[DialogueFile]:
    """The files the applicant sent with its answers to requests and its replies to the grounds."""
    return DialogueFile.objects.filter(Q(information_request__application=application)
                                       | Q(hearing__application=application))


def active_holder_ids(organisation_ids: Iterable[int]) -> set[int]:
    """Which of these organisations hold an active AEO authorisation (suspended or revoked ones do not)."""
    from aeo.models import Authorisation

    return set(Authorisation.objects.filter(organisation_id__in=organisation_ids, status=Authorisation.Status.ACTIVE)
               .values_list("organisation_id", flat=True))


def risk_calibration(weights: dict[str, Any]) -> dict[str, Any]:
    """How `weights` sort every case screened so far, and how the decided ones fell, band by band.

    Each case is scored again from the facts its screening kept (cases screened before the facts were kept
    are scored from the lists their screening recorded), in one query whatever the weights.
    """
    from aeo.risk import RiskFacts, calibration
    from aeo.risk import score as risk_score
    from aeo.workflow import State

    def scored() -> Iterator[tuple[str, int]]:
        for state, screening in Application.objects.exclude(screening={}).values_list("state", "screening").iterator():
            facts = RiskFacts.from_data(screening.get("facts") or {
                k: screening.get(k, []) for k in ("must_no", "evidence_missing", "not_applicable")})
            outcome = state if state in (State.GRANTED, State.REJECTED) else "open"
            yield outcome, risk_score(facts, weights)[0]

    return calibration(scored(), weights)
