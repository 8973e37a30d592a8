"""The review queue and the public list of holders read their indexes (EXPLAIN on PostgreSQL).

Seeded with 3,000 applications rather than 100,000: the planner already prefers the indexes for a page
at that size, as it does at 100,000 (make bench).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from aeo.admin import ApplicationAdmin
from aeo.models import Application, Authorisation, Questionnaire
from portal.models import Organisation


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _many(n: int, user) -> None:
    questionnaire = Questionnaire.objects.order_by("-version").first()
    orgs = Organisation.objects.bulk_create([Organisation(kind="operator", name=f"Operator {i:05d}",
                                                          identifier=f"IDX{i:06d}", country="PT") for i in range(n)])
    apps = Application.objects.bulk_create([Application(
        organisation=org, kind="AEOC", questionnaire=questionnaire, created_by=user, reference=f"IDX-{i}",
        state="granted" if i % 10 else "under_review") for i, org in enumerate(orgs)])
    Authorisation.objects.bulk_create([Authorisation(
        application=a, organisation=a.organisation, number=f"IDX-AUTH-{i}", kind="AEOC", valid_from="2026-01-01",
        granted_by=user, consent_publish=True) for i, a in enumerate(apps) if a.state == "granted"])


def test_review_queue_reads_its_deadline_index(reviewer):
    _many(3000, reviewer)
    request = RequestFactory().get("/admin/aeo/application/")
    request.user = reviewer
    model_admin = ApplicationAdmin(Application, admin.site)
    plan = explain(model_admin.get_queryset(request).order_by(*model_admin.get_ordering(request))[:50])
    assert "aeo_application_queue_due" in plan, plan


def test_holders_list_reads_the_name_and_consent_indexes(reviewer):
    _many(3000, reviewer)
    holders = (Authorisation.objects.filter(consent_publish=True, status=Authorisation.Status.ACTIVE)
               .select_related("organisation").order_by("organisation__name")[:50])
    plan = explain(holders)
    assert "portal_organisation_name" in plan and "aeo_authorisation_published" in plan, plan
