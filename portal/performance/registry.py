"""What the pillars contribute to performance measurement, registered in their AppConfig.ready().

- a *source* computes the figures of one day: `register_source("aeo", aeo_figures)`;
- a *table* turns the figures of a period into rows (and a chart), with its definition and target:
  `register_table(Table(...))`;
- a *dimension* staff may filter by, with its choices: `register_dimension("aeo_type", ...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from portal.performance.charts import Chart
    from portal.performance.figures import Figures


@dataclass(frozen=True)
class Figure:
    """One count of one day, as a source gives it (see PerformanceFigure for the fields)."""

    indicator: str
    count: int = 1
    key: str = ""
    days: int | None = None
    aeo_type: str = ""
    country: str = ""
    sector: str = ""
    stock: bool = False


class Dimensions(TypedDict, total=False):
    """The dimensions of a Figure, as a source builds them once for several figures of one case."""

    aeo_type: str
    country: str
    sector: str
    stock: bool


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    slug: str
    section: Any  # the heading it appears under ("AEO applications", "Training")
    title: Any
    definition: Any  # what is counted, from which event to which, what is left out
    columns: tuple[Column, ...]
    rows: Callable[[Figures], list[dict[str, Any]]]
    chart: Callable[[list[dict[str, Any]]], Chart | None] | None = None
    target: Any = ""
    public: bool = True
    order: int = 50
    # "period": counted over the period; "stock": at the end of it; "now": read live (staff only)
    basis: str = "period"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Dimension:
    name: str
    label: Any
    choices: Callable[[], list[tuple[str, Any]]]


SOURCES: dict[str, Callable[[date], Iterable[Figure]]] = {}
TABLES: dict[str, Table] = {}
DIMENSIONS: dict[str, Dimension] = {}


def register_source(name: str, compute: Callable[[date], Iterable[Figure]]) -> None:
    SOURCES[name] = compute


def register_table(table: Table) -> None:
    TABLES[table.slug] = table


def register_dimension(dimension: Dimension) -> None:
    DIMENSIONS[dimension.name] = dimension


def tables(*, staff: bool) -> list[Table]:
    shown = [t for t in TABLES.values() if staff or t.public]
    return sorted(shown, key=lambda t: (t.order, t.slug))
