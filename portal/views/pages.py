from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app as celery_app
from portal.dashboard import PLACEMENTS, panels_for
from portal.storage import private_files
from portal.types import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page says; send them the icon the pages name.
    return redirect(static("img/favicon.svg"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", {
        placement: panels_for(request, placement=placement) for placement in PLACEMENTS})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)


def _check_storage() -> None:
    # The local folder is writable, or the bucket answers with our credentials (HEAD, nothing written).
    private_files.check_ready()  # type: ignore[attr-defined]  # both private backends have it; typed as Storage


def _report(checks: dict[str, Callable[[], None]]) -> JsonResponse:
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:
            logger.warning("%s check failed: %r", name, exc)
            results[name] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, cache and broker, each 'ok' or the error; 503 when any is down. Cheap: the load
    balancer asks it every few seconds."""
    return _report({"database": _check_database, "cache": _check_cache, "broker": _check_broker})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Everything /healthz checks and the private file storage: ask it after a deploy, and from
    monitoring, before sending traffic to a new machine."""
    return _report({"database": _check_database, "cache": _check_cache, "broker": _check_broker,
                    "storage": _check_storage})


def _api_error(request: HttpRequest, status: int, detail: str) -> JsonResponse | None:
    """Under /api/ an error page is JSON in the API's own shape, also for a path no route matches."""
    return JsonResponse({"detail": detail}, status=status) if request.path_info.startswith("/api/") else None


def error_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 404, _("Not found.")) or render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def error_400(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api_error(request, 400, _("The request could not be read.")) or render(request, "errors/400.html",
                                                                                  status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
