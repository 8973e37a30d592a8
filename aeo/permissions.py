"""Who may do what with AEO applications (trader side). Views call these on their first line.

Any member of the applicant (admin, member, consultant) sees and prepares its applications; only its
administrators sign, submit, withdraw and reply to the grounds of an intended rejection. Everyone
else gets a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aeo.models import Application
from aeo.selectors import get_application
from portal.models import Membership, Role


def get_application_for_member(user, pk: int) -> Application:
    return get_application(user, pk)


def is_signatory(user, application: Application) -> bool:
    return Membership.objects.filter(user=user, organisation_id=application.organisation_id, role=Role.ADMIN).exists()


def get_application_for_signatory(user, pk: int) -> Application:
    application = get_application(user, pk)
    if not is_signatory(user, application):
        raise PermissionDenied(_("Only an administrator of %(name)s can do this. Consultants and members "
                                 "prepare the application; an administrator signs.")
                               % {"name": application.organisation.name})
    return application
