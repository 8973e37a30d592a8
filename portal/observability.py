"""Logs, metrics and error reports for production.

- Logs: one JSON object a line (python-json-logger), each with the request id that django-guid takes
  from the load balancer's X-Request-ID header, or makes up; django-guid's Celery integration carries
  it in the headers of the tasks a request enqueues, so a worker's lines carry it too.
- Metrics: django-prometheus counts requests, latencies, database and cache use; /metrics answers
  only with the METRICS_TOKEN bearer token (and not at all without one).
- Errors: sentry-sdk with its Django and Celery integrations, only when SENTRY_DSN is set.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_guid import get_guid
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


class JsonFormatter(BaseJsonFormatter):
    """`{"timestamp": …, "level": …, "logger": …, "message": …, "request_id": …}` and any `extra` fields."""

    def __init__(self, fmt: str | None = None, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        super().__init__(fmt or "%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        request_id = get_guid()
        if request_id:
            log_data["request_id"] = request_id


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`.

    Without METRICS_TOKEN the endpoint does not exist (404): figures about traffic are not public.
    """
    from django_prometheus.exports import ExportToDjangoView

    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        response = HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return ExportToDjangoView(request)


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Error reports (and, if asked, a sample of traces) to Sentry, from web processes and workers."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # no e-mail addresses, cookies or form bodies of traders in the reports
    )
