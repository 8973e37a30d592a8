"""Demo consultations for `manage.py seed_demo`: one in every phase, and one with a long thread
(consultations/demo_thread.py).

Safe to run again: consultations are found by title and left as they are.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from consultations import demo_thread
from consultations.models import (
    Audience,
    Comment,
    Consultation,
    Disposition,
    Follow,
    OfficialResponse,
    Phase,
    Topic,
)
from portal.markdown import render_markdown
from portal.models import Organisation, User

PARCELS_BODY = """## The process today

Each express carrier files its own manifest and a separate declaration for every parcel under 150 euros.
Data on the seller, the marketplace and the value are repeated in three systems.

## What would change

- One data set for low-value parcels, filed once by the carrier or the marketplace.
- Risk analysis before the aircraft lands, using the same data.
- Release of green-lane parcels within one hour of arrival.

## Questions to respondents

1. Can your systems send the data set before departure?
2. Which fields do you not hold today, and who does?
"""

FIRST_COMMENT = ("The seller's address is often missing in marketplace data. Who answers for the data set when the "
                 "marketplace holds the order and the carrier holds the parcel?")


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _org(identifier: str) -> Organisation | None:
    return Organisation.objects.filter(identifier=identifier).first()


def _consultation(title: str, **fields) -> tuple[Consultation, bool]:
    existing = Consultation.objects.filter(title=title).first()
    if existing:
        return existing, False
    fields.setdefault("body", PARCELS_BODY)
    consultation = Consultation.objects.create(title=title, body_html=render_markdown(fields["body"]), **fields)
    return consultation, True


def _comment(consultation, author, body, *, organisation=None, on_behalf=False, parent=None, when=None) -> Comment:
    comment = Comment.objects.create(
        consultation=consultation, author=author, organisation=organisation, on_behalf=on_behalf, body=body,
        body_html=render_markdown(body), parent=parent, depth=parent.depth + 1 if parent else 1,
        created_at=when or timezone.now(),
    )
    Comment.objects.filter(pk=comment.pk).update(root_id=parent.root_id if parent else comment.pk)
    comment.refresh_from_db()
    return comment


def seed(stdout) -> None:
    association, customs = _org("PT501112223"), _org("NCA-PT-001")
    atlantic, lusitania = _org("PT500123456"), _org("PT509876543")
    eva, ana = _user("member@association.example"), _user("admin@atlantic.example")
    bruno, duarte = _user("colleague@atlantic.example"), _user("admin@lusitania.example")
    officer = _user("programme@customs.example")
    if not all([association, customs, atlantic, eva, ana, officer]):
        stdout.write("Consultations: the demo organisations are missing; nothing added.")
        return
    now = timezone.now()
    topics = {t.slug: t for t in Topic.objects.all()}
    created = 0

    parcels, new = _consultation(
        "Single data set for low-value parcels", organisation=association, created_by=eva,
        summary="One data set, filed once, for parcels under 150 euros; risk analysis before arrival and release "
                "within an hour for the green lane.",
        phase=Phase.OPEN, opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
        published_at=now - timedelta(days=10))
    if new:
        created += 1
        parcels.topics.set([topics["e-commerce"], topics["procedures"]])
        Follow.objects.get_or_create(consultation=parcels, user=ana, defaults={"delivery": "immediate"})
        first = _comment(parcels, ana, FIRST_COMMENT, organisation=atlantic, on_behalf=True,
                         when=now - timedelta(days=9))
        OfficialResponse.objects.create(
            consultation=parcels, comment=first, author=officer, organisation=customs,
            disposition=Disposition.PARTLY_ACCEPTED,
            reasoning="The marketplace will be responsible where it facilitates the sale; the carrier otherwise.",
            reasoning_html=render_markdown("The marketplace will be responsible where it facilitates the sale; "
                                           "the carrier otherwise."))
        _comment(parcels, bruno or ana, "We see the same: about one parcel in ten has no seller address.",
                 parent=first, organisation=atlantic, when=now - timedelta(days=8))
        # The long thread: the demo's carriers, shop and association, spread over the open days, with the
        # supports a real thread gathers (most none, a few many).
        people = [(user, org) for user, org in ((ana, atlantic), (duarte, lusitania), (eva, association),
                                                (bruno, atlantic)) if user is not None]
        rng = random.Random(13)
        for i, (text, replies) in enumerate(demo_thread.THREAD):
            author, org = people[i % len(people)]
            root = _comment(parcels, author, text, organisation=org,
                            when=now - timedelta(days=8, minutes=-250 * i))
            support = rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13])
            if support:
                Comment.objects.filter(pk=root.pk).update(support_count=F("support_count") + support)
            for n, reply in enumerate(replies, start=1):
                replier, reply_org = people[(i + 3 * n) % len(people)]
                _comment(parcels, replier, reply, parent=root, organisation=reply_org,
                         when=root.created_at + timedelta(hours=2 * n))

    _draft, new = _consultation(
        "Electronic certificates of origin: draft for the working group", organisation=association, created_by=eva,
        summary="Replacing paper certificates of origin with electronic ones verified against the issuing body.",
        body="## Draft\n\nThe association is preparing this proposal with its members.",
        phase=Phase.DRAFT, closes_at=now + timedelta(days=60))
    created += new

    scheduled, new = _consultation(
        "Transit guarantees for authorised consignors", organisation=customs, created_by=officer,
        summary="Lower comprehensive guarantees for authorised consignors with a clean two-year record.",
        body="## Proposal\n\nThe reference amount falls to 30% for holders of AEO status.",
        phase=Phase.SCHEDULED, opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=40),
        published_at=now)
    if new:
        created += 1
        scheduled.topics.set([topics["transit"], topics["aeo"]])

    warehouses, new = _consultation(
        "Working group: bonded warehouse stock records", organisation=association, created_by=eva,
        audience=Audience.INVITED,
        summary="How bonded warehouses keep stock records that customs can audit remotely.",
        body="## As is\n\nMonthly paper returns.\n\n## To be\n\nRead-only access to the stock system.",
        phase=Phase.OPEN, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=2),
        published_at=now - timedelta(days=3))
    if new:
        created += 1
        warehouses.invited_organisations.set([atlantic, customs])
        warehouses.topics.set([topics["procedures"], topics["digitalisation"]])
        _comment(warehouses, ana, "Remote read access is fine if it is limited to the bonded stock.",
                 organisation=atlantic, on_behalf=True)

    closed, new = _consultation(
        "Binding tariff information: shorter decision times", organisation=customs, created_by=officer,
        summary="Decisions on binding tariff information within 60 days instead of 120.",
        body="## Proposal\n\nSixty days from a complete application, with samples sent in advance.",
        phase=Phase.CLOSED, opens_at=now - timedelta(days=50), closes_at=now - timedelta(days=5),
        published_at=now - timedelta(days=50), closed_at=now - timedelta(days=5))
    if new:
        created += 1
        closed.topics.set([topics["classification"]])
        _comment(closed, duarte or ana, "Sixty days is welcome; please publish the decisions faster too.",
                 organisation=lusitania, when=now - timedelta(days=20))
        _comment(closed, ana, "Samples should be returned after the decision.", organisation=atlantic,
                 on_behalf=True, when=now - timedelta(days=15))

    done, new = _consultation(
        "Customs valuation of royalties and licence fees", organisation=association, created_by=eva,
        summary="Guidance on when royalties are added to the transaction value.",
        body="## Proposal\n\nA decision tree with examples from the pharmaceutical and machinery sectors.",
        phase=Phase.OUTCOME_PUBLISHED, opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=60),
        published_at=now - timedelta(days=120), closed_at=now - timedelta(days=60),
        outcome_summary="The guidance is adopted with two more examples suggested by respondents. It applies "
                        "from the first day of next quarter.",
        outcome_published_at=now - timedelta(days=30), outcome_published_by=officer)
    if new:
        created += 1
        Consultation.objects.filter(pk=done.pk).update(outcome_html=render_markdown(done.outcome_summary))
        done.topics.set([topics["valuation"]])
        comment = _comment(done, duarte or ana, "Add an example for software licences embedded in machines.",
                           organisation=lusitania, when=now - timedelta(days=90))
        OfficialResponse.objects.create(
            consultation=done, comment=comment, author=officer, organisation=customs,
            disposition=Disposition.ACCEPTED, reasoning="Added as example 7.",
            reasoning_html=render_markdown("Added as example 7."))
    stdout.write(f"Consultations: {created} demo consultations added "
                 f"({Consultation.objects.count()} in all).")
