"""Display helpers shared by every app's templates."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def iso_date(value: str) -> str:
    """A date stored as text ("2026-03-31", e.g. a date answer) written as every other date: "31 March 2026"."""
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return value
