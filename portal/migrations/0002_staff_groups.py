from django.db import migrations

from portal.roles import StaffGroup, grant_permissions

SEE_ORGANISATIONS = ["portal.view_organisation", "portal.view_membership", "portal.view_organisationdocument"]


def create_groups(apps, schema_editor):
    grant_permissions(apps, {
        StaffGroup.AEO_REVIEWER: [*SEE_ORGANISATIONS, "portal.verify_organisation", "portal.view_auditevent"],
        StaffGroup.AEO_SUPERVISOR: [*SEE_ORGANISATIONS, "portal.verify_organisation", "portal.view_auditevent"],
        StaffGroup.CONSULTATION_MODERATOR: [*SEE_ORGANISATIONS],
        StaffGroup.TRAINING_AUTHOR: [],
        StaffGroup.CENTRE_ADVISER: [*SEE_ORGANISATIONS],
        StaffGroup.PROGRAMME_ADMINISTRATOR: [
            *SEE_ORGANISATIONS, "portal.change_organisation", "portal.verify_organisation",
            "portal.view_auditevent", "portal.view_notification", "portal.retry_notification",
            "portal.view_user", "portal.view_invitation",
        ],
    })


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
