"""The catalogue lists published courses by centre, then title: a partial index in that order per centre.

PostgreSQL only, outside the model state (the condition is the catalogue's own).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS training_course_catalogue ON training_course "
                              "(centre_id, title) WHERE is_published")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS training_course_catalogue")


class Migration(migrations.Migration):
    dependencies = [("training", "0004_certificate_sweep_joins_the_core_sweep")]

    operations = [migrations.RunPython(create, drop)]
