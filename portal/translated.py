"""Content that is data, translated: a model keeps its English text in its own fields and the other languages
in a JSON field `translations` ({"pt": {"title": "…"}, "fr": {…}}). `Translated("title")` reads the field in
the active language and falls back to the English text where a translation is missing, so pages, forms and
the API show the reader's language without extra queries.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

TRANSLATED_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def active_language() -> str:
    """The reader's language as a code of LANGUAGES ("pt", not "pt-pt")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def translation_of(translations: dict | None, field: str, english, language: str | None = None):
    """`field` in `language` (the active one by default), or `english` when there is no translation."""
    language = language or active_language()
    return ((translations or {}).get(language) or {}).get(field) or english


class Translated:
    """A read-only attribute: `local_title = Translated("title")` is `title` in the reader's language."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return translation_of(instance.translations, self.field, getattr(instance, self.field))
