"""The API: token and session auth, scoped lists, cursor pagination, the schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.services.tokens import api_token_create, api_token_revoke
from tests.factories import NotificationFactory


@pytest.fixture
def api_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        _token, key = api_token_create(actor=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


def test_anonymous_is_refused(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_me_with_a_personal_token(alice, atlantic, api_for):
    response = api_for(alice).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@atlantic.example"
    assert response.json()["memberships"] == [
        {"organisation": atlantic.pk, "organisation_name": "Atlantic Freight", "role": "admin"}
    ]


def test_revoked_token_no_longer_works(alice, db):
    token, key = api_token_create(actor=alice, name="old")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/me/").status_code == 200
    api_token_revoke(actor=alice, token=token)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "not valid or has been revoked" in response.json()["detail"]


def test_session_auth_works_too(alice, client_for):
    assert client_for(alice).get("/api/v1/me/").status_code == 200


def test_organisations_are_scoped(alice, mallory, atlantic, other_company, api_for):
    response = api_for(alice).get("/api/v1/organisations/")
    assert [o["id"] for o in response.json()["results"]] == [atlantic.pk]
    assert response.json()["results"][0]["my_role"] == "admin"
    assert api_for(alice).get(f"/api/v1/organisations/{other_company.pk}/").status_code == 404
    assert api_for(alice).get(f"/api/v1/organisations/{other_company.pk}/members/").status_code == 404


def test_members_of_own_organisation(alice, bob, carol, atlantic, api_for):
    response = api_for(bob).get(f"/api/v1/organisations/{atlantic.pk}/members/")
    assert response.status_code == 200
    assert {m["user"]["email"] for m in response.json()["results"]} == {
        "alice@atlantic.example", "bob@atlantic.example", "carol@advisers.example"
    }


def test_notifications_are_own_only_and_cursor_paginated(alice, mallory, api_for):
    for _ in range(3):
        NotificationFactory(recipient=alice)
    theirs = NotificationFactory(recipient=mallory)
    client = api_for(alice)
    first = client.get("/api/v1/notifications/?page_size=2").json()
    assert len(first["results"]) == 2
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404


def test_mark_a_notification_read(alice, api_for):
    notification = NotificationFactory(recipient=alice)
    client = api_for(alice)
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read"] is True
    unread = client.get("/api/v1/notifications/?read_at__isnull=true").json()["results"]
    assert unread == []


def test_malformed_authorization_header_is_a_clear_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "one space" in response.json()["detail"]


def test_schema_lists_the_core_endpoints(client, db):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/me/", "/api/v1/organisations/", "/api/v1/organisations/{id}/members/",
                 "/api/v1/notifications/", "/api/v1/notifications/{id}/read/"):
        assert path in paths
    assert "personalToken" in response.json()["components"]["securitySchemes"]


def test_docs_come_from_our_own_static_files(client, db):
    page = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page.replace(" ", "")  # no inline script (CSP)
