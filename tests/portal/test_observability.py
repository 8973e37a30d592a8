"""Request ids in responses, JSON log lines and Celery tasks; metrics behind a token; Sentry only with a DSN."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.urls import reverse
from django_guid import get_guid, set_guid

from portal.observability import JsonFormatter
from tests.portal.test_settings_and_health import PRODUCTION, _manage


def test_every_response_carries_a_request_id(client, db):
    made = client.get(reverse("home"))["X-Request-ID"]
    assert uuid.UUID(made)
    given = uuid.uuid4().hex
    assert client.get(reverse("home"), headers={"X-Request-ID": given})["X-Request-ID"] == given
    # anything but a UUID could forge log lines: it is replaced
    forged = client.get(reverse("home"), headers={"X-Request-ID": 'x" level=ERROR'})["X-Request-ID"]
    assert uuid.UUID(forged)


def test_log_lines_are_json_with_the_request_id():
    set_guid("0123456789abcdef0123456789abcdef")
    record = logging.LogRecord("portal.tasks", logging.WARNING, __file__, 1, "sent %s e-mails", (3,), None)
    record.notification_ids = [1, 2]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "sent 3 e-mails"
    assert line["level"] == "WARNING" and line["logger"] == "portal.tasks"
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["notification_ids"] == [1, 2] and "timestamp" in line


class _RunningTask:
    """What task_prerun receives: a task whose request holds the message's headers."""

    def __init__(self, headers: dict) -> None:
        self.request = headers


def test_tasks_carry_the_request_id_of_the_request_that_enqueued_them():
    # given a request's id, when a task is published, its headers carry the id
    set_guid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    headers: dict = {}
    before_task_publish.send(sender="portal.tasks.deliver_notifications", headers=headers, body=(), exchange="",
                             routing_key="mail")
    assert headers["X-Request-ID"] == "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

    # and a worker running it logs under that id
    set_guid("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    task = _RunningTask({"X-Request-ID": headers["X-Request-ID"]})
    task_prerun.send(sender=task, task_id="1", task=task, args=(), kwargs={})
    assert get_guid() == "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    task_postrun.send(sender=task, task_id="1", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")


@pytest.mark.parametrize(("token", "header", "status"), [
    ("", "", 404),
    ("s3cret-scrape-token", "", 401),
    ("s3cret-scrape-token", "Bearer wrong", 401),
    ("s3cret-scrape-token", "Bearer s3cret-scrape-token", 200),
])
def test_metrics_need_the_token(client, db, settings, token, header, status):
    settings.METRICS_TOKEN = token
    client.get(reverse("home"))
    response = client.get(reverse("metrics"), headers={"Authorization": header} if header else {})
    assert response.status_code == status
    if status == 200:
        assert b"django_http_requests_total_by_view_transport_method_total" in response.content


def test_sentry_is_on_only_with_a_dsn():
    code = ("import sentry_sdk; c = sentry_sdk.get_client(); "
            "print(c.is_active(), sorted(k for k in c.integrations if k in ('django', 'celery')))")
    on = _manage("shell", "-c", code, **PRODUCTION, SENTRY_DSN="https://public@sentry.example.org/1")
    assert on.returncode == 0, on.stderr
    assert on.stdout.strip().splitlines()[-1] == "True ['celery', 'django']"
    off = _manage("shell", "-c", code, **PRODUCTION)
    assert off.stdout.strip().splitlines()[-1] == "False []"
