"""Limits on actions that e-mail other people or give them work: invitations, advisory questions,
comment reports.

They are counted from the rows the actions create, not from the cache: each action writes a row
anyway, so the count is exact across processes and still holds while Redis is down (the cache
degrades open, see portal/cache.py; these limits must not). Account e-mails (password reset, the
confirmation sent again) are limited by allauth's rate limits in the cache (ACCOUNT_RATE_LIMITS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_UNITS = {"h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int

    def window(self) -> str:
        return _("an hour") if self.seconds == 3600 else _("a day")


def parse_rates(name: str, text: str) -> list[Rate]:
    """`"10/h,30/d"`: at most 10 in any hour and 30 in any day. Refuses anything else at start-up."""
    rates = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        amount, _slash, unit = part.partition("/")
        if not amount.isdigit() or unit not in _UNITS:
            raise ImproperlyConfigured(f"{name} must look like 10/h,30/d, not {text!r}")
        rates.append(Rate(int(amount), _UNITS[unit]))
    return rates


def limit_rows(rows: QuerySet, rates: list[Rate], *, what: str, field: str = "created_at") -> None:
    """Refuse, with a message that says when to try again, once `rows` has reached a rate's amount."""
    now = timezone.now()
    for rate in rates:
        since = now - timedelta(seconds=rate.seconds)
        recent = rows.filter(**{f"{field}__gte": since}).order_by(field).values_list(field, flat=True)
        times = list(recent[: rate.amount])
        if len(times) >= rate.amount:
            wait = max(1, int((times[0] + timedelta(seconds=rate.seconds) - now).total_seconds() // 60) + 1)
            raise ValidationError(
                ngettext("%(what)s: at most %(n)s %(window)s. Try again in %(minutes)s minute.",
                         "%(what)s: at most %(n)s %(window)s. Try again in %(minutes)s minutes.", wait)
                % {"what": what, "n": rate.amount, "window": rate.window(), "minutes": wait},
                code="rate_limited",
            )
