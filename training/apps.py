from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from portal.personal_data import register_personal_data
        from training.personal_data import training_personal_data

        register_personal_data("training", training_personal_data)  # the account page's data export
        from portal import dashboard
        from portal.models.audit import register_actions
        from portal.notification_kinds import register_kind
        from portal.work import register_sweep
        from training.selectors import dashboard_panel, organisation_panel
        from training.services import certificate_pdfs_render_due, certificates_issue_due

        register_kind("training.certificate", _("Your training certificates"))
        register_kind("training.reminder", _("Training reminders (expiring certificates, courses left unfinished)"))
        register_kind("training.advisory", _("Answers to your organisation's questions to a centre"))
        register_kind("training.advisory_queue", _("Questions waiting in your centre's queue (advisers)"))
        register_actions({
            "training.enrolled": _("Enrolled on a course"),
            "training.renewal_started": _("Started a course again to renew a certificate"),
            "training.lesson_completed": _("Lesson completed"),
            "training.quiz_started": _("Quiz attempt started"),
            "training.quiz_submitted": _("Quiz attempt submitted"),
            "training.certificate_issued": _("Training certificate issued"),
            "training.certificate_revoked": _("Training certificate revoked"),
            "training.question_asked": _("Question put to a centre"),
            "training.question_answered": _("Centre answered a question"),
        })
        dashboard.register_panel("training/panel.html", dashboard_panel, order=60)
        dashboard.register_organisation_panel("training/organisation_panel.html", organisation_panel, order=60)
        register_sweep("training.certificates", certificates_issue_due)
        register_sweep("training.certificate_pdfs", certificate_pdfs_render_due)
        from training import events

        events.register()  # which changes are webhook events
        from training import performance

        performance.register()
        dashboard.register_panel("training/performance_panel.html", performance.adviser_panel, order=65,
                                 placement="wide")
