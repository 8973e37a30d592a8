from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from aeo.models import Question, Questionnaire, Section
from aeo.questionnaire import (
    FOLDER,
    SCHEMA,
    QuestionnaireError,
    load_questionnaire,
    load_questionnaire_data,
    questionnaire_problems,
    questionnaire_read,
)


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


# --- The file's schema, and loading a version in the back office --------------------------------------

def _v1() -> dict:
    return json.loads((FOLDER / "v1.json").read_text())


def _broken() -> dict:
    data = _v1()
    data["version"] = 3
    data["sections"][3]["questions"][4]["answer_type"] = "yesno"
    del data["sections"][0]["questions"][1]["criterion"]
    data["sections"][1]["questions"][0]["code"] = data["sections"][1]["questions"][1]["code"]
    return data


def test_the_shipped_file_meets_its_schema_and_the_schema_knows_the_models_choices():
    assert questionnaire_problems(_v1()) == []
    question = SCHEMA["$defs"]["question"]["properties"]
    assert question["answer_type"]["enum"] == Question.AnswerType.values
    assert question["criterion"]["enum"] == Question.Criterion.values
    assert sorted(SCHEMA["$defs"]["section"]["properties"]["applies_to"]["enum"]) == sorted(Section.AppliesTo.values)


def test_each_mistake_is_named_by_its_place_in_the_file(db):
    data = _broken()
    a2, d5 = data["sections"][0]["questions"][1]["code"], data["sections"][3]["questions"][4]["code"]
    problems = questionnaire_problems(data)
    assert problems == [f"sections[1] (A) › questions[2] ({a2}): 'criterion' is a required property",
                        f"sections[4] (D) › questions[5] ({d5}) › answer_type: 'yesno' is not one of "
                        "['yes_no', 'text', 'date', 'number', 'choice']"]
    # once the schema is met, codes used twice are named too
    data["sections"][0]["questions"][1]["criterion"] = "must"
    data["sections"][3]["questions"][4]["answer_type"] = "yes_no"
    code = data["sections"][1]["questions"][1]["code"]
    assert questionnaire_problems(data) == [f"sections[2] (B) › questions: the code {code} is used by more than one "
                                            "question"]
    with pytest.raises(QuestionnaireError):
        load_questionnaire_data(data)
    assert not Questionnaire.objects.filter(version=3).exists()


def test_a_syntax_error_names_its_line_and_the_command_lists_the_mistakes(db, tmp_path):
    with pytest.raises(QuestionnaireError) as raised:
        questionnaire_read('{"version": 2,\n "title": "Second"\n "sections": []}')
    assert raised.value.problems == ["line 3, column 2: Expecting ',' delimiter"]
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(_broken()))
    with pytest.raises(CommandError, match=r"(?s)is not a questionnaire:.*questions\[5\].*answer_type: 'yesno'"):
        call_command("load_questionnaire", str(path))
    assert not Questionnaire.objects.filter(version=3).exists()


def _upload(client, data: dict | str):
    content = data if isinstance(data, str) else json.dumps(data)
    return client.post(reverse("admin:aeo_questionnaire_load"),
                       {"file": SimpleUploadedFile("questionnaire.json", content.encode(), "application/json")})


def test_a_programme_administrator_loads_a_new_version_in_the_back_office(questionnaire, programme_admin, reviewer,
                                                                           client_for):
    # given a revised questionnaire file
    data = _v1()
    data["version"], data["title"] = 2, "AEO self-assessment, second edition"
    client = client_for(programme_admin)
    # when a reviewer tries, nothing is loaded; when the programme administrator uploads it, it is
    assert _upload(client_for(reviewer), data).status_code == 403
    assert not Questionnaire.objects.filter(version=2).exists()
    response = _upload(client, data)
    assert response.status_code == 302 and response.url == reverse("admin:aeo_questionnaire_changelist")
    loaded = Questionnaire.objects.get(version=2)
    assert loaded.sections.count() == questionnaire.sections.count()
    assert Question.objects.filter(section__questionnaire=loaded).count() == \
        Question.objects.filter(section__questionnaire=questionnaire).count()
    # then loading it again changes nothing and says so
    again = client.get(_upload(client, data).url).content.decode()
    assert "Version 2 was already loaded; nothing changed." in again
    assert Questionnaire.objects.filter(version=2).count() == 1


def test_the_back_office_names_each_mistake_of_a_broken_file_and_loads_nothing(questionnaire, programme_admin,
                                                                               client_for):
    client = client_for(programme_admin)
    page = _upload(client, _broken()).content.decode().replace("&#x27;", "'")
    assert "This file is not a questionnaire. Correct it and load it again:" in page
    assert "sections[4] (D) › questions[5]" in page and "answer_type: 'yesno' is not one of" in page
    assert "'criterion' is a required property" in page
    page = _upload(client, '{"version": 4,\n "title": "x",\n}').content.decode()
    assert "line 3, column 1" in page
    assert set(Questionnaire.objects.values_list("version", flat=True)) == {1}
