from django.db import migrations

from portal.roles import StaffGroup, grant_permissions
from portal.schedules import schedule_every

TOPICS = [
    ("e-commerce", "E-commerce"),
    ("classification", "Tariff classification"),
    ("valuation", "Customs valuation"),
    ("origin", "Rules of origin"),
    ("aeo", "Authorised Economic Operators"),
    ("procedures", "Procedures and formalities"),
    ("transit", "Transit"),
    ("digitalisation", "Digital systems and data"),
    ("security", "Supply-chain security"),
]

# Only PostgreSQL has GIN and tsvector; the SQLite fallback searches with icontains and needs no index.
CREATE_INDEX = ("CREATE INDEX IF NOT EXISTS consultation_search_gin "
                "ON consultations_consultation USING gin (search_vector)")


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS consultation_search_gin")


def topics(apps, schema_editor):
    Topic = apps.get_model("consultations", "Topic")
    for slug, name in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


def groups(apps, schema_editor):
    grant_permissions(apps, {
        StaffGroup.CONSULTATION_MODERATOR: [
            "consultations.view_consultation", "consultations.view_comment", "consultations.change_comment",
            "consultations.view_report", "consultations.change_report",
        ],
    })


def schedules(apps, schema_editor):
    for name, task, seconds in [
        ("Open consultations on their opening date", "consultations.tasks.open_due", 300),
        ("Close consultations on their closing date", "consultations.tasks.close_due", 300),
        ("Remind followers three days before a consultation closes", "consultations.tasks.remind_closing", 3600),
        ("Send the daily digests of consultation comments", "consultations.tasks.send_digests", 3600),
        ("Remind customs of comments without an official response", "consultations.tasks.remind_unanswered",
         3600 * 6),
    ]:
        schedule_every(apps, name=name, task=task, seconds=seconds)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("portal", "0003_outbox_relay_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(topics, migrations.RunPython.noop),
        migrations.RunPython(groups, migrations.RunPython.noop),
        migrations.RunPython(schedules, migrations.RunPython.noop),
    ]
