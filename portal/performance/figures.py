"""The figures of a period, read from the snapshot tables in a fixed number of queries, and the
statistics the tables draw from them."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.models import PerformanceDay, PerformanceFigure

FILTER_FIELDS = ("aeo_type", "country", "sector")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of `day` and of the day after, in the portal's time zone."""
    tz = timezone.get_current_timezone()
    return (datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz))


def days_between(start: datetime, end: datetime) -> int:
    """Calendar days from one moment to another, counted on local dates (submitted Monday, accepted Tuesday: 1)."""
    return (timezone.localdate(end) - timezone.localdate(start)).days


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def months(self) -> list[date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class Filters:
    aeo_type: str = ""
    country: str = ""
    sector: str = ""

    def q(self) -> Q:
        # A figure without the dimension (a training figure has no AEO type) is not filtered out by it.
        q = Q()
        for name in FILTER_FIELDS:
            value = getattr(self, name)
            if value:
                q &= Q(**{name: value}) | Q(**{name: ""})
        return q

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in FILTER_FIELDS)


# --- Statistics on a distribution: [(days, how many cases), ...] -------------------------------------

Distribution = list[tuple[int, int]]


def cases(distribution: Distribution) -> int:
    return sum(n for _days, n in distribution)


def _nth(distribution: Distribution, rank: int) -> int:
    """The value of the rank-th smallest case (1-based)."""
    seen = 0
    for days, n in sorted(distribution):
        seen += n
        if seen >= rank:
            return days
    raise ValueError("rank beyond the distribution")


def median(distribution: Distribution) -> float | None:
    """The middle value; with an even number of cases, halfway between the two middle ones."""
    total = cases(distribution)
    if not total:
        return None
    if total % 2:
        return float(_nth(distribution, total // 2 + 1))
    return (_nth(distribution, total // 2) + _nth(distribution, total // 2 + 1)) / 2


def percentile(distribution: Distribution, p: int) -> int | None:
    """Nearest rank: the smallest value that at least p % of the cases do not exceed."""
    total = cases(distribution)
    if not total:
        return None
    return _nth(distribution, max(1, math.ceil(p * total / 100)))


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The figures of one period: flows summed over it (and per month), stocks at its end."""

    period: Period
    filters: Filters
    as_of: PerformanceDay | None
    flows: Sequence[Mapping[str, Any]] = field(default_factory=list)  # indicator, key, days, month, n
    stocks: Sequence[Mapping[str, Any]] = field(default_factory=list)  # indicator, key, days, dimensions, n
    staff: bool = False

    def _flows(self, indicator: str, key: str | None = None) -> Iterable[Mapping[str, Any]]:
        return (r for r in self.flows if r["indicator"] == indicator and (key is None or r["key"] == key))

    def total(self, indicator: str, key: str | None = None) -> int:
        return sum(r["n"] for r in self._flows(indicator, key))

    def by_key(self, indicator: str) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for r in self._flows(indicator):
            totals[r["key"]] += r["n"]
        return dict(totals)

    def monthly(self, indicator: str, key: str | None = None) -> dict[date, int]:
        totals = {month: 0 for month in self.period.months()}
        for r in self._flows(indicator, key):
            month = r["month"].date() if isinstance(r["month"], datetime) else r["month"]
            totals[month] = totals.get(month, 0) + r["n"]
        return totals

    def distribution(self, indicator: str, key: str | None = None) -> Distribution:
        totals: dict[int, int] = defaultdict(int)
        for r in self._flows(indicator, key):
            totals[r["days"]] += r["n"]
        return sorted(totals.items())

    def stock(self, indicator: str, **match) -> list[Mapping[str, Any]]:
        return [r for r in self.stocks if r["indicator"] == indicator
                and all(r[name] == value for name, value in match.items())]

    def stock_total(self, indicator: str, **match) -> int:
        return sum(r["n"] for r in self.stock(indicator, **match))


def figures_for(period: Period, filters: Filters = Filters(), *, staff: bool = False) -> Figures:
    """Three queries whatever the size of the portal: the snapshot day the period ends on, the flows
    of the period (per month), and the stocks of that day."""
    as_of = PerformanceDay.objects.filter(day__lte=period.end).order_by("-day").first()
    where = filters.q()
    flows = list(
        PerformanceFigure.objects.filter(where, stock=False, day__gte=period.start, day__lte=period.end)
        .annotate(month=TruncMonth("day"))
        .values("indicator", "key", "days", "month").annotate(n=Sum("count")).order_by()
    )
    stocks = []
    if as_of is not None and as_of.day >= period.start:
        stocks = list(
            PerformanceFigure.objects.filter(where, stock=True, day=as_of.day)
            .values("indicator", "key", "days", *FILTER_FIELDS).annotate(n=Sum("count")).order_by()
        )
    return Figures(period=period, filters=filters, as_of=as_of, flows=flows, stocks=stocks, staff=staff)
