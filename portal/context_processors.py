from __future__ import annotations

from functools import cache


def portal(request) -> dict:
    """The header's organisation switcher and unread count, evaluated only when a page shows them."""
    from portal.selectors import unread_count_cached

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": request.memberships,
        # A callable, which templates call (once: cached) when they show it, giving them a real number: a lazy
        # object fails in the plural rules of languages such as French (`n % 1000000`).
        "unread_notifications": cache(lambda: unread_count_cached(user)),
    }

