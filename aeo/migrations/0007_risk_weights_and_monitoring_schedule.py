from django.db import migrations

from portal.roles import StaffGroup, grant_permissions
from portal.schedules import schedule_every

# The first published risk weights (aeo.risk.DEFAULT_WEIGHTS as it was then; later versions are rows).
WEIGHTS_V1 = {
    "families": {
        "conditions": {"cap": 45, "rules": {"must_no": 15}},
        "practices": {"cap": 15, "rules": {"should_no": 3}},
        "evidence": {"cap": 20, "rules": {"evidence_missing": 3, "evidence_explained": 1}},
        "not_applicable": {"cap": 8, "rules": {"not_applicable": 1}},
        "history": {"cap": 30, "rules": {"earlier_rejection": 10, "suspension": 10, "revocation": 20}},
        "identity": {"cap": 15, "rules": {"unverified": 15}},
    },
    "bands": [[0, "low"], [20, "moderate"], [40, "high"], [60, "very_high"]],
}
CASE_READS = ["aeo.view_decisionnotice", "aeo.view_monitoringreview", "aeo.view_riskmodel"]


def forwards(apps, schema_editor):
    RiskModel = apps.get_model("aeo", "RiskModel")
    RiskModel.objects.get_or_create(version=1, defaults={"weights": WEIGHTS_V1,
                                                         "note": "First weights, capped per family."})
    grant_permissions(apps, {
        StaffGroup.AEO_REVIEWER: CASE_READS,
        StaffGroup.AEO_SUPERVISOR: CASE_READS,
        StaffGroup.PROGRAMME_ADMINISTRATOR: ["aeo.view_riskmodel", "aeo.add_riskmodel", "aeo.manage_risk_model"],
    })
    schedule_every(apps, name="AEO monitoring: reviews due and suspensions ending", task="aeo.tasks.watch_monitoring",
                   seconds=24 * 60 * 60)


class Migration(migrations.Migration):
    dependencies = [("aeo", "0006_decisions_risk_monitoring"), ("portal", "0003_outbox_relay_schedule"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
