"""The API guide: public, names every kind of webhook event, and its signature code verifies what the portal
signs (the code is run as the page shows it)."""

from __future__ import annotations

import html
import re
import time

import pytest

from portal.services import webhooks


def _verify_from_the_page(client):
    page = client.get("/api/guide/")
    assert page.status_code == 200
    text = page.content.decode()
    code = html.unescape(re.search(r'<code id="verify-signature">(.*?)</code>', text, re.S).group(1))
    namespace: dict = {}
    exec(compile(code, "api_guide", "exec"), namespace)  # the reader's copy, as printed
    return text, namespace["verify"]


@pytest.mark.django_db
def test_the_guide_is_public_and_lists_every_event_kind(client):
    text, _verify = _verify_from_the_page(client)
    for kind in webhooks.EVENT_KINDS:
        assert f"<code>{kind}</code>" in text, kind
    for section in ("Authentication", "Pagination and filters", "Errors", "Webhooks"):
        assert f">{section}</h2>" in text


@pytest.mark.django_db
def test_the_guides_code_verifies_the_portals_signature_and_refuses_the_rest(client):
    _text, verify = _verify_from_the_page(client)
    secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZg=="  # the form of an endpoint's secret
    body, now = b'{"id": "e1", "kind": "webhook.test"}', int(time.time())
    headers = {"webhook-id": "e1", "webhook-timestamp": str(now),
               "webhook-signature": webhooks.signature(secret, "e1", now, body)}
    assert verify(secret, headers, body) == {"id": "e1", "kind": "webhook.test"}
    with pytest.raises(ValueError, match="no valid signature"):
        verify(secret, headers, body.replace(b"test", b"tent"))
    old = now - 600
    with pytest.raises(ValueError, match="replay window"):
        verify(secret, {**headers, "webhook-timestamp": str(old),
                        "webhook-signature": webhooks.signature(secret, "e1", old, body)}, body)
