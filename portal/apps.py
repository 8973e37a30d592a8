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

        m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid="portal.staff_groups")

        dashboard.register_panel("portal/panels/organisation.html", dashboard.organisation_panel, order=0)
        dashboard.register_panel("portal/panels/notifications.html", dashboard.notifications_panel, order=90)
