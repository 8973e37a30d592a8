"""One rule for the client's address (TRUSTED_PROXY_COUNT): a forged X-Forwarded-For changes nothing
unless proxies are configured, and then only the entries they wrote count."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.api.throttles import AnonThrottle
from portal.middleware import client_ip
from portal.models import AuditEvent


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(("count", "forwarded", "expected"), [
    (0, None, "203.0.113.9"),
    (0, "198.51.100.1", "203.0.113.9"),  # no proxy: the header is the client's own invention
    (1, None, "203.0.113.9"),
    (1, "198.51.100.1", "198.51.100.1"),  # our load balancer wrote the last entry
    (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote the first one
    (2, "6.6.6.6, 198.51.100.1, 10.0.0.5", "198.51.100.1"),
    (2, "198.51.100.1", "198.51.100.1"),  # fewer entries than proxies: the leftmost, never a 500
    (1, "not-an-address", None),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_client_address_follows_the_proxy_count(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded=forwarded)) == expected


@pytest.mark.django_db
def test_api_throttle_ignores_a_forged_forwarded_for(client, monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    url = "/api/v1/aeo/verify/unknown-code/"
    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)]
    assert statuses[:3] != [429] * 3 and statuses[3:] == [429, 429]


@pytest.mark.django_db
def test_api_throttle_tells_clients_apart_behind_a_proxy(client, monkeypatch, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = "/api/v1/aeo/verify/unknown-code/"
    first = [client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1").status_code for _ in range(3)]
    other = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
    forged = client.get(url, HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.1").status_code
    assert first[2] == 429 and other != 429 and forged == 429


@pytest.mark.django_db
@pytest.mark.parametrize(("count", "expected"), [(0, "127.0.0.1"), (1, "198.51.100.7")])
def test_audit_trail_records_the_same_address(alice, atlantic, client_for, settings, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    client = client_for(alice)
    client.post(reverse("invitation_create", args=[atlantic.pk]),
                {"email": "new@atlantic.example", "role": "member"},
                HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert AuditEvent.objects.filter(action="invitation.created").get().ip_address == expected
