"""The dashboard's layout: figures across the top, the pillars' cards, the latest notifications beside them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dashboard import register_panel
from tests.factories import MembershipFactory, NotificationFactory, OrganisationFactory


def _side_and_main(html: str) -> tuple[str, str]:
    main, _, side = html.partition('<div class="dashboard__side">')
    return main, side


def test_latest_notifications_sit_beside_the_cards_with_times_ago(alice, client_for):
    # given
    NotificationFactory(recipient=alice, subject="Your colleague joined",
                        created_at=timezone.now() - timedelta(minutes=3))
    # when
    html = client_for(alice).get(reverse("dashboard")).content.decode()
    # then
    main, side = _side_and_main(html)
    assert "Latest notifications" in side and "Latest notifications" not in main
    assert "Your organisation" in main and "AEO applications" in main
    assert "3 minutes ago" in side.replace("\xa0", " ")  # Django spaces numbers from their units unbroken


def test_panels_are_given_by_placement(alice, client_for):
    context = client_for(alice).get(reverse("dashboard")).context
    cards = [name for name, _ in context["card"]]
    side = [name for name, _ in context["side"]]
    assert cards[0] == "portal/panels/organisation.html"
    assert side == ["portal/panels/notifications.html"]
    assert not set(cards) & set(side)


def test_a_placement_must_be_one_the_dashboard_knows():
    with pytest.raises(ValueError, match="placement"):
        register_panel("somewhere.html", lambda request: {}, placement="footer")


def test_supervisors_figures_run_across_the_top(supervisor, client_for):
    html = client_for(supervisor).get(reverse("dashboard")).content.decode()
    main, _side = _side_and_main(html)
    figures, _, cards = main.partition('<div class="panels">')
    assert "Review queue: ageing and deadlines" in figures
    assert "Open consultations" in cards


def test_the_organisation_switcher_shows_long_names_whole(alice, client_for):
    long_name = "Companhia Transatlântica de Despachos Aduaneiros e Logística Integrada do Norte, SA"
    MembershipFactory(user=alice, organisation=OrganisationFactory(name=long_name))
    html = client_for(alice).get(reverse("dashboard")).content.decode()
    assert f">{long_name}</option>" in html
