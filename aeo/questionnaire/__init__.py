"""The self-assessment questionnaire ships as data (v1.json beside this file).

A new version is loaded as a new Questionnaire with its own sections and questions, so that what an
application already answered never changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

FOLDER = Path(__file__).resolve().parent


def load_questionnaire(path: Path, *, apps=None) -> tuple[object, bool]:
    """Load a questionnaire file; returns (questionnaire, created). A version already loaded is left alone.

    `apps` is a migration's app registry; without it the current models are used.
    """
    return load_questionnaire_data(json.loads(Path(path).read_text(encoding="utf-8")), apps=apps)


def load_questionnaire_data(data: dict, *, apps=None) -> tuple[object, bool]:
    if apps is None:
        from django.apps import apps
    Questionnaire = apps.get_model("aeo", "Questionnaire")
    Section = apps.get_model("aeo", "Section")
    Question = apps.get_model("aeo", "Question")
    with transaction.atomic():
        existing = Questionnaire.objects.filter(version=data["version"]).first()
        if existing is not None:
            return existing, False
        questionnaire = Questionnaire.objects.create(version=data["version"], title=data["title"])
        for s_order, s in enumerate(data["sections"], start=1):
            section = Section.objects.create(questionnaire=questionnaire, code=s["code"], title=s["title"],
                                             intro=s.get("intro", ""), applies_to=s["applies_to"], order=s_order)
            Question.objects.bulk_create([
                Question(section=section, code=q["code"], text=q["text"], help=q.get("help", ""),
                         answer_type=q["answer_type"], choices=q.get("choices", []), required=q["required"],
                         criterion=q["criterion"], allows_na=q["allows_na"], evidence=q.get("evidence", ""),
                         order=q_order)
                for q_order, q in enumerate(s["questions"], start=1)
            ])
    return questionnaire, True
