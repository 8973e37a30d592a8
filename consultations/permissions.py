"""Who may see or do what with consultations. Views, API and admin ask here and nowhere else.

Visibility is decided in `selectors.consultations_visible_to`; outside it everything is a 404.

Official responses come only from **customs staff**: active `is_staff` users, signed in with a
second factor, who are members of an organisation of kind "customs". Being staff alone is not enough
(a training author of another administration is staff too), and being a member of the customs
organisation alone is not enough (customs may invite outside experts): the answer speaks for the
administration, so it needs both.
The same people publish outcomes of any consultation they can see and export its comments.

Moderation (hide, restore, work the report queue) belongs to the "Consultation moderator" staff
group only, in the admin.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.models import Comment, Consultation, Phase
from portal.models import Membership, Organisation, Role
from portal.permissions import memberships
from portal.roles import StaffGroup, has_staff_powers, in_group
from portal.types import AnyUser

EDIT_PHASES = {Phase.DRAFT, Phase.SCHEDULED}
SPEAKING_ROLES = {Role.ADMIN, Role.MEMBER}  # consultants advise; they do not speak for the organisation


def on_behalf_refusal(user: AnyUser, membership: Membership | None) -> str | None:
    """Why the user may not speak for the organisation of `membership` (post, co-sign or author on its behalf),
    in words for the comment form; None when they may.

    Only an organisation customs has verified speaks as an organisation, as only a verified one applies for
    AEO status: a name on a comment carries weight in the outcome report. Until then its members still
    comment, as themselves. Speaking for a customs administration is a staff power: it needs a session that
    passed a second factor. Consultants advise; they do not speak for the organisation.
    """
    if membership is None:
        return _("Choose the organisation you act for to post on its behalf.")
    organisation = membership.organisation
    if membership.role not in SPEAKING_ROLES:
        return _("Consultants comment as themselves: only the administrators and members of %(name)s can comment "
                 "on its behalf.") % {"name": organisation}
    if organisation.kind == Organisation.Kind.CUSTOMS and not has_staff_powers(user):
        return _("Speaking for %(name)s needs a sign-in with your second factor.") % {"name": organisation}
    if not organisation.is_verified:
        return _("%(name)s cannot comment as an organisation until customs has verified it, as for AEO "
                 "applications. Until then you comment as yourself.") % {"name": organisation}
    return None


def speaking_memberships(user: AnyUser) -> list[Membership]:
    """Memberships in which the user may post, co-sign or author consultations on behalf of the organisation."""
    return [m for m in memberships(user) if on_behalf_refusal(user, m) is None]


def customs_membership(user: AnyUser) -> Membership | None:
    if not has_staff_powers(user):
        return None
    return next((m for m in memberships(user) if m.organisation.kind == Organisation.Kind.CUSTOMS), None)


def can_respond_officially(user: AnyUser) -> bool:
    return customs_membership(user) is not None


def is_moderator(user: AnyUser) -> bool:
    return user.is_authenticated and in_group(user, StaffGroup.CONSULTATION_MODERATOR)


def authoring_memberships(user: AnyUser) -> list[Membership]:
    """Organisations the user may post consultations for: associations and customs."""
    return [m for m in speaking_memberships(user)
            if m.organisation.kind in (Organisation.Kind.ASSOCIATION, Organisation.Kind.CUSTOMS)]


def is_owner(user: AnyUser, consultation: Consultation) -> bool:
    return any(m.organisation_id == consultation.organisation_id for m in speaking_memberships(user))


def require_owner(user: AnyUser, consultation: Consultation) -> None:
    if not is_owner(user, consultation):
        raise PermissionDenied(_("Only members of %(name)s can do this.") % {"name": consultation.organisation})


def can_edit(user: AnyUser, consultation: Consultation) -> bool:
    return consultation.phase in EDIT_PHASES and is_owner(user, consultation)


def can_manage_outcome(user: AnyUser, consultation: Consultation) -> bool:
    """Publish the outcome, read the full report and export the comments: the owner and customs."""
    return is_owner(user, consultation) or can_respond_officially(user)


NOT_YET_OPEN = {Phase.DRAFT, Phase.SCHEDULED}


def can_publish_outcome(user: AnyUser, consultation: Consultation) -> bool:
    return can_manage_outcome(user, consultation) and consultation.phase == Phase.CLOSED


def can_export(user: AnyUser, consultation: Consultation) -> bool:
    return can_manage_outcome(user, consultation) and consultation.phase not in NOT_YET_OPEN


def can_respond_to(user: AnyUser, consultation: Consultation, comment: Comment | None = None) -> bool:
    """An official response to the consultation as a whole, or to one comment that has none yet and shows."""
    if not can_respond_officially(user) or consultation.phase in NOT_YET_OPEN:
        return False
    if comment is None:
        return True
    return comment.shows_text and not has_official_response(comment)


def has_official_response(comment: Comment) -> bool:
    try:
        return comment.official_response is not None
    except Comment.official_response.RelatedObjectDoesNotExist:
        return False


def commenting_closed(consultation: Consultation) -> str | None:
    """Why the consultation takes no comments now, in words for the reader; None while it is open."""
    if consultation.phase == Phase.OPEN:
        return None
    if consultation.phase == Phase.SCHEDULED and consultation.opens_at:
        return _("This consultation is not open for comments: it opens on %(date)s.") % {
            "date": date_format(timezone.localtime(consultation.opens_at))}
    return _("This consultation closed for comments on %(date)s. You can still read the discussion and, once "
             "published, its outcome.") % {
        "date": date_format(timezone.localtime(consultation.closed_at or consultation.closes_at))}


def can_comment(user: AnyUser, consultation: Consultation) -> bool:
    return user.is_authenticated and commenting_closed(consultation) is None


def can_edit_comment(user: AnyUser, comment: Comment, *, now: datetime) -> bool:
    from consultations.services import EDIT_WINDOW

    return (comment.author_id == user.pk and comment.shows_text and comment.consultation.phase == Phase.OPEN
            and now - comment.created_at <= EDIT_WINDOW)


def can_delete_comment(user: AnyUser, comment: Comment) -> bool:
    # Only while open, like editing: once closed, the comments are the record customs answers and publishes.
    return comment.author_id == user.pk and not comment.is_removed and comment.consultation.phase == Phase.OPEN


def can_support(user: AnyUser, comment: Comment) -> bool:
    """Support is what others think of a comment: not one's own."""
    return (user.is_authenticated and comment.author_id != user.pk and comment.shows_text
            and comment.consultation.phase == Phase.OPEN)


def cosigning_memberships(user: AnyUser, comment: Comment,
                          cosigned_ids: AbstractSet[int] = frozenset()) -> list[Membership]:
    """Other organisations the user speaks for that may still co-sign this comment.

    Customs does not co-sign: it answers, officially.
    """
    if not (comment.on_behalf and comment.shows_text):
        return []
    return [m for m in speaking_memberships(user)
            if m.organisation_id != comment.organisation_id and m.organisation_id not in cosigned_ids
            and m.organisation.kind != Organisation.Kind.CUSTOMS]
