"""The self-assessment questionnaire ships as data (v1.json beside this file), in the format schema.json states.

A new version is loaded as a new Questionnaire with its own sections and questions, so that what an
application already answered never changes. Each section and question may carry `translations` (pt, fr, es)
of its text; loading a version already loaded again only refreshes those translations, so a file can add or
correct them without a new version. A file is checked against the schema before anything is written, and
each mistake is reported with its place in the file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, cast

from django.db import transaction
from jsonschema import Draft202012Validator

FOLDER = Path(__file__).resolve().parent
SCHEMA = json.loads((FOLDER / "schema.json").read_text(encoding="utf-8"))
MAX_REPORTED = 20


class QuestionnaireError(ValueError):
    """The file is not a questionnaire; `problems` lists each mistake with its place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _place(data: object, path: list[str | int]) -> str:
    """Where in the file: "sections[2] (D) › questions[4] (D.5) › answer_type", with the codes a reader searches for."""
    parts: list[str] = []
    node: Any = data
    for step in path:
        # The validator's path steps are the keys of dicts and the indexes of lists.
        node = node[step] if isinstance(node, dict | list) else None  # type: ignore[index]
        if isinstance(step, int):
            code = node.get("code") if isinstance(node, dict) else None
            parts[-1] += f"[{step + 1}]" + (f" ({code})" if isinstance(code, str) else "")
        else:
            parts.append(str(step))
    return " › ".join(parts) or "the top level"


def questionnaire_problems(data: object) -> list[str]:
    """Every mistake in a questionnaire's data, each starting with its place (items counted from 1)."""
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data),  # in the file's order
                    key=lambda e: [(0, step) if isinstance(step, int) else (1, step) for step in e.path])
    problems = [f"{_place(data, list(error.absolute_path))}: {error.message}" for error in errors]
    if problems:
        return problems
    data = cast("dict[str, Any]", data)  # the schema has checked its shape
    sections = data["sections"]
    problems += [f"sections: the code {code} is used by more than one section"
                 for code, n in Counter(s["code"] for s in sections).items() if n > 1]
    for i, section in enumerate(sections):
        problems += [f"{_place(data, ['sections', i, 'questions'])}: the code {code} is used by more than one question"
                     for code, n in Counter(q["code"] for q in section["questions"]).items() if n > 1]
        for j, question in enumerate(section["questions"]):
            for language, translation in question.get("translations", {}).items():
                labels = translation.get("choices")
                if labels is not None and len(labels) != len(question.get("choices", [])):
                    place = _place(data, ["sections", i, "questions", j, "translations", language, "choices"])
                    problems.append(f"{place}: {len(labels)} labels for {len(question.get('choices', []))} choices")
    return problems


def questionnaire_check(data: object) -> None:
    problems = questionnaire_problems(data)
    if problems:
        extra = len(problems) - MAX_REPORTED
        raise QuestionnaireError(problems[:MAX_REPORTED] + ([f"and {extra} more"] if extra > 0 else []))


def questionnaire_read(text: str | bytes) -> object:
    """The data of a questionnaire file (checked when loaded); JSON syntax errors name their line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise QuestionnaireError([f"line {error.lineno}, column {error.colno}: {error.msg}"]) from error
    except UnicodeDecodeError as error:
        raise QuestionnaireError(["the file is not UTF-8 text"]) from error
    return data


def load_questionnaire(path: Path, *, apps=None) -> tuple[object, bool]:
    """Load a questionnaire file; returns (questionnaire, created). A version already loaded is left alone.

    `apps` is a migration's app registry; without it the current models are used.
    """
    return load_questionnaire_data(questionnaire_read(Path(path).read_bytes()), apps=apps)


def load_questionnaire_data(data: object, *, apps=None) -> tuple[object, bool]:
    """Load checked data; a `QuestionnaireError` lists every mistake, and nothing is written.

    A version already loaded keeps its text and structure; only its translations are replaced by the file's.
    """
    questionnaire_check(data)
    data = cast("dict[str, Any]", data)  # checked just above
    if apps is None:
        from django.apps import apps
    Questionnaire = apps.get_model("aeo", "Questionnaire")
    Section = apps.get_model("aeo", "Section")
    Question = apps.get_model("aeo", "Question")
    with transaction.atomic():
        existing = Questionnaire.objects.filter(version=data["version"]).first()
        if existing is not None:
            _refresh_translations(existing, data, Section, Question)
            return existing, False
        questionnaire = Questionnaire.objects.create(version=data["version"], title=data["title"])
        for s_order, s in enumerate(data["sections"], start=1):
            section = Section.objects.create(questionnaire=questionnaire, code=s["code"], title=s["title"],
                                             intro=s.get("intro", ""), applies_to=s["applies_to"], order=s_order,
                                             **_translations(Section, s))
            Question.objects.bulk_create([
                Question(section=section, code=q["code"], text=q["text"], help=q.get("help", ""),
                         answer_type=q["answer_type"], choices=q.get("choices", []), required=q["required"],
                         criterion=q["criterion"], allows_na=q["allows_na"], evidence=q.get("evidence", ""),
                         order=q_order, **_translations(Question, q))
                for q_order, q in enumerate(s["questions"], start=1)
            ])
    return questionnaire, True


def _translations(model, item: dict) -> dict:
    """The item's translations as model fields; migrations older than the field load without them."""
    has_field = any(field.name == "translations" for field in model._meta.get_fields())
    return {"translations": item.get("translations", {})} if has_field else {}


def _refresh_translations(questionnaire, data: dict, Section, Question) -> None:
    """Put the file's translations on the sections and questions of a version already loaded (matched by code)."""
    sections = {s.code: s for s in Section.objects.filter(questionnaire=questionnaire)}
    questions = {(q.section_id, q.code): q for q in Question.objects.filter(section__questionnaire=questionnaire)}
    changed_sections, changed_questions = [], []
    for s in data["sections"]:
        section = sections.get(s["code"])
        if section is None:
            continue
        section.translations = s.get("translations", {})
        changed_sections.append(section)
        for q in s["questions"]:
            question = questions.get((section.pk, q["code"]))
            if question is not None:
                question.translations = q.get("translations", {})
                changed_questions.append(question)
    Section.objects.bulk_update(changed_sections, ["translations"])
    Question.objects.bulk_update(changed_questions, ["translations"])
