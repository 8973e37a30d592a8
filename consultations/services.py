"""Every write to consultations: each validates, changes state, records an audit event and notifies,
all in one transaction (the notifications are the outbox)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import permissions
from consultations.models import (
    MAX_DEPTH,
    Attachment,
    Audience,
    Comment,
    CommentRevision,
    Consultation,
    CoSignature,
    Disposition,
    Follow,
    OfficialResponse,
    Phase,
    PositionPaper,
    Report,
    Support,
    Topic,
)
from consultations.selectors import SEARCH_CONFIG, followers_of
from portal.files import CheckedUpload
from portal.markdown import render_markdown
from portal.models import Membership, Organisation, User
from portal.roles import StaffGroup
from portal.services.audit import audit_record
from portal.services.notifications import notify

EDIT_WINDOW = timedelta(minutes=15)
CLOSING_REMINDER = timedelta(days=3)
UNANSWERED_REMINDER_AFTER = timedelta(days=7)


def _comment_rate() -> tuple[int, int]:
    """At most this many comments per person in this many seconds (setting CONSULTATION_COMMENT_RATE)."""
    return getattr(settings, "CONSULTATION_COMMENT_RATE", (5, 60))


def _update_search_vector(consultation: Consultation) -> None:
    if connection.vendor != "postgresql":
        return
    Consultation.objects.filter(pk=consultation.pk).update(search_vector=(
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    ))


def _link(consultation: Consultation) -> str:
    return consultation.get_absolute_url()


def _check_dates(opens_at: datetime | None, closes_at: datetime, *, now: datetime) -> None:
    if closes_at <= (opens_at or now):
        raise ValidationError({"closes_at": _("The closing date must be after the opening date "
                                              "(or after today, if it opens when published).")})


# --- Consultations --------------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, actor: User, organisation: Organisation, title: str, summary: str, body: str, closes_at: datetime,
    opens_at: datetime | None = None, audience: str = Audience.PUBLIC, topics: Iterable[Topic] = (),
    invited_organisations: Iterable[Organisation] = (),
) -> Consultation:
    """A draft, seen only by the organisation until it is published."""
    if not any(m.organisation_id == organisation.pk for m in permissions.authoring_memberships(actor)):
        raise PermissionDenied(_("Only members of a trade association or of customs can post consultations "
                                 "on behalf of their organisation."))
    consultation = Consultation(
        organisation=organisation, created_by=actor, title=title, summary=summary, body=body,
        body_html=render_markdown(body), audience=audience, opens_at=opens_at, closes_at=closes_at,
    )
    consultation.full_clean(exclude=["search_vector"])
    consultation.save()
    consultation.topics.set(topics)
    consultation.invited_organisations.set(invited_organisations)
    _update_search_vector(consultation)
    audit_record(actor=actor, action="consultation.created", target=consultation, organisation=organisation,
                 to_state=Phase.DRAFT)
    return consultation


EDITABLE = ["title", "summary", "body", "audience", "opens_at", "closes_at"]


@transaction.atomic
def consultation_update(*, actor: User, consultation: Consultation, topics: Iterable[Topic] | None = None,
                        invited_organisations: Iterable[Organisation] | None = None, **fields) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not permissions.can_edit(actor, consultation):
        raise PermissionDenied(_("A consultation can be edited only by its organisation, before it opens."))
    changed = [f for f in EDITABLE if f in fields and getattr(consultation, f) != fields[f]]
    for name in changed:
        setattr(consultation, name, fields[name])
    consultation.body_html = render_markdown(consultation.body)
    consultation.updated_at = timezone.now()
    consultation.full_clean(exclude=["search_vector"])
    consultation.save()
    if topics is not None:
        consultation.topics.set(topics)
    if invited_organisations is not None:
        consultation.invited_organisations.set(invited_organisations)
    _update_search_vector(consultation)
    audit_record(actor=actor, action="consultation.updated", target=consultation,
                 organisation=consultation.organisation,
                 data={"fields": changed})
    return consultation


@transaction.atomic
def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Draft → open now, or → scheduled when its opening date is still ahead."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    permissions.require_owner(actor, consultation)
    if consultation.phase != Phase.DRAFT:
        raise ValidationError(_("This consultation has been published already."))
    now = timezone.now()
    _check_dates(consultation.opens_at if consultation.opens_at and consultation.opens_at > now else None,
                 consultation.closes_at, now=now)
    if consultation.audience == Audience.INVITED and not consultation.invited_organisations.exists():
        raise ValidationError(_("Invite at least one organisation, or choose a wider audience."))
    consultation.published_at = now
    consultation.phase = Phase.SCHEDULED if consultation.opens_at and consultation.opens_at > now else Phase.OPEN
    if consultation.phase == Phase.OPEN and not consultation.opens_at:
        consultation.opens_at = now
    consultation.save(update_fields=["published_at", "phase", "opens_at"])
    audit_record(actor=actor, action="consultation.published", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.DRAFT, to_state=consultation.phase)
    return consultation


def consultations_open_due(*, now: datetime | None = None) -> int:
    """Open every scheduled consultation whose opening date has come (periodic; safe to run twice)."""
    now = now or timezone.now()
    opened = 0
    for pk in Consultation.objects.filter(phase=Phase.SCHEDULED, opens_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            consultation = (Consultation.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, phase=Phase.SCHEDULED).first())
            if consultation is None:
                continue
            consultation.phase = Phase.OPEN
            consultation.save(update_fields=["phase"])
            audit_record(actor=None, action="consultation.opened", target=consultation,
                         organisation=consultation.organisation, from_state=Phase.SCHEDULED, to_state=Phase.OPEN)
            opened += 1
    return opened


def _close(consultation: Consultation, *, actor: User | None, now: datetime) -> None:
    consultation.phase = Phase.CLOSED
    consultation.closed_at = now
    consultation.save(update_fields=["phase", "closed_at"])
    audit_record(actor=actor, action="consultation.closed", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.OPEN, to_state=Phase.CLOSED)
    notify(
        recipients=followers_of(consultation), kind="consultations.closed",
        subject=_("Closed for comments: %(title)s") % {"title": consultation.title},
        body=_("The consultation “%(title)s” has closed. Customs and %(owner)s are now reviewing the comments; "
               "you will be told when the outcome is published.") % {"title": consultation.title,
                                                                     "owner": consultation.organisation},
        link=_link(consultation), key=f"consultations.closed:{consultation.pk}",
    )


def consultations_close_due(*, now: datetime | None = None) -> int:
    """Close every open consultation past its closing date and tell its followers (safe to run twice)."""
    now = now or timezone.now()
    closed = 0
    for pk in Consultation.objects.filter(phase=Phase.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            # Two workers may run this at once: the row lock and the phase check make one of them skip.
            consultation = (Consultation.objects.select_for_update(skip_locked=True)
                            .select_related("organisation").filter(pk=pk, phase=Phase.OPEN).first())
            if consultation is None:
                continue
            _close(consultation, actor=None, now=now)
            closed += 1
    return closed


@transaction.atomic
def consultations_remind_closing(*, now: datetime | None = None) -> int:
    """Tell followers three days ahead that a consultation closes (once each, however often it runs)."""
    now = now or timezone.now()
    sent = 0
    for consultation in Consultation.objects.filter(phase=Phase.OPEN, closes_at__gt=now,
                                                    closes_at__lte=now + CLOSING_REMINDER):
        sent += len(notify(
            recipients=followers_of(consultation), kind="consultations.closing_soon",
            subject=_("Closing on %(date)s: %(title)s") % {
                "date": timezone.localtime(consultation.closes_at).strftime("%d %b %Y"), "title": consultation.title},
            body=_("The consultation “%(title)s” closes for comments on %(date)s. If you want to comment, "
                   "support or co-sign a comment, do it before then.") % {
                "title": consultation.title,
                "date": timezone.localtime(consultation.closes_at).strftime("%d %B %Y, %H:%M")},
            link=_link(consultation), key=f"consultations.closing_soon:{consultation.pk}",
        ))
    return sent


@transaction.atomic
def attachment_add(*, actor: User, consultation: Consultation, upload: CheckedUpload, title: str) -> Attachment:
    if not permissions.can_edit(actor, consultation):
        raise PermissionDenied(_("Documents can be attached only by the organisation, before it opens."))
    attachment = upload.fill(Attachment(consultation=consultation, title=title), uploaded_by=actor)
    attachment.save()
    audit_record(actor=actor, action="consultation.attachment_added", target=consultation,
                 organisation=consultation.organisation, data={"file": attachment.original_name})
    return attachment


# --- Comments -------------------------------------------------------------------------------------


def _check_rate(actor: User) -> None:
    limit, seconds = _comment_rate()
    key = f"consultations:comment-rate:{actor.pk}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    if count > limit:
        raise ValidationError(
            _("You have posted %(limit)s comments in the last %(seconds)s seconds. Wait a minute, then post "
              "again; your text is still in the form.") % {"limit": limit, "seconds": seconds},
            code="rate_limited",
        )


def _check_text(body: str) -> None:
    if not body.strip():
        raise ValidationError({"body": _("Write your comment.")})
    if "\x00" in body:  # PostgreSQL cannot store it, and no keyboard types it
        raise ValidationError({"body": _("The comment contains a null character; paste it as plain text.")})


def _require_open(consultation: Consultation) -> None:
    if consultation.phase != Phase.OPEN:
        raise ValidationError(
            _("This consultation is not open for comments: it opens on %(date)s.")
            % {"date": timezone.localtime(consultation.opens_at).strftime("%d %B %Y")}
            if consultation.phase == Phase.SCHEDULED and consultation.opens_at
            else _("This consultation closed for comments on %(date)s. You can still read the discussion "
                   "and, once published, its outcome.")
            % {"date": timezone.localtime(consultation.closed_at or consultation.closes_at).strftime("%d %B %Y")},
            code="closed",
        )


@transaction.atomic
def comment_post(
    *, actor: User, consultation: Consultation, body: str, parent: Comment | None = None,
    acting_for: Membership | None = None, on_behalf: bool = False, position_paper: CheckedUpload | None = None,
) -> Comment:
    """Post a comment (or a reply) as oneself, or on behalf of the organisation one acts for."""
    # The row lock orders this against the closing job: no comment slips in after the consultation closed.
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    if not actor.is_authenticated:
        raise PermissionDenied
    _require_open(consultation)
    _check_text(body)
    if acting_for is not None and acting_for.user_id != actor.pk:
        raise PermissionDenied
    if on_behalf and (acting_for is None or acting_for.role not in permissions.SPEAKING_ROLES):
        raise ValidationError({"on_behalf": _("Only the administrators and members of an organisation can "
                                              "comment on its behalf; consultants comment as themselves.")})
    depth = 1
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ValidationError(_("That comment belongs to another consultation."))
        if parent.depth >= MAX_DEPTH:
            raise ValidationError(_("Replies go at most %(n)s levels deep. Reply to the comment above instead.")
                                  % {"n": MAX_DEPTH})
        if not parent.shows_text:
            raise ValidationError(_("You cannot reply to a comment that has been removed or hidden."))
        depth = parent.depth + 1
    _check_rate(actor)
    comment = Comment.objects.create(
        consultation=consultation, parent=parent, depth=depth, author=actor,
        organisation=acting_for.organisation if acting_for else None, on_behalf=on_behalf,
        body=body, body_html=render_markdown(body),
    )
    comment.root_id = parent.root_id if parent else comment.pk
    comment.save(update_fields=["root"])
    if position_paper is not None:
        position_paper.fill(PositionPaper(comment=comment), uploaded_by=actor).save()
    audit_record(actor=actor, action="comment.posted", target=comment,
                 organisation=comment.organisation if on_behalf else None,
                 data={"consultation": consultation.pk, "parent": parent.pk if parent else None})
    link = comment.get_absolute_url()
    signed = comment.signed_as
    if parent is not None and parent.author_id != actor.pk:
        notify(recipients=[parent.author], kind="consultations.reply",
               subject=_("%(who)s replied to your comment on “%(title)s”") % {"who": signed,
                                                                             "title": consultation.title},
               body=body[:1000], link=link)
    followers = [u for u in followers_of(consultation, delivery=Follow.Delivery.IMMEDIATE)
                 if u.pk != actor.pk and not (parent and u.pk == parent.author_id)]
    notify(recipients=followers, kind="consultations.comment",
           subject=_("New comment on “%(title)s”") % {"title": consultation.title},
           body=_("%(who)s wrote:\n\n%(body)s") % {"who": signed, "body": body[:1000]}, link=link)
    Follow.objects.get_or_create(consultation=consultation, user=actor,
                                 defaults={"delivery": Follow.Delivery.DIGEST})
    return comment


def _locked_comment(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=comment.pk)


@transaction.atomic
def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change one's comment within the edit window; the earlier text is kept as a revision."""
    comment = _locked_comment(comment)
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("You can only edit your own comments."))
    if not permissions.can_edit_comment(actor, comment, now=timezone.now()):
        raise ValidationError(_("Comments can be edited for %(minutes)s minutes after posting, while the "
                                "consultation is open. Post a reply to add to it.")
                              % {"minutes": int(EDIT_WINDOW.total_seconds() // 60)})
    _check_text(body)
    if body == comment.body:
        return comment
    CommentRevision.objects.create(comment=comment, body=comment.body,
                                   created_at=comment.edited_at or comment.created_at)
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    audit_record(actor=actor, action="comment.edited", target=comment)
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """The author takes a comment back: it shows as removed, so replies keep their place."""
    comment = _locked_comment(comment)
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDenied(_("You can only remove your own comments."))
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    audit_record(actor=actor, action="comment.deleted", target=comment)
    return comment


@transaction.atomic
def comment_support_toggle(*, actor: User, comment: Comment) -> bool:
    """Support a comment, or take the support back. True when the actor now supports it."""
    comment = _locked_comment(comment)
    if not actor.is_authenticated:
        raise PermissionDenied
    _require_open(comment.consultation)
    deleted, _rows = Support.objects.filter(comment=comment, user=actor).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") - 1)
        return False
    if not comment.shows_text:
        raise ValidationError(_("This comment has been removed or hidden."))
    Support.objects.create(comment=comment, user=actor)
    Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def comment_cosign(*, actor: User, comment: Comment, organisation: Organisation) -> CoSignature:
    comment = _locked_comment(comment)
    _require_open(comment.consultation)
    if not any(m.organisation_id == organisation.pk for m in permissions.cosigning_memberships(actor, comment)):
        raise PermissionDenied(_("Only members of another organisation can co-sign a comment posted on behalf "
                                 "of an organisation."))
    try:
        with transaction.atomic():
            cosignature = CoSignature.objects.create(comment=comment, organisation=organisation, signed_by=actor)
    except IntegrityError:
        raise ValidationError(_("%(name)s has co-signed this comment already.") % {"name": organisation}) from None
    audit_record(actor=actor, action="comment.cosigned", target=comment, organisation=organisation)
    return cosignature


@transaction.atomic
def comment_report(*, actor: User, comment: Comment, reason: str) -> Report:
    if not actor.is_authenticated:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the comment, so a moderator can judge it.")})
    if Report.objects.filter(comment=comment, reporter=actor, resolved_at__isnull=True).exists():
        raise ValidationError(_("You have reported this comment already; a moderator will look at it."))
    first = not Report.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    report = Report.objects.create(comment=comment, reporter=actor, reason=reason.strip())
    audit_record(actor=actor, action="comment.reported", target=comment, data={"report": report.pk})
    if first:  # one message per comment in the queue, however many people report it
        notify(recipients=moderators(), kind="consultations.reported",
               subject=_("A comment on “%(title)s” has been reported") % {"title": comment.consultation.title},
               body=_("Reason given: %(reason)s") % {"reason": report.reason[:500]},
               link=reverse("admin:consultations_report_changelist"))
    return report


def moderators() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True,
                                    groups__name=StaffGroup.CONSULTATION_MODERATOR.value).distinct())


def _require_moderator(actor: User) -> None:
    if not permissions.is_moderator(actor):
        raise PermissionDenied(_("Only consultation moderators can hide or restore comments."))


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment; the reason shows in its place. Open reports on it are resolved."""
    _require_moderator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; it is shown in place of the comment.")})
    comment = _locked_comment(comment)
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason.strip()[:300]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution="hidden")
    audit_record(actor=actor, action="comment.hidden", target=comment, data={"reason": comment.hidden_reason})
    notify(recipients=[comment.author], kind="consultations.hidden",
           subject=_("A moderator hid your comment on “%(title)s”") % {"title": comment.consultation.title},
           body=_("Reason: %(reason)s") % {"reason": comment.hidden_reason}, link=comment.get_absolute_url())
    return comment


@transaction.atomic
def comment_restore(*, actor: User, comment: Comment) -> Comment:
    _require_moderator(actor)
    comment = _locked_comment(comment)
    if comment.hidden_at is None:
        return comment
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(actor=actor, action="comment.restored", target=comment)
    notify(recipients=[comment.author], kind="consultations.hidden",
           subject=_("Your comment on “%(title)s” is visible again") % {"title": comment.consultation.title},
           body=_("A moderator reviewed your comment and restored it."), link=comment.get_absolute_url())
    return comment


@transaction.atomic
def reports_dismiss(*, actor: User, reports: Iterable[Report]) -> int:
    """The moderator finds nothing wrong: the reports are closed and the comment stays."""
    _require_moderator(actor)
    return Report.objects.filter(pk__in=[r.pk for r in reports], resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution="dismissed")


# --- Official responses, follows, outcome ---------------------------------------------------------


@transaction.atomic
def official_response_post(*, actor: User, consultation: Consultation, disposition: str, reasoning: str,
                           comment: Comment | None = None) -> OfficialResponse:
    """Customs answers a comment, or the consultation as a whole; the people concerned are told."""
    membership = permissions.customs_membership(actor)
    if membership is None:
        raise PermissionDenied(_("Only customs staff can post official responses."))
    if consultation.phase in (Phase.DRAFT, Phase.SCHEDULED):
        raise ValidationError(_("The consultation has not opened yet."))
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": _("Choose a disposition.")})
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Give the reasons for the disposition: respondents need to "
                                              "know what became of their input, and why.")})
    if comment is not None:
        comment = _locked_comment(comment)
        if comment.consultation_id != consultation.pk:
            raise ValidationError(_("That comment belongs to another consultation."))
        if OfficialResponse.objects.filter(comment=comment).exists():
            raise ValidationError(_("This comment has an official response already."))
    response = OfficialResponse.objects.create(
        consultation=consultation, comment=comment, author=actor, organisation=membership.organisation,
        disposition=disposition, reasoning=reasoning, reasoning_html=render_markdown(reasoning),
    )
    audit_record(actor=actor, action="official_response.posted", target=consultation,
                 organisation=consultation.organisation, data={"comment": comment.pk if comment else None,
                                                               "disposition": disposition})
    disposition_label = response.get_disposition_display()
    if comment is not None:
        recipients = [comment.author]
        if comment.on_behalf:
            recipients += [m.user for m in Membership.objects.filter(organisation_id=comment.organisation_id)
                           .select_related("user")]
        notify(recipients=recipients, kind="consultations.official_response",
               subject=_("Official response to a comment on “%(title)s”: %(disposition)s")
               % {"title": consultation.title, "disposition": disposition_label},
               body=reasoning[:2000], link=comment.get_absolute_url())
    else:
        recipients = followers_of(consultation) + [
            m.user for m in Membership.objects.filter(organisation=consultation.organisation).select_related("user")]
        notify(recipients=[u for u in recipients if u.pk != actor.pk], kind="consultations.official_response",
               subject=_("Official response to “%(title)s”: %(disposition)s")
               % {"title": consultation.title, "disposition": disposition_label},
               body=reasoning[:2000], link=_link(consultation))
    return response


@transaction.atomic
def follow_set(*, actor: User, consultation: Consultation, delivery: str = Follow.Delivery.DIGEST) -> Follow:
    if delivery not in Follow.Delivery.values:
        raise ValidationError({"delivery": _("Choose how you want to hear of new comments.")})
    follow, _created = Follow.objects.update_or_create(consultation=consultation, user=actor,
                                                       defaults={"delivery": delivery})
    return follow


@transaction.atomic
def follow_remove(*, actor: User, consultation: Consultation) -> bool:
    deleted, _rows = Follow.objects.filter(consultation=consultation, user=actor).delete()
    return bool(deleted)


@transaction.atomic
def consultation_close(*, actor: User, consultation: Consultation) -> Consultation:
    """The owner closes early (the periodic job closes on the date)."""
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    permissions.require_owner(actor, consultation)
    if consultation.phase != Phase.OPEN:
        raise ValidationError(_("Only an open consultation can be closed."))
    _close(consultation, actor=actor, now=timezone.now())
    return consultation


@transaction.atomic
def outcome_publish(*, actor: User, consultation: Consultation, summary: str) -> Consultation:
    """Closed → outcome published; everyone who commented or follows is told what became of their input."""
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    if not permissions.can_manage_outcome(actor, consultation):
        raise PermissionDenied(_("Only the organisation that ran the consultation, or customs, can publish "
                                 "its outcome."))
    if consultation.phase != Phase.CLOSED:
        raise ValidationError(_("The outcome can be published once the consultation has closed."))
    if not summary.strip():
        raise ValidationError({"summary": _("Write the outcome: what was decided and what changes.")})
    consultation.phase = Phase.OUTCOME_PUBLISHED
    consultation.outcome_summary = summary
    consultation.outcome_html = render_markdown(summary)
    consultation.outcome_published_at = timezone.now()
    consultation.outcome_published_by = actor
    consultation.save(update_fields=["phase", "outcome_summary", "outcome_html", "outcome_published_at",
                                     "outcome_published_by"])
    audit_record(actor=actor, action="consultation.outcome_published", target=consultation,
                 organisation=consultation.organisation, from_state=Phase.CLOSED, to_state=Phase.OUTCOME_PUBLISHED)
    commenters = User.objects.filter(pk__in=consultation.comments.values("author_id"), is_active=True)
    notify(recipients=[*followers_of(consultation), *commenters], kind="consultations.outcome",
           subject=_("Outcome published: %(title)s") % {"title": consultation.title},
           body=_("The outcome of “%(title)s” has been published, with the answer to every comment.")
           % {"title": consultation.title},
           link=reverse("consultations:report", args=[consultation.pk]),
           key=f"consultations.outcome:{consultation.pk}")
    return consultation


# --- Periodic notifications -----------------------------------------------------------------------


@transaction.atomic
def digests_send(*, now: datetime | None = None) -> int:
    """Send each digest follower one message for yesterday's comments (UTC day); safe to run twice.

    The idempotency key carries the day, so a second run (or a second worker) adds nothing.
    """
    now = now or timezone.now()
    day_end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start = day_end - timedelta(days=1)
    comments = list(Comment.objects.filter(created_at__gte=day_start, created_at__lt=day_end,
                                           deleted_at__isnull=True, hidden_at__isnull=True)
                    .select_related("consultation", "author", "organisation").order_by("consultation_id", "pk"))
    if not comments:
        return 0
    by_consultation: dict[int, list[Comment]] = {}
    for comment in comments:
        by_consultation.setdefault(comment.consultation_id, []).append(comment)
    follows = (Follow.objects.filter(consultation_id__in=list(by_consultation), delivery=Follow.Delivery.DIGEST,
                                     user__is_active=True).select_related("user", "consultation"))
    sent = 0
    for follow in follows:
        new = [c for c in by_consultation[follow.consultation_id] if c.author_id != follow.user_id]
        if not new:
            continue
        lines = [f"- {c.signed_as}: {' '.join(c.body.split())[:200]}" for c in new]
        sent += len(notify(
            recipients=[follow.user], kind="consultations.digest",
            subject=_("%(n)s new comments on “%(title)s”") % {"n": len(new), "title": follow.consultation.title},
            body="\n".join(lines), link=_link(follow.consultation),
            key=f"consultations.digest:{follow.consultation_id}:{day_start:%Y-%m-%d}",
        ))
    return sent


def official_responders() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True,
                                    memberships__organisation__kind=Organisation.Kind.CUSTOMS).distinct())


@transaction.atomic
def unanswered_remind(*, now: datetime | None = None) -> int:
    """Remind customs of comments still without an official response a week after closing (once)."""
    now = now or timezone.now()
    responders = official_responders()
    sent = 0
    for consultation in Consultation.objects.filter(phase=Phase.CLOSED,
                                                    closed_at__lte=now - UNANSWERED_REMINDER_AFTER):
        waiting = consultation.comments.filter(official_response__isnull=True, deleted_at__isnull=True,
                                               hidden_at__isnull=True).count()
        if not waiting:
            continue
        sent += len(notify(
            recipients=responders, kind="consultations.unanswered",
            subject=_("%(n)s comments on “%(title)s” still need an official response")
            % {"n": waiting, "title": consultation.title},
            body=_("The consultation closed on %(date)s. Respondents are waiting to know what became of their "
                   "input: answer each comment before publishing the outcome.")
            % {"date": timezone.localtime(consultation.closed_at).strftime("%d %B %Y")},
            link=f"{_link(consultation)}?unanswered=1",
            key=f"consultations.unanswered:{consultation.pk}",
        ))
    return sent
