"""Centres of Excellence and Expertise, their courses, learners' progress, certificates and advice.

Invariants kept by the database, not only by the services:
- one current enrolment per learner and course;
- a lesson is done at most once per enrolment;
- at most one open quiz attempt per enrolment and quiz, and attempt numbers do not repeat;
- exactly one certificate per enrolment (the completion it certifies), with a unique verification code.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from training.selectors import Progress

from portal.markdown import render_markdown
from portal.models import Sector, StoredFile
from portal.models.files import private_storage
from portal.translated import Translated


class AeoSection(models.TextChoices):
    """Sections of the AEO self-assessment questionnaire a course can help an operator answer.

    The codes are those of the AEO questionnaire (aeo/questionnaire/v1.json); a test keeps them in step.
    """

    COMPANY = "A", _("Company information")
    COMPLIANCE = "B", _("Compliance record")
    RECORDS = "C", _("Accounting and logistical system")
    SOLVENCY = "D", _("Financial solvency")
    COMPETENCE = "E", _("Practical standards of competence")
    COOPERATION = "F", _("Consultation, co-operation and communication with customs")
    TRAINING = "G", _("Education, training and awareness")
    INFORMATION = "H", _("Information exchange, access and confidentiality")
    SECURITY_MANAGEMENT = "I", _("Security management and risk assessment")
    CARGO = "J", _("Cargo security")
    CONVEYANCE = "K", _("Conveyance security")
    PREMISES = "L", _("Premises security")
    PERSONNEL = "M", _("Personnel security")
    TRADING_PARTNERS = "N", _("Trading partner security")
    CRISIS = "O", _("Crisis management and incident recovery")
    IMPROVEMENT = "P", _("Measurement, analysis, review and improvement")


class Centre(models.Model):
    """One of the ten industry centres: the single point of contact for advice and compliance training."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"))
    sectors = models.JSONField(
        _("sectors served"), default=list,
        help_text=_("Codes of the industry sectors (portal.Sector) whose operators this centre serves."),
    )
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="training_centres",
        limit_choices_to={"is_staff": True}, verbose_name=_("advisers"),
        help_text=_("Customs staff who answer this centre's advisory questions."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    translations = models.JSONField(default=dict, blank=True)  # see portal.translated

    local_name = Translated("name")
    local_description = Translated("description")

    class Meta:
        verbose_name = _("centre")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:centre", args=[self.slug])

    def sector_labels(self) -> list[str]:
        labels = dict(Sector.choices)
        return [str(labels[s]) for s in self.sectors if s in labels]


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)


class Course(models.Model):
    class Level(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="courses", verbose_name=_("centre"))
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences shown in the catalogue."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY)
    duration_minutes = models.PositiveIntegerField(_("expected duration (minutes)"), default=60)
    is_published = models.BooleanField(_("published"), default=False)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for", verbose_name=_("prerequisites"),
        help_text=_("Courses a learner must have completed before enrolling."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"), null=True, blank=True,
        help_text=_("Leave empty if the certificate does not expire. Learners are reminded 30 days before."),
    )
    aeo_sections = models.JSONField(
        _("AEO questionnaire sections supported"), default=list, blank=True,
        help_text=_("Codes of the AEO sections this course helps to evidence."),
    )
    translations = models.JSONField(default=dict, blank=True)  # see portal.translated
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    local_title = Translated("title")
    local_summary = Translated("summary")

    class Meta:
        verbose_name = _("course")
        ordering = ["centre__order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", args=[self.slug])

    def aeo_section_labels(self) -> list[str]:
        labels = dict(AeoSection.choices)
        return [str(labels[s]) for s in self.aeo_sections if s in labels]


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("module")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("lesson")
        ordering = ["module__order", "module_id", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Rendered and sanitised once, here; pages show body_html as it is.
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)


class Quiz(models.Model):
    """A quiz drawn at random from its question bank; passed at `pass_mark` percent or more."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    title = models.CharField(_("title"), max_length=200)
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=5, help_text=_("Drawn at random from the bank for each attempt."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("A score of exactly this percentage passes."),
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    attempts_used_up: bool  # for the course page, set by training.views on the quizzes it shows

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__gte=0, pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="quiz_at_least_one_attempt"),
            models.CheckConstraint(condition=Q(questions_per_attempt__gte=1), name="quiz_at_least_one_question"),
        ]

    def __str__(self) -> str:
        return self.title

    def bank_warning(self, bank: int) -> str:
        """What an author should know when the bank is too small for the attempts allowed, or ""."""
        from django.utils.translation import gettext

        if bank < self.questions_per_attempt:
            return gettext("The bank has %(bank)s questions but each attempt draws %(n)s: every attempt asks all of "
                           "them. Add questions.") % {"bank": bank, "n": self.questions_per_attempt}
        if bank < self.questions_per_attempt * self.max_attempts:
            return gettext("The bank has %(bank)s questions for %(attempts)s attempts of %(n)s: later attempts repeat "
                           "questions, so the quiz can be learnt by failing it. Add at least %(more)s questions, or "
                           "allow fewer attempts.") % {
                "bank": bank, "attempts": self.max_attempts, "n": self.questions_per_attempt,
                "more": self.questions_per_attempt * self.max_attempts - bank}
        return ""


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice (one answer is right)")
        MULTIPLE = "multiple", _("Multiple choice (tick every right answer)")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    explanation = models.TextField(_("explanation"), help_text=_("Shown after the attempt, whatever the answer."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self) -> EnrolmentQuerySet:
        return self.filter(superseded_at__isnull=True)


class Enrolment(models.Model):
    """A learner on a course, on behalf of the organisation they acted for when they enrolled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    organisation = models.ForeignKey(
        "portal.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="training_enrolments",
        help_text=_("Whose coverage report shows this enrolment."),
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey("Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when the learner starts the course again to re-certify."),
    )

    objects = EnrolmentQuerySet.as_manager()
    progress: Progress  # set on the dashboard's enrolments by training.selectors.dashboard_panel

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(superseded_at__isnull=True), name="enrolment_one_current",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "course"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.course}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_completion_once"),
        ]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} done in enrolment {self.enrolment_id}"


class QuizAttempt(models.Model):
    """One attempt: the questions drawn when it started, the answers given and the server's score."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True, help_text=_("Question id → ids of the chosen answers."))
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(default=False)
    question_objects: list[Question]  # the drawn questions, read in one query by training.api for its answers

    class Meta:
        ordering = ["enrolment", "quiz", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "quiz", "number"], name="quiz_attempt_number_unique"),
            models.UniqueConstraint(
                fields=["enrolment", "quiz"], condition=Q(submitted_at__isnull=True), name="quiz_attempt_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} attempt {self.number}"

    @property
    def percent(self) -> int | None:
        """The score as a whole percentage, rounded down (the pass decision uses exact arithmetic)."""
        if self.score is None or not self.max_score:
            return None
        return self.score * 100 // self.max_score


def new_verification_code() -> str:
    # 20 random bytes: 160 bits, far beyond guessing; URL-safe for the QR code and links.
    return secrets.token_urlsafe(20)


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid_at(self, when) -> CertificateQuerySet:
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=when), revoked_at__isnull=True)


class Certificate(models.Model):
    """Proof that a learner completed a course; exactly one per enrolment, verifiable by its code."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    # Denormalised from the enrolment so that lists and verification need no joins through it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    holder_name = models.CharField(_("holder"), max_length=150)
    code = models.CharField(_("verification code"), max_length=64, unique=True, default=new_verification_code,
                            editable=False)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to="training/certificates/%Y/%m", blank=True,
                           max_length=300, editable=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.course} — {self.holder_name}"

    def status_at(self, when=None) -> str:
        when = when or timezone.now()
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= when:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> str:
        return self.status_at()

    def get_verification_url(self) -> str:
        return reverse("training:verify", args=[self.code])


class AdvisoryQuestion(models.Model):
    """A question a trader puts to a centre on behalf of its organisation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    organisation = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE,
                                     related_name="advisory_questions")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="questions", verbose_name=_("centre"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer (Markdown)"), blank=True)
    answer_html = models.TextField(blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("advisory question")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["centre", "status", "created_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("training:question", args=[self.pk])


class AdvisoryAttachment(StoredFile):
    question = models.ForeignKey(AdvisoryQuestion, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        ordering = ["uploaded_at", "pk"]

    def get_download_url(self) -> str:
        return reverse("training:question_attachment", args=[self.question_id, self.pk])
