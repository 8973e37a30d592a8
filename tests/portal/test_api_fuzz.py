"""The whole API, fuzzed from its own OpenAPI schema (schemathesis, with NUL bytes allowed in every string):
no input gives a server error, signed in or not. Bounded: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from portal.services.tokens import api_token_create

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
EXAMPLES = 8


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI app closes database connections when a request ends; the test client stops that so
    # that requests run inside the test's transaction, and so does this.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(alice) -> dict[str, str]:
    _token, key = api_token_create(actor=alice, name="Fuzzing")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_input_gives_a_server_error(case, bearer):
    for headers in (bearer, {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.formatted_path, response.status_code,
                                            response.text[:500])
