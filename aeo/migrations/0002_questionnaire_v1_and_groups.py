from django.db import migrations

from aeo.questionnaire import FOLDER, load_questionnaire
from portal.roles import StaffGroup, grant_permissions

CASEWORK = ["aeo.view_application", "aeo.change_application", "aeo.view_answer", "aeo.view_evidence",
            "aeo.view_informationrequest", "aeo.add_informationrequest", "aeo.view_hearing",
            "aeo.view_dialoguefile", "aeo.view_questionnaire", "aeo.view_section", "aeo.view_question"]


def forwards(apps, schema_editor):
    load_questionnaire(FOLDER / "v1.json", apps=apps)
    grant_permissions(apps, {
        StaffGroup.AEO_REVIEWER: CASEWORK,
        StaffGroup.AEO_SUPERVISOR: CASEWORK,
        StaffGroup.PROGRAMME_ADMINISTRATOR: [
            "aeo.view_application", "aeo.view_questionnaire", "aeo.add_questionnaire", "aeo.manage_questionnaire",
            "aeo.view_section", "aeo.view_question",
        ],
    })


class Migration(migrations.Migration):
    dependencies = [("aeo", "0001_initial"), ("portal", "0002_staff_groups")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
