"""No byte gives a server error: NUL and other control characters in any part of a request answer 400
with a message that says where, before any of it reaches the database."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import AuditEvent

BAD = ["\x00", "\x01", "\x1f", "\x7f"]
PARAMETER = re.compile(r"<(?:\w+:)?\w+>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _routes(resolvers=None, prefix="") -> list[tuple[str, int]]:
    """Every URL of the URLconf as a template with {} for each parameter, and its number of parameters."""
    found = []
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = PARAMETER.sub("{}", str(pattern._route))
        elif isinstance(pattern, RegexPattern):
            part = REGEX_GROUP.sub("{}", pattern.regex.pattern).lstrip("^").rstrip("$").replace("\\", "")
            if re.search(r"[()\[\]*+?|]", part):
                continue  # a regex we cannot write out as one address (the admin's app index)
        else:
            continue
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            found.append((prefix + part, (prefix + part).count("{}")))
    return found


ROUTES = sorted(set(_routes()))
WITH_PARAMETERS = [route for route, count in ROUTES if count]


def test_the_urlconf_walk_finds_the_parameters():
    assert len(WITH_PARAMETERS) > 50
    assert "aeo/verify/{}/" in WITH_PARAMETERS


@pytest.mark.django_db
@pytest.mark.parametrize("route", WITH_PARAMETERS)
def test_nul_in_every_url_parameter_is_400(route, client):
    count = route.count("{}")
    for position in range(count):
        values = ["1"] * count
        values[position] = "%00"
        response = client.get("/" + route.format(*values))
        assert response.status_code == 400, (route, position, response.status_code)


@pytest.mark.django_db
def test_nul_in_url_parameters_is_400_signed_in_too(alice, client_for):
    client = client_for(alice)
    for route in WITH_PARAMETERS:
        response = client.get("/" + route.format(*(["%00"] * route.count("{}"))))
        assert response.status_code == 400, route


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD)
def test_control_characters_in_query_strings_are_400(bad, client):
    for route in [r for r, count in ROUTES if not count][:80]:
        response = client.get("/" + route, {"search": f"x{bad}y", "page": "1"})
        assert response.status_code == 400, route
    page = client.get("/consultations/", {"search": "\x00"}).content.decode()
    assert "a character that is not allowed" in page and "the query parameter “search”" in page


@pytest.mark.django_db
def test_the_message_says_where(client):
    response = client.get("/aeo/verify/%00/")
    assert response.status_code == 400
    assert "in the address (path)" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_nul_in_a_form_field_is_400_and_nothing_is_written(alice, client_for):
    client = client_for(alice)
    before = AuditEvent.objects.count()
    response = client.post("/organisations/new/", {"name": "Bad\x00Name", "identifier": "PT1", "country": "PT"})
    assert response.status_code == 400
    assert "the form field “name”" in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_line_breaks_and_tabs_in_form_fields_are_fine(client):
    response = client.post("/accounts/login/", {"login": "a@example.com\t", "password": "line\r\nbreak"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_nul_in_a_login_form_or_cookie_is_400(client):
    assert client.post("/accounts/login/", {"login": "a\x00@example.com", "password": "x"}).status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {"name": "token\x00"}, {"na\x00me": "token"}, {"nested": [{"deep": ["\x00"]}]}, {"name": "\ud800"},
])
def test_nul_or_lone_surrogate_in_json_is_400(body, alice):
    client = Client()
    client.force_login(alice)
    raw = json.dumps(body)  # json.dumps writes \u0000 and \ud800 escapes, as an attacker would
    response = client.post("/api/v1/organisations/", raw, content_type="application/json")
    assert response.status_code == 400
    assert "the JSON body" in response.json()["detail"]


@pytest.mark.django_db
def test_broken_json_is_left_to_the_api(alice, client_for):
    response = client_for(alice).post("/api/v1/organisations/", "{not json", content_type="application/json")
    assert response.status_code in (400, 403, 405)


@pytest.mark.django_db
def test_nul_in_every_api_path_of_the_schema_is_400(alice, client_for):
    client = client_for(alice)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    checked = 0
    for path, operations in schema["paths"].items():
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            url = re.sub(r"\{[^}]+\}", "%00", path)
            # a NUL in the path, or else in the query or a form field: a route without parameters is checked too
            response = getattr(client, method)(url, None if method == "delete" else {"cursor": "\x00"})
            assert response.status_code == 400, (method, path, response.status_code)
            checked += 1
    assert checked > 10


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_any_text_in_a_search_is_never_a_server_error(value, client):
    for url in ("/consultations/", "/aeo/holders/", "/training/", "/api/v1/consultations/"):
        response = client.get(url, {"search": value, "name": value, "q": value})
        assert response.status_code < 500, (url, value)
    assert client.get("/aeo/verify/" + quote(value or "x", safe="") + "/").status_code < 500
