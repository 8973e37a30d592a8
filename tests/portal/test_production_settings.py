"""Production settings refuse to start half-configured, and choose storage and connections by the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.portal.test_settings_and_health import PRODUCTION, ROOT, _manage

SHOW = ("import json; from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({'private': s.STORAGES['private'], 'conn_max_age': d.get('CONN_MAX_AGE'), "
        "'pool': d.get('OPTIONS', {}).get('pool')}))")


def _settings(**env: str) -> dict:
    result = _manage("shell", "-c", SHOW, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_each_required_variable_missing_stops_start_up_with_its_name(variable):
    environment = {k: v for k, v in PRODUCTION.items() if k != variable}
    result = _manage("check", **environment)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} is required when DJANGO_DEBUG is off: set it to" in result.stderr


def test_debug_alone_still_runs_on_the_embedded_default():
    result = _manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_a_bucket_name_moves_private_files_to_s3():
    private = _settings(PRIVATE_STORAGE_BUCKET="portal-files", PRIVATE_STORAGE_ENDPOINT_URL="https://s3.example.org",
                        PRIVATE_STORAGE_REGION="eu-west-1")["private"]
    assert private["BACKEND"] == "portal.storage.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "portal-files"
    assert private["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert private["OPTIONS"]["default_acl"] is None


def test_without_a_bucket_private_files_stay_in_the_local_folder():
    assert _settings()["private"]["BACKEND"] == "portal.storage.PrivateFileSystemStorage"


def test_web_processes_pool_connections_and_others_keep_one():
    pooled = _settings(DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="8")
    assert pooled["conn_max_age"] == 0  # Django refuses a pool with persistent connections
    assert pooled["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    worker = _settings()
    assert worker["pool"] is None
    assert worker["conn_max_age"] == 60


def test_runserver_keeps_no_connection_per_thread():
    # runserver serves each request on a new thread: a kept connection per thread would exhaust PostgreSQL.
    code = ("import sys; sys.argv = ['manage.py', 'runserver']; import django; django.setup(); "
            "from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool'))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**clean, **PRODUCTION, "DATABASE_POOL": "true",
                                 "DJANGO_SETTINGS_MODULE": "portal.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "None"]
