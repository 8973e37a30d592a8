"""The benchmark's data: the demo data, a 500-comment consultation and 100,000-row tables.

The thread is written through the services (as people would post it); the large tables are
bulk-created in batches, as no one would wait for 100,000 service calls. Seeding runs once per
database: a second run finds the thread and reuses everything.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

BATCH = 5000
THREAD_TITLE = "Benchmark: one data set for low-value parcels"
COMMENTS = 500
RESPONSES = 40  # official responses on comments of the thread

COMMENT_TEXT = (
    "We support **point {n}**, provided carriers get a transition period.\n\n"
    "- the manifest data is already in our systems;\n- the parcel data is not, before loading.\n\n"
    "See [the draft](https://example.org/draft) for the fields we mean."
)


@dataclass
class Seeded:
    thread_id: int
    course_slug: str
    organisation_id: int  # the demo operator whose people, training and applications the signed-in pages show
    application_id: int  # a draft: its task list


def _log(message: str, started: float) -> None:
    print(f"  {message} ({time.monotonic() - started:.1f} s)", flush=True)


def seed(rows: int) -> Seeded:
    from consultations.models import Consultation

    if not Consultation.objects.filter(title=THREAD_TITLE).exists():
        started = time.monotonic()
        call_command("seed_demo", force=True, verbosity=0)  # its own database, on loopback only
        _log("demo data", started)
        _thread()
        _log(f"thread of {COMMENTS} comments through the services", started)
        _consultations(rows)
        _log(f"{rows:,} consultations", started)
        _aeo(rows)
        _log(f"{rows:,} organisations, applications and authorisations", started)
        _training(rows)
        _log(f"{rows:,} courses and {rows:,} enrolments", started)
        _analyze()
    return _seeded()


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _seeded() -> Seeded:
    from aeo.models import Application
    from consultations.models import Consultation
    from portal.models import Organisation
    from training.models import Course

    atlantic = Organisation.objects.get(identifier="PT500123456")
    return Seeded(
        thread_id=Consultation.objects.get(title=THREAD_TITLE).pk,
        course_slug=Course.objects.published().filter(slug__startswith="bench-").order_by("pk").first().slug,
        organisation_id=atlantic.pk,
        application_id=Application.objects.filter(organisation=atlantic, state="draft").order_by("pk").first().pk,
    )


def _user(email: str):
    from portal.models import User

    return User.objects.get(email=email)


@override_settings(CONSULTATION_COMMENT_RATE=(COMMENTS * 10, 60))
def _thread() -> None:
    """500 comments: roots, each with a reply and a reply to the reply; customs answers some of them."""
    from consultations import services
    from consultations.models import Disposition
    from portal.models import Membership, Organisation
    from tests.factories import MembershipFactory, UserFactory

    association = Organisation.objects.get(kind="association", memberships__user__email="member@association.example")
    eva = _user("member@association.example")
    consultation = services.consultation_create(
        actor=eva, organisation=association, title=THREAD_TITLE,
        summary="Customs proposes a single data set for parcels under 150 euros.",
        body="## Today\n\nEach carrier files its own manifest.\n\n## Proposal\n\nOne data set for all.\n\n"
             "| field | today | proposed |\n| --- | --- | --- |\n| value | optional | required |",
        closes_at=timezone.now() + timedelta(days=60),
    )
    consultation = services.consultation_publish(actor=eva, consultation=consultation)
    operators = list(Organisation.objects.filter(kind="operator").order_by("pk")[:5])
    people = [MembershipFactory(user=UserFactory(email=f"bench-commenter-{i}@example.org"),
                                organisation=operators[i % len(operators)]) for i in range(50)]
    comments = []
    while len(comments) < COMMENTS:
        n = len(comments)
        membership: Membership = people[n % len(people)]
        parent = comments[-1] if n % 3 else None  # root, reply, reply to the reply
        comments.append(services.comment_post(
            actor=membership.user, consultation=consultation, body=COMMENT_TEXT.format(n=n), parent=parent,
            acting_for=membership, on_behalf=n % 7 == 0,
        ))
    officer = _user("programme@customs.example")
    dispositions = Disposition.values
    for i, comment in enumerate(comments[::COMMENTS // RESPONSES][:RESPONSES]):
        services.official_response_post(actor=officer, consultation=consultation, comment=comment,
                                        disposition=dispositions[i % len(dispositions)],
                                        reasoning=f"Thank you. Point {i} is taken into the revised draft.")


def _consultations(rows: int) -> None:
    from consultations.models import Consultation, Phase
    from portal.markdown import render_markdown
    from portal.models import Organisation

    association = Organisation.objects.get(kind="association", memberships__user__email="member@association.example")
    eva = _user("member@association.example")
    now = timezone.now()
    body = "## Today\n\nEach declarant files its own data.\n\n## Proposal\n\nOne set of data for all."
    body_html = render_markdown(body)
    phases = [Phase.OUTCOME_PUBLISHED, Phase.CLOSED, Phase.CLOSED, Phase.OPEN]
    for first in range(0, rows, BATCH):
        with transaction.atomic():
            Consultation.objects.bulk_create([Consultation(
                organisation=association, created_by=eva, title=f"Past consultation {i} on simplified procedures",
                summary="Customs asked how declarations could be simplified for regular traders.",
                body=body, body_html=body_html, phase=phases[i % len(phases)],
                opens_at=now - timedelta(days=i // 50 + 40), published_at=now - timedelta(days=i // 50 + 40),
                closes_at=now - timedelta(days=i // 50 + 10) if i % 4 else now + timedelta(days=30),
            ) for i in range(first, min(rows, first + BATCH))])


def _aeo(rows: int) -> None:
    """One operator per row, each with an application; most granted, with a published authorisation."""
    from aeo.models import Application, Authorisation, Questionnaire
    from portal.models import Organisation, Sector

    supervisor = _user("supervisor@customs.example")
    questionnaire = Questionnaire.objects.order_by("-version").first()
    now = timezone.now()
    open_states = ["submitted", "under_review", "information_requested", "decision_proposed"]
    countries = ["PT", "ES", "FR", "DE", "IT", "NL", "BE", "PL"]
    for first in range(0, rows, BATCH):
        numbers = range(first, min(rows, first + BATCH))
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create([Organisation(
                kind="operator", name=f"Operator {i:06d} Lda", identifier=f"BENCH{i:07d}",
                country=countries[i % len(countries)], sector=Sector.values[i % len(Sector.values)])
                for i in numbers])
            apps = Application.objects.bulk_create([Application(
                organisation=org, kind=("AEOC", "AEOS", "AEOF")[i % 3], questionnaire=questionnaire,
                created_by=supervisor, state=open_states[i % 4] if i % 20 == 0 else "granted",
                reference=f"BENCH-{i}", submitted_at=now - timedelta(days=i % 400 + 5),
                acceptance_due=(now + timedelta(days=i % 30)).date(),
                decision_due=(now + timedelta(days=i % 120)).date(),
            ) for i, org in zip(numbers, orgs, strict=True)])
            Authorisation.objects.bulk_create([Authorisation(
                application=app, organisation=app.organisation, number=f"PT-AEO-BENCH-{i}", kind=app.kind,
                valid_from=(now - timedelta(days=i % 900)).date(), granted_by=supervisor, consent_publish=i % 5 != 0,
            ) for i, app in zip(numbers, apps, strict=True) if app.state == "granted"])


def _training(rows: int) -> None:
    """Published courses across the centres, and the demo operator's people enrolled on many of them."""
    from portal.models import Membership, Organisation, User
    from training.models import Centre, Course, Enrolment

    centres = list(Centre.objects.order_by("pk"))
    atlantic = Organisation.objects.get(identifier="PT500123456")
    for first in range(0, rows, BATCH):
        with transaction.atomic():
            Course.objects.bulk_create([Course(
                centre=centres[i % len(centres)], slug=f"bench-course-{i}", title=f"Customs procedures, part {i}",
                summary="What the procedure asks of a trader, step by step.", is_published=True,
            ) for i in range(first, min(rows, first + BATCH))])
    learners = max(1, rows // 100)
    users = User.objects.bulk_create([User(email=f"bench-learner-{i}@example.org", full_name=f"Learner {i}")
                                      for i in range(learners)])
    Membership.objects.bulk_create([Membership(user=u, organisation=atlantic) for u in users])
    courses = list(Course.objects.filter(slug__startswith="bench-").order_by("pk").values_list("pk", flat=True)[:100])
    enrolments = [Enrolment(user=u, course_id=c, organisation=atlantic) for u in users for c in courses]
    Enrolment.objects.bulk_create(enrolments[:rows], batch_size=BATCH)
