"""The commands a production install runs: the release step, the first staff login; and no demo data there."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from portal.models import Organisation, User
from portal.roles import StaffGroup, in_group

GOOD_PASSWORD = "correct horse battery staple 2026"


def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match=r"runs only with DJANGO_DEBUG=true.*--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_create_staff_makes_a_programme_administrator_who_must_set_up_mfa(db, monkeypatch, client):
    monkeypatch.setenv("STAFF_PASSWORD", GOOD_PASSWORD)
    out = io.StringIO()
    call_command("create_staff", "Chief@Customs.example", "--name", "Marta Reis", "--no-input", stdout=out)

    user = User.objects.get(email="chief@customs.example")
    assert user.is_staff and not user.is_superuser and user.check_password(GOOD_PASSWORD)
    assert in_group(user, StaffGroup.PROGRAMME_ADMINISTRATOR)
    assert EmailAddress.objects.get(user=user).verified
    assert "Two-factor authentication is required" in out.getvalue()
    # the back office sends them to set up a second factor first
    client.force_login(user)
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")


def test_create_staff_adds_roles_to_an_existing_login_without_touching_its_password(reviewer):
    reviewer.set_password(GOOD_PASSWORD)
    reviewer.save()
    call_command("create_staff", reviewer.email, "--role", StaffGroup.AEO_SUPERVISOR.value, "--no-input",
                 stdout=io.StringIO())
    reviewer.refresh_from_db()
    assert in_group(reviewer, StaffGroup.AEO_SUPERVISOR) and in_group(reviewer, StaffGroup.AEO_REVIEWER)
    assert reviewer.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(("password", "message"), [("", "Set STAFF_PASSWORD"), ("short", "too short")])
def test_create_staff_refuses_a_missing_or_weak_password(db, monkeypatch, password, message):
    monkeypatch.setenv("STAFF_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_staff", "chief@customs.example", "--no-input", stdout=io.StringIO())
    assert not User.objects.exists()


def test_release_migrates_and_collects_static_files(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()
    # The deploy check needs HTTPS settings that tests do not have; test_settings_and_health runs it.
    call_command("release", "--skip-checks-deploy", verbosity=0, stdout=out)
    assert (tmp_path / "static" / "admin").is_dir()
    assert "Release done" in out.getvalue()
