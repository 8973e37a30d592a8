"""The one CSV writer: hostile text never reaches a spreadsheet as a formula, and nothing else changes."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from portal.csv_export import FORMULA_STARTS, csv_cell, csv_response

# Text made to look like formulas: a trigger, maybe repeated, then anything (quotes, commas, newlines, NULs).
hostile = st.builds(lambda starts, rest: "".join(starts) + rest,
                    st.lists(st.sampled_from((*FORMULA_STARTS, "'", '"', " ", ",", "\n")), min_size=1, max_size=4),
                    st.text(max_size=40))
cells = st.one_of(hostile, st.text(max_size=40), st.integers(), st.none())


def read_back(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline="")))


@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=5))
def test_no_cell_read_back_starts_a_formula_and_the_rest_is_kept(rows):
    width = max((len(row) for row in rows), default=1)
    rows = [row + [None] * (width - len(row)) for row in rows]
    read = read_back(csv_response("x.csv", [f"c{i}" for i in range(width)], rows))
    assert read[0] == [f"c{i}" for i in range(width)]
    assert len(read) == len(rows) + 1
    for written, got in zip(rows, read[1:], strict=True):
        for value, cell in zip(written, got, strict=True):
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                assert cell == "'" + value  # defused, and nothing of the text lost
            else:
                assert cell == ("" if value is None else str(value))
            if isinstance(value, str):
                assert not cell.startswith(FORMULA_STARTS)


@given(hostile)
def test_every_trigger_is_defused(value):
    assert csv_cell(value) == ("'" + value if value[0] in FORMULA_STARTS else value)


def test_the_owasp_triggers_empty_cells_and_numbers():
    for trigger in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(trigger) == "'" + trigger
    assert csv_cell("") == "" and csv_cell(None) == ""
    assert csv_cell(-5) == -5  # a negative number is a figure, not a formula
    assert csv_cell("a=1") == "a=1"


def test_private_by_default():
    assert csv_response("x.csv", ["a"], [])["Cache-Control"] == "private, no-store"
    assert "Cache-Control" not in csv_response("x.csv", ["a"], [], private=False)
