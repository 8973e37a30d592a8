"""Every write to consultations: each validates, changes state, records an audit event and notifies,
all in one transaction (the notifications are the outbox).

Views, API, admin and tasks import from here; the work is split by subject into the modules below.
"""

from consultations.services.digests import digests_send, official_responders, unanswered_remind
from consultations.services.discussion import (
    comment_cosign,
    comment_delete,
    comment_edit,
    comment_hide,
    comment_post,
    comment_report,
    comment_restore,
    comment_support_toggle,
    follow_remove,
    follow_set,
    moderators,
    official_response_post,
    reports_dismiss,
)
from consultations.services.lifecycle import (
    CLOSING_REMINDER,
    EDIT_WINDOW,
    UNANSWERED_REMINDER_AFTER,
    attachment_add,
    attachment_remove,
    consultation_close,
    consultation_close_record,
    consultation_create,
    consultation_publish,
    consultation_update,
    consultations_close_due,
    consultations_open_due,
    consultations_remind_closing,
    outcome_publish,
)

__all__ = [
    "CLOSING_REMINDER", "EDIT_WINDOW", "UNANSWERED_REMINDER_AFTER", "attachment_add", "attachment_remove",
    "comment_cosign", "comment_delete", "comment_edit", "comment_hide", "comment_post", "comment_report",
    "comment_restore", "comment_support_toggle", "consultation_close", "consultation_close_record",
    "consultation_create", "consultation_publish", "consultation_update", "consultations_close_due",
    "consultations_open_due", "consultations_remind_closing", "digests_send", "follow_remove", "follow_set",
    "moderators", "official_responders", "official_response_post", "outcome_publish", "reports_dismiss",
    "unanswered_remind",
]
