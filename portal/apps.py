from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import dashboard

        dashboard.register_panel("portal/panels/organisation.html", dashboard.organisation_panel, order=0)
        dashboard.register_panel("portal/panels/notifications.html", dashboard.notifications_panel, order=90)
