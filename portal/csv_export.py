"""CSV downloads: every export of the portal is written here, with one formula guard.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula, and also one that
starts with a tab or a carriage return followed by such text (OWASP, "CSV injection"). A text cell
starting with any of these gets a leading apostrophe, which spreadsheets show as text. Numbers are
written as they are (a negative number is data, not a formula) and an empty cell stays empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """The value as it goes into a cell: None empty, text that could run as a formula defused."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]], *,
                 private: bool = True) -> HttpResponse:
    """A CSV download of `rows` under `header`, every cell through `csv_cell`; kept out of shared caches
    unless the data is public."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read the accents right
    writer = csv.writer(response)
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response
