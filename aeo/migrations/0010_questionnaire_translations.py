from django.db import migrations, models

from aeo.questionnaire import FOLDER, load_questionnaire


def load_translations(apps, schema_editor):
    """Version 1 is already loaded: loading its file again puts its translations on the sections and questions."""
    load_questionnaire(FOLDER / "v1.json", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("aeo", "0009_queue_and_holders_indexes")]

    operations = [
        migrations.AddField(
            model_name="section", name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="question", name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(load_translations, migrations.RunPython.noop),
    ]
