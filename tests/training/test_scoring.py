"""Quizzes are scored on the server only, with exact pass marks, exact multiple choice and a limit of attempts."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training import scoring, services
from training.models import Certificate, Question, QuizAttempt

from .conftest import right_answers, wrong_answers
from .factories import ChoiceFactory, CourseFactory, EnrolmentFactory, QuizFactory, question_with_choices


@pytest.mark.parametrize(("score", "max_score", "pass_mark", "passes"), [
    (7, 10, 70, True),   # exactly on the mark passes
    (6, 10, 70, False),  # one below does not
    (2, 3, 67, False),   # 66.67 % is below 67 %: no rounding up
    (2, 3, 66, True),
    (1, 3, 34, False),   # 33.33 %
    (0, 5, 0, True),     # a zero pass mark is passed by anyone who submits
    (5, 5, 100, True),
    (4, 5, 100, False),
    (0, 0, 0, False),    # nothing to answer: never a pass
])
def test_pass_mark_boundaries_are_exact(score, max_score, pass_mark, passes):
    assert scoring.attempt_passes(score=score, max_score=max_score, pass_mark=pass_mark) is passes


@pytest.mark.parametrize(("kind", "correct", "chosen", "scores"), [
    ("single", {1}, {1}, True),
    ("single", {1}, {2}, False),
    ("single", {1}, set(), False),
    ("single", {1}, {1, 2}, False),      # ticking two on a single-choice question is wrong
    ("multiple", {1, 2}, {1, 2}, True),  # exactly the right ones
    ("multiple", {1, 2}, {1}, False),    # one missing: no partial credit
    ("multiple", {1, 2}, {1, 2, 3}, False),  # one wrong too many
    ("multiple", {1, 2}, {1, 2, 3, 4}, False),  # ticking everything never pays
    ("multiple", {1, 2}, set(), False),
    ("multiple", set(), set(), False),   # a question without a right answer scores for nobody
])
def test_question_scoring_rule(kind, correct, chosen, scores):
    assert scoring.question_scores(kind=kind, correct=correct, chosen=chosen) is scores


@pytest.fixture
def quiz_setup(alice):
    course = CourseFactory()
    quiz = QuizFactory(course=course, questions_per_attempt=4, pass_mark=75, max_attempts=2)
    questions = [question_with_choices(quiz, kind="multiple", right=2, wrong=2) for _ in range(2)]
    questions += [question_with_choices(quiz, kind="single") for _ in range(2)]
    enrolment = EnrolmentFactory(user=alice, course=course)
    return quiz, questions, enrolment


def test_submission_is_scored_on_the_server_and_passes_exactly_on_the_mark(alice, quiz_setup):
    # given an attempt at four questions with a 75 % pass mark
    quiz, _questions, enrolment = quiz_setup
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    answers = right_answers(attempt)
    # when three answers are right and one multiple-choice answer misses a right choice
    multiple = next(int(q) for q in attempt.question_ids if Question.objects.get(pk=q).kind == "multiple")
    answers[multiple] = answers[multiple][:1]
    attempt = services.quiz_attempt_submit(actor=alice, attempt=attempt, answers=answers)
    # then the score is 3 of 4, exactly the pass mark, and it passes
    assert (attempt.score, attempt.max_score, attempt.passed) == (3, 4, True)


def test_choices_from_other_questions_and_forged_ids_are_ignored(alice, quiz_setup):
    quiz, _questions, enrolment = quiz_setup
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    ids = [int(q) for q in attempt.question_ids]
    rights = right_answers(attempt)
    # the right answer of question 1 sent as the answer to question 2, and an id that does not exist
    forged = {ids[1]: rights[ids[0]], ids[0]: [999_999]}
    attempt = services.quiz_attempt_submit(actor=alice, attempt=attempt, answers=forged)
    assert attempt.score == 0
    assert attempt.answers[str(ids[0])] == []


def test_attempts_are_limited_and_a_submitted_attempt_cannot_be_resubmitted(alice, quiz_setup):
    quiz, _questions, enrolment = quiz_setup
    first = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    # starting again before submitting resumes the same attempt (a second tab, a reload)
    assert services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz).pk == first.pk
    services.quiz_attempt_submit(actor=alice, attempt=first, answers=wrong_answers(first))
    with pytest.raises(ValidationError, match="submitted already"):
        services.quiz_attempt_submit(actor=alice, attempt=first, answers=right_answers(first))
    second = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    services.quiz_attempt_submit(actor=alice, attempt=second, answers=wrong_answers(second))
    with pytest.raises(ValidationError, match="used all 2 attempts"):
        services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 2


def test_no_new_attempt_after_a_pass(alice, quiz_setup):
    quiz, _questions, enrolment = quiz_setup
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    services.quiz_attempt_submit(actor=alice, attempt=attempt, answers=right_answers(attempt))
    with pytest.raises(ValidationError, match="passed this quiz already"):
        services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)


def test_questions_are_drawn_from_the_bank(alice):
    course = CourseFactory()
    quiz = QuizFactory(course=course, questions_per_attempt=3, max_attempts=30)
    bank = {question_with_choices(quiz).pk for _ in range(8)}
    enrolment = EnrolmentFactory(user=alice, course=course)
    seen = set()
    for _ in range(12):
        attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
        assert len(set(attempt.question_ids)) == 3 and set(attempt.question_ids) <= bank
        seen |= set(attempt.question_ids)
        services.quiz_attempt_submit(actor=alice, attempt=attempt, answers={})
    assert len(seen) > 3  # 12 draws of 3 from 8 all being the same 3 has odds of about 1 in 10^20


def test_someone_else_cannot_submit_the_attempt(alice, bob, quiz_setup):
    quiz, _questions, enrolment = quiz_setup
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    with pytest.raises(ValidationError):
        services.quiz_attempt_submit(actor=bob, attempt=attempt, answers=right_answers(attempt))
    with pytest.raises(ValidationError):
        services.quiz_attempt_start(actor=bob, enrolment=enrolment, quiz=quiz)


def test_no_certificate_without_a_pass(alice, django_capture_on_commit_callbacks):
    # given a course whose lessons are all done and whose quiz was failed
    from .conftest import complete_lessons
    from .factories import full_course

    course = full_course(questions=2, pass_mark=100, max_attempts=1)
    enrolment = services.enrolment_create(actor=alice, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        complete_lessons(alice, enrolment)
        quiz = course.quizzes.get()
        attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
        answers = right_answers(attempt)
        answers.popitem()
        services.quiz_attempt_submit(actor=alice, attempt=attempt, answers=answers)
    # then no certificate exists, and asking for one directly is refused
    assert not Certificate.objects.exists()
    with pytest.raises(ValidationError, match="not complete"):
        services.certificate_issue(enrolment_id=enrolment.pk)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


# Each generated case: a list of questions, each (kind, number of choices, which are right, which are ticked).
question_case = st.integers(min_value=2, max_value=5).flatmap(lambda n: st.tuples(
    st.sampled_from(["single", "multiple"]), st.just(n),
    st.sets(st.integers(0, n - 1), min_size=1, max_size=n),
    st.sets(st.integers(0, n - 1), max_size=n),
))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(question_case, min_size=1, max_size=6), pass_mark=st.integers(0, 100))
def test_score_matches_an_independent_calculation(alice, cases, pass_mark):
    # given a quiz built from the generated questions, all drawn in one attempt
    course = CourseFactory()
    quiz = QuizFactory(course=course, questions_per_attempt=len(cases), pass_mark=pass_mark, max_attempts=1)
    enrolment = EnrolmentFactory(user=alice, course=course)
    expected_points = 0
    answers = {}
    for kind, n, right, ticked in cases:
        if kind == "single":
            right = {min(right)}
        question = question_with_choices(quiz, kind=kind, right=0, wrong=0)
        choices = [ChoiceFactory(question=question, is_correct=i in right) for i in range(n)]
        answers[question.pk] = [choices[i].pk for i in ticked]
        # the independent calculation: a point when the ticked positions are the right positions,
        # and for single choice also exactly one ticked
        expected_points += int(ticked == right and (kind == "multiple" or len(ticked) == 1))
    # when the attempt is submitted
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    attempt = services.quiz_attempt_submit(actor=alice, attempt=attempt, answers=answers)
    # then the server's score and decision agree with it
    assert attempt.score == expected_points
    assert attempt.max_score == len(cases)
    assert attempt.passed is (Fraction(expected_points, len(cases)) * 100 >= pass_mark)


def test_a_question_without_a_right_answer_is_wrong_in_the_score_and_on_the_result_page(alice, client_for):
    # given a quiz whose only question is multiple choice with no right answer (an author's slip)
    course = CourseFactory()
    quiz = QuizFactory(course=course, questions_per_attempt=1, pass_mark=100, max_attempts=2)
    question_with_choices(quiz, kind="multiple", right=0, wrong=2)
    enrolment = EnrolmentFactory(user=alice, course=course)
    attempt = services.quiz_attempt_start(actor=alice, enrolment=enrolment, quiz=quiz)
    # when the learner ticks nothing, which is "exactly the right answers" read naively
    attempt = services.quiz_attempt_submit(actor=alice, attempt=attempt, answers={})
    # then it scores nothing, and the result page marks it wrong too, not right
    assert (attempt.score, attempt.passed) == (0, False)
    page = client_for(alice).get(reverse("training:attempt", args=[course.slug, attempt.pk])).content.decode()
    assert 'tag--red">Wrong<' in page and 'tag--green">Right<' not in page
