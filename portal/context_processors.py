from __future__ import annotations

import operator

from django.utils.functional import SimpleLazyObject, new_method_proxy


class _LazyCount(SimpleLazyObject):
    # The plural rules of languages such as French do arithmetic on the count (`n % 1000000`).
    __mod__ = new_method_proxy(operator.mod)


def portal(request) -> dict:
    """The header's organisation switcher and unread count, evaluated only when a page shows them."""
    from portal.selectors import unread_count_cached

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "my_memberships": request.memberships,
        "unread_notifications": _LazyCount(lambda: unread_count_cached(user)),
    }

