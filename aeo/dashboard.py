from __future__ import annotations

from portal.models import Membership
from portal.types import AuthenticatedHttpRequest


def aeo_panel(request: AuthenticatedHttpRequest) -> dict | None:
    """The current organisation's AEO applications, for operators."""
    membership = request.membership
    if membership is None or membership.organisation.kind != "operator":
        return None
    from aeo.models import Application

    return {"applications": list(Application.objects.filter(organisation_id=membership.organisation_id)
                                 .order_by("-created_at")[:5])}


def aeo_organisation_panel(request: AuthenticatedHttpRequest, membership: Membership) -> dict | None:
    """On an operator's page: its applications, and where to start one."""
    from aeo.forms import StartForm
    from aeo.models import Application

    if membership.organisation.kind != "operator":
        return None
    return {"membership": membership, "start_form": StartForm(),
            "applications": list(Application.objects.filter(organisation_id=membership.organisation_id)),
            "missing": membership.organisation.missing_profile_fields()}
