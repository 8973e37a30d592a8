"""Indexes for the two AEO lists that grow with the programme (EXPLAIN ANALYZE at 100,000 applications).

- The review queue sorts by the next deadline, an expression of the state (ApplicationAdmin.get_queryset):
  an index on that same expression, for every state but draft, gives page 1 without sorting the table.
- The public list of holders reads the consented, active authorisations of each organisation in name
  order: a partial index on the organisation, beside the name index in the portal.

PostgreSQL only (the SQLite fallback has no such lists to speak of); kept out of the model state, as the
expression and the conditions are the queries' own.
"""

from django.db import migrations

QUEUE = """
CREATE INDEX IF NOT EXISTS aeo_application_queue_due ON aeo_application (
    (CASE WHEN state = 'submitted' THEN acceptance_due
          WHEN state IN ('granted', 'rejected', 'withdrawn') THEN NULL
          ELSE decision_due END) ASC NULLS LAST, id)
WHERE NOT (state = 'draft')
"""
HOLDERS = """
CREATE INDEX IF NOT EXISTS aeo_authorisation_published ON aeo_authorisation (organisation_id)
WHERE consent_publish AND status = 'active'
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(QUEUE)
        schema_editor.execute(HOLDERS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS aeo_application_queue_due")
        schema_editor.execute("DROP INDEX IF EXISTS aeo_authorisation_published")


class Migration(migrations.Migration):
    dependencies = [("aeo", "0008_monitoring_visits_planned")]

    operations = [migrations.RunPython(create, drop)]
