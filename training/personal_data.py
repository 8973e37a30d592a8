"""The training part of a person's data export: enrolments, quiz attempts, certificates, questions."""

from __future__ import annotations

from typing import Any

from portal.models import User
from portal.personal_data import when
from training.models import AdvisoryQuestion, Certificate, Enrolment, QuizAttempt


def training_personal_data(user: User) -> dict[str, Any]:
    return {
        "enrolments": [
            {"course": e.course.title, "enrolled": when(e.enrolled_at), "last activity": when(e.last_activity_at),
             "completed": when(e.completed_at), "started again": when(e.superseded_at)}
            for e in Enrolment.objects.filter(user=user).select_related("course").order_by("enrolled_at", "pk")
        ],
        "quiz attempts": [
            {"course": a.enrolment.course.title, "quiz": str(a.quiz), "attempt": a.number,
             "started": when(a.started_at), "submitted": when(a.submitted_at), "score": a.score}
            for a in QuizAttempt.objects.filter(enrolment__user=user).select_related("enrolment__course", "quiz")
            .order_by("started_at", "pk")
        ],
        "certificates": [
            {"course": c.course.title, "holder": c.holder_name, "code": c.code, "issued": when(c.issued_at),
             "expires": when(c.expires_at), "revoked": when(c.revoked_at)}
            for c in Certificate.objects.filter(user=user).select_related("course").order_by("issued_at", "pk")
        ],
        "advisory questions you asked": [
            {"centre": q.centre.name, "subject": q.subject, "question": q.text, "asked": when(q.created_at),
             "answer": q.answer, "answered": when(q.answered_at)}
            for q in AdvisoryQuestion.objects.filter(asked_by=user).select_related("centre").order_by("pk")
        ],
    }
