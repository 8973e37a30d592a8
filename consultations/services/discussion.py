"""Comments, support, co-signatures, reports and moderation, official responses, follows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consultations import permissions
from consultations.models import (
    MAX_DEPTH,
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
)
from consultations.selectors import followers_of
from consultations.services.lifecycle import (
    EDIT_WINDOW,
    consultation_changed,
)
from portal.files import CheckedUpload
from portal.markdown import render_markdown
from portal.models import Membership, Notification, Organisation, User
from portal.ratelimits import limit_rows, parse_rates
from portal.roles import StaffGroup
from portal.services.audit import audit_record
from portal.services.notifications import notify
from portal.texts import Text, choice_label

# --- Comments -------------------------------------------------------------------------------------


def _check_rate(actor: User) -> None:
    limit, seconds = settings.CONSULTATION_COMMENT_RATE  # comments per person per seconds
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
    reason = permissions.commenting_closed(consultation)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def comment_post(
    *, actor: User, consultation: Consultation, body: str, parent: Comment | None = None,
    acting_for: Membership | None = None, on_behalf: bool = False, position_paper: CheckedUpload | None = None,
) -> Comment:
    """Post a comment (or a reply) as oneself, or on behalf of the organisation one acts for."""
    # The row lock orders this against the closing job: no comment slips in after the consultation closed.
    consultation = Consultation.objects.select_for_update().select_related("organisation").get(pk=consultation.pk)
    consultation_changed(consultation.pk)
    if not actor.is_authenticated:
        raise PermissionDenied
    _require_open(consultation)
    _check_text(body)
    if acting_for is not None and acting_for.user_id != actor.pk:
        raise PermissionDenied
    refusal = permissions.on_behalf_refusal(actor, acting_for) if on_behalf else None
    if refusal:
        raise ValidationError({"on_behalf": refusal})
    depth = 1
    if parent is not None:
        if parent.consultation_id != consultation.pk:
            raise ValidationError(_("That comment belongs to another consultation."))
        if parent.depth >= MAX_DEPTH:
            raise ValidationError(_("Replies go at most %(n)s levels deep. Reply to the comment above instead.")
                                  % {"n": MAX_DEPTH})
        if not parent.shows_text:
            raise ValidationError(_("You cannot reply to a comment that has been removed or hidden."))
        if position_paper is not None:
            raise ValidationError({"position_paper": _("A position paper goes with a comment on the consultation, "
                                                       "not with a reply.")})
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
               subject=Text(gettext_noop("%(who)s replied to your comment on “%(title)s”"), who=signed,
                            title=consultation.title),
               body=body[:1000], link=link)
    followers = [u for u in followers_of(consultation, delivery=Follow.Delivery.IMMEDIATE)
                 if u.pk != actor.pk and not (parent and u.pk == parent.author_id)]
    notify(recipients=followers, kind="consultations.comment",
           subject=Text(gettext_noop("New comment on “%(title)s”"), title=consultation.title),
           body=Text(gettext_noop("%(who)s wrote:\n\n%(body)s"), who=signed, body=body[:1000]), link=link)
    Follow.objects.get_or_create(consultation=consultation, user=actor,
                                 defaults={"delivery": Follow.Delivery.DIGEST})
    return comment


def _locked_comment(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=comment.pk)


@transaction.atomic
def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change one's comment within the edit window; the earlier text is kept as a revision."""
    comment = _locked_comment(comment)
    consultation_changed(comment.consultation_id)
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
    consultation_changed(comment.consultation_id)
    if not permissions.can_delete_comment(actor, comment):
        if comment.author_id == actor.pk and comment.consultation.phase != Phase.OPEN:
            raise ValidationError(_("The consultation is closed: its comments are now part of the record, and can "
                                    "no longer be removed."))
        raise PermissionDenied(_("You can only remove your own comments."))
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    audit_record(actor=actor, action="comment.deleted", target=comment)
    return comment


@transaction.atomic
def comment_support_toggle(*, actor: User, comment: Comment) -> bool:
    """Support a comment, or take the support back. True when the actor now supports it."""
    comment = _locked_comment(comment)
    consultation_changed(comment.consultation_id)
    if not actor.is_authenticated:
        raise PermissionDenied
    _require_open(comment.consultation)
    deleted, _rows = Support.objects.filter(comment=comment, user=actor).delete()
    if deleted:
        Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") - 1)
        return False
    if not comment.shows_text:
        raise ValidationError(_("This comment has been removed or hidden."))
    if comment.author_id == actor.pk:
        raise ValidationError(_("You cannot support your own comment: support shows what others think of it."))
    Support.objects.create(comment=comment, user=actor)
    Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def comment_cosign(*, actor: User, comment: Comment, organisation: Organisation) -> CoSignature:
    comment = _locked_comment(comment)
    consultation_changed(comment.consultation_id)
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
    # Reports give moderators work and e-mail them: a ceiling per person.
    limit_rows(Report.objects.filter(reporter=actor),
               parse_rates("COMMENT_REPORT_RATES", settings.COMMENT_REPORT_RATES), what=_("Reports"))
    first = not Report.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    report = Report.objects.create(comment=comment, reporter=actor, reason=reason.strip())
    audit_record(actor=actor, action="comment.reported", target=comment, data={"report": report.pk})
    if first:  # one message per comment in the queue, however many people report it
        notify(recipients=moderators(), kind="consultations.reported",
               subject=Text(gettext_noop("A comment on “%(title)s” has been reported"),
                            title=comment.consultation.title),
               body=Text(gettext_noop("Reason given: %(reason)s"), reason=report.reason[:500]),
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
    consultation_changed(comment.consultation_id)
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason.strip()[:300]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution="hidden")
    audit_record(actor=actor, action="comment.hidden", target=comment, data={"reason": comment.hidden_reason})
    # Others were told of the comment with its text: their notifications (and e-mails not yet sent) lose it.
    Notification.objects.filter(
        kind__in=["consultations.comment", "consultations.reply"], link=comment.get_absolute_url(),
    ).exclude(recipient=comment.author).update(
        body=_("A moderator hid this comment. Reason: %(reason)s") % {"reason": comment.hidden_reason})
    notify(recipients=[comment.author], kind="consultations.hidden",
           subject=Text(gettext_noop("A moderator hid your comment on “%(title)s”"), title=comment.consultation.title),
           body=Text(gettext_noop("Reason: %(reason)s"), reason=comment.hidden_reason), link=comment.get_absolute_url())
    return comment


@transaction.atomic
def comment_restore(*, actor: User, comment: Comment) -> Comment:
    _require_moderator(actor)
    comment = _locked_comment(comment)
    consultation_changed(comment.consultation_id)
    if comment.hidden_at is None:
        return comment
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_record(actor=actor, action="comment.restored", target=comment)
    notify(recipients=[comment.author], kind="consultations.hidden",
           subject=Text(gettext_noop("Your comment on “%(title)s” is visible again"), title=comment.consultation.title),
           body=Text(gettext_noop("A moderator reviewed your comment and restored it.")),
           link=comment.get_absolute_url())
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
        if not permissions.can_respond_to(actor, consultation, comment):
            raise ValidationError(_("This comment has an official response already, or no longer shows."))
    consultation_changed(consultation.pk)
    response = OfficialResponse.objects.create(
        consultation=consultation, comment=comment, author=actor, organisation=membership.organisation,
        disposition=disposition, reasoning=reasoning, reasoning_html=render_markdown(reasoning),
    )
    audit_record(actor=actor, action="official_response.posted", target=consultation,
                 organisation=consultation.organisation, data={"comment": comment.pk if comment else None,
                                                               "disposition": disposition})
    disposition_label = choice_label(response, "disposition")
    if comment is not None:
        recipients = [comment.author]
        if comment.on_behalf:
            # A comment on behalf of an organisation always names it.
            recipients += [m.user for m in Membership.objects.filter(organisation_id=cast(int, comment.organisation_id))
                           .select_related("user")]
        notify(recipients=recipients, kind="consultations.official_response",
               subject=Text(gettext_noop("Official response to a comment on “%(title)s”: %(disposition)s"),
                            title=consultation.title, disposition=disposition_label),
               body=reasoning[:2000], link=comment.get_absolute_url())
    else:
        recipients = followers_of(consultation) + [
            m.user for m in Membership.objects.filter(organisation=consultation.organisation).select_related("user")]
        notify(recipients=[u for u in recipients if u.pk != actor.pk], kind="consultations.official_response",
               subject=Text(gettext_noop("Official response to “%(title)s”: %(disposition)s"),
                            title=consultation.title, disposition=disposition_label),
               body=reasoning[:2000], link=consultation.get_absolute_url())
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
