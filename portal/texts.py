"""Messages stored untranslated, rendered in the reader's language when shown or sent.

A `Text` is a msgid marked for translation (with `gettext_noop`, so makemessages keeps it in the
catalogues) and its values. Values that depend on the reader's language are kept as such: choice labels
by their English source text, dates and datetimes as ISO values, other texts as texts; plain values
(references, names, what a user wrote) as they are. `to_json()` is what a notification stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Union

from django.db.models import Model
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext

# What a Text may hold: plain values stay as they are, the others are rendered in the reader's language.
Value = Union[str, int, Decimal, date, datetime, Promise, "Text", "Label"]


@dataclass(frozen=True)
class Label:
    """A translatable label (a choice, a state name) kept by its English source text."""

    source: str

    def __str__(self) -> str:
        return gettext(self.source)


@dataclass(frozen=True, init=False)
class Text:
    msgid: str
    params: dict[str, Value]

    def __init__(self, msgid: str, /, **params: Value | object) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", {k: _kept(v) for k, v in params.items()})

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        """In the active language."""
        message = gettext(self.msgid)
        if not self.params:
            return message
        return message % {k: _shown(v) for k, v in self.params.items()}

    def to_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": {k: _encoded(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Text:
        return cls(data["msgid"], **{k: _decoded(v) for k, v in data.get("params", {}).items()})


def choice_label(instance: Model, field: str) -> Value:
    """The label of a choice field's value, kept untranslated (`get_FOO_display()` is already translated)."""
    labels = dict(getattr(instance._meta.get_field(field), "flatchoices", ()))
    value = getattr(instance, field)
    return _kept(labels.get(value, value))


def english(message: Text | str) -> str:
    """The English rendering, for the columns staff search and the fallback for rows without a Text."""
    if isinstance(message, str):
        return message
    with translation.override("en"):
        return message.render()


def _kept(value: Value | object) -> Value:
    if isinstance(value, Promise):
        with translation.override(None):  # no active language: the lazy string gives its source text
            return Label(str(value))
    if isinstance(value, str | int | Decimal | date | Text | Label):
        return value
    return str(value)  # a person, an organisation: as they are named


def _shown(value: Value) -> Any:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Text | Label):
        return str(value)
    return value


def _encoded(value: Value) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, Label):
        return {"label": value.source}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoded(value: Any) -> Value:
    if not isinstance(value, dict):
        return value
    if "text" in value:
        return Text.from_json(value["text"])
    if "label" in value:
        return Label(value["label"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    return date.fromisoformat(value["date"])
