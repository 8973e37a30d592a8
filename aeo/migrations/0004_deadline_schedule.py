from django.db import migrations

from portal.schedules import schedule_every


def schedule(apps, schema_editor):
    schedule_every(apps, name="AEO deadlines: reminders and escalations", task="aeo.tasks.watch_deadlines",
                   seconds=24 * 60 * 60)


class Migration(migrations.Migration):
    dependencies = [("aeo", "0003_application_proposal_note_and_more"), ("portal", "0003_outbox_relay_schedule")]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
