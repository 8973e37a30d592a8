"""Who sees what: the public figures name no trader; the staff view is for programme administrators and
AEO supervisors; staff tables are a 404 for everyone else; the API is in the schema."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.models import Organisation
from portal.performance.registry import tables
from tests.performance.conftest import PERIOD


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=io.StringIO())


def test_public_figures_never_name_a_trader(client, demo):
    # given the demo with its year and a half of history
    names = [(o.name, o.identifier) for o in Organisation.objects.all()]
    assert len(names) > 50
    # when a visitor reads the page, every table's CSV and JSON, and the API
    texts = [client.get("/performance/").content.decode()]
    for table in tables(staff=False):
        for fmt in ("csv", "json"):
            response = client.get(f"/performance/tables/{table.slug}.{fmt}")
            assert response.status_code == 200
            texts.append(response.content.decode())
        texts.append(client.get(f"/api/v1/performance/{table.slug}/").content.decode())
    texts.append(client.get("/api/v1/performance/").content.decode())
    # then no organisation's name or identifier appears anywhere
    public = "\n".join(texts)
    assert "Figures as of" in texts[0]
    for name, identifier in names:
        assert name not in public, name
        assert identifier not in public, identifier


def test_the_staff_view_is_for_programme_administrators_and_supervisors(client_for, programme_admin, supervisor,
                                                                         reviewer, alice, staff_without_mfa, client):
    for user in (programme_admin, supervisor):
        assert client_for(user).get("/performance/staff/").status_code == 200
    for user in (alice, reviewer, staff_without_mfa):
        assert client_for(user).get("/performance/staff/").status_code == 403
    assert client.get("/performance/staff/").status_code == 302  # to the sign-in page


def test_staff_tables_are_a_404_for_everyone_else(client_for, client, alice, supervisor, aeo_history):
    for who in (client, client_for(alice)):
        assert who.get("/performance/tables/aeo-oldest.csv").status_code == 404
        assert who.get("/api/v1/performance/aeo-oldest/").status_code == 404
        assert "aeo-oldest" not in who.get("/api/v1/performance/").content.decode()
    staff = client_for(supervisor)
    oldest = staff.get("/api/v1/performance/aeo-oldest/").json()["rows"]
    assert [r["organisation"] for r in oldest] == ["Bravo Electronique SARL", "Charlie Maquinaria SL"]


def test_staff_filters_by_aeo_type_country_and_sector(client_for, supervisor, client, snapshots):
    staff = client_for(supervisor)
    rows = staff.get("/api/v1/performance/aeo-applications/", {**PERIOD, "aeo_type": "AEOS"}).json()["rows"]
    assert rows[-1]["received"] == 3 and rows[-1]["granted"] == 1  # apps 2 (twice) and 7
    rows = staff.get("/api/v1/performance/aeo-applications/", {**PERIOD, "country": "ES"}).json()["rows"]
    assert rows[-1]["received"] == 3 and rows[-1]["withdrawn"] == 1  # apps 3, 6 and 7
    # the public ignores filters: the same figures for everyone
    public = client.get("/api/v1/performance/aeo-applications/", {**PERIOD, "country": "ES"}).json()
    assert public["rows"][-1]["received"] == 7 and public["filters"] == {}


def test_a_bad_period_is_a_400_that_says_what_to_fix(client, db):
    response = client.get("/api/v1/performance/aeo-applications/", {"period": "custom", "start": "2026-05-01",
                                                                       "end": "2026-04-01"})
    assert response.status_code == 400
    assert "on or after the first day" in response.content.decode()
    page = client.get("/performance/", {"period": "custom", "start": "2026-05-01"})
    assert page.status_code == 200 and "Enter the last day" in page.content.decode()


def test_the_api_is_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/performance/" in schema and "/api/v1/performance/{slug}/" in schema
