"""Consultation and training indicators counted by hand on a small March 2026, compared with the page,
the CSV, the JSON and the API."""

from __future__ import annotations

from datetime import date

import pytest

from aeo.models import Authorisation
from portal.models import Membership, Organisation
from portal.performance.snapshots import snapshots_backfill
from tests.consultations.factories import CommentFactory, ConsultationFactory, OfficialResponseFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.performance.history import at
from tests.performance.test_aeo_indicators import same_everywhere
from tests.training.factories import full_course
from training.models import AdvisoryQuestion, Certificate, Enrolment, QuizAttempt

MARCH = {"period": "2026-03"}


@pytest.fixture
def march(client, traders, aeo_history):
    alpha, bravo, _charlie = traders
    # alpha holds an active AEOC authorisation (app 1 of aeo_history), here since February
    Authorisation.objects.filter(organisation=alpha).update(valid_from=date(2026, 2, 1))
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Delta Traders Association",
                                      identifier="PT599000004", sector="")
    # C1: opened 2 March, closed 20 March, outcome on 30 March; C2 opened 15 March, still open
    c1 = ConsultationFactory(organisation=association, opens_at=at("2026-03-02"), closes_at=at("2026-03-20"),
                             closed_at=at("2026-03-20"), outcome_published_at=at("2026-03-30"),
                             phase="outcome_published", published_at=at("2026-03-01"))
    ConsultationFactory(organisation=association, opens_at=at("2026-03-15"), closes_at=at("2026-04-30"),
                        published_at=at("2026-03-14"))
    a1 = CommentFactory(consultation=c1, organisation=alpha, created_at=at("2026-03-05"))
    CommentFactory(consultation=c1, organisation=alpha, created_at=at("2026-03-06"))
    b1 = CommentFactory(consultation=c1, organisation=bravo, created_at=at("2026-03-10"))
    CommentFactory(consultation=c1, organisation=None, created_at=at("2026-03-11"))
    CommentFactory(consultation=c1, organisation=bravo, created_at=at("2026-03-12"), hidden_at=at("2026-03-13"))
    OfficialResponseFactory(comment=a1, created_at=at("2026-03-12"))  # 7 days
    OfficialResponseFactory(comment=b1, created_at=at("2026-03-25"))  # 15 days

    course = full_course(slug="perf-course", title="Valuation basics")
    quiz = course.quizzes.first()
    learner, other, colleague = (UserFactory(email=f"{n}@alpha.example") for n in ("learner", "other", "colleague"))
    Membership.objects.create(user=learner, organisation=alpha)
    Membership.objects.create(user=colleague, organisation=alpha)
    e1 = Enrolment.objects.create(user=learner, course=course, enrolled_at=at("2026-03-03"),
                                  completed_at=at("2026-03-10"))
    e2 = Enrolment.objects.create(user=other, course=course, enrolled_at=at("2026-03-05"))
    QuizAttempt.objects.create(enrolment=e1, quiz=quiz, number=1, submitted_at=at("2026-03-08"), passed=False)
    QuizAttempt.objects.create(enrolment=e1, quiz=quiz, number=2, submitted_at=at("2026-03-09"), passed=True)
    QuizAttempt.objects.create(enrolment=e2, quiz=quiz, number=1, submitted_at=at("2026-03-06"), passed=False)
    QuizAttempt.objects.create(enrolment=e2, quiz=quiz, number=2, started_at=at("2026-03-07"))  # not submitted
    Certificate.objects.create(enrolment=e1, user=learner, course=course, holder_name="Learner",
                               issued_at=at("2026-03-10"), expires_at=at("2026-05-15"))
    AdvisoryQuestion.objects.create(organisation=alpha, centre=course.centre, asked_by=learner, subject="Valuation",
                                    text="Which method?", created_at=at("2026-03-02"), answered_at=at("2026-03-06"),
                                    status="answered")
    AdvisoryQuestion.objects.create(organisation=alpha, centre=course.centre, asked_by=learner, subject="Origin",
                                    text="Which rule?", created_at=at("2026-03-20"))
    snapshots_backfill(date(2026, 3, 1), date(2026, 3, 31))
    return course


@pytest.fixture
def same(client, march, monkeypatch):
    import tests.performance.test_aeo_indicators as aeo_tests

    monkeypatch.setattr(aeo_tests, "PERIOD", MARCH)
    return lambda slug: same_everywhere(client, slug)


def test_consultations_opened_and_closed(same):
    rows = same("consultations-activity")
    assert rows[-1] == {"month": "Total", "opened": 2, "closed": 1}


def test_who_took_part(same):
    rows = {r["group"]: r["participants"] for r in same("consultations-participants")}
    assert rows["Kind: Economic operator"] == 2  # Alpha (two comments) and Bravo (its hidden comment not counted)
    assert rows["Kind: No organisation"] == 1  # one person acting for no organisation
    assert rows["Country: Portugal"] == 1 and rows["Country: France"] == 1
    assert rows["AEO status: AEO holder"] == 1 and rows["AEO status: No AEO authorisation"] == 1


def test_how_customs_answered(same):
    rows = {r["measure"]: r["value"] for r in same("consultations-responses")}
    assert rows == {"Comments in consultations that closed": 4, "Of which answered officially": 2,
                    "Share answered (%)": 50.0, "Median days from a comment to its official response": 11.0,
                    "Median days from closing to the published outcome": 10.0, "Outcomes published": 1}


def test_courses_and_centres(same, march):
    course = {r["course"]: r for r in same("training-courses")}["Valuation basics"]
    assert {k: course[k] for k in ("enrolments", "completions", "attempts", "passed", "pass_rate",
                                   "certificates")} == {"enrolments": 2, "completions": 1, "attempts": 3,
                                                        "passed": 1, "pass_rate": 33.3, "certificates": 1}
    centre = {r["centre"]: r for r in same("training-centres")}[march.centre.name]
    assert {k: centre[k] for k in ("enrolments", "expiring", "questions", "answered", "median_answer_days")} == {
        "enrolments": 2, "expiring": 1, "questions": 2, "answered": 1, "median_answer_days": 4.0}


def test_aeo_holders_staff_with_a_current_certificate(same):
    rows = {r["measure"]: r["value"] for r in same("training-coverage")}
    assert list(rows.values()) == [2, 1, 50.0]
