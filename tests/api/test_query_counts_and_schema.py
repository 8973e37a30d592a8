"""API lists cost the same number of queries for 5 items as for 500, and the schema is valid OpenAPI."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aeo.models import Application, Authorisation, Hearing, InformationRequest
from portal.models import WebhookDelivery, WebhookEndpoint


def _applications(organisation, user, questionnaire, n: int) -> None:
    # Closed ones: an organisation has one open application per type.
    apps = Application.objects.bulk_create([
        Application(organisation=organisation, kind="AEOC", questionnaire=questionnaire, created_by=user,
                    state="withdrawn") for _ in range(n)])
    InformationRequest.objects.bulk_create([InformationRequest(application=a, questions="?", due_date="2030-01-01",
                                                               requested_by=user) for a in apps])
    Hearing.objects.bulk_create([Hearing(application=a, grounds="?", due_date="2030-01-01", opened_by=user)
                                 for a in apps])
    Authorisation.objects.bulk_create([
        Authorisation(application=a, organisation=organisation, kind="AEOC", number=f"PTAEOC{a.pk:06d}",
                      valid_from=timezone.localdate(), granted_by=user) for a in apps])


def _deliveries(endpoint, n: int) -> None:
    WebhookDelivery.objects.bulk_create([WebhookDelivery(endpoint=endpoint, kind="webhook.test", payload={})
                                         for _ in range(n)])


def _count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/aeo/applications/", "/api/v1/aeo/authorisations/",
                                 "/api/v1/webhooks/", "/api/v1/webhooks/{endpoint}/deliveries/"])
def test_list_endpoints_cost_the_same_for_5_and_500_items(alice, atlantic, api_for, questionnaire, url,
                                                          django_assert_num_queries):
    endpoint = WebhookEndpoint.objects.create(organisation=atlantic, url="https://erp.example.com/",
                                              event_kinds=["webhook.test"], created_by=alice)
    WebhookEndpoint.objects.bulk_create([WebhookEndpoint(organisation=atlantic, url=f"https://erp.example.com/{i}",
                                                         event_kinds=["webhook.test"], created_by=alice)
                                         for i in range(4)])
    _applications(atlantic, alice, questionnaire, 5)
    _deliveries(endpoint, 5)
    api = api_for(alice)
    url = url.format(endpoint=endpoint.pk)
    api.get("/api/v1/me/")  # the token's first use is recorded once
    small = _count(api, url)
    # 500 of each (endpoints are capped at WEBHOOK_MAX_ENDPOINTS per organisation, so 5 there)
    _applications(atlantic, alice, questionnaire, 495)
    _deliveries(endpoint, 495)
    # Queries, whatever the size: the token (and its last use, at most once a minute), the memberships,
    # the page of rows, and one per prefetched relation (hearings, information requests) for applications,
    # or the list of partners for authorisations.
    with django_assert_num_queries(small):
        assert api.get(url).status_code == 200
    assert small <= 7, small


def test_the_openapi_schema_is_valid_and_has_no_warnings(db, tmp_path):
    # drf-spectacular's own validation (openapi-spec-validator), failing on any warning, as in CI
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ["/api/v1/aeo/applications/{id}/submit/", "/api/v1/aeo/applications/{id}/sections/{code}/",
                 "/api/v1/aeo/applications/{id}/evidence/", "/api/v1/aeo/mra/lookup/", "/api/v1/aeo/mra/changes/",
                 "/api/v1/webhooks/{id}/deliveries/", "/api/v1/aeo/authorisations/{id}/consent/"]:
        assert f"{path}:" in schema, path


def test_every_operation_documents_its_errors_with_an_example(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    for path, method, operation in operations:
        responses = operation["responses"]
        expected = {"429"} | ({"404"} if "{" in path else set()) | ({"400"} if method in ("post", "put") else set())
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            content = responses[code]["content"]["application/json"]
            assert content["examples"], (method, path, code)
    # the two error shapes, named once
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail"}
    assert "detail" in schema["components"]["schemas"]["ValidationError"]["properties"]
    # the writes a trader's software makes first come with an example body
    submit = schema["paths"]["/api/v1/aeo/applications/{id}/submit/"]["post"]["requestBody"]["content"]
    assert submit["application/json"]["examples"]
