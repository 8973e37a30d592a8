"""The questionnaire in the reader's language: from the data file, checked, stored, shown, English where missing."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse

from aeo.models import Question, Section
from aeo.questionnaire import FOLDER, load_questionnaire_data, questionnaire_problems

V1 = json.loads((FOLDER / "v1.json").read_text(encoding="utf-8"))


def test_a_translation_in_an_unknown_language_is_refused_with_its_place():
    data = copy.deepcopy(V1)
    data["sections"][1]["questions"][2]["translations"]["de"] = {"text": "Wurden Sie verurteilt?"}
    code = data["sections"][1]["questions"][2]["code"]
    assert questionnaire_problems(data) == [
        f"sections[2] (B) › questions[3] ({code}) › translations: Additional properties are not allowed "
        "('de' was unexpected)"]


def test_choice_labels_must_match_the_choices_one_for_one():
    data = copy.deepcopy(V1)
    question = data["sections"][0]["questions"][3]
    question["translations"]["pt"]["choices"] = question["translations"]["pt"]["choices"][:2]
    assert questionnaire_problems(data) == [
        f"sections[1] (A) › questions[4] ({question['code']}) › translations › pt › choices: "
        f"2 labels for {len(question['choices'])} choices"]


def test_loading_a_version_again_refreshes_its_translations_only(questionnaire):
    data = copy.deepcopy(V1)
    first = data["sections"][0]["questions"][0]
    first["translations"]["pt"]["text"] = "Texto corrigido"
    first["text"] = "English changed in the file"
    again, created = load_questionnaire_data(data)
    assert (again, created) == (questionnaire, False)
    question = Question.objects.get(section__questionnaire=questionnaire, code=first["code"])
    assert question.translations["pt"]["text"] == "Texto corrigido"
    assert question.text == V1["sections"][0]["questions"][0]["text"]  # what applicants answered never changes


@pytest.fixture
def portuguese(alice):
    alice.language = "pt"
    alice.save(update_fields=["language"])
    return alice


def test_a_portuguese_reader_sees_portuguese_with_english_where_a_translation_is_missing(draft, portuguese,
                                                                                         client_for):
    section = Section.objects.get(questionnaire=draft.questionnaire, code="A")
    a1, a2, a4 = (section.questions.get(code=code) for code in ("A.1", "A.2", "A.4"))
    a2.translations.pop("pt")
    a2.save(update_fields=["translations"])
    client = client_for(portuguese)

    page = client.get(reverse("aeo:section_edit", args=[draft.pk, "A"])).content.decode()
    assert section.translations["pt"]["title"] in page
    assert a1.translations["pt"]["text"].replace("'", "&#x27;") in page
    assert a1.translations["pt"]["help"] in page
    assert a2.text in page  # no Portuguese for this one: the English
    assert a1.text.replace("'", "&#x27;") not in page
    for value, label in zip(a4.choices, a4.translations["pt"]["choices"], strict=True):
        assert f'value="{value}"' in page and label in page  # the answer keeps the English value

    tasks = client.get(reverse("aeo:application_tasks", args=[draft.pk])).content.decode()
    assert section.translations["pt"]["title"] in tasks

    api = client.get(f"/api/v1/aeo/questionnaires/{draft.questionnaire.version}/").json()
    first = api["sections"][0]
    assert first["title"] == section.translations["pt"]["title"]
    by_code = {q["code"]: q for q in first["questions"]}
    assert by_code["A.1"]["text"] == a1.translations["pt"]["text"]
    assert by_code["A.2"]["text"] == a2.text
    assert by_code["A.4"]["choices"] == a4.choices
    assert by_code["A.4"]["choice_labels"] == a4.translations["pt"]["choices"]


def test_an_english_reader_sees_the_english(draft, alice, client_for):
    section = Section.objects.get(questionnaire=draft.questionnaire, code="A")
    page = client_for(alice).get(reverse("aeo:section_edit", args=[draft.pk, "A"])).content.decode()
    assert section.title in page and section.translations["pt"]["title"] not in page


def test_version_1_is_translated_whole_into_portuguese_french_and_spanish():
    """Every text an item has in English, it has in each language; choices label for label."""
    missing = []
    for section in V1["sections"]:
        for item, fields in [(section, ("title", "intro"))] + [(q, ("text", "help", "evidence", "choices"))
                                                               for q in section["questions"]]:
            for language in ("pt", "fr", "es"):
                translation = item.get("translations", {}).get(language, {})
                missing += [f"{item['code']} {language} {field}" for field in fields
                            if item.get(field) and not translation.get(field)]
    assert missing == []
