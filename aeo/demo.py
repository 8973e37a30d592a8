"""Demo AEO applications in several states, for `manage.py seed_demo`. Adds nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from aeo import services
from aeo.models import Application
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
    # Submitted, waiting for acceptance, with one condition not met
    both = services.application_start(actor=lusitania_admin, organisation=lusitania, kind="AEOF")
    _answer(both, lusitania_admin, security_gap=True)
    services.application_submit(actor=lusitania_admin, application=both, signatory_name="Duarte Lopes",
                                signatory_position="Chief executive", confirmed=True)
    services.application_screen(application_id=both.pk)
    stdout.write("AEO: 3 demo applications (information requested, draft, submitted).")
