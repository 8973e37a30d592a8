"""A sweep that issues certificates whose task was lost (the broker was down when the course was completed)."""

from django.db import migrations

from portal.schedules import schedule_every


def schedule(apps, schema_editor):
    schedule_every(apps, name="Training: issue certificates whose task did not run",
                   task="training.tasks.issue_due_certificates", seconds=600)


class Migration(migrations.Migration):
    dependencies = [("training", "0002_centres_groups_schedules")]
    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
