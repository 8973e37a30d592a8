"""Past training activity for the demo's performance figures: enrolments of the historic operators'
officers (aeo/demo_history.py) on the published courses, completions, quiz attempts, certificates and
advisory questions answered by the centres."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portal.models import User
from training.models import AdvisoryQuestion, Centre, Certificate, Course, Enrolment, QuizAttempt


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def seed(stdout, *, start: date, today: date) -> None:
    learners = list(User.objects.filter(email__startswith="history").order_by("email"))
    courses = list(Course.objects.filter(is_published=True).prefetch_related("quizzes"))
    if not learners or not courses or Enrolment.objects.filter(user__in=learners).exists():
        return
    rng = random.Random(16)
    span = (today - start).days
    for user in learners:
        organisation = user.memberships.select_related("organisation").first().organisation
        for course in rng.sample(courses, min(len(courses), rng.randrange(1, 3))):
            enrolled = start + timedelta(days=rng.randrange(span))
            enrolment = Enrolment.objects.create(user=user, course=course, organisation=organisation,
                                                 enrolled_at=_at(enrolled), last_activity_at=_at(enrolled))
            quiz = next(iter(course.quizzes.all()), None)
            finished = enrolled + timedelta(days=rng.randrange(3, 40))
            if quiz is None or finished >= today:
                continue
            passed = rng.random() < 0.7
            QuizAttempt.objects.create(enrolment=enrolment, quiz=quiz, number=1, started_at=_at(finished, 9),
                                       submitted_at=_at(finished, 10), passed=passed)
            if not passed and rng.random() < 0.7:
                finished += timedelta(days=rng.randrange(1, 7))
                passed = finished < today
                if passed:
                    QuizAttempt.objects.create(enrolment=enrolment, quiz=quiz, number=2, started_at=_at(finished, 9),
                                               submitted_at=_at(finished, 10), passed=True)
            if passed:
                enrolment.completed_at = _at(finished, 11)
                enrolment.save(update_fields=["completed_at"])
                expires = (_at(finished, 11) + timedelta(days=30 * course.validity_months)
                           if course.validity_months else None)
                Certificate.objects.create(enrolment=enrolment, user=user, course=course, holder_name=user.full_name,
                                           issued_at=_at(finished, 11), expires_at=expires)
    centres = list(Centre.objects.all())
    for n in range(40):
        asker = rng.choice(learners)
        asked = start + timedelta(days=rng.randrange(span))
        answered = asked + timedelta(days=rng.randrange(1, 20))
        done = answered < today
        AdvisoryQuestion.objects.create(
            organisation=asker.memberships.first().organisation, centre=rng.choice(centres), asked_by=asker,
            subject=f"Question {n + 1} on classification", text="Which heading applies to our product?",
            created_at=_at(asked), status="answered" if done else "open", answer="See the explanatory notes." if done
            else "", answered_at=_at(answered) if done else None)
    stdout.write("Training history: enrolments, attempts, certificates and advisory questions.")
