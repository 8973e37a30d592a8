"""Every write of the training app: enrolment, progress, quiz attempts, certificates, advice, reminders.

Each service validates, changes state, records an audit event and any notification in the same
transaction, and leaves slow work (the certificate and its PDF) to tasks scheduled on commit.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.files import CheckedUpload
from portal.models import Organisation, User
from portal.ratelimits import limit_rows, parse_rates
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text
from portal.work import SWEEP_BATCH, enqueue_on_commit
from training import scoring
from training.models import (
    AdvisoryAttachment,
    AdvisoryQuestion,
    Centre,
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    LessonCompletion,
    Question,
    Quiz,
    QuizAttempt,
)
from training.permissions import can_answer_question, can_revoke_certificate

# Draws questions for attempts; not a secret (the answers are checked on the server anyway).
_draw = random.SystemRandom()

CERTIFICATE_EXPIRY_NOTICE_DAYS = 30
IDLE_ENROLMENT_DAYS = 14


def advisory_reminder_days() -> int:
    return settings.TRAINING_ADVISORY_REMINDER_DAYS


# --- Enrolment and progress ------------------------------------------------------------------------


def missing_prerequisites(*, user: User, course: Course) -> list[Course]:
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(user=user, course__in=required, completed_at__isnull=False)
        .values_list("course_id", flat=True)
    )
    return [c for c in required if c.pk not in done]


@transaction.atomic
def enrolment_create(*, actor: User, course: Course, organisation: Organisation | None = None) -> Enrolment:
    """Enrol the actor, on behalf of the organisation they act for; enrolling twice returns the first."""
    if not course.is_published:
        raise ValidationError(_("This course is not open for enrolment."), code="unpublished")
    existing = Enrolment.objects.current().filter(user=actor, course=course).first()
    if existing is not None:
        return existing
    missing = missing_prerequisites(user=actor, course=course)
    if missing:
        raise ValidationError(
            _("Complete “%(first)s” first: it comes before this course.")
            % {"first": "”, “".join(c.title for c in missing)},
            code="prerequisite",
        )
    if organisation is not None and not organisation.memberships.filter(user=actor).exists():
        organisation = None
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(user=actor, course=course, organisation=organisation)
    except IntegrityError:
        # A double click: the other request enrolled first (one current enrolment per learner and course).
        return Enrolment.objects.current().get(user=actor, course=course)
    audit_record(actor=actor, action="training.enrolled", target=enrolment, organisation=organisation,
                 data={"course": course.slug})
    return enrolment


def renewal_open(certificate: Certificate | None, *, now: datetime | None = None) -> bool:
    """A holder may start the course again from 30 days before the certificate expires, or after it expired."""
    if certificate is None or certificate.expires_at is None or certificate.revoked_at is not None:
        return False
    now = now or timezone.now()
    return certificate.expires_at - timedelta(days=CERTIFICATE_EXPIRY_NOTICE_DAYS) <= now


@transaction.atomic
def enrolment_renew(*, actor: User, course: Course, organisation: Organisation | None = None) -> Enrolment:
    """Start a course again to re-certify. The finished enrolment and its certificate are kept as they are:
    the certificate stays valid until it expires, and the new enrolment earns a new one."""
    current = (Enrolment.objects.current().select_for_update(of=("self",)).select_related("certificate")
               .filter(user=actor, course=course).first())
    if current is None:
        return enrolment_create(actor=actor, course=course, organisation=organisation)
    if not renewal_open(getattr(current, "certificate", None)):
        raise ValidationError(_("You can start the course again from 30 days before your certificate expires."),
                              code="too_early")
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    if organisation is not None and not organisation.memberships.filter(user=actor).exists():
        organisation = None
    enrolment = Enrolment.objects.create(user=actor, course=course, organisation=organisation or current.organisation)
    audit_record(actor=actor, action="training.renewal_started", target=enrolment, organisation=enrolment.organisation,
                 data={"course": course.slug, "previous_enrolment": current.pk})
    return enrolment


def _touch(enrolment: Enrolment, *, lesson: Lesson | None = None) -> None:
    enrolment.last_activity_at = timezone.now()
    fields = ["last_activity_at"]
    if lesson is not None:
        enrolment.last_lesson = lesson
        fields.append("last_lesson")
    enrolment.save(update_fields=fields)


def _check_lesson(enrolment: Enrolment, lesson: Lesson) -> None:
    if lesson.module.course_id != enrolment.course_id:
        raise ValidationError(_("This lesson belongs to another course."), code="wrong_course")


@transaction.atomic
def lesson_visit(*, actor: User, enrolment: Enrolment, lesson: Lesson) -> None:
    """Remember where the learner is, so the course page can offer to resume there."""
    _check_lesson(enrolment, lesson)
    if enrolment.last_lesson_id != lesson.pk:
        _touch(enrolment, lesson=lesson)


@transaction.atomic
def lesson_complete(*, actor: User, enrolment: Enrolment, lesson: Lesson) -> LessonCompletion:
    """Mark a lesson done (once; marking it again changes nothing) and check whether the course is done."""
    _check_lesson(enrolment, lesson)
    if enrolment.user_id != actor.pk:
        raise ValidationError(_("Only the learner can mark their lessons done."), code="not_learner")
    completion, created = LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    _touch(enrolment, lesson=lesson)
    if created:
        audit_record(actor=actor, action="training.lesson_completed", target=enrolment,
                     organisation=enrolment.organisation, data={"lesson": lesson.pk})
        enrolment_check_completion(enrolment=enrolment)
    return completion


def requirements_met(enrolment: Enrolment) -> bool:
    """Every lesson of the course done and every quiz passed, counted in the database."""
    course_id = enrolment.course_id
    lessons = Lesson.objects.filter(module__course_id=course_id).count()
    done = LessonCompletion.objects.filter(enrolment=enrolment, lesson__module__course_id=course_id).count()
    quizzes = set(Quiz.objects.filter(course_id=course_id).values_list("pk", flat=True))
    passed = set(enrolment.quiz_attempts.filter(passed=True).values_list("quiz_id", flat=True))
    return (lessons + len(quizzes)) > 0 and done >= lessons and quizzes <= passed


def enrolment_check_completion(*, enrolment: Enrolment) -> bool:
    """If the course is done, schedule the certificate task after commit. Called inside the caller's atomic."""
    if not requirements_met(enrolment):
        return False
    from training.tasks import issue_certificate

    enqueue_on_commit(issue_certificate, enrolment.pk)
    return True


def certificates_issue_due(*, now: datetime | None = None, days: int = 30) -> int:
    """Issue the certificates whose task never ran (broker down, worker lost). A sweep; safe to repeat.

    Candidates are recent enrolments without a certificate that passed a quiz (or whose course has none).
    """
    now = now or timezone.now()
    candidates = (Enrolment.objects.current()
                  .filter(certificate__isnull=True, last_activity_at__gte=now - timedelta(days=days))
                  .filter(Q(quiz_attempts__passed=True) | Q(course__quizzes__isnull=True))
                  .distinct().values_list("pk", flat=True)[:SWEEP_BATCH])
    issued = 0
    for enrolment_id in candidates:
        try:
            certificate_issue(enrolment_id=enrolment_id)
        except ValidationError:
            continue
        issued += 1
    return issued


# --- Quizzes ---------------------------------------------------------------------------------------


@transaction.atomic
def quiz_attempt_start(*, actor: User, enrolment: Enrolment, quiz: Quiz) -> QuizAttempt:
    """The learner's open attempt at the quiz, or a new one with questions drawn from the bank."""
    if enrolment.user_id != actor.pk:
        raise ValidationError(_("Only the learner can take this quiz."), code="not_learner")
    if quiz.course_id != enrolment.course_id:
        raise ValidationError(_("This quiz belongs to another course."), code="wrong_course")
    # The lock orders concurrent starts (two tabs): the second sees the first's open attempt.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz))
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        return open_attempt
    if any(a.passed for a in attempts):
        raise ValidationError(_("You have passed this quiz already."), code="passed")
    if len(attempts) >= quiz.max_attempts:
        raise ValidationError(
            _("You have used all %(n)s attempts at this quiz. Ask the centre if you need another.")
            % {"n": quiz.max_attempts}, code="attempts",
        )
    bank = list(quiz.questions.values_list("pk", flat=True))
    if not bank:
        raise ValidationError(_("This quiz has no questions yet."), code="empty")
    drawn = _draw.sample(bank, min(quiz.questions_per_attempt, len(bank)))
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment, quiz=quiz, number=len(attempts) + 1, question_ids=drawn, max_score=len(drawn)
    )
    _touch(enrolment)
    audit_record(actor=actor, action="training.quiz_started", target=enrolment,
                 organisation=enrolment.organisation, data={"quiz": quiz.pk, "attempt": attempt.number})
    return attempt


@transaction.atomic
def quiz_attempt_submit(*, actor: User, attempt: QuizAttempt,
                        answers: Mapping[int, Iterable[int]]) -> QuizAttempt:
    """Score an open attempt on the server. Answers name choices by id; anything else is ignored."""
    attempt = QuizAttempt.objects.select_for_update().select_related("quiz", "enrolment").get(pk=attempt.pk)
    enrolment = attempt.enrolment
    if enrolment.user_id != actor.pk:
        raise ValidationError(_("Only the learner can submit this attempt."), code="not_learner")
    if attempt.submitted_at is not None:
        raise ValidationError(_("This attempt has been submitted already."), code="submitted")
    drawn = [int(q) for q in attempt.question_ids]
    correct: dict[int, set[int]] = {q: set() for q in drawn}
    valid_choices: dict[int, set[int]] = {q: set() for q in drawn}
    for choice_id, question_id, is_correct in Choice.objects.filter(question_id__in=drawn).values_list(
            "pk", "question_id", "is_correct"):
        valid_choices[question_id].add(choice_id)
        if is_correct:
            correct[question_id].add(choice_id)
    kinds = dict(Question.objects.filter(pk__in=drawn).values_list("pk", "kind"))
    chosen = {q: sorted(set(map(int, answers.get(q, ()))) & valid_choices[q]) for q in drawn}
    score = scoring.attempt_score(questions={q: (kinds[q], correct[q]) for q in drawn if q in kinds},
                                  answers=chosen)
    attempt.answers = {str(q): ids for q, ids in chosen.items()}
    attempt.score = score
    attempt.max_score = len(drawn)
    attempt.passed = scoring.attempt_passes(score=score, max_score=len(drawn), pass_mark=attempt.quiz.pass_mark)
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "score", "max_score", "passed", "submitted_at"])
    _touch(enrolment)
    audit_record(actor=actor, action="training.quiz_submitted", target=enrolment,
                 organisation=enrolment.organisation, to_state="passed" if attempt.passed else "failed",
                 data={"quiz": attempt.quiz_id, "attempt": attempt.number, "score": score,
                       "max_score": attempt.max_score})
    if attempt.passed:
        enrolment_check_completion(enrolment=enrolment)
    return attempt


# --- Certificates ----------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, enrolment_id: int) -> Certificate:
    """Issue the enrolment's certificate once it is earned; calling it again returns the same one.

    The row lock on the enrolment makes a second caller (a double click, another worker) wait until
    the first commits, then find its certificate; the one-to-one constraint backs this up.
    """
    enrolment = (Enrolment.objects.select_for_update(of=("self",))
                 .select_related("user", "course", "organisation").get(pk=enrolment_id))
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if not requirements_met(enrolment):
        raise ValidationError(_("The course is not complete: no certificate without every lesson and quiz."),
                              code="not_earned")
    now = timezone.now()
    course = enrolment.course
    certificate = Certificate.objects.create(
        enrolment=enrolment, user=enrolment.user, course=course, holder_name=enrolment.user.get_full_name(),
        issued_at=now,
        expires_at=now + relativedelta(months=course.validity_months) if course.validity_months else None,
    )
    if enrolment.completed_at is None:
        enrolment.completed_at = now
        enrolment.save(update_fields=["completed_at"])
    audit_record(actor=None, action="training.certificate_issued", target=certificate,
                 organisation=enrolment.organisation, to_state=Certificate.Status.VALID)
    notify(recipients=[enrolment.user], kind="training.certificate",
           subject=Text(gettext_noop("Your certificate for “%(course)s”"), course=course.title),
           body=Text(gettext_noop("You completed “%(course)s”. Your certificate can be downloaded from your training "
                                  "page, and anyone can check it with its verification link."), course=course.title),
           link=reverse("training:my_training"), key=f"training.certificate:{certificate.pk}")
    from training.tasks import render_certificate_pdf

    enqueue_on_commit(render_certificate_pdf, certificate.pk)
    return certificate


def verification_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}{certificate.get_verification_url()}"


def certificate_pdfs_render_due() -> int:
    """Draw the certificate PDFs whose task never ran. A sweep; safe to repeat."""
    waiting = list(Certificate.objects.filter(pdf="").values_list("pk", flat=True)[:SWEEP_BATCH])
    for pk in waiting:
        certificate_pdf_render(certificate_id=pk)
    return len(waiting)


@transaction.atomic
def certificate_pdf_render(*, certificate_id: int) -> Certificate:
    """Draw the certificate's PDF and keep it in private storage (again only if it is missing)."""
    from training.certificate_pdf import certificate_pdf

    certificate = (Certificate.objects.select_for_update(of=("self",))
                   .select_related("course__centre").get(pk=certificate_id))
    if certificate.pdf:
        return certificate
    content = certificate_pdf(certificate, verification_url=verification_url(certificate))
    certificate.pdf.save(f"certificate-{certificate.pk}.pdf", ContentFile(content), save=False)
    certificate.save(update_fields=["pdf"])
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    if not can_revoke_certificate(actor):
        raise PermissionDenied(_("Only a programme administrator can revoke certificates."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if certificate.revoked_at is not None:
        return certificate
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(actor=actor, action="training.certificate_revoked", target=certificate,
                 organisation=certificate.enrolment.organisation, from_state=Certificate.Status.VALID,
                 to_state=Certificate.Status.REVOKED, data={"reason": certificate.revoked_reason})
    notify(recipients=[certificate.user], kind="training.certificate",
           subject=Text(gettext_noop("Your certificate for “%(course)s” has been revoked"),
                        course=certificate.course.title),
           body=Text(gettext_noop("Reason: %(reason)s"), reason=certificate.revoked_reason),
           link=reverse("training:my_training"))
    return certificate


# --- Advisory questions ----------------------------------------------------------------------------


@transaction.atomic
def advisory_question_ask(*, actor: User, organisation: Organisation, centre: Centre, subject: str, text: str,
                          files: Iterable[CheckedUpload] = ()) -> AdvisoryQuestion:
    """Put a question to a centre on behalf of an organisation the actor belongs to; its advisers are told."""
    if not organisation.memberships.filter(user=actor).exists():
        raise ValidationError(_("You can only ask on behalf of your own organisation."), code="not_member")
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Enter a subject.")
    if not text.strip():
        errors["text"] = _("Enter your question.")
    if errors:
        raise ValidationError(errors)
    # Each question gives a centre's advisers work and e-mails them: a ceiling per person.
    limit_rows(AdvisoryQuestion.objects.filter(asked_by=actor),
               parse_rates("ADVISORY_QUESTION_RATES", settings.ADVISORY_QUESTION_RATES), what=_("Questions"))
    question = AdvisoryQuestion.objects.create(organisation=organisation, centre=centre, asked_by=actor,
                                               subject=subject.strip(), text=text.strip())
    for upload in files:
        upload.fill(AdvisoryAttachment(question=question), uploaded_by=actor).save()
    audit_record(actor=actor, action="training.question_asked", target=question, organisation=organisation,
                 to_state=AdvisoryQuestion.Status.OPEN)
    notify(recipients=centre.advisers.filter(is_active=True), kind="training.advisory_queue",
           subject=Text(gettext_noop("New question for %(centre)s: %(subject)s"), centre=centre.name,
                        subject=question.subject),
           body=Text(gettext_noop("%(organisation)s asks: %(subject)s"), organisation=organisation.name,
                     subject=question.subject),
           link=reverse("admin:training_advisoryquestion_change", args=[question.pk]))
    return question


@transaction.atomic
def advisory_question_answer(*, actor: User, question: AdvisoryQuestion, answer: str) -> AdvisoryQuestion:
    """A centre adviser answers; the person who asked (and the organisation's admins) are notified."""
    from portal.markdown import render_markdown

    question = AdvisoryQuestion.objects.select_for_update().select_related("centre").get(pk=question.pk)
    if not can_answer_question(actor, question):
        raise ValidationError(_("Only this centre's advisers can answer its questions."), code="not_adviser")
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    previous = question.status
    question.answer = answer.strip()
    question.answer_html = render_markdown(question.answer)
    question.status = AdvisoryQuestion.Status.ANSWERED
    question.answered_at = timezone.now()
    question.answered_by = actor
    question.save(update_fields=["answer", "answer_html", "status", "answered_at", "answered_by"])
    audit_record(actor=actor, action="training.question_answered", target=question,
                 organisation=question.organisation, from_state=previous, to_state=question.status)
    notify(recipients=[question.asked_by], kind="training.advisory",
           subject=Text(gettext_noop("%(centre)s has answered: %(subject)s"), centre=question.centre.name,
                        subject=question.subject),
           body=Text(gettext_noop("Read the answer in the portal.")), link=question.get_absolute_url())
    return question


# --- Reminders (periodic; safe to run twice thanks to the notifications' keys) -----------------------


def certificates_remind_expiring(*, now: datetime | None = None) -> int:
    """Tell holders whose certificate expires within 30 days; once per certificate."""
    now = now or timezone.now()
    due = (Certificate.objects.valid_at(now)
           .filter(expires_at__lte=now + timedelta(days=CERTIFICATE_EXPIRY_NOTICE_DAYS))
           .select_related("user", "course"))
    sent = 0
    for certificate in due:
        with transaction.atomic():
            sent += len(notify(
                recipients=[certificate.user], kind="training.reminder",
                subject=Text(gettext_noop("Your certificate for “%(course)s” expires on %(date)s"),
                             course=certificate.course.title, date=timezone.localdate(certificate.expires_at)),
                body=Text(gettext_noop("Take the course again before then to renew it.")),
                link=certificate.course.get_absolute_url(), key=f"training.expiring:{certificate.pk}",
            ))
    return sent


def enrolments_remind_idle(*, now: datetime | None = None) -> int:
    """Nudge learners with no progress for 14 days; once per quiet spell (the key holds its start)."""
    now = now or timezone.now()
    idle = (Enrolment.objects.current()
            .filter(completed_at__isnull=True, last_activity_at__lte=now - timedelta(days=IDLE_ENROLMENT_DAYS))
            .select_related("user", "course"))
    sent = 0
    for enrolment in idle:
        with transaction.atomic():
            sent += len(notify(
                recipients=[enrolment.user], kind="training.reminder",
                subject=Text(gettext_noop("Pick up “%(course)s” where you left off"), course=enrolment.course.title),
                body=Text(gettext_noop("You have not made progress on this course for two weeks. It resumes at your "
                                       "last lesson.")),
                link=enrolment.course.get_absolute_url(),
                key=f"training.idle:{enrolment.pk}:{enrolment.last_activity_at:%Y%m%d%H%M%S}",
            ))
    return sent


def advisory_questions_remind_overdue(*, now: datetime | None = None) -> int:
    """Remind a centre's advisers of questions open longer than the set number of days; once per question."""
    now = now or timezone.now()
    overdue = (AdvisoryQuestion.objects
               .filter(status=AdvisoryQuestion.Status.OPEN,
                       created_at__lte=now - timedelta(days=advisory_reminder_days()))
               .select_related("centre", "organisation").prefetch_related("centre__advisers"))
    sent = 0
    for question in overdue:
        with transaction.atomic():
            sent += len(notify(
                recipients=[a for a in question.centre.advisers.all() if a.is_active],
                kind="training.advisory_queue",
                subject=Text(gettext_noop("Overdue: %(subject)s"), subject=question.subject),
                body=Text(gettext_noop("%(organisation)s asked %(centre)s on %(date)s and is still waiting for an "
                                       "answer."), organisation=question.organisation.name,
                          centre=question.centre.name, date=timezone.localdate(question.created_at)),
                link=reverse("admin:training_advisoryquestion_change", args=[question.pk]),
                key=f"training.advisory-overdue:{question.pk}",
            ))
    return sent

