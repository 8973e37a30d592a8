from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from portal import dashboard
        from portal.models import User
        from portal.roles import forget_staff_groups

        def groups_changed(sender, instance, **kwargs) -> None:
            if isinstance(instance, User):
                forget_staff_groups(instance)

        m2m_changed.connect(groups_changed, sender=User.groups.through, weak=False, dispatch_uid="portal.staff_groups")

        # Webhooks: every new audit event is looked up, once, in the apps' list of webhook events; the
        # deliveries are written in the change's transaction (portal.services.webhooks).
        from django.db.models.signals import post_save

        from portal.models import AuditEvent
        from portal.services.webhooks import deliveries_record, deliveries_sweep
        from portal.work import register_sweep

        def audit_event_written(sender, instance, created, raw=False, **kwargs) -> None:
            if created and not raw:
                deliveries_record(instance)

        post_save.connect(audit_event_written, sender=AuditEvent, weak=False, dispatch_uid="portal.webhooks")
        register_sweep("portal.webhooks", deliveries_sweep)

        from portal.public_cache import connect_model_versions

        connect_model_versions()

        dashboard.register_panel("portal/panels/organisation.html", dashboard.organisation_panel, order=0)
        dashboard.register_panel("portal/panels/notifications.html", dashboard.notifications_panel, order=90,
                                 placement="side")
