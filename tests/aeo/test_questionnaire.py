from __future__ import annotations

import json

from aeo.models import Question, Questionnaire
from aeo.questionnaire import FOLDER, load_questionnaire


def test_shipped_questionnaire_covers_the_criteria(questionnaire):
    sections = list(questionnaire.sections.all())
    questions = Question.objects.filter(section__questionnaire=questionnaire)
    assert len(sections) >= 12
    assert questions.count() >= 60
    assert {s.applies_to for s in sections} == {"both", "AEOC", "AEOS"}
    assert questions.filter(criterion="must").exists() and questions.filter(allows_na=True).exists()
    assert not questions.filter(help="").exists()


def test_loading_a_version_twice_changes_nothing(questionnaire):
    again, created = load_questionnaire(FOLDER / "v1.json")
    assert (again, created) == (questionnaire, False)


def test_a_new_version_leaves_submitted_answers_alone(complete_draft, tmp_path):
    data = json.loads((FOLDER / "v1.json").read_text())
    data["version"] = 2
    data["sections"][0]["questions"][0]["text"] = "A reworded question?"
    (tmp_path / "v2.json").write_text(json.dumps(data))
    load_questionnaire(tmp_path / "v2.json")
    assert Questionnaire.objects.first().version == 2
    code = data["sections"][0]["questions"][0]["code"]
    answer = complete_draft.answers.select_related("question").get(question__code=code)
    assert answer.question.section.questionnaire.version == 1
    assert answer.question.text != "A reworded question?"
