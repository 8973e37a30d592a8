"""A risk score that tells cases apart; the evidence the applicant is told of is the evidence customs sees;
monitoring after the grant that never lifts a suspension silently."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aeo import services
from aeo.models import Application, Authorisation, RiskModel
from aeo.risk import BANDS, DEFAULT_WEIGHTS, RiskFacts, band_of, band_ranges, calibration, score
from aeo.selectors import task_list
from aeo.services.monitoring import monitoring_review_record, monitoring_visit_plan, monitoring_watch
from aeo.services.risk_models import risk_model_publish
from portal.models import Notification
from portal.roles import StaffGroup
from tests.conftest import _staff

SIGN = {"signatory_name": "Alice Admin", "signatory_position": "Managing director", "confirmed": True}


def _population(n: int, seed: int = 13) -> list[RiskFacts]:
    """Applications as they come: most answer every condition "yes", some miss a few documents, a few have a
    history with customs or answer conditions "no"."""
    rng = random.Random(seed)
    codes = [f"Q{i}" for i in range(120)]

    def some(k: int) -> list[str]:
        return rng.sample(codes, k)

    return [RiskFacts(
        must_no=some(rng.choices([0, 1, 2, 3, 4], [60, 18, 10, 7, 5])[0]),
        should_no=some(rng.choices([0, 1, 2, 3, 5, 8], [35, 20, 15, 12, 10, 8])[0]),
        evidence_missing=some(rng.choices([0, 1, 2, 4, 7, 12, 22], [30, 15, 15, 15, 10, 10, 5])[0]),
        evidence_explained=some(rng.choice([0, 0, 1, 2, 3])),
        not_applicable=some(rng.choice([0, 1, 2, 3, 5, 9])),
        earlier_rejection=rng.choices([0, 1, 2], [85, 12, 3])[0],
        suspension=rng.choices([0, 1], [93, 7])[0], revocation=rng.choices([0, 1], [97, 3])[0],
        unverified=rng.random() < 0.03,
    ) for _ in range(n)]


def test_scores_of_1000_generated_applications_spread_over_the_bands():
    scores = [score(facts, DEFAULT_WEIGHTS)[0] for facts in _population(1000)]
    bands = Counter(band_of(s, DEFAULT_WEIGHTS) for s in scores)
    print("\nRisk scores of 1,000 generated applications (weights version 1):")
    for band, low, high in band_ranges(DEFAULT_WEIGHTS):
        print(f"  {BANDS[band]!s:>9} {low:>3}-{high:<3} {bands[band]:>4} {'#' * (bands[band] // 10)}")
    by_ten = Counter(min(s // 10, 9) for s in scores)
    print("  by tens: " + " ".join(f"{10 * k}-{10 * k + 9}:{by_ten[k]}" for k in range(10)))
    assert sum(1 for band in BANDS if bands[band] >= 20) >= 4  # every band holds real cases
    assert max(bands.values()) <= 600  # no band swallows the queue
    assert scores.count(100) <= 20  # the scale does not saturate


def test_each_family_is_capped_so_paperwork_alone_cannot_fill_the_scale():
    paperwork, _reasons = score(RiskFacts(evidence_missing=[f"Q{i}" for i in range(22)]), DEFAULT_WEIGHTS)
    conditions, _reasons = score(RiskFacts(must_no=["B.1", "B.2", "C.1"]), DEFAULT_WEIGHTS)
    assert paperwork == 20 and conditions == 45 and band_of(conditions, DEFAULT_WEIGHTS) == "high"


@pytest.fixture
def proposer(db):
    return _staff("proposer@customs.example", StaffGroup.AEO_SUPERVISOR)


def test_the_missing_evidence_the_applicant_sees_is_what_customs_sees(complete_draft, alice, reviewer, client_for,
                                                                       django_capture_on_commit_callbacks):
    # given a draft with every answer and no evidence attached
    expected = [q for item in task_list(complete_draft) for q in item.evidence_missing]
    assert expected
    # the task list and the check page list each missing item with a link to attach it
    client = client_for(alice)
    tasks = client.get(complete_draft.get_absolute_url()).content.decode()
    check = client.get(reverse("aeo:application_check", args=[complete_draft.pk])).content.decode()
    for question in expected:
        attach = reverse("aeo:evidence_upload", args=[complete_draft.pk, question.pk])
        assert attach in tasks and attach in check
    # when the administrator signs with a reason for each item
    reasons = {f"evidence_reason_{q.code}": f"{q.code} goes by post." for q in expected}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("aeo:application_check", args=[complete_draft.pk]), {**SIGN, **reasons})
    assert response.status_code == 302
    app = Application.objects.get(pk=complete_draft.pk)
    # then customs sees the same list, in the screening and on the case page, with the reasons
    assert app.screening["evidence_missing"] == [q.code for q in expected]
    page = client_for(reviewer).get(reverse("admin:aeo_application_change", args=[app.pk])).content.decode()
    assert page.count("evidence missing</span>") == len(expected)
    for question in expected:
        assert f"{question.code} goes by post." in page
    assert app.screening["facts"]["evidence_explained"] == [q.code for q in expected]


def test_signing_without_a_reason_for_missing_evidence_is_refused_with_the_item(complete_draft, alice, client_for):
    first = next(q for item in task_list(complete_draft) for q in item.evidence_missing)
    response = client_for(alice).post(reverse("aeo:application_check", args=[complete_draft.pk]), SIGN)
    assert response.status_code == 200
    assert f"{first.code}: attach the evidence, or say why it is missing." in response.content.decode()
    assert Application.objects.get(pk=complete_draft.pk).state == "draft"


def test_the_supervisor_sees_each_reason_with_its_points_on_the_scale(complete_draft, alice, supervisor, client_for,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=alice, application=complete_draft, **SIGN)
    app = Application.objects.get(pk=complete_draft.pk)
    assert app.risk_model == RiskModel.objects.get(version=1)
    page = client_for(supervisor).get(reverse("admin:aeo_application_change", args=[app.pk])).content.decode()
    assert f"Risk score <strong>{app.risk_score}</strong> on a scale of 0 to 100" in page
    assert "Weights version 1." in page
    for reason in app.screening["risk_reasons"]:
        assert re.search(rf"<td>{reason['points']}( \(family capped at \d+\))?</td>", page)
    assert "Low 0–19" in page and "Very high 60–100" in page
    # and the queue gives each score with its band, on the scale its header names
    queue = client_for(supervisor).get(reverse("admin:aeo_application_changelist")).content.decode()
    assert "Risk (0–100)" in queue
    assert f"{app.risk_score} <small>{BANDS[app.screening['band']]}</small>" in queue


def test_published_weights_are_a_new_version_and_the_calibration_page_sorts_past_decisions(
        complete_draft, alice, programme_admin, reviewer, client_for):
    weights = {**DEFAULT_WEIGHTS, "families": {**DEFAULT_WEIGHTS["families"],
                                               "practices": {"cap": 20, "rules": {"should_no": 4}}}}
    with pytest.raises(Exception, match="publish"):
        risk_model_publish(actor=reviewer, weights=weights, note="Practices weigh more.")
    model = risk_model_publish(actor=programme_admin, weights=weights, note="Practices weigh more.")
    assert model.version == 2 and RiskModel.objects.get(version=1).weights == DEFAULT_WEIGHTS
    # when the applicant's case is screened and rejected
    services.application_submit(actor=alice, application=complete_draft, **SIGN)
    services.application_screen(application_id=complete_draft.pk)
    Application.objects.filter(pk=complete_draft.pk).update(state="rejected")
    # then the calibration page scores it again with version 2 and shows where it fell
    page = client_for(programme_admin).get(reverse("admin:aeo_riskmodel_calibration"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cases and past decisions by risk band" in text and "version 2" in text
    value = score(RiskFacts.from_data(Application.objects.get(pk=complete_draft.pk).screening["facts"]), weights)[0]
    band = band_of(value, weights)
    row = re.search(rf"<th scope=\"row\">{BANDS[band]}</th><td>[^<]+</td>(.*?)</tr>", text).group(1)
    assert row == "<td>1</td><td>0</td><td>1</td><td>0</td><td>100%</td>"  # cases, granted, rejected, open, share
    assert 'role="img"' in text and "<title id=\"risk-calibration-title\">" in text  # the chart beside the table
    assert client_for(reviewer).get(reverse("admin:aeo_riskmodel_calibration")).status_code == 403


def test_calibration_counts_each_band_and_how_well_the_weights_order_the_decisions():
    # given two grants scoring low, one rejection scoring high and one tying a grant, and an open case
    cases = [("granted", 5), ("granted", 30), ("rejected", 30), ("rejected", 65), ("open", 45)]
    result = calibration(cases, DEFAULT_WEIGHTS)
    rows = {row["band"]: row for row in result["bands"]}
    assert [rows[b]["scored"] for b in BANDS] == [1, 2, 1, 1]
    assert (rows["moderate"]["granted"], rows["moderate"]["rejected"], rows["moderate"]["rejected_share"]) == (1, 1, 50)
    assert rows["high"]["open"] == 1 and rows["high"]["rejected_share"] is None
    # of the four granted/rejected pairs the rejection scores higher in three, ties once: (3 + 0.5) / 4
    assert result["ordered"] == 88 and result["decided"] == 4 and result["scored"] == 5
    assert (result["mean_granted"], result["mean_rejected"]) == (17.5, 47.5)
    assert calibration([("granted", 5)], DEFAULT_WEIGHTS)["ordered"] is None


# --- Monitoring after the grant ----------------------------------------------------------------------------

@pytest.fixture
def authorisation(complete_draft, alice, reviewer, proposer, supervisor) -> Authorisation:
    services.application_submit(actor=alice, application=complete_draft, **SIGN)
    services.application_accept(actor=reviewer, application=complete_draft)
    services.grant_propose(actor=proposer, application=complete_draft, kind="AEOC", note="All met.")
    services.decision_approve(actor=supervisor, application=complete_draft, note="Agreed.")
    return Authorisation.objects.get(application=complete_draft)


def test_a_grant_plans_the_next_review_and_a_review_with_shortcomings_brings_it_forward(authorisation, reviewer,
                                                                                       settings):
    today = timezone.localdate()
    assert authorisation.next_review_due.year - today.year in (1, settings.AEO_REASSESSMENT_YEARS)
    monitoring_review_record(actor=reviewer, authorisation=authorisation, kind="visit", held_on=today,
                             result="shortcomings", findings="Seal log incomplete.")
    authorisation.refresh_from_db()
    assert authorisation.next_review_due.year == today.year + 1


def test_suspension_end_reminds_customs_once_and_never_lifts_it(authorisation, reviewer, supervisor):
    today = timezone.localdate()
    until = today + timedelta(days=30)
    services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Unlogged seals.",
                                   remedial_measures="Log every seal.", until=until)
    told = Notification.objects.filter(recipient=supervisor, kind="aeo.review", subject__contains="suspension")
    for day, expected in [(until - timedelta(days=10), 0), (until - timedelta(days=7), 1),
                          (until - timedelta(days=3), 1), (until, 1), (until + timedelta(days=1), 2),
                          (until + timedelta(days=20), 2)]:
        monitoring_watch(today=day)
        monitoring_watch(today=day)
        assert told.count() == expected, day
    authorisation.refresh_from_db()
    assert authorisation.status == "suspended"  # only customs' decision lifts or revokes it
    assert "lift" in told.latest("pk").body or "decision" in told.latest("pk").subject


def test_reviews_due_are_flagged_once(authorisation, supervisor):
    due = authorisation.next_review_due
    told = Notification.objects.filter(recipient=supervisor, kind="aeo.review",
                                       subject__contains="monitoring review due")
    monitoring_watch(today=due - timedelta(days=40))
    assert told.count() == 0
    monitoring_watch(today=due - timedelta(days=30))
    monitoring_watch(today=due)
    assert told.count() == 1


def test_a_visit_is_planned_the_holder_told_and_its_findings_recorded_after(authorisation, alice, reviewer,
                                                                              client_for):
    today = timezone.localdate()
    # a visit is planned for a day to come, never for the past
    with pytest.raises(ValidationError, match="after today"):
        monitoring_visit_plan(actor=reviewer, authorisation=authorisation, planned_for=today, location="Warehouse",
                              officer_role="auditor")
    visit = monitoring_visit_plan(actor=reviewer, authorisation=authorisation, planned_for=today + timedelta(days=14),
                                  location="Main warehouse, Matosinhos", officer_role="team")
    # the holder is told when, where and who (by role), and sees it in its timeline
    told = Notification.objects.get(recipient=alice, subject__contains="customs will visit you")
    assert f"{visit.planned_for.day} {visit.planned_for:%B %Y}" in told.subject
    assert "Audit team: an AEO auditor and a security and safety specialist" in told.body
    assert "Main warehouse, Matosinhos" in told.body
    status = client_for(alice).get(authorisation.application.get_absolute_url(), follow=True).content.decode()
    assert "Visit by customs planned" in status
    # customs sees it planned on the authorisation, with its findings still to come
    page = client_for(reviewer).get(reverse("admin:aeo_authorisation_change", args=[authorisation.pk]))
    assert "findings still to be recorded" in page.content.decode()
    # once it has taken place its findings complete the same visit, and set the next review date
    with time_machine.travel(visit.planned_for + timedelta(days=1)):
        review = monitoring_review_record(actor=reviewer, authorisation=authorisation, kind="desk",
                                          held_on=visit.planned_for, result="shortcomings",
                                          findings="Two seal checks missing from the log.", visit=visit)
        with pytest.raises(ValidationError, match="still to be recorded"):
            monitoring_review_record(actor=reviewer, authorisation=authorisation, kind="visit",
                                     held_on=visit.planned_for, result="satisfactory", findings="Again.", visit=visit)
    assert review.pk == visit.pk and authorisation.reviews.count() == 1
    review.refresh_from_db()
    assert (review.kind, review.result, review.recorded_by) == ("visit", "shortcomings", reviewer)
    authorisation.refresh_from_db()
    assert authorisation.next_review_due == visit.planned_for.replace(year=visit.planned_for.year + 1)


def test_a_visit_held_but_not_recorded_reminds_its_planner_once(authorisation, reviewer):
    visit = monitoring_visit_plan(actor=reviewer, authorisation=authorisation,
                                  planned_for=timezone.localdate() + timedelta(days=5), location="Main warehouse",
                                  officer_role="security")
    told = Notification.objects.filter(recipient=reviewer, subject__contains="record the findings of the visit")
    monitoring_watch(today=visit.planned_for)
    assert told.count() == 0  # the visit is today
    for days in (1, 2, 10):
        monitoring_watch(today=visit.planned_for + timedelta(days=days))
    assert told.count() == 1


def test_the_authorisation_page_shows_its_status_history_and_costs_the_same_as_it_grows(authorisation, reviewer,
                                                                                         client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(reviewer)
    url = reverse("admin:aeo_authorisation_change", args=[authorisation.pk])
    client.get(url)  # the session's first request records it in the list of sessions

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    # when its status changes twice and visits are planned and recorded
    today = timezone.localdate()
    services.authorisation_suspend(actor=reviewer, authorisation=authorisation, reason="Seals not logged.",
                                   remedial_measures="Log every seal.", until=today + timedelta(days=30))
    services.authorisation_lift_suspension(actor=reviewer, authorisation=authorisation, note="Seal log checked.")
    for days in (10, 20, 30):
        monitoring_visit_plan(actor=reviewer, authorisation=authorisation, planned_for=today + timedelta(days=days),
                              location="Main warehouse", officer_role="auditor")
    monitoring_review_record(actor=reviewer, authorisation=authorisation, kind="desk", held_on=today,
                             result="satisfactory", findings="Records in order.")
    # then the page shows the history in order, from the grant, and costs the same
    page = client.get(url).content.decode()
    history = re.findall(r"<li>\d{1,2} \w+ \d{4}: ([^(<]+) \((\w+|—) → (\w+|—)\)", page)
    assert history == [("Authorisation issued", "—", "Active"), ("Authorisation suspended", "Active", "Suspended"),
                       ("Suspension lifted", "Suspended", "Active")]
    assert page.count("findings still to be recorded") == 3
    assert queries() == before


def test_a_reassessment_is_asked_for_every_n_years_once_and_not_while_one_is_open(authorisation, alice, reviewer,
                                                                                  supervisor, settings):
    settings.AEO_REASSESSMENT_YEARS = 3
    granted = authorisation.valid_from
    due = granted.replace(year=granted.year + 3)
    told = Notification.objects.filter(recipient=supervisor, subject__contains="re-assessment due")
    # while customs has already asked the holder to be re-assessed, the watch asks for nothing
    draft = services.reassessment_start(actor=reviewer, authorisation=authorisation, note="Change of owner.")
    monitoring_watch(today=due)
    assert told.count() == 0
    # once that one is closed, the watch asks a month ahead, once, whatever the reviews in between
    Application.objects.filter(pk=draft.pk).update(state="withdrawn")
    monitoring_watch(today=due - timedelta(days=31))
    assert told.count() == 0
    for day in (due - timedelta(days=30), due, due + timedelta(days=5)):
        monitoring_watch(today=day)
    assert told.count() == 1
    assert f"{due.day} {due:%B %Y}" in told.get().subject and "every 3 years" in told.get().body
