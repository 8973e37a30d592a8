"""The search vector is kept by PostgreSQL itself: a trigger fills it whenever the title, summary or
body is written, however the row is written (services, the admin, bulk loads). A generated column
would do the same, but SQLite (the embedded default) has no tsvector to generate it from."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION consultation_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""
TRIGGER = """
CREATE TRIGGER consultation_search_vector BEFORE INSERT OR UPDATE OF title, summary, body
ON consultations_consultation FOR EACH ROW EXECUTE FUNCTION consultation_search_vector()
"""
# Rows written before the trigger: the same expression, once.
FILL = """
UPDATE consultations_consultation SET search_vector =
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in (FUNCTION, TRIGGER, FILL):
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS consultation_search_vector ON consultations_consultation")
        schema_editor.execute("DROP FUNCTION IF EXISTS consultation_search_vector()")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0002_search_index_topics_groups_schedules")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
