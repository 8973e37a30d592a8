"""A year and a half of past AEO activity for the demo, written as the services record it (applications
and their audit events at past times), so that the performance charts show plausible spreads: most
cases accepted within 30 days and decided within 120, some late, some extended, returned, withdrawn or
heard before a rejection, and the latest still open."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aeo.models import Application, Authorisation, Questionnaire
from aeo.workflow import State
from portal.models import AuditEvent, Membership, Organisation, Role, Sector, User

PLACES = ["Tejo", "Douro", "Mondego", "Sado", "Guadiana", "Lima", "Vouga", "Zezere", "Cavado", "Tamega", "Paiva",
          "Alva", "Coa", "Sabor", "Tua", "Ave"]
TRADES = ["Logistics", "Foods", "Components", "Plastics", "Metals", "Pharma", "Textiles", "Machinery",
          "Electronics", "Cork"]
COUNTRIES = ["PT", "PT", "PT", "ES", "FR", "DE"]
SECTORS = list(Sector.values)
PREFIX = "HIST"  # identifiers of the historic operators: HIST001…


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def seed(stdout, *, start: date, today: date) -> None:
    if Organisation.objects.filter(identifier__startswith=PREFIX).exists():
        return
    rng = random.Random(14)
    questionnaire = Questionnaire.objects.order_by("-version").first()
    ct = ContentType.objects.get_for_model(Application)
    span = (today - start).days
    events, count = [], 0
    for n in range(1, 91):
        country = rng.choice(COUNTRIES)
        org = Organisation.objects.create(
            kind=Organisation.Kind.OPERATOR, name=f"{rng.choice(PLACES)} {rng.choice(TRADES)} {n:02d}",
            identifier=f"{PREFIX}{n:03d}", country=country, sector=rng.choice(SECTORS), city="Lisboa",
            verified_at=_at(start, 9))
        user = User.objects.create(email=f"history{n:03d}@operators.example", full_name=f"Officer {n:02d}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
        submitted = start + timedelta(days=rng.randrange(span))
        kind = rng.choice(["AEOC", "AEOC", "AEOS", "AEOF"])
        app = Application.objects.create(organisation=org, kind=kind, questionnaire=questionnaire, created_by=user,
                                         created_at=_at(submitted - timedelta(days=rng.randrange(5, 40)), 9),
                                         reference=f"PT-AEO-H{n:04d}", state=State.SUBMITTED)
        steps: list[tuple[date, str, str, str, dict]] = []

        def step(day: date, action: str, source: str, target: str, data: dict | None = None, steps=steps) -> None:
            steps.append((day, action, source, target, data or {}))

        step(submitted, "submit", "draft", "submitted")
        state, day = State.SUBMITTED, submitted
        fate = rng.random()
        if fate < 0.06:  # returned as not acceptable, submitted again
            day += timedelta(days=rng.randrange(3, 15))
            step(day, "return", "submitted", "draft")
            day += timedelta(days=rng.randrange(5, 20))
            step(day, "submit", "draft", "submitted")
        if fate > 0.94 and day + timedelta(days=10) < today:  # withdrawn before acceptance
            step(day + timedelta(days=rng.randrange(2, 10)), "withdraw", "submitted", "withdrawn")
            state = State.WITHDRAWN
        else:
            accept = day + timedelta(days=max(1, int(rng.gauss(20, 10))))
            if accept <= today:
                step(accept, "accept", "submitted", "under_review")
                state, day = State.UNDER_REVIEW, accept
                if rng.random() < 0.45:
                    asked = day + timedelta(days=rng.randrange(10, 50))
                    if asked < today:
                        step(asked, "request_information", "under_review", "information_requested")
                        answered = asked + timedelta(days=rng.randrange(3, 28))
                        state = State.INFORMATION_REQUESTED
                        if answered < today:
                            step(answered, "respond", "information_requested", "under_review")
                            state = State.UNDER_REVIEW
                extension = 30 if rng.random() < 0.15 else 0
                decided = accept + timedelta(days=max(20, int(rng.gauss(95, 30))) + extension // 2)
                if extension and accept + timedelta(days=100) < today:
                    step(accept + timedelta(days=100), "deadline_extended", "", "",
                         {"days": extension, "reason": "Site validation rescheduled"})
                if decided <= today and state == State.UNDER_REVIEW:
                    if rng.random() < 0.12:  # rejection intended: hearing, then rejected or reconsidered
                        heard = decided - timedelta(days=35)
                        step(heard, "propose_rejection", "under_review", "right_to_be_heard")
                        step(heard + timedelta(days=20), "hearing_reply", "right_to_be_heard", "right_to_be_heard")
                        if rng.random() < 0.6:
                            step(heard + timedelta(days=30), "confirm_rejection", "right_to_be_heard",
                                 "decision_proposed")
                            step(decided, "approve_rejection", "decision_proposed", "rejected")
                            state = State.REJECTED
                        else:
                            step(heard + timedelta(days=30), "reconsider", "right_to_be_heard", "under_review")
                            step(decided - timedelta(days=2), "propose_grant", "under_review", "decision_proposed")
                            step(decided, "approve_grant", "decision_proposed", "granted")
                            state = State.GRANTED
                    else:
                        step(decided - timedelta(days=3), "propose_grant", "under_review", "decision_proposed")
                        step(decided, "approve_grant", "decision_proposed", "granted")
                        state = State.GRANTED
                app.decision_extension_days = extension
                app.accepted_at = _at(accept, 11)
                app.decision_due = accept + timedelta(days=120 + extension)
        app.state, app.submitted_at = state, _at(submitted, 10)
        app.acceptance_due = submitted + timedelta(days=30)
        app.save()
        for i, (day, action, source, target, data) in enumerate(steps):
            events.append(AuditEvent(action=f"aeo.{action}", target_type=ct, target_id=str(app.pk),
                                     target_repr=app.reference, organisation=org, from_state=source, to_state=target,
                                     data=data, created_at=_at(day, 10 + min(i, 8))))
        if state == State.GRANTED:
            granted = steps[-1][0]
            authorisation = Authorisation.objects.create(
                application=app, organisation=org, number=f"PT{kind}H{n:04d}", kind=kind, valid_from=granted,
                granted_by=User.objects.filter(is_staff=True).first() or user)
            if rng.random() < 0.1 and granted + timedelta(days=40) < today:
                events.append(AuditEvent(action="aeo.suspended", target_type=ct, target_id=str(app.pk),
                                         target_repr=app.reference, organisation=org, from_state="active",
                                         to_state="suspended", created_at=_at(granted + timedelta(days=40), 15)))
                authorisation.status = Authorisation.Status.SUSPENDED
                authorisation.save(update_fields=["status"])
        count += 1
    AuditEvent.objects.bulk_create(events)
    stdout.write(f"AEO history: {count} past applications with {len(events)} recorded events.")
