from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def portal(request) -> dict:
    """The header's organisation switcher and unread count, evaluated only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": request.memberships,
        "unread_notifications": SimpleLazyObject(lambda: _unread_count_cached(user)),
    }


def _unread_count_cached(user) -> int:
    """The header's count, kept for HEADER_COUNTS_SECONDS: a notification may show a few seconds late."""
    from django.conf import settings
    from django.core.cache import cache

    from portal.selectors import unread_count

    key = f"header:unread:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = unread_count(user)
        cache.set(key, count, timeout=settings.HEADER_COUNTS_SECONDS)
    return count
