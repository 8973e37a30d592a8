"""Past consultations for the demo's performance figures: closed ones with comments from the historic
operators (aeo/demo_history.py), official responses and published outcomes."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from consultations.models import Comment, Consultation, OfficialResponse, Phase
from portal.markdown import render_markdown
from portal.models import Organisation, User

# What operators wrote to past consultations (each consultation draws its comments without repeating one), and
# customs' reasoning for each disposition.
VIEWS = [
    "We support the proposal, with a transition period of a year for the system changes.",
    "The proposal works for large operators; small ones will need a web form and guidance in plain language.",
    "Please publish the technical specifications a year before the start date.",
    "We agree in principle but ask for the draft guidance to be tested with a pilot group first.",
    "The proposed deadlines are too short for operators who depend on a software provider.",
    "We welcome the simplification and can take part in a pilot from next quarter.",
    "The text should say who is responsible when the data comes from a third party.",
    "We support it if the existing authorisations stay valid until they are renewed.",
    "The cost estimate leaves out staff training; please include it in the impact assessment.",
    "Please align the data requirements with the WCO data model, so that one message serves several "
    "administrations.",
    "We ask for a contact point at customs during the first months, with answers within a working week.",
    "The proposal should come with published performance figures, so that operators can see it working.",
]
REASONING = {
    "accepted": ["Included in the final text.", "Accepted: the final text now says so.",
                 "Agreed; the guidance has been changed accordingly."],
    "partly_accepted": ["Partly: the transition period is six months, not a year.",
                        "Accepted for small operators only; large ones keep the original date.",
                        "The point is taken up in the guidance rather than in the rules."],
    "not_accepted": ["Not accepted: the legal deadline cannot be moved by guidance.",
                     "Not accepted; the data is needed for risk analysis before arrival."],
    "noted": ["Noted for the review of the rules next year.", "Noted; it is outside the scope of this text."],
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def seed(stdout, *, start: date, today: date) -> None:
    if Consultation.objects.filter(title__startswith="Past consultation").exists():
        return
    customs = Organisation.objects.filter(kind=Organisation.Kind.CUSTOMS).first()
    staff = User.objects.filter(is_staff=True).first()
    operators = list(Organisation.objects.filter(identifier__startswith="HIST"))
    if customs is None or staff is None or not operators:
        return
    rng = random.Random(15)
    topics = ["pre-arrival data for air cargo", "the release of perishable goods", "guarantees for transit",
              "the single window for export licences", "post-clearance audit", "origin self-certification",
              "e-commerce parcels", "authorised weighers"]
    for n, topic in enumerate(topics):
        opens = start + timedelta(days=30 + n * (today - start).days // len(topics))
        closes = opens + timedelta(days=rng.randrange(30, 60))
        if closes >= today:
            break
        outcome = closes + timedelta(days=rng.randrange(10, 45))
        body = f"Customs asks for views on {topic}."
        consultation = Consultation.objects.create(
            organisation=customs, created_by=staff, title=f"Past consultation: {topic}", summary=body, body=body,
            body_html=render_markdown(body), phase=Phase.OUTCOME_PUBLISHED if outcome < today else Phase.CLOSED,
            opens_at=_at(opens), closes_at=_at(closes), published_at=_at(opens), closed_at=_at(closes),
            outcome_published_at=_at(outcome) if outcome < today else None, outcome_published_by=None)
        respondents = rng.sample(operators, rng.randrange(4, 12))
        for org, text in zip(respondents, rng.sample(VIEWS, len(respondents)), strict=True):
            posted = opens + timedelta(days=rng.randrange((closes - opens).days))
            comment = Comment.objects.create(consultation=consultation, author=User.objects.filter(
                email__startswith="history").order_by("?").first(), organisation=org, body=text,
                body_html=render_markdown(text), created_at=_at(posted))
            Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
            if rng.random() < 0.75:
                disposition = rng.choice(list(REASONING))
                OfficialResponse.objects.create(
                    consultation=consultation, comment=comment, author=staff, organisation=customs,
                    disposition=disposition, reasoning=rng.choice(REASONING[disposition]),
                    created_at=_at(min(today, posted + timedelta(days=rng.randrange(3, 40)))))
    stdout.write("Consultations history: past consultations with comments and official responses.")
