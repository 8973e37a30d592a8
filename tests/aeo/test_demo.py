"""The demo's AEO cases score as real cases would: spread over the bands, none tied, in the order of their
stories (a clean long-standing holder lowest, a newcomer with gaps highest)."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from aeo import demo
from aeo.models import Application
from portal.management.commands.seed_demo import ORGANISATIONS, PERSONAS
from portal.models import Membership, Organisation, User


@pytest.fixture
def demo_cases(db, settings) -> dict[str, Application]:
    # given the demo's organisations and logins, as `seed_demo` makes them before each pillar's demo
    for fields in ORGANISATIONS.values():
        unverified = fields["identifier"] == "PT509876543"  # Lusitania waits for customs
        Organisation.objects.create(**fields, verified_at=None if unverified else timezone.now())
    for email, name, key, role, groups in PERSONAS:
        user = User.objects.create(email=email, full_name=name, is_staff=bool(groups))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Membership.objects.create(user=user, organisation=Organisation.objects.get(**{
            "identifier": ORGANISATIONS[key]["identifier"]}), role=role)
        user.groups.set(Group.objects.filter(name__in=[g.value for g in groups]))
    demo.seed(io.StringIO())
    screened = Application.objects.exclude(risk_score=None).select_related("organisation")
    return {f"{a.organisation.name} {a.state}": a for a in screened}


def test_the_demo_cases_spread_over_the_bands_none_tie_and_each_follows_its_story(demo_cases):
    scores = {name: (a.risk_score, a.screening["band"]) for name, a in demo_cases.items()}
    print("\nRisk scores of the demo cases:")
    for name, (value, band) in sorted(scores.items(), key=lambda kv: kv[1][0]):
        print(f"  {value:>3} {band:<9} {name}")
    values = [value for value, _band in scores.values()]
    assert len(values) == len(set(values)) == 9  # no two cases tie, so the queue has one order
    bands = {band for _value, band in scores.values()}
    assert bands == {"low", "moderate", "high", "very_high"}
    # and each score follows its story: the clean, long-standing holder scores lowest; the newcomer with
    # security gaps highest
    ordered = sorted(demo_cases, key=lambda name: demo_cases[name].risk_score)
    assert ordered[0] == "Coimbra Chemicals SA granted"
    assert ordered[-1] == "Algarve Cold Chain Lda rejected"
    # the company applying again carries its earlier refusal, and explained its missing documents
    again = demo_cases["Leiria Moulds and Plastics Lda submitted"]
    assert again.screening["facts"]["earlier_rejection"] == 1
    assert {"D.2", "P.1"} == set(again.evidence_reasons) == set(again.screening["facts"]["evidence_explained"])
    # every rejected or heard case scores above every granted one
    granted = [a.risk_score for a in demo_cases.values() if a.state == "granted"]
    refused = [a.risk_score for a in demo_cases.values() if a.state in ("rejected", "right_to_be_heard")]
    assert max(granted) < min(refused)
