"""The certificate sweep is now one of the sweeps that the core's periodic job runs (portal.work)."""

from django.db import migrations


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="training.tasks.issue_due_certificates").delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0003_certificate_sweep_schedule"), ("portal", "0004_outbox_lease")]
    operations = [migrations.RunPython(unschedule, migrations.RunPython.noop)]
