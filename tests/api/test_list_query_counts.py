"""Every list of the core's and training's API costs the same number of queries for 5 items as for 500 (the AEO
and webhook lists are in test_query_counts_and_schema)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Membership, Notification, Organisation, Role, User
from tests.training.factories import centre, full_course
from training.models import AdvisoryQuestion, Certificate, Course, Enrolment, QuizAttempt


def _notifications(alice, n: int) -> None:
    Notification.objects.bulk_create([Notification(recipient=alice, kind="aeo.application", subject=f"Update {i}",
                                                   body="Something changed.", link="/aeo/") for i in range(n)])


def _organisations(alice, n: int) -> None:
    start = Organisation.objects.count()
    organisations = Organisation.objects.bulk_create([
        Organisation(kind="operator", name=f"Subsidiary {start + i}", identifier=f"PT6{start + i:08d}", country="PT",
                     sector="machinery") for i in range(n)])
    Membership.objects.bulk_create([Membership(user=alice, organisation=o, role=Role.ADMIN) for o in organisations])


def _members(alice, n: int) -> None:
    atlantic = alice.memberships.get(organisation__name="Atlantic Freight").organisation
    start = User.objects.count()
    users = User.objects.bulk_create([User(email=f"colleague{start + i}@atlantic.example", full_name=f"Colleague {i}")
                                      for i in range(n)])
    Membership.objects.bulk_create([Membership(user=u, organisation=atlantic, role=Role.MEMBER) for u in users])


def _courses(n: int) -> list[Course]:
    start = Course.objects.count()
    return Course.objects.bulk_create([
        Course(centre=centre(), slug=f"course-{start + i}", title=f"Course {start + i}", summary="Basics.",
               is_published=True) for i in range(n)])


def _catalogue(alice, n: int) -> None:
    _courses(n)


def _enrolments(alice, n: int) -> list[Enrolment]:
    return Enrolment.objects.bulk_create([Enrolment(user=alice, course=c) for c in _courses(n)])


def _certificates(alice, n: int) -> None:
    Certificate.objects.bulk_create([Certificate(enrolment=e, user=alice, course=e.course, holder_name="Alice Admin")
                                     for e in _enrolments(alice, n)])


def _attempts(alice, n: int) -> None:
    course = Course.objects.get(slug="attempted")
    enrolment = Enrolment.objects.get(user=alice, course=course)
    quiz = course.quizzes.get()
    start = QuizAttempt.objects.filter(enrolment=enrolment).count()
    drawn = list(quiz.questions.values_list("pk", flat=True))
    QuizAttempt.objects.bulk_create([QuizAttempt(enrolment=enrolment, quiz=quiz, number=start + i + 1,
                                                 question_ids=drawn, max_score=len(drawn), score=0,
                                                 submitted_at=timezone.now()) for i in range(n)])


def _questions(alice, n: int) -> None:
    atlantic = alice.memberships.get(organisation__name="Atlantic Freight").organisation
    AdvisoryQuestion.objects.bulk_create([AdvisoryQuestion(organisation=atlantic, centre=centre(), asked_by=alice,
                                                           subject=f"Question {i}", text="Which heading?")
                                          for i in range(n)])


LISTS: dict[str, Callable] = {
    "/api/v1/notifications/": _notifications,
    "/api/v1/organisations/": _organisations,
    "/api/v1/organisations/{atlantic}/members/": _members,
    "/api/v1/training/courses/": _catalogue,
    "/api/v1/training/enrolments/": _enrolments,
    "/api/v1/training/certificates/": _certificates,
    "/api/v1/training/attempts/": _attempts,
    "/api/v1/training/questions/": _questions,
}


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_cost_the_same_for_5_and_500_items(alice, atlantic, api_for, url, django_assert_num_queries):
    # given: 5 items (an attempted course's quiz has questions with choices)
    attempted = full_course(slug="attempted", questions=4)
    Enrolment.objects.create(user=alice, course=attempted)
    grow = LISTS[url]
    url = url.format(atlantic=atlantic.pk) + "?page_size=200"
    grow(alice, 5)
    api = api_for(alice)
    api.get("/api/v1/me/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        first = api.get(url)
    assert first.status_code == 200, first.content[:300]

    # when: 500 of them
    grow(alice, 495)

    # then: the same queries for a full page of 200 (the token, the memberships, the page, one per relation read)
    with django_assert_num_queries(len(small)):
        response = api.get(url)
    assert len(response.json()["results"]) == 200
    assert len(small) <= 8, [q["sql"][:120] for q in small.captured_queries]
