"""Settings fail loudly on bad values; production values pass the deploy check; /healthz tells the truth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from portal.celery import app as celery_app
from portal.models import AuditEvent, Organisation
from portal.services.audit import audit_record

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "kT9#pL2@vX8!qR4$wZ6%nB1^mC3&hF5*jD7(sG0)aE" * 2,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is required"),
        ({"UPLOAD_MAX_BYTES": "ten megabytes"}, "UPLOAD_MAX_BYTES must be a whole number"),
        ({"NOTIFICATION_MAX_ATTEMPTS": "0"}, "NOTIFICATION_MAX_ATTEMPTS must be at least 1"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS is required"),
    ],
)
def test_bad_settings_stop_the_process_with_the_variable_name(env, message):
    result = _manage("check", **{**PRODUCTION, **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_default_needs_no_services():
    result = _manage("shell", "-c", "from django.conf import settings as s; "
                     "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])",
                     DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["django.db.backends.sqlite3", "filesystem://",
                                     "django.core.cache.backends.filebased.FileBasedCache"]


def test_every_page_has_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_healthz_reports_each_component(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_says_when_the_broker_is_down(client, db):
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    celery_app._pool = None
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url = saved
        celery_app._pool = None
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_audit_events_are_append_only(alice, atlantic):
    event = audit_record(actor=alice, action="organisation.updated", target=atlantic, organisation=atlantic)
    assert event.action_label == "Profile updated"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "organisation.updated"


def test_audit_admin_is_read_only(alice, atlantic, programme_admin, client_for):
    event = audit_record(actor=alice, action="organisation.updated", target=atlantic, organisation=atlantic)
    client = client_for(programme_admin)
    assert client.get(reverse("admin:portal_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:portal_auditevent_change", args=[event.pk])).content.decode()
    assert 'type="submit" value="Save"' not in page
    assert client.post(reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=atlantic.pk).exists()
