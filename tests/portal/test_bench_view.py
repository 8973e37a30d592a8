"""The benchmark's bare view exists only under the benchmark's settings, never in the portal's URLs."""

from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_bare_view_is_absent_from_the_portal(client):
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_bare_view_answers_under_the_benchmark_urls(client):
    # given the benchmark's URLconf (bench/settings.py), the same middleware serves the bare view
    response = client.get("/bench/bare/")
    assert response.status_code == 200 and response.content == b"bare"
    # and every page of the portal is still there
    assert client.get("/consultations/").status_code == 200
