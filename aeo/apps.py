from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AeoConfig(AppConfig):
    name = "aeo"
    verbose_name = _("Authorised Economic Operators")
