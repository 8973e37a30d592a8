"""Demo AEO applications in several states, for `manage.py seed_demo`. Adds nothing twice."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from aeo import services
from aeo.models import Application, Authorisation, Hearing
from aeo.selectors import sections_of
from portal.models import Organisation, User


def _answer(application: Application, user: User, *, sections: int | None = None, security_gap: bool = False) -> None:
    for index, section in enumerate(sections_of(application)):
        if sections is not None and index >= sections:
            break
        answers = {}
        for q in section.questions.all():
            if q.answer_type == "yes_no":
                value = "no" if security_gap and q.code == "L.2" else "yes"
            else:
                value = {"text": "Written procedure, reviewed every year by the compliance manager.",
                         "date": "2026-03-31", "number": "48", "choice": (q.choices or [""])[0]}[q.answer_type]
            answers[q.pk] = services.AnswerInput(value)
        services.section_save(actor=user, application=application, section=section, answers=answers, version=0)


@transaction.atomic
def seed(stdout) -> None:
    atlantic = Organisation.objects.get(identifier="PT500123456")
    if Application.objects.filter(organisation=atlantic).exists():
        _case_logins_verified()  # data seeded before the logins were verified can still sign in
        return
    admin = User.objects.get(email="admin@atlantic.example")
    colleague = User.objects.get(email="colleague@atlantic.example")
    reviewer = User.objects.get(email="reviewer@customs.example")

    # AEOC: submitted, accepted, and customs asks for information
    aeoc = services.application_start(actor=admin, organisation=atlantic, kind="AEOC")
    _answer(aeoc, colleague)
    services.application_submit(actor=admin, application=aeoc, signatory_name="Ana Ferreira",
                                signatory_position="Managing director", confirmed=True)
    services.application_screen(application_id=aeoc.pk)
    services.application_accept(actor=reviewer, application=aeoc)
    services.information_request_create(
        actor=reviewer, application=aeoc, due_date=timezone.now().date() + timedelta(days=21),
        questions="Please send the minutes of your last internal customs audit and the list of corrective "
                  "actions with their status.",
    )
    # AEOS: a draft two sections in
    aeos = services.application_start(actor=colleague, organisation=atlantic, kind="AEOS")
    _answer(aeos, colleague, sections=2)

    lusitania = Organisation.objects.get(identifier="PT509876543")
    lusitania_admin = User.objects.get(email="admin@lusitania.example")
    # Complete, with one condition not met, and waiting for customs to verify Lusitania before it can be submitted
    both = services.application_start(actor=lusitania_admin, organisation=lusitania, kind="AEOF")
    _answer(both, lusitania_admin, security_gap=True)
    _cases_at_every_step(reviewer)
    stdout.write("AEO: demo applications at every step of the review, and authorisations.")


# (name, identifier, sector, how far the case goes)
CASES = [
    ("Douro Wine Exporters SA", "PT502000001", "agriculture", "under_review"),
    ("Minho Textiles Lda", "PT502000002", "apparel", "right_to_be_heard"),
    ("Setubal Auto Parts SA", "PT502000003", "automotive", "decision_proposed"),
    ("Coimbra Chemicals SA", "PT502000004", "pharma", "granted"),
    ("Algarve Cold Chain Lda", "PT502000005", "consumer", "rejected"),
    ("Braga Electronics Lda", "PT502000006", "electronics", "suspended"),
]


def _case_logins_verified() -> None:
    for _name, identifier, _sector, _step in CASES:
        email = f"admin@{identifier.lower()}.example"
        user = User.objects.filter(email=email).first()
        if user:
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})


def _cases_at_every_step(reviewer: User) -> None:
    from django.contrib.auth.models import Group

    from aeo.services.review import decision_approve, grant_propose, rejection_confirm, site_visit_schedule
    from portal.management.commands.seed_demo import DEMO_PASSWORD
    from portal.models import Membership, Role
    from portal.roles import StaffGroup

    supervisor = Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value).user_set.first()
    for name, identifier, sector, step in CASES:
        organisation, _ = Organisation.objects.get_or_create(
            country="PT", identifier=identifier,
            defaults={"kind": "operator", "name": name, "sector": sector, "street": "Zona Industrial, lote 4",
                      "postcode": "4700-000", "city": "Braga", "verified_at": timezone.now()})
        email = f"admin@{identifier.lower()}.example"
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": f"Administrator of {name}"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": Role.ADMIN})
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        application = services.application_start(actor=user, organisation=organisation, kind="AEOS")
        _answer(application, user, security_gap=step in ("right_to_be_heard", "rejected"))
        services.application_submit(actor=user, application=application, signatory_name=user.full_name,
                                    signatory_position="Director", confirmed=True)
        services.application_screen(application_id=application.pk)
        services.application_accept(actor=reviewer, application=application)
        if step == "under_review":
            site_visit_schedule(actor=reviewer, application=application, location="Main warehouse",
                                scheduled_for=timezone.now().date() + timedelta(days=12))
        elif step in ("right_to_be_heard", "rejected"):
            services.rejection_propose(actor=reviewer, application=application,
                                       grounds="Premises security (L.2) is not met: the perimeter has no access "
                                               "control, and no remedy was proposed.")
            if step == "rejected":
                Hearing.objects.filter(application=application).update(
                    due_date=timezone.now().date() - timedelta(days=1))
                rejection_confirm(actor=reviewer, application=application, note="No reply within 30 days.")
                decision_approve(actor=supervisor, application=application)
        else:
            grant_propose(actor=reviewer, application=application, kind="AEOS", note="All criteria met.")
            if step in ("granted", "suspended"):
                decision_approve(actor=supervisor, application=application)
                authorisation = Authorisation.objects.get(application=application)
                services.certificate_generate(authorisation_id=authorisation.pk)
                services.consent_set(actor=user, authorisation=authorisation, publish=True, mra=True)
                if step == "suspended":
                    services.authorisation_suspend(
                        actor=reviewer, authorisation=authorisation, reason="Seals were not checked on arrival.",
                        remedial_measures="Record every seal check and train the gate staff.",
                        until=timezone.now().date() + timedelta(days=60))
