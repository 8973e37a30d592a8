"""The notification kinds this app sends (imported from ConsultationsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.notification_kinds import register_kind

NEW_COMMENT = register_kind("consultations.comment", _("New comments on consultations you follow, at once"))
DIGEST = register_kind("consultations.digest", _("Daily digest of consultations you follow"))
REPLY = register_kind("consultations.reply", _("Replies to your comments"))
OFFICIAL_RESPONSE = register_kind("consultations.official_response",
                                  _("Official responses to your comments and consultations"))
CLOSING_SOON = register_kind("consultations.closing_soon", _("Consultations you follow closing in three days"))
CLOSED = register_kind("consultations.closed", _("Consultations you follow have closed"))
OUTCOME = register_kind("consultations.outcome", _("Outcomes of consultations you took part in or follow"))
UNANSWERED = register_kind("consultations.unanswered",
                           _("Customs: comments still waiting for an official response"))
HIDDEN = register_kind("consultations.hidden", _("A moderator hid or restored your comment"))
REPORTED = register_kind("consultations.reported", _("Moderators: a comment has been reported"))
