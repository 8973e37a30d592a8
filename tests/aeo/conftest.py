from __future__ import annotations

import pytest

from aeo.models import Application, Questionnaire
from aeo.selectors import sections_of
from aeo.services import AnswerInput, application_start, section_save


@pytest.fixture
def questionnaire(db) -> Questionnaire:
    return Questionnaire.objects.get(version=1)  # loaded by the aeo migrations


@pytest.fixture
def draft(alice, atlantic, questionnaire) -> Application:
    return application_start(actor=alice, organisation=atlantic, kind="AEOC")


def answer_all(application: Application, user, *, must_answer: str = "yes") -> None:
    """Answer every question of the application, as a diligent applicant would."""
    for section in sections_of(application):
        answers = {}
        for q in section.questions.all():
            value = {"yes_no": must_answer, "text": "We keep written procedures.", "date": "2026-01-15",
                     "number": "12", "choice": (q.choices or [""])[0]}[q.answer_type]
            answers[q.pk] = AnswerInput(value)
        version = application.section_versions.filter(section=section).values_list("version", flat=True).first() or 0
        section_save(actor=user, application=application, section=section, answers=answers, version=version)


@pytest.fixture
def complete_draft(draft, alice) -> Application:
    answer_all(draft, alice)
    return draft
