"""Organisations in name order (the public list of AEO holders sorts by it): an index on the name.

PostgreSQL only, and outside the model state like the AEO lists' indexes (aeo 0008) that it serves.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS portal_organisation_name ON portal_organisation (name)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS portal_organisation_name")


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_webhooks")]

    operations = [migrations.RunPython(create, drop)]
