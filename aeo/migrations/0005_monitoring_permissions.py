from django.db import migrations

from portal.roles import StaffGroup, grant_permissions

MONITORING = ["aeo.view_authorisation", "aeo.change_authorisation", "aeo.view_changenotice",
              "aeo.view_changenoticefile", "aeo.view_sitevisit", "aeo.view_finding"]


def forwards(apps, schema_editor):
    grant_permissions(apps, {
        StaffGroup.AEO_REVIEWER: MONITORING,
        StaffGroup.AEO_SUPERVISOR: MONITORING,
        StaffGroup.PROGRAMME_ADMINISTRATOR: ["aeo.view_authorisation"],
    })


class Migration(migrations.Migration):
    dependencies = [("aeo", "0004_deadline_schedule")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
