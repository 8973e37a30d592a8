from django.db import migrations

from portal.schedules import schedule_every


def schedule(apps, schema_editor):
    schedule_every(apps, name="Relay notifications that were not delivered yet",
                   task="portal.tasks.relay_notifications", seconds=60)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_staff_groups"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
