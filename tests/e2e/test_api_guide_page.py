"""The API guide in a real browser: readable by anyone, axe-core finds nothing serious, its links work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_api_guide_reads_well_and_links_to_the_schema_and_docs(journey):
    page = journey.page
    page.goto("/api/guide/")
    journey.check("api-guide")
    expect(page.get_by_role("heading", level=1)).to_have_text("API guide")
    expect(page.get_by_role("table", name="Kinds of event")).to_contain_text("application.state_changed")
    page.locator("#main").get_by_role("link", name="API documentation").click()
    # Swagger UI draws the operations from the schema once it has fetched it
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    journey.check("api-docs")
    expect(page.get_by_role("link", name="Read the API guide first", exact=False)).to_be_visible()
