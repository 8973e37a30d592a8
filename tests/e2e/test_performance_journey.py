"""A visitor reads the public performance figures, a supervisor the staff view and recomputes a day;
axe-core audits every page, and each is screenshotted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.performance.snapshots import snapshots_backfill
from portal.roles import StaffGroup
from tests.e2e.test_aeo_review_journey import _sign_in, _staff
from tests.performance.conftest import aeo_history, traders  # noqa: F401  (fixtures)

pytestmark = pytest.mark.e2e


def test_performance_pages(journey, aeo_history):  # noqa: F811
    from datetime import date

    snapshots_backfill(date(2026, 1, 1), date(2026, 9, 30))
    page = journey.page
    page.goto("/performance/?period=custom&start=2026-01-01&end=2026-09-30")
    journey.check("public")
    expect(page.get_by_role("heading", name="How the programmes perform")).to_be_visible()
    chart = page.locator("svg#chart-aeo-decision-days")
    expect(chart).to_have_attribute("role", "img")
    assert "Days from acceptance to decision" in chart.locator("title").first.text_content()
    expect(page.get_by_role("table", name="How long customs takes")).to_contain_text("17.0")

    supervisor = _staff("supervisor@customs.example", StaffGroup.AEO_SUPERVISOR)
    _sign_in(journey, supervisor, code=True)
    page.wait_for_url("**/admin/")
    journey.check("back-office")
    page.goto("/performance/staff/?period=custom&start=2026-01-01&end=2026-09-30")
    journey.check("staff")
    expect(page.get_by_role("table", name="The oldest open cases")).to_be_visible()
    page.get_by_label("Day to compute again").fill("2026-09-30")
    page.get_by_role("button", name="Compute again").click()
    journey.check("recomputed")
    expect(page.get_by_text("were computed again")).to_be_visible()
    page.goto("/dashboard/")
    journey.check("supervisor-dashboard")
    expect(page.get_by_role("heading", name="Review queue: ageing and deadlines")).to_be_visible()
