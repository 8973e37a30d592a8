"""Consultations, their comments, official responses, follows and moderation reports.

Every write goes through `consultations.services`; every read that serves a user starts from
`Consultation.objects.visible_to(user)` (in `consultations.selectors`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, StoredFile

MAX_DEPTH = 3  # a comment, a reply, a reply to the reply


class Topic(models.Model):
    """A subject a consultation is about (e-commerce, classification, valuation, AEO, procedures...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("topic")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")
    OUTCOME_PUBLISHED = "outcome_published", _("Outcome published")


PUBLISHED_PHASES = [Phase.OPEN, Phase.CLOSED, Phase.OUTCOME_PUBLISHED]


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone, including visitors who are not signed in")
    SIGNED_IN = "signed_in", _("Signed-in users only")
    INVITED = "invited", _("Invited organisations only (a working group)")


class Consultation(models.Model):
    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.PROTECT, related_name="consultations",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600,
                               help_text=_("Two or three sentences: what changes and why. Shown in the list."))
    body = models.TextField(_("proposal"), help_text=_("The full proposal, in Markdown."))
    body_html = models.TextField(editable=False, default="")
    # What the author wrote in (title, summary, body): shown as the text's `lang`, never translated.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    topics = models.ManyToManyField(Topic, related_name="consultations", blank=True, verbose_name=_("topics"))
    audience = models.CharField(_("who can read and comment"), max_length=20, choices=Audience.choices,
                                default=Audience.PUBLIC)
    invited_organisations = models.ManyToManyField(
        "portal.Organisation", related_name="consultation_invitations", blank=True,
        verbose_name=_("invited organisations"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"))
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_summary = models.TextField(_("outcome"), blank=True)
    outcome_html = models.TextField(editable=False, default="")
    outcome_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    # Kept by a PostgreSQL trigger from the title, summary and body (migration 0003; GIN index by 0002);
    # unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("consultation")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["phase", "closes_at"]),
            # The list's order (newest first, unpublished ones on top for their owners): page 1 of 100,000
            # reads the first index entries, not the table. Not partial: PostgreSQL could not prove the
            # list's phase filter implies Django's rendering of the same condition.
            models.Index(F("published_at").desc(nulls_first=True), F("id").desc(), name="consultation_list_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                                   name="consultation_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.phase == Phase.OPEN

    @property
    def phase_colour(self) -> str:
        return {Phase.DRAFT: "grey", Phase.SCHEDULED: "yellow", Phase.OPEN: "green", Phase.CLOSED: "orange",
                Phase.OUTCOME_PUBLISHED: "blue"}[Phase(self.phase)]


class Attachment(StoredFile):
    """A document of the consultation, e.g. the "as is" and "to be" process maps."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("what it is"), max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        ordering = ["uploaded_at", "pk"]

    def get_download_url(self) -> str:
        return reverse("consultations:attachment", args=[self.consultation_id, self.pk])


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top comment of the thread (itself for a top comment): a page of threads is one query.
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The organisation the author acted for when posting (for the statistics), on whose behalf if on_behalf.
    organisation = models.ForeignKey("portal.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    on_behalf = models.BooleanField(default=False)
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False, default="")
    children: list[Comment]  # the replies of a page of threads, nested by selectors.thread_page
    # What the reader may do with the comment, worked out once per page by views.discussion._decorate.
    supported: bool
    can_edit: bool
    can_delete: bool
    can_support: bool
    can_reply: bool
    cosign_options: list[Membership]
    can_respond: bool
    can_report: bool
    response: OfficialResponse | None  # shown only when the rule book lets the reader see it
    paper: PositionPaper | None
    closes: range  # the nested lists that end after this comment on the page
    html: str  # the comment's drawn article (consultations/views/discussion.py `_draw`)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    support_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("comment")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["consultation", "depth", "created_at"]),
            models.Index(fields=["consultation", "depth", "support_count"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__gte=1, depth__lte=MAX_DEPTH), name="comment_depth_bounded"),
            models.CheckConstraint(condition=Q(on_behalf=False) | Q(organisation__isnull=False),
                                   name="comment_on_behalf_has_organisation"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.consultation_id}"

    def get_absolute_url(self) -> str:
        return f"{reverse('consultations:detail', args=[self.consultation_id])}#comment-{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def shows_text(self) -> bool:
        return not self.is_removed and not self.is_hidden

    @property
    def signed_as(self) -> str:
        return self.organisation.name if self.on_behalf and self.organisation else str(self.author)


class CommentRevision(models.Model):
    """The text a comment had before an edit: edits never lose what was first said."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"


class PositionPaper(StoredFile):
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="position_paper")

    class Meta(StoredFile.Meta):
        verbose_name = _("position paper")

    def get_download_url(self) -> str:
        return reverse("consultations:position_paper", args=[self.comment.consultation_id, self.comment_id])


class Support(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="support_once_per_person")]

    def __str__(self) -> str:
        return f"Support for comment {self.comment_id}"


class CoSignature(models.Model):
    """Another organisation joins a comment posted on behalf of an organisation."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="cosignatures")
    organisation = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "organisation"], name="cosignature_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} co-signs comment {self.comment_id}"


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted")


DISPOSITION_COLOURS = {"accepted": "green", "partly_accepted": "blue", "not_accepted": "red", "noted": "grey"}


class OfficialResponse(models.Model):
    """Customs' recorded answer to one comment, or (comment empty) to the consultation as a whole."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="official_responses")
    comment = models.OneToOneField(Comment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="official_response")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    reasoning = models.TextField(_("reasoning"))
    reasoning_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("official response")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_disposition_display()}: {self.comment_id or 'consultation'}"

    @property
    def disposition_colour(self) -> str:
        return DISPOSITION_COLOURS[self.disposition]


class Follow(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, for every new comment")
        DIGEST = "digest", _("Once a day, in a digest")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivery = models.CharField(_("how to tell you of new comments"), max_length=10, choices=Delivery.choices,
                                default=Delivery.DIGEST)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.consultation_id}"


class Report(models.Model):
    """Someone signed in thinks a comment breaks the rules; moderators work these in the admin."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what is wrong with it"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("report")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], condition=Q(resolved_at__isnull=True),
                                    name="report_one_open_per_person"),
        ]

    def __str__(self) -> str:
        return f"Report on comment {self.comment_id}"
