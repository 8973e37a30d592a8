from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def portal(request) -> dict:
    """The header's organisation switcher and unread count, evaluated only when a page shows them."""
    from portal.selectors import unread_count_cached

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": request.memberships,
        "unread_notifications": SimpleLazyObject(lambda: unread_count_cached(user)),
    }

