"""The ten Centres of Excellence and Expertise, the staff groups' permissions and the reminder jobs."""

from django.db import migrations

from portal.roles import StaffGroup, grant_permissions
from portal.schedules import schedule_every

CENTRES = [
    ("agriculture", "Agriculture and Prepared Products", ["agriculture"],
     "Food, beverages, plants, animals and their products: classification of prepared foods, sanitary and "
     "phytosanitary certificates, tariff quotas and the origin rules that decide preferential duty."),
    ("apparel", "Apparel, Footwear and Textiles", ["apparel"],
     "Garments, shoes and fabrics: fibre content and construction for classification, origin under "
     "cumulation rules, labelling and forced-labour import restrictions."),
    ("automotive", "Automotive and Aerospace", ["automotive"],
     "Vehicles, aircraft and their parts: parts versus accessories, inward processing for assembly, "
     "end-use relief for civil aircraft and origin across long supply chains."),
    ("base-metals", "Base Metals", ["base_metals"],
     "Steel, aluminium and other metals: trade-defence duties, surveillance licences, mill certificates "
     "and the risk of circumvention through transhipment."),
    ("consumer", "Consumer Products and Mass Merchandising", ["consumer"],
     "Toys, household goods and e-commerce consignments: product safety, intellectual property rights, "
     "low-value consignments and valuation of goods sold online."),
    ("electronics", "Electronics", ["electronics"],
     "Computers, telecom equipment and components: the Information Technology Agreement, dual-use export "
     "controls, classification of multifunction devices and royalties in customs value."),
    ("industrial", "Industrial and Manufacturing Materials", ["industrial"],
     "Plastics, rubber, wood, paper and glass: classification by material and stage of processing, "
     "processing under customs control and end-use authorisations."),
    ("machinery", "Machinery", ["machinery"],
     "Machines and mechanical appliances: classification of functional units, temporary admission of "
     "equipment, dual-use controls and valuation of assists and installation costs."),
    ("petroleum", "Petroleum, Natural Gas and Minerals", ["petroleum"],
     "Crude oil, fuels, gas and minerals: measurement and sampling, excise interplay, pipeline and bulk "
     "transport, and due diligence for conflict minerals."),
    ("pharma", "Pharmaceuticals, Health and Chemicals", ["pharma"],
     "Medicines, medical devices and chemicals: controlled substances and precursors, REACH and "
     "dangerous-goods rules, the pharmaceutical duty-free list and cold-chain security."),
]

COURSE_MODELS = ["course", "module", "lesson", "quiz", "question", "choice"]


def create(apps, schema_editor):
    Centre = apps.get_model("training", "Centre")
    for order, (slug, name, sectors, description) in enumerate(CENTRES):
        Centre.objects.update_or_create(slug=slug, defaults={
            "name": name, "sectors": sectors, "description": description, "order": order,
        })
    grant_permissions(apps, {
        StaffGroup.TRAINING_AUTHOR: [
            *(f"training.{verb}_{model}" for model in COURSE_MODELS for verb in ("add", "change", "delete", "view")),
            "training.view_centre", "training.view_certificate",
        ],
        StaffGroup.CENTRE_ADVISER: [
            "training.view_centre", "training.view_advisoryquestion", "training.change_advisoryquestion",
            "training.view_course",
        ],
        StaffGroup.PROGRAMME_ADMINISTRATOR: [
            "training.view_centre", "training.change_centre", "training.view_course",
            "training.view_certificate", "training.change_certificate", "training.view_enrolment",
            "training.view_advisoryquestion",
        ],
    })
    schedule_every(apps, name="Training: remind holders of certificates about to expire",
                   task="training.tasks.remind_expiring_certificates", seconds=6 * 3600)
    schedule_every(apps, name="Training: remind learners of courses left without progress",
                   task="training.tasks.remind_idle_enrolments", seconds=6 * 3600)
    schedule_every(apps, name="Training: remind advisers of overdue questions",
                   task="training.tasks.remind_overdue_questions", seconds=6 * 3600)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("portal", "0002_staff_groups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
