"""Pages of the consultations. Each view's first line finds the object through the selectors (404
outside the user's scope); every write goes through a service."""

from consultations.views.discussion import (
    comment_cosign,
    comment_delete,
    comment_edit,
    comment_history,
    comment_post,
    comment_report,
    comment_support,
    detail,
    follow,
    official_response,
)
from consultations.views.listing import (
    attachment_add,
    attachment_download,
    attachment_remove,
    consultation_close,
    consultation_create,
    consultation_edit,
    consultation_publish,
    dashboard_panel,
    index,
    position_paper_download,
)
from consultations.views.outcome import export, outcome_publish, report

__all__ = [
    "attachment_add", "attachment_download", "attachment_remove", "comment_cosign", "comment_delete", "comment_edit",
    "comment_history", "comment_post", "comment_report", "comment_support", "consultation_close",
    "consultation_create", "consultation_edit", "consultation_publish", "dashboard_panel", "detail", "export",
    "follow", "index", "official_response", "outcome_publish", "position_paper_download", "report",
]
