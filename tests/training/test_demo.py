"""The demo data: a real course in every Centre of Excellence, learners at several stages, a valid
certificate."""

from __future__ import annotations

import io

from django.core.management import call_command

from training.models import AdvisoryQuestion, Centre, Certificate, Course, Enrolment


def test_seed_demo_adds_training_and_can_run_twice(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", force=True, stdout=io.StringIO())
    counts = [model.objects.count() for model in (Course, Certificate, Enrolment, AdvisoryQuestion)]
    call_command("seed_demo", force=True, stdout=io.StringIO())
    # the second run adds nothing
    assert [model.objects.count() for model in (Course, Certificate, Enrolment, AdvisoryQuestion)] == counts
    courses = Course.objects.published()
    # every centre of the ten shows at least one course in the catalogue
    assert Centre.objects.count() == 10
    assert set(courses.values_list("centre__slug", flat=True)) == set(Centre.objects.values_list("slug", flat=True))
    for course in courses:
        quiz = course.quizzes.get()
        assert quiz.questions.count() > quiz.questions_per_attempt  # a bank to draw from
        assert all(q.choices.filter(is_correct=True).exists() for q in quiz.questions.all())
        assert all(q.choices.filter(is_correct=False).exists() for q in quiz.questions.all())
        bodies = list(course.modules.values_list("lessons__body", flat=True))
        assert bodies and all(len(body) > 600 for body in bodies)  # lessons, not placeholders
        assert "lorem" not in " ".join(bodies).lower()
    assert len(set(courses.values_list("title", flat=True))) == courses.count()
    # learners at several stages: a valid certificate with its PDF, a course under way with a failed attempt
    assert Certificate.objects.filter(revoked_at__isnull=True).exclude(pdf="").exists()
    assert Enrolment.objects.filter(completed_at__isnull=True, quiz_attempts__passed=False).exists()
    assert set(AdvisoryQuestion.objects.values_list("status", flat=True)) == {"open", "answered"}
