from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from aeo.workflow import CLOSED_STATES, STATE_COLOURS, State
from portal.models import Organisation, StoredFile
from portal.models.files import private_storage
from portal.translated import Translated, translation_of


class AuthorisationType(models.TextChoices):
    AEOC = "AEOC", _("AEOC — customs simplifications")
    AEOS = "AEOS", _("AEOS — security and safety")
    BOTH = "AEOF", _("AEOC and AEOS together")


class Questionnaire(models.Model):
    """One version of the self-assessment. Published versions never change: a revision is a new version."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        permissions = [("manage_questionnaire", "Can load and publish questionnaire versions")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Section(models.Model):
    class AppliesTo(models.TextChoices):
        BOTH = "both", _("AEOC and AEOS")
        AEOC = "AEOC", _("AEOC only")
        AEOS = "AEOS", _("AEOS only")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    applies_to = models.CharField(max_length=4, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    order = models.PositiveSmallIntegerField()
    translations = models.JSONField(default=dict, blank=True)  # from the questionnaire file; see portal.translated

    local_title = Translated("title")
    local_intro = Translated("intro")

    class Meta:
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def applies(self, kind: str) -> bool:
        return kind == AuthorisationType.BOTH or self.applies_to in (self.AppliesTo.BOTH, kind)


class Question(models.Model):
    class AnswerType(models.TextChoices):
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Text")
        DATE = "date", _("Date")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")

    class Criterion(models.TextChoices):
        MUST = "must", _("Must")
        SHOULD = "should", _("Should")

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(max_length=12)
    text = models.TextField()
    help = models.TextField(blank=True)
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    criterion = models.CharField(max_length=6, choices=Criterion.choices, default=Criterion.SHOULD)
    allows_na = models.BooleanField(_("'not applicable' allowed"), default=False)
    evidence = models.CharField(_("evidence expected"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField()
    translations = models.JSONField(default=dict, blank=True)  # text, help, evidence, choices

    local_text = Translated("text")
    local_help = Translated("help")
    local_evidence = Translated("evidence")

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def local_choices(self) -> list[tuple[str, str]]:
        """(stored value, label in the reader's language): answers keep the English value whatever the language."""
        labels = translation_of(self.translations, "choices", self.choices)
        return list(zip(self.choices, labels, strict=True))


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user) -> ApplicationQuerySet:
        """The applications of the user's organisations (any role may see them)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)


class Application(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="aeo_applications")
    kind = models.CharField(_("authorisation type"), max_length=4, choices=AuthorisationType.choices)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=24, choices=State.choices, default=State.DRAFT)
    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Signed submission
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    signatory_name = models.CharField(max_length=150, blank=True)
    signatory_position = models.CharField(max_length=150, blank=True)
    # Deadlines (dates the trader sees)
    acceptance_due = models.DateField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decision_due = models.DateField(null=True, blank=True)
    decision_extension_days = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_reasons = models.TextField(blank=True, help_text=_("Why customs last returned it as not acceptable."))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Review (customs side)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="aeo_cases")
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    screening = models.JSONField(default=dict, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_decision = models.CharField(max_length=6, blank=True, choices=[("grant", _("Grant")),
                                                                            ("reject", _("Reject"))])
    proposal_note = models.TextField(blank=True)
    reassessment_of = models.ForeignKey("Authorisation", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="reassessments")
    risk_model = models.ForeignKey("RiskModel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The version of the weights the risk score was computed with."))
    # Question code -> why the expected evidence is not attached, as the signatory stated it at submission.
    evidence_reasons = models.JSONField(default=dict, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], condition=~Q(state__in=[s.value for s in CLOSED_STATES]),
                name="application_one_open_per_type",
                violation_error_message=_("Your organisation already has an open application of this type."),
            ),
        ]
        indexes = [models.Index(fields=["state", "acceptance_due"]), models.Index(fields=["state", "decision_due"])]

    def __str__(self) -> str:
        return self.reference or f"{self.get_kind_display()} draft of {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("aeo:application_tasks", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state == State.DRAFT

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS[self.state]


class Answer(models.Model):
    """An answer to one question of the questionnaire version the application uses."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.TextField(blank=True)
    not_applicable = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="answer_unique")]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value or ('n/a' if self.not_applicable else '')}"


class SectionVersion(models.Model):
    """Counts saves of one section, so that a second person saving an older copy is caught."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="section_versions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "section"], name="section_version_unique")]

    def __str__(self) -> str:
        return f"{self.section} version {self.version}"


class Evidence(StoredFile):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")

    class Meta(StoredFile.Meta):
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def get_download_url(self) -> str:
        return reverse("aeo:evidence_download", args=[self.application_id, self.pk])


class CustomsDialogue(models.Model):
    """What customs puts to the applicant with a due date (questions, grounds), and the applicant's answer.

    The two kinds keep their own column names (the API and the case pages show them); `ANSWER` names the
    answer's text, author and time, so that one service records either.
    """

    ANSWER: tuple[str, str, str]
    due_date = models.DateField()

    class Meta:
        abstract = True

    @property
    def answered_at(self):
        return getattr(self, self.ANSWER[2])

    def record_answer(self, *, actor, text: str) -> None:
        """Keep the answer once; the caller holds the row's lock."""
        for name, value in zip(self.ANSWER, (text, actor, timezone.now()), strict=True):
            setattr(self, name, value)
        self.save(update_fields=list(self.ANSWER))


class InformationRequest(CustomsDialogue):
    ANSWER = ("response", "responded_by", "responded_at")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    questions = models.TextField(_("what customs asks"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Information request of {date_format(self.requested_at)}"


class Hearing(CustomsDialogue):
    """Customs' grounds for an intended rejection, and the applicant's reply (right to be heard)."""

    ANSWER = ("reply", "replied_by", "replied_at")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hearings")
    grounds = models.TextField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Right to be heard of {date_format(self.opened_at)}"


class DialogueFile(StoredFile):
    """A file the applicant sends with an answer to an information request or a hearing reply."""

    information_request = models.ForeignKey(InformationRequest, null=True, blank=True, on_delete=models.CASCADE,
                                            related_name="files")
    hearing = models.ForeignKey(Hearing, null=True, blank=True, on_delete=models.CASCADE, related_name="files")

    class Meta(StoredFile.Meta):
        constraints = [models.CheckConstraint(
            condition=Q(information_request__isnull=False) ^ Q(hearing__isnull=False), name="dialogue_file_one_parent",
        )]


class SiteVisit(models.Model):
    """A validation visit to the applicant's premises, scheduled and then recorded."""

    class Result(models.TextChoices):
        SATISFACTORY = "satisfactory", _("Satisfactory")
        SHORTCOMINGS = "shortcomings", _("Shortcomings found")
        UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="site_visits")
    scheduled_for = models.DateField()
    location = models.CharField(max_length=200)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_for"]

    def __str__(self) -> str:
        return f"Site visit on {date_format(self.scheduled_for)} at {self.location}"


class Finding(models.Model):
    """The reviewer's conclusion on one section of the questionnaire."""

    class Outcome(models.TextChoices):
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="findings")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section__order"]
        constraints = [models.UniqueConstraint(fields=["application", "section"], name="finding_one_per_section")]

    def __str__(self) -> str:
        return f"{self.section.code}: {self.get_outcome_display()}"


def _verification_token() -> str:
    return secrets.token_urlsafe(24)


class AuthorisationQuerySet(models.QuerySet["Authorisation"]):
    def visible_to(self, user) -> AuthorisationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)


class Authorisation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="authorisation")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="aeo_authorisations")
    number = models.CharField(max_length=30, unique=True)
    kind = models.CharField(_("authorisation type"), max_length=4, choices=AuthorisationType.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    valid_from = models.DateField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verification_token = models.CharField(max_length=64, unique=True, default=_verification_token, editable=False)
    consent_publish = models.BooleanField(_("publish our name in the public list of holders"), default=False)
    consent_mra = models.BooleanField(_("share our AEO data with mutual-recognition partners"), default=False)
    certificate = models.FileField(storage=private_storage, upload_to="aeo/certificates/", blank=True)
    suspended_until = models.DateField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    remedial_measures = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    # The monitoring plan: when customs next reviews the holder (sooner for a higher risk).
    next_review_due = models.DateField(null=True, blank=True)

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["status", "consent_publish"]),
                   models.Index(fields=["status", "next_review_due"])]

    def __str__(self) -> str:
        return self.number

    def get_verification_url(self) -> str:
        return reverse("aeo:verify", args=[self.verification_token])

    @property
    def status_colour(self) -> str:
        colours: dict[str, str] = {self.Status.ACTIVE: "green", self.Status.SUSPENDED: "orange",
                                   self.Status.REVOKED: "red"}
        return colours[self.status]


class ChangeNotice(models.Model):
    """A holder tells customs of a change that may affect its authorisation."""

    authorisation = models.ForeignKey(Authorisation, on_delete=models.CASCADE, related_name="change_notices")
    description = models.TextField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    handling_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Change notice of {date_format(self.submitted_at)}"


class ChangeNoticeFile(StoredFile):
    notice = models.ForeignKey(ChangeNotice, on_delete=models.CASCADE, related_name="files")


class MonitoringReview(models.Model):
    """A review of a holder after the grant: a visit to its premises or a desk review, and what it found.

    A visit is planned first (a date, where, and the role of the officers who come; the holder is told), and
    its findings are recorded once it has taken place. A desk review is recorded at once.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit to the premises")
        DESK = "desk", _("Desk review")

    class Result(models.TextChoices):
        SATISFACTORY = "satisfactory", _("Satisfactory")
        SHORTCOMINGS = "shortcomings", _("Shortcomings found")
        UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")

    class OfficerRole(models.TextChoices):
        AUDITOR = "auditor", _("AEO auditor")
        SECURITY = "security", _("Security and safety specialist")
        TEAM = "team", _("Audit team: an AEO auditor and a security and safety specialist")

    authorisation = models.ForeignKey(Authorisation, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.VISIT)
    planned_for = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    officer_role = models.CharField(_("who visits"), max_length=10, choices=OfficerRole.choices, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    held_on = models.DateField(null=True, blank=True)  # empty while a planned visit has not been recorded
    result = models.CharField(max_length=16, choices=Result.choices, blank=True)
    findings = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [models.F("held_on").desc(nulls_first=True), "-planned_for", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(held_on__isnull=False) | models.Q(planned_for__isnull=False, kind="visit"),
            name="review_held_or_visit_planned")]

    def __str__(self) -> str:
        if self.held_on is None:
            return f"Visit planned for {date_format(self.planned_for) if self.planned_for else '—'}"
        return f"{self.get_kind_display()} of {date_format(self.held_on)}"


class RiskModel(models.Model):
    """One version of the risk weights: points per rule and a cap per family. A change is a new version,
    and every score keeps the version it used (`Application.risk_model`)."""

    version = models.PositiveIntegerField(unique=True)
    # {"families": {family: {"cap": points, "rules": {rule: points per item}}}, "bands": [[from, band], ...]}
    weights = models.JSONField()
    note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        permissions = [("manage_risk_model", "Can publish new versions of the AEO risk weights")]

    def __str__(self) -> str:
        return f"Risk weights version {self.version}"


class DecisionNoticeQuerySet(models.QuerySet["DecisionNotice"]):
    def visible_to(self, user) -> DecisionNoticeQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(application__organisation__memberships__user=user)


class DecisionNotice(models.Model):
    """The written decision that changes the applicant's or holder's rights. Its text is fixed when the decision
    is taken, in the decision's transaction; a task renders the PDF once, and it never changes after that."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant of the authorisation")
        REJECTION = "rejection", _("Rejection of the application")
        RETURN = "return", _("Return of the application as not acceptable")
        SUSPENSION = "suspension", _("Suspension of the authorisation")
        LIFTING = "lifting", _("Lifting of the suspension")
        REVOCATION = "revocation", _("Revocation of the authorisation")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decision_notices")
    authorisation = models.ForeignKey(Authorisation, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="decision_notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    administration = models.CharField(max_length=200)
    officers = models.JSONField(default=list)  # [[role, name or ""], ...]
    grounds = models.TextField()
    legal_basis = models.TextField()
    appeal = models.TextField()
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    appeal_by = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(storage=private_storage, upload_to="aeo/decisions/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    objects = DecisionNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["file"], name="decision_notice_to_render", condition=Q(file=""))]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        # Once written, a decision notice is the record: nothing about it may change.
        if self.pk and DecisionNotice.objects.filter(pk=self.pk).exclude(file="").exists():
            raise ValueError("A decision notice cannot be changed once its document is written.")
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"{self.application.reference or self.application_id}/D{self.pk}"

    def get_download_url(self) -> str:
        return reverse("aeo:decision_notice", args=[self.application_id, self.pk])
