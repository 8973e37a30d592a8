"""Training personas on top of the shared cast: a training author and the machinery centre's adviser."""

from __future__ import annotations

import pytest

from portal.roles import StaffGroup
from tests.conftest import _staff
from training import selectors, services
from training.models import Choice, Course, Enrolment, QuizAttempt

from .factories import centre, full_course


@pytest.fixture
def author(db):
    return _staff("author@customs.example", StaffGroup.TRAINING_AUTHOR)


@pytest.fixture
def adviser(db):
    user = _staff("adviser@customs.example", StaffGroup.CENTRE_ADVISER)
    centre("machinery").advisers.add(user)
    return user


@pytest.fixture
def other_adviser(db):
    user = _staff("pharma-adviser@customs.example", StaffGroup.CENTRE_ADVISER)
    centre("pharma").advisers.add(user)
    return user


@pytest.fixture
def course(db) -> Course:
    return full_course(slug="hs-machinery", title="Classifying machinery")


def right_answers(attempt: QuizAttempt) -> dict[int, list[int]]:
    return {
        int(q): list(Choice.objects.filter(question_id=q, is_correct=True).values_list("pk", flat=True))
        for q in attempt.question_ids
    }


def wrong_answers(attempt: QuizAttempt) -> dict[int, list[int]]:
    return {
        int(q): list(Choice.objects.filter(question_id=q, is_correct=False).values_list("pk", flat=True)[:1])
        for q in attempt.question_ids
    }


def complete_lessons(user, enrolment: Enrolment) -> None:
    course = selectors.course_for_page(enrolment.course.slug, include_unpublished=True)
    for lesson in selectors.lessons_in_order(course):
        services.lesson_complete(actor=user, enrolment=enrolment, lesson=lesson)


def pass_quizzes(user, enrolment: Enrolment) -> None:
    for quiz in enrolment.course.quizzes.all():
        attempt = services.quiz_attempt_start(actor=user, enrolment=enrolment, quiz=quiz)
        services.quiz_attempt_submit(actor=user, attempt=attempt, answers=right_answers(attempt))
