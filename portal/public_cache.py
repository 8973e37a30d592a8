"""Public pages, as anonymous visitors see them, served from the cache and revalidated by ETag.

A page is cached only when nothing personal can be in it: the visitor is anonymous and holds no
session or messages cookie, the request is a GET without a body, and the response is a 200 that
sets no cookie. Its cache key and ETag name the path, the query, the language and the versions of
what the page shows: `bump()` starts a new version, so a change is visible at once, not when the
entry expires. The services that change a consultation bump it; for the pillars' other public
pages, the models they show bump theirs on every save (PUBLIC_PAGES in settings). The expiry
(PUBLIC_PAGE_SECONDS) only bounds how long an entry stays, and browsers revalidate after
PUBLIC_PAGE_MAX_AGE seconds.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

PREFIX = "public-page"
PERSONAL_COOKIES = ("sessionid", "messages")


def version_key(name: str) -> str:
    return f"{PREFIX}:version:{name}"


def bump(name: str) -> None:
    """Pages that show `name` are rendered afresh from the next request.

    After commit: a page rendered before the change is committed must not be kept as the new version.
    """
    key = version_key(name)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), timeout=None))


def _versions(keys: Iterable[str]) -> str:
    keys = list(keys)
    found = cache.get_many(keys)
    return ",".join(str(found.get(key, 0)) for key in keys)


def cacheable_request(request: HttpRequest) -> bool:
    return (request.method in ("GET", "HEAD") and not request.user.is_authenticated
            and not any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)))


def _serve(request: HttpRequest, view: Callable, args: tuple, kwargs: dict,
           version_keys: list[str]) -> HttpResponseBase:
    stamp = _versions(version_keys)
    named = f"{settings.PUBLIC_PAGE_RELEASE}|{request.get_full_path()}|{get_language()}|{stamp}"
    etag = f'"{hashlib.sha256(named.encode()).hexdigest()[:32]}"'
    response: HttpResponseBase
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = f"{PREFIX}:page:{etag}"
        cached = cache.get(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            cache.set(key, (cast(HttpResponse, response).content, response["Content-Type"]),
                      timeout=settings.PUBLIC_PAGE_SECONDS)
        else:
            response = HttpResponse(cached[0], content_type=cached[1])
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


class PublicPageMiddleware:
    """Serves the pages named in PUBLIC_PAGES (URL name → version names) from the cache, for anonymous
    visitors only. A version name with a model label ("training.Course") is bumped by that model's
    saves; one with a URL argument ("consultation:{pk}") by the services (`bump`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        names = settings.PUBLIC_PAGES.get(match.view_name) if match else None
        if names is None or not cacheable_request(request):
            return None
        keys = [version_key(name.format(**view_kwargs)) for name in names]
        return _serve(request, view_func, view_args, view_kwargs, keys)


def connect_model_versions() -> None:
    """Every save or delete of a model named in PUBLIC_PAGES bumps the version named after it."""
    labels = {name for names in settings.PUBLIC_PAGES.values() for name in names if "." in name}
    for label in labels:
        model = apps.get_model(label)

        def changed(sender, _label=label, **kwargs) -> None:
            bump(_label)

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{PREFIX}:{label}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{PREFIX}:{label}:delete")
