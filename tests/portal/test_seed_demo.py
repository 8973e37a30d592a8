from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in ("portal", "aeo", "consultations", "training")}


@pytest.mark.django_db
def test_seed_demo_gives_every_persona_and_adds_nothing_the_second_time(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    first = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    assert _counts() == first
    assert first["portal.User"] >= 11 and first["aeo.Application"] >= 9 and first["aeo.Authorisation"] >= 2
