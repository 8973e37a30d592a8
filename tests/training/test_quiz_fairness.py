"""A quiz cannot be learnt by failing it, and the course page offers only what can succeed."""

from __future__ import annotations

from django.urls import reverse

from training import selectors, services
from training.models import Enrolment

from .conftest import complete_lessons, pass_quizzes, wrong_answers
from .factories import full_course


def _fail(user, enrolment: Enrolment):
    quiz = enrolment.course.quizzes.get()
    attempt = services.quiz_attempt_start(actor=user, enrolment=enrolment, quiz=quiz)
    return services.quiz_attempt_submit(actor=user, attempt=attempt, answers=wrong_answers(attempt))


def test_a_failed_attempt_hides_the_right_answers_until_the_last(alice, client_for):
    course = full_course(slug="valuation", title="Customs valuation", max_attempts=2)
    enrolment = services.enrolment_create(actor=alice, course=course)
    complete_lessons(alice, enrolment)
    client = client_for(alice)
    # when Alice fails her first of two attempts
    first = _fail(alice, enrolment)
    page = client.get(reverse("training:attempt", args=[course.slug, first.pk])).content.decode()
    # then she sees which answers were wrong, but not the right ones nor the explanations
    assert "Wrong" in page and "— right answer" not in page and "General Interpretative Rules" not in page
    assert "The right answers are shown once you pass" in page
    # and after her last attempt she sees them
    last = _fail(alice, enrolment)
    page = client.get(reverse("training:attempt", args=[course.slug, last.pk])).content.decode()
    assert "— right answer" in page and "General Interpretative Rules" in page
    # and the course page no longer offers the quiz it would refuse
    course_page = client.get(course.get_absolute_url()).content.decode()
    assert reverse("training:quiz_start", args=[course.slug, course.quizzes.get().pk]) not in course_page
    assert "You have used every attempt" in course_page


def test_a_pass_shows_the_right_answers(alice, client_for):
    course = full_course(slug="origin", title="Rules of origin")
    enrolment = services.enrolment_create(actor=alice, course=course)
    complete_lessons(alice, enrolment)
    pass_quizzes(alice, enrolment)
    attempt = enrolment.quiz_attempts.get()
    page = client_for(alice).get(reverse("training:attempt", args=[course.slug, attempt.pk])).content.decode()
    assert "— right answer" in page


def test_authors_are_warned_when_the_bank_is_too_small(author, client_for):
    course = full_course(slug="small-bank", questions=7, per_attempt=5, max_attempts=3)
    quiz = course.quizzes.get()
    warning = quiz.bank_warning(7)
    assert "later attempts repeat questions" in warning and "Add at least 8 questions" in warning
    assert "every attempt asks all of them" in quiz.bank_warning(4)
    assert quiz.bank_warning(15) == ""
    page = client_for(author).get(reverse("admin:training_quiz_change", args=[quiz.pk]))
    assert "later attempts repeat questions" in page.content.decode()


def test_one_question_is_one_question(client, db):
    course = full_course(slug="one-question", questions=1, max_attempts=1)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "1 question drawn at random" in page and "1 attempt allowed." in page


def test_enrol_is_not_offered_before_the_prerequisites(alice, client_for):
    basics = full_course(slug="basics", title="Customs basics")
    advanced = full_course(slug="advanced", title="Advanced classification")
    advanced.prerequisites.add(basics)
    page = client_for(alice).get(advanced.get_absolute_url()).content.decode()
    assert reverse("training:enrol", args=[advanced.slug]) not in page
    assert "Complete these courses first" in page and "Customs basics" in page


def test_recommendations_skip_courses_the_user_completed(alice, atlantic):
    done = full_course(slug="done", title="Machinery classification done")
    todo = full_course(slug="todo", title="Machinery safety to do")
    enrolment = services.enrolment_create(actor=alice, course=done)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=enrolment.enrolled_at)
    _centre, courses = selectors.recommended_courses(atlantic, user=alice)
    assert todo in courses and done not in courses
