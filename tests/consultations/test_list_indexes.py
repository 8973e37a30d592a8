"""The consultation list's main query reads its index, not the whole table (EXPLAIN on PostgreSQL).

Seeded with 3,000 rows rather than 100,000: at that size the planner already prefers the index for a
page of 20, as it does at 100,000 (make bench); the plan, not the time, is what is checked.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection

from consultations import selectors
from consultations.models import Consultation
from tests.consultations.factories import ConsultationFactory


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultations_consultation")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_list_page_reads_the_order_index(association):
    # given many published consultations
    first = ConsultationFactory(organisation=association)
    Consultation.objects.bulk_create(ConsultationFactory.build(organisation=association, created_by=first.created_by)
                                     for _ in range(3000))
    # when an anonymous visitor and a signed-in user open page 1
    plan = explain(selectors.consultation_list(AnonymousUser())[:20])
    # then the rows come in index order: no sort of the table
    assert "consultation_list_order" in plan, plan
    assert "Seq Scan on consultations_consultation" not in plan, plan
