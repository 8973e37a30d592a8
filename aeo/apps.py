from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AeoConfig(AppConfig):
    name = "aeo"
    verbose_name = _("Authorised Economic Operators")

    def ready(self) -> None:
        from aeo.personal_data import aeo_personal_data
        from portal.personal_data import register_personal_data

        register_personal_data("aeo", aeo_personal_data)  # the account page's data export
        from aeo import dashboard
        from aeo.services.authorisations import certificates_generate_due
        from aeo.services.decisions import decision_notices_render_due
        from aeo.services.review import applications_screen_due
        from portal.dashboard import register_organisation_panel, register_panel
        from portal.models.audit import register_actions
        from portal.notification_kinds import register_kind
        from portal.work import register_sweep

        register_kind("aeo.application", _("Your organisation's AEO applications"))
        register_kind("aeo.review", _("AEO cases to review (customs staff)"))
        register_kind("aeo.legal", _("Legal notices about your AEO applications and authorisations: requests with "
                                     "a deadline, the right to be heard, decisions and their reminders"),
                      optional_email=False,
                      why=_("They carry a legal deadline or a decision, so they are always e-mailed."))
        register_actions({
            "aeo.started": _("Application started"),
            "aeo.section_saved": _("Answers saved"),
            "aeo.evidence_added": _("Evidence uploaded"),
            "aeo.evidence_removed": _("Evidence removed"),
            "aeo.submit": _("Signed and submitted"),
            "aeo.return": _("Returned as not acceptable"),
            "aeo.accept": _("Accepted for examination"),
            "aeo.request_information": _("Information requested"),
            "aeo.respond": _("Information sent to customs"),
            "aeo.propose_grant": _("Grant proposed"),
            "aeo.propose_rejection": _("Rejection intended: right to be heard"),
            "aeo.hearing_reply": _("Reply to the grounds sent"),
            "aeo.reconsider": _("Reconsidered after the hearing"),
            "aeo.confirm_rejection": _("Rejection proposed"),
            "aeo.approve_grant": _("Granted"),
            "aeo.approve_rejection": _("Rejected"),
            "aeo.send_back": _("Proposal sent back for review"),
            "aeo.withdraw": _("Withdrawn"),
            "aeo.screened": _("Screened"),
            "aeo.assigned": _("Assigned"),
            "aeo.deadline_extended": _("Decision deadline extended"),
            "aeo.site_visit_scheduled": _("Site validation scheduled"),
            "aeo.site_visit_recorded": _("Site validation recorded"),
            "aeo.finding_recorded": _("Finding recorded"),
            "aeo.authorisation_created": _("Authorisation issued"),
            "aeo.consent_changed": _("Consent changed"),
            "aeo.change_notified": _("Change reported to customs"),
            "aeo.change_handled": _("Change notice handled"),
            "aeo.suspended": _("Authorisation suspended"),
            "aeo.suspension_lifted": _("Suspension lifted"),
            "aeo.revoked": _("Authorisation revoked"),
            "aeo.replaced": _("Authorisation replaced after re-assessment"),
            "aeo.reassessment_started": _("Re-assessment started by customs"),
            "aeo.decision_notice_issued": _("Decision notice issued"),
            "aeo.review_planned": _("Visit by customs planned"),
            "aeo.review_recorded": _("Monitoring review recorded"),
            "aeo.risk_model_published": _("Risk weights published"),
        })
        register_panel("aeo/panel.html", dashboard.aeo_panel, order=10)
        register_sweep("aeo.screening", applications_screen_due)
        register_sweep("aeo.certificates", certificates_generate_due)
        register_sweep("aeo.decision_notices", decision_notices_render_due)
        from aeo import events

        events.register()  # which changes are webhook events
        register_organisation_panel("aeo/organisation_panel.html", dashboard.aeo_organisation_panel, order=10)
        from aeo import performance

        performance.register()
        register_panel("aeo/performance_panel.html", performance.supervisor_panel, order=15, placement="wide")
