"""The demo data: three real courses for three centres, learners at several stages, a valid certificate."""

from __future__ import annotations

import io

from django.core.management import call_command

from training.models import AdvisoryQuestion, Certificate, Course, Enrolment


def test_seed_demo_adds_training_and_can_run_twice(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())
    courses = Course.objects.published()
    assert courses.count() == 3
    assert set(courses.values_list("centre__slug", flat=True)) == {"machinery", "pharma", "agriculture"}
    for course in courses:
        quiz = course.quizzes.get()
        assert quiz.questions.count() > quiz.questions_per_attempt  # a bank to draw from
        assert all(q.choices.filter(is_correct=True).exists() for q in quiz.questions.all())
        assert "lorem" not in " ".join(course.modules.values_list("lessons__body", flat=True)).lower()
    certificate = Certificate.objects.get()
    assert certificate.status == "valid" and certificate.pdf
    assert Enrolment.objects.count() == 4
    assert Enrolment.objects.filter(completed_at__isnull=True, quiz_attempts__passed=False).exists()
    assert set(AdvisoryQuestion.objects.values_list("status", flat=True)) == {"open", "answered"}
