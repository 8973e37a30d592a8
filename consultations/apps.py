from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from consultations.personal_data import consultations_personal_data, consultations_personal_data_erase
        from portal.personal_data import register_personal_data

        # the account page's data export
        register_personal_data("consultations", consultations_personal_data, erase=consultations_personal_data_erase)
        from consultations import kinds  # noqa: F401  (registers the notification kinds)
        from consultations.views import dashboard_panel
        from portal.dashboard import register_panel
        from portal.models.audit import register_actions

        register_panel("consultations/panel.html", dashboard_panel, order=40)
        register_actions(ACTIONS)
        from consultations import events

        events.register()  # which changes are webhook events
        from consultations import performance

        performance.register()


ACTIONS = {
    "consultation.created": _("Consultation drafted"),
    "consultation.updated": _("Consultation edited"),
    "consultation.published": _("Consultation published"),
    "consultation.opened": _("Consultation opened for comments"),
    "consultation.closed": _("Consultation closed"),
    "consultation.outcome_published": _("Outcome published"),
    "consultation.attachment_added": _("Document attached"),
    "consultation.attachment_removed": _("Document removed"),
    "comment.posted": _("Comment posted"),
    "comment.edited": _("Comment edited"),
    "comment.deleted": _("Comment removed by its author"),
    "comment.hidden": _("Comment hidden by a moderator"),
    "comment.restored": _("Comment restored by a moderator"),
    "comment.reported": _("Comment reported"),
    "comment.cosigned": _("Comment co-signed"),
    "official_response.posted": _("Official response"),
}
