from __future__ import annotations

from django.http import HttpRequest


def aeo_panel(request: HttpRequest) -> dict | None:
    """The current organisation's AEO applications, for operators."""
    membership = request.membership
    if membership is None or membership.organisation.kind != "operator":
        return None
    from aeo.models import Application

    return {"applications": list(Application.objects.filter(organisation_id=membership.organisation_id)
                                 .order_by("-created_at")[:5])}
