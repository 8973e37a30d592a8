"""Demo AEO applications in several states, for `manage.py seed_demo`. Adds nothing twice.

Each demo operator answers as such a company would: a long-standing holder with its documents in order, a
family firm whose records are partly on paper, a newcomer with gaps in its security, a company applying
again after a rejection. So the risk scores spread over the bands as real cases do, and the queue can be
ordered by them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from aeo import services
from aeo.models import Application, Authorisation, Hearing, Question
from aeo.selectors import sections_of
from portal.models import Organisation, User

CONTRACTED_CARRIERS = {"K.2": "Our goods travel with contracted carriers only; we run no vehicles of our own.",
                       "K.3": "We run no vehicles of our own.", "K.4": "We run no vehicles of our own.",
                       "K.7": "We employ no drivers."}


@dataclass(frozen=True)
class Profile:
    """How one operator answers: its facts, the practices it lacks and the documents it has not sent."""

    established: str
    employees: int
    sites: int
    declarations: int
    owners: str
    software: str
    compliance: str = "No customs or tax errors, penalties or infringements in the last three years."
    outlook: str = "No event we know of; orders are steady and the bank facilities were renewed this year."
    people: tuple[str, str] = ("Head of customs", "Security manager")  # who answers for customs, for security
    activity: str = "Importer or exporter"
    transport: str = "Contracted carriers"
    choices: dict[str, str] = field(default_factory=dict)  # question code -> choice, where not the first
    no: tuple[str, ...] = ()  # answered "no"
    not_applicable: dict[str, str] = field(default_factory=dict)  # question code -> why it does not apply
    missing: tuple[str, ...] = ()  # evidence not attached, no reason given
    explained: dict[str, str] = field(default_factory=dict)  # evidence not attached -> the reason given
    improvement: str = "After the last internal audit we added a second check of tariff codes for new products."
    attach: bool = True  # attach the evidence not listed above


ATLANTIC = Profile(
    established="2004-03-15", employees=58, sites=3, declarations=12400, activity="Carrier or freight forwarder",
    owners="Ana Ferreira (60%) and Atlantic Holdings SGPS (40%); directors Ana Ferreira and Rui Campos.",
    software="Primavera for accounts, our own forwarding system for shipments and the customs declarations; "
             "records on servers in Matosinhos, copied nightly to a data centre in Maia.",
    compliance="Two late amendments of transit declarations in 2025, a fine of EUR 300 paid; the cause (a "
               "missed hand-over between shifts) was fixed with a checklist.",
    people=("Bruno Costa, customs manager, 12 years in the trade", "Rui Campos, operations director"),
    no=("C.7", "D.7"),
    not_applicable={"A.7": "We are not part of a group.", "B.8": "We have not applied before.",
                    "C.3": "We hold no goods under a customs procedure.",
                    "C.8": "We carry no goods that need licences.", "D.6": "We were set up in 2004."},
    missing=("P.1", "P.4", "H.8"),
    explained={"E.6": "Training records for 2026 are being collected from our three offices; we will send them "
                      "by the end of the month.",
               "A.6": "The list of sites is being updated after we closed the Aveiro office."},
)
LUSITANIA = Profile(
    established="2011-06-01", employees=130, sites=2, declarations=3900, activity="Manufacturer",
    owners="Lusitania Pharma Group SA (100%); directors Duarte Lopes and Sofia Reis.",
    software="SAP Business One for accounts and stock; declarations through our customs representative.",
    no=("L.2",), attach=False,
)
# (name, identifier, sector, city, street, postcode, how far the case goes, how it answers)
CASES = [
    ("Douro Wine Exporters SA", "PT502000001", "agriculture", "Vila Nova de Gaia", "Cais de Gaia 204", "4400-111",
     "under_review", Profile(
         established="1928-05-14", employees=64, sites=3, declarations=1850, activity="Manufacturer",
         owners="The Pacheco family, through Douro Holdings SGPS (100%); directors Rui and Marta Pacheco.",
         software="PHC for accounts, the cellar system for stock; declarations lodged by our broker, "
                  "Alfândega Norte Lda. Records at the head office in Gaia.",
         compliance="One correction after clearance in 2025 (a wrong tariff code on a sample shipment); the "
                    "EUR 412 of duty was paid. No penalties.",
         people=("Marta Pacheco, director, in charge of customs for 15 years", "Jorge Lima, cellar master"),
         no=("G.6", "L.6", "I.7"), not_applicable=CONTRACTED_CARRIERS, missing=("N.2",),
         explained={"C.4": "The list of access rights is moving to our new system; we will send it before the visit.",
                    "G.4": "Training is recorded on paper at each cellar; the scans follow.",
                    "O.3": "The incident log is a paper book kept at the gate; customs may read it at the visit.",
                    "M.4": "Our leavers' checklist is being written down; today the cellar master does it by hand."},
         improvement="The 2025 correction led us to have every new product classified by our broker before its "
                     "first shipment.")),
    ("Minho Textiles Lda", "PT502000002", "apparel", "Guimarães", "Rua da Fábrica 31", "4835-044",
     "right_to_be_heard", Profile(
         established="2015-09-01", employees=140, sites=2, declarations=2400, activity="Manufacturer",
         owners="Paulo Sousa (70%) and Helena Sousa (30%), who are also the directors.",
         software="Sage for accounts; stock in spreadsheets per warehouse; declarations by a forwarder.",
         outlook="A large customer in Germany has not renewed its order for next season.",
         choices={"G.2": "Yearly", "L.7": "Yearly"}, no=("L.2", "L.5", "L.6", "G.6", "M.6"),
         not_applicable={"K.2": CONTRACTED_CARRIERS["K.2"], "K.3": CONTRACTED_CARRIERS["K.3"]},
         missing=("L.1", "J.4", "M.1", "N.3", "O.3"),
         explained={"I.2": "The risk assessment is being written with our insurer."})),
    ("Setubal Auto Parts SA", "PT502000003", "automotive", "Palmela", "Parque Industrial, lote 18", "2950-557",
     "decision_proposed", Profile(
         established="2009-01-20", employees=310, sites=2, declarations=5200, activity="Manufacturer",
         transport="Both own and contracted",
         owners="Componentes Ibéricos SL, Madrid (100%); directors Luís Antunes and Carmen Ortega.",
         software="SAP S/4HANA for accounts, stock and production; declarations lodged in-house.",
         no=("L.4", "G.6", "B.6", "G.5"),
         not_applicable={"M.2": "Portuguese law does not let us ask for criminal records for these jobs.",
                         "C.3": "We hold no goods under a customs procedure."},
         missing=("I.5", "P.4", "J.7"),
         explained={"N.5": "The audit of our overflow warehouse in Montijo takes place next month.",
                    "O.1": "The plan is being revised after the March drill; the new version follows.",
                    "N.2": "Our carriers' security declarations are being renewed for 2027."})),
    ("Coimbra Chemicals SA", "PT502000004", "pharma", "Coimbra", "Rua Pedro Nunes, Quinta da Nora", "3030-199",
     "granted", Profile(
         established="1962-10-02", employees=420, sites=4, declarations=7400, activity="Manufacturer",
         owners="Listed on Euronext Lisbon; the largest shareholder is Fundação Mondego (22%). Board of five "
                "directors, chaired by Teresa Matos.",
         software="SAP ECC for accounts, stock and production, a validated batch-record system; declarations "
                  "lodged in-house. Records in two data centres.",
         people=("Nuno Vaz, head of customs and trade compliance", "Carla Dias, security and safety director"),
         choices={"I.4": "Every 6 months"}, not_applicable=CONTRACTED_CARRIERS,
         explained={"H.8": "Our IT services contract is confidential; customs may read it at our premises."},
         improvement="We moved seal checks at the gate to handheld scanners, so every check is logged.")),
    ("Algarve Cold Chain Lda", "PT502000005", "consumer", "Loulé", "Zona Industrial, lote 7", "8100-272",
     "rejected", Profile(
         established="2024-02-12", employees=23, sites=1, declarations=310, activity="Warehouse keeper",
         transport="Own vehicles and drivers",
         owners="Miguel Rosa (100%), the only director.",
         software="Invoices in an online accounting service; stock in spreadsheets.",
         outlook="We depend on two customers for most of our turnover; a bank loan is under negotiation.",
         choices={"G.2": "Never", "L.7": "Never", "N.4": "Never", "P.2": "Yearly", "C.6": "Weekly"},
         no=("L.1", "J.4", "L.5", "L.6", "G.5", "G.6", "C.7"),
         not_applicable={"C.3": "We hold no goods under a customs procedure.",
                         "C.8": "We store no goods that need licences."},
         missing=("D.3", "D.6", "I.2", "I.5", "J.1", "J.3", "K.2", "M.1", "O.1", "P.1"),
         improvement="None yet: the company is two years old.")),
    ("Braga Electronics Lda", "PT502000006", "electronics", "Braga", "Rua do Tecnopólo 15", "4715-213",
     "suspended", Profile(
         established="1998-04-07", employees=95, sites=2, declarations=3100, activity="Manufacturer",
         owners="Tomás Brito (55%) and Iberia Components SA (45%); directors Tomás Brito and Inês Carvalho.",
         software="Primavera for accounts, our own MES for production and stock; declarations in-house.",
         no=("L.4", "G.6"), not_applicable=CONTRACTED_CARRIERS,
         explained={"N.5": "Our sub-contracted warehouse is audited by the customer; we are asking for the "
                           "report."})),
    ("Leiria Moulds and Plastics Lda", "PT502000007", "industrial", "Marinha Grande", "Rua da Indústria 210",
     "2430-091", "applied_again", Profile(
         established="2003-11-18", employees=75, sites=1, declarations=1400, activity="Manufacturer",
         owners="Carlos Henriques (80%) and Rita Henriques (20%); director Carlos Henriques.",
         software="PHC for accounts and stock; declarations by our customs representative.",
         compliance="Our application of 2024 was refused for arrears of social security contributions; they "
                    "are being paid under an agreed plan.",
         outlook="The instalment plan with Social Security ends in March; no other event we know of.",
         no=("L.6", "G.6", "O.5", "C.7"),
         not_applicable={"C.3": "We hold no goods under a customs procedure.",
                         "C.8": "We trade no goods that need licences."},
         missing=("P.4", "N.3", "I.2", "O.1", "I.5"),
         explained={"D.2": "The instalment plan with Social Security was signed in June; the certificate of no "
                           "arrears is issued when it ends.",
                    "P.1": "Our first internal audit is under way; the report follows in January."})),
]
# How Leiria answered when it was refused: arrears, no error procedure, little on paper.
LEIRIA_REFUSED = Profile(
    established="2003-11-18", employees=70, sites=1, declarations=1300, activity="Manufacturer",
    owners="Carlos Henriques (80%) and Rita Henriques (20%); director Carlos Henriques.",
    software="PHC for accounts and stock; declarations by our customs representative.",
    no=("D.2", "B.4", "L.6", "G.6", "O.5", "C.7"),
    not_applicable={"C.3": "We hold no goods under a customs procedure.",
                    "C.8": "We trade no goods that need licences."},
    missing=("D.1", "D.2", "B.4", "P.1", "P.4", "I.2"),
)
GROUNDS = {
    "PT502000002": "Premises security (L.2) is not met: the doors of the dispatch hall stay open during shifts and "
                   "nobody records who holds the keys. No remedy was proposed, and neither the site plan (L.1) nor "
                   "the seal log (J.4) was sent.",
    "PT502000005": "Premises security (L.1) and cargo security (J.4) are not met: the yard has no fence or gate "
                   "control, and seals are neither kept locked nor logged. The company, set up in 2024, sent no "
                   "business plan (D.6) and no security risk assessment (I.2).",
    "PT502000007": "Financial solvency (D.2) is not met: social security contributions of EUR 38,200 have been in "
                   "arrears since 2023. There is no written procedure for finding and reporting customs errors "
                   "(B.4).",
}


def _value(question: Question, profile: Profile, organisation: Organisation) -> str:
    if question.answer_type == "yes_no":
        return "no" if question.code in profile.no else "yes"
    if question.answer_type == "choice":
        fixed = {"A.4": profile.activity, "K.1": profile.transport}
        return profile.choices.get(question.code) or fixed.get(question.code) or (question.choices or [""])[0]
    if question.answer_type == "number":
        return str({"A.5": profile.employees, "A.6": profile.sites, "B.7": profile.declarations,
                    "M.7": max(profile.employees // 8, 1)}.get(question.code, 0 if question.code == "O.6" else 1))
    if question.answer_type == "date":
        return profile.established if question.code == "A.2" else "2026-06-30"
    customs, security = profile.people
    return {
        "A.1": f"{organisation.name}, {organisation.street}, {organisation.postcode} {organisation.city}; "
               f"EORI {organisation.identifier}.",
        "A.3": profile.owners, "A.7": "None.", "B.2": profile.compliance, "C.1": profile.software,
        "D.5": profile.outlook, "E.1": customs, "F.1": f"{customs}; customs@{organisation.identifier.lower()}.example",
        "I.1": security, "P.7": profile.improvement,
        "N.7": "We ask the partner for a corrective plan within 30 days and stop using it for our goods if the plan "
               "is not carried out.",
    }.get(question.code, "Written procedure, reviewed every year by the person in charge.")


def _evidence_pdf(title: str, organisation: Organisation) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(20 * mm, 270 * mm, organisation.name)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(20 * mm, 260 * mm, title)
    pdf.drawString(20 * mm, 250 * mm, f"{organisation.street}, {organisation.postcode} {organisation.city}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _answer(application: Application, user: User, profile: Profile, *, sections: int | None = None) -> None:
    organisation = application.organisation
    for section in sections_of(application)[:sections]:
        answers = {}
        for q in section.questions.all():
            why = profile.not_applicable.get(q.code) if q.allows_na else None
            answers[q.pk] = (services.AnswerInput(not_applicable=True, justification=why) if why
                             else services.AnswerInput(_value(q, profile, organisation)))
            if (profile.attach and q.evidence and not why and q.code not in profile.missing
                    and q.code not in profile.explained):
                services.evidence_attach_document(actor=user, application=application, question=q,
                                                  name=f"{q.code} {q.evidence[:60]}.pdf".replace("/", "-"),
                                                  content=_evidence_pdf(q.evidence, organisation))
        services.section_save(actor=user, application=application, section=section, answers=answers, version=0)


def _submit(application: Application, user: User, profile: Profile, position: str) -> None:
    services.application_submit(actor=user, application=application, signatory_name=user.full_name,
                                signatory_position=position, confirmed=True, evidence_reasons=profile.explained)
    services.application_screen(application_id=application.pk)


@transaction.atomic
def seed(stdout) -> None:
    atlantic = Organisation.objects.get(identifier="PT500123456")
    if Application.objects.filter(organisation=atlantic).exists():
        _case_logins_verified()  # data seeded before the logins were verified can still sign in
        return
    admin = User.objects.get(email="admin@atlantic.example")
    colleague = User.objects.get(email="colleague@atlantic.example")
    reviewer = User.objects.get(email="reviewer@customs.example")

    # AEOC: submitted, accepted, and customs asks for the internal audit the applicant did not attach
    aeoc = services.application_start(actor=admin, organisation=atlantic, kind="AEOC")
    _answer(aeoc, colleague, ATLANTIC)
    _submit(aeoc, admin, ATLANTIC, "Managing director")
    services.application_accept(actor=reviewer, application=aeoc)
    services.information_request_create(
        actor=reviewer, application=aeoc, due_date=timezone.now().date() + timedelta(days=21),
        questions="Please send the minutes of your last internal customs audit and the list of corrective "
                  "actions with their status.",
    )
    # AEOS: a draft two sections in
    aeos = services.application_start(actor=colleague, organisation=atlantic, kind="AEOS")
    _answer(aeos, colleague, ATLANTIC, sections=2)

    lusitania = Organisation.objects.get(identifier="PT509876543")
    lusitania_admin = User.objects.get(email="admin@lusitania.example")
    # Complete, with one condition not met, and waiting for customs to verify Lusitania before it can be submitted
    both = services.application_start(actor=lusitania_admin, organisation=lusitania, kind="AEOF")
    _answer(both, lusitania_admin, LUSITANIA)
    _cases_at_every_step(reviewer)
    stdout.write("AEO: demo applications at every step of the review, and authorisations.")


def _case_logins_verified() -> None:
    for case in CASES:
        email = f"admin@{case[1].lower()}.example"
        user = User.objects.filter(email=email).first()
        if user:
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def _refuse(reviewer: User, supervisor: User, application: Application) -> None:
    from aeo.services.review import decision_approve, rejection_confirm

    services.rejection_propose(actor=reviewer, application=application,
                               grounds=GROUNDS[application.organisation.identifier])
    Hearing.objects.filter(application=application).update(due_date=timezone.now().date() - timedelta(days=1))
    rejection_confirm(actor=reviewer, application=application, note="No reply within 30 days.")
    decision_approve(actor=supervisor, application=application)


def _cases_at_every_step(reviewer: User) -> None:
    from django.contrib.auth.models import Group

    from aeo.services.monitoring import monitoring_visit_plan
    from aeo.services.review import decision_approve, grant_propose, site_visit_schedule
    from portal.management.commands.seed_demo import DEMO_PASSWORD
    from portal.models import Membership, Role
    from portal.roles import StaffGroup

    supervisor = Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value).user_set.first()
    for name, identifier, sector, city, street, postcode, step, profile in CASES:
        organisation, _ = Organisation.objects.get_or_create(
            country="PT", identifier=identifier,
            defaults={"kind": "operator", "name": name, "sector": sector, "street": street, "postcode": postcode,
                      "city": city, "verified_at": timezone.now()})
        email = f"admin@{identifier.lower()}.example"
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": f"Administrator of {name}"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ADMIN})
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if step == "applied_again":  # refused once; the new application counts that history
            refused = services.application_start(actor=user, organisation=organisation, kind="AEOS")
            _answer(refused, user, LEIRIA_REFUSED)
            _submit(refused, user, LEIRIA_REFUSED, "Director")
            services.application_accept(actor=reviewer, application=refused)
            _refuse(reviewer, supervisor, refused)
        application = services.application_start(actor=user, organisation=organisation, kind="AEOS")
        _answer(application, user, profile)
        _submit(application, user, profile, "Director")
        if step == "applied_again":
            continue  # waits for customs to accept it
        services.application_accept(actor=reviewer, application=application)
        if step == "under_review":
            site_visit_schedule(actor=reviewer, application=application, location="Cellars at Cais de Gaia",
                                scheduled_for=timezone.now().date() + timedelta(days=12))
        elif step == "right_to_be_heard":
            services.rejection_propose(actor=reviewer, application=application, grounds=GROUNDS[identifier])
        elif step == "rejected":
            _refuse(reviewer, supervisor, application)
        else:
            grant_propose(actor=reviewer, application=application, kind="AEOS", note="All criteria met.")
            if step in ("granted", "suspended"):
                decision_approve(actor=supervisor, application=application)
                authorisation = Authorisation.objects.get(application=application)
                services.certificate_generate(authorisation_id=authorisation.pk)
                services.consent_set(actor=user, authorisation=authorisation, publish=True, mra=True)
                if step == "granted":
                    monitoring_visit_plan(actor=reviewer, authorisation=authorisation,
                                          planned_for=timezone.now().date() + timedelta(days=40),
                                          location="Production site and warehouse, Coimbra", officer_role="team")
                if step == "suspended":
                    services.authorisation_suspend(
                        actor=reviewer, authorisation=authorisation, reason="Seals were not checked on arrival.",
                        remedial_measures="Record every seal check and train the gate staff.",
                        until=timezone.now().date() + timedelta(days=60))
