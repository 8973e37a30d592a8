"""The dashboard and the organisation page are made of panels that each app contributes in its
AppConfig.ready().

The core never imports a pillar: a pillar registers a template and a function that gives its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.models import Membership
from portal.types import AuthenticatedHttpRequest

# Where a panel sits: among the cards (two by two), across the cards' width above them (tables of figures),
# or in the narrow column beside them (a running list, such as the latest notifications).
PLACEMENTS = ("card", "wide", "side")


@dataclass(frozen=True)
class Panel:
    template_name: str
    get_context: Callable[..., dict[str, Any] | None]  # (request) or (request, membership); None: nothing to show
    order: int
    placement: str = "card"  # one of PLACEMENTS


PANELS: dict[str, Panel] = {}


def register_panel(template_name: str, get_context: Callable[[AuthenticatedHttpRequest], dict[str, Any] | None],
                   *, order: int = 50, placement: str = "card") -> None:
    if placement not in PLACEMENTS:
        raise ValueError(f"placement must be one of {PLACEMENTS}, not {placement!r}")
    PANELS[template_name] = Panel(template_name, get_context, order, placement)


ORGANISATION_PANELS: dict[str, Panel] = {}


def register_organisation_panel(template_name: str, get_context: Callable[..., dict[str, Any] | None],
                                *, order: int = 50) -> None:
    """A section of the organisation page; `get_context(request, membership)` gives its context or None."""
    ORGANISATION_PANELS[template_name] = Panel(template_name, get_context, order)


def organisation_panels_for(request: AuthenticatedHttpRequest,
                            membership: Membership) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for panel in sorted(ORGANISATION_PANELS.values(), key=lambda p: p.order):
        context = panel.get_context(request, membership)
        if context is not None:
            shown.append((panel.template_name, context))
    return shown


def panels_for(request: AuthenticatedHttpRequest, *, placement: str = "card") -> list[tuple[str, dict[str, Any]]]:
    """The dashboard's panels in one placement that have something to show, in their order."""
    shown = []
    for panel in sorted((p for p in PANELS.values() if p.placement == placement), key=lambda p: p.order):
        context = panel.get_context(request)
        if context is not None:
            shown.append((panel.template_name, context))
    return shown


def organisation_panel(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    membership = request.membership
    return {"membership": membership,
            "missing": membership.organisation.missing_profile_fields() if membership else []}


def notifications_panel(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    from portal.selectors import notifications_recent

    return {"notifications": notifications_recent(request.user, limit=5)}
