"""The consultations part of a person's data export: comments, supports, follows and reports."""

from __future__ import annotations

from typing import Any

from consultations.models import Comment, Follow, Report, Support
from portal.models import User
from portal.personal_data import when


def consultations_personal_data(user: User) -> dict[str, Any]:
    return {
        "comments": [
            {"consultation": c.consultation.title, "comment": c.body, "posted": when(c.created_at),
             "edited": when(c.edited_at), "removed": when(c.deleted_at), "hidden by a moderator": when(c.hidden_at),
             "for organisation": c.organisation.name if c.organisation is not None else None,
             "on its behalf": c.on_behalf}
            for c in Comment.objects.filter(author=user).select_related("consultation", "organisation")
            .order_by("created_at", "pk")
        ],
        "comments you support": [
            {"consultation": s.comment.consultation.title, "comment": s.comment_id, "since": when(s.created_at)}
            for s in Support.objects.filter(user=user).select_related("comment__consultation").order_by("pk")
        ],
        "consultations you follow": [
            {"consultation": f.consultation.title, "delivery": f.get_delivery_display(), "since": when(f.created_at)}
            for f in Follow.objects.filter(user=user).select_related("consultation").order_by("pk")
        ],
        "comments you reported": [
            {"comment": r.comment_id, "reason": r.reason, "reported": when(r.created_at),
             "resolved": when(r.resolved_at)}
            for r in Report.objects.filter(reporter=user).order_by("pk")
        ],
    }


def consultations_personal_data_erase(user: User) -> None:
    # A closed account follows nothing; its comments and supports stay in the public record.
    Follow.objects.filter(user=user).delete()
