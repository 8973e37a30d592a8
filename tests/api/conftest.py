"""API clients for the fixed cast, each with a personal token (as a trader's software would call)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from portal.services.tokens import api_token_create


@pytest.fixture
def api_for(db):
    """`api_for(user)`: an API client carrying a fresh personal token of that user."""

    def make(user) -> APIClient:
        client = APIClient()
        _token, key = api_token_create(actor=user, name="ERP")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


# The AEO fixtures (questionnaire, draft, complete_draft) are shared with tests/aeo/.
from tests.aeo.conftest import complete_draft, draft, questionnaire  # noqa: E402, F401


@pytest.fixture
def receiver():
    """A webhook receiver on loopback; loopback and plain http are allowed for the test's sake."""
    from tests.api.receiver import Receiver

    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def loopback_webhooks(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_RETRY_SECONDS = 30
    return settings
