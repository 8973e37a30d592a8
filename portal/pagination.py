"""A paginator that does not count 100,000 rows to show page 1.

Up to EXACT_UP_TO rows it counts them (reading at most that many); beyond, it takes PostgreSQL's
estimate of the query's rows from its plan, and says so (`estimated`), so pages can write
"about". The estimate follows the filters, as the planner's statistics do. Two queries at any size.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_UP_TO = 1000


class EstimatedCountPaginator(Paginator):
    estimated = False

    @cached_property
    def count(self) -> int:
        rows = cast("QuerySet[Any]", self.object_list).order_by()  # the pages of a query
        counted = rows.values("pk")[: EXACT_UP_TO + 1].count()
        connection = connections[rows.db]
        if connection.vendor != "postgresql":
            return counted if counted <= EXACT_UP_TO else rows.count()
        # Planned even when the count was exact, so that a page runs the same queries at any size.
        sql, params = rows.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if counted <= EXACT_UP_TO:
            return counted
        plan = json.loads(plan) if isinstance(plan, str) else plan
        self.estimated = True
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted)
