"""Past consultations for the demo's performance figures: closed ones with comments from the historic
operators (aeo/demo_history.py), official responses and published outcomes."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from consultations.models import Comment, Consultation, OfficialResponse, Phase
from portal.markdown import render_markdown
from portal.models import Organisation, User


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
        for org in rng.sample(operators, rng.randrange(4, 12)):
            posted = opens + timedelta(days=rng.randrange((closes - opens).days))
            text = "We support the proposal, with a transition period of a year."
            comment = Comment.objects.create(consultation=consultation, author=User.objects.filter(
                email__startswith="history").order_by("?").first(), organisation=org, body=text,
                body_html=render_markdown(text), created_at=_at(posted))
            Comment.objects.filter(pk=comment.pk).update(root_id=comment.pk)
            if rng.random() < 0.75:
                OfficialResponse.objects.create(
                    consultation=consultation, comment=comment, author=staff, organisation=customs,
                    disposition=rng.choice(["accepted", "partly_accepted", "not_accepted", "noted"]),
                    reasoning="Considered in the final text.",
                    created_at=_at(min(today, posted + timedelta(days=rng.randrange(3, 40)))))
    stdout.write("Consultations history: past consultations with comments and official responses.")
