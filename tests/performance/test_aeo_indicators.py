"""Each AEO indicator counted by hand on the fixed history of conftest.py, and compared with the page,
the CSV and the API: all three show the same numbers."""

from __future__ import annotations

import csv
import io
import statistics

import pytest

from tests.performance.conftest import PERIOD

# Counted by hand from the history in conftest.py (period 1 January to 30 September 2026).
APPLICATIONS_TOTAL = {"received": 7,  # app 2 twice (returned, submitted again); app 5 never submitted
                      "accepted": 4, "returned": 1, "granted": 2, "rejected": 1,
                      "withdrawn": 1}  # app 3; app 5 withdrew a draft, not counted
ACCEPTANCE_DAYS = [10, 41, 19, 15]  # apps 1, 2 (from its second submission), 4, 7
DECISION_DAYS = [100, 127, 176]  # apps 1, 2 (target 120 + 30 extended), 7 (late)


def nearest_rank(values: list[int], p: int) -> int:
    ordered = sorted(values)
    return ordered[-(-p * len(ordered) // 100) - 1]


TIMES = {
    "Submission to acceptance": {"cases": 4, "median": statistics.median(ACCEPTANCE_DAYS),  # 17.0
                                 "p90": nearest_rank(ACCEPTANCE_DAYS, 90), "within": 3, "share_within": 75.0},
    "Acceptance to decision": {"cases": 3, "median": statistics.median(DECISION_DAYS),  # 127
                               "p90": nearest_rank(DECISION_DAYS, 90), "within": 2, "share_within": 66.7},
    "Information request to answer": {"cases": 1, "median": 10.0, "p90": 10},
}
DIALOGUE = {"Information requests sent": 1, "Information requests answered": 1, "Median days to answer a request": 10,
            "Information requests per decided case": 0.33, "Decisions after an extended deadline": 1,
            "Hearings opened (rejection intended)": 1, "Replies to the grounds": 1,
            "Reconsidered after the hearing": 0, "Rejection confirmed after the hearing": 1}
# At the end of September: app 4 under review since 1 May (152 days), app 6 submitted on 1 June (121 days)
BACKLOG = {"Submitted": {"age_121": 1, "total": 1}, "Under review": {"age_121": 1, "total": 1}}
AUTHORISATIONS = {"Type: AEOC — customs simplifications": {"active": 1, "suspended": 0, "total": 1},
                  "Type: AEOS — security and safety": {"active": 0, "suspended": 1, "total": 1},
                  "Country: Portugal": {"active": 1, "total": 1}, "Country: Spain": {"suspended": 1, "total": 1}}


def page_table(response, slug: str) -> list[dict]:
    for section in response.context["sections"]:
        for block in section["blocks"]:
            if block["table"].slug == slug:
                keys = [c.key for c in block["table"].columns]
                return [dict(zip(keys, row, strict=True)) for row in block["rows"]]
    raise AssertionError(f"no table {slug} on the page")


def csv_table(client, slug: str) -> list[dict]:
    response = client.get(f"/performance/tables/{slug}.csv", PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def api_table(client, slug: str) -> list[dict]:
    response = client.get(f"/api/v1/performance/{slug}/", PERIOD)
    assert response.status_code == 200, response.content
    return response.json()["rows"]


def json_table(client, slug: str) -> list[dict]:
    response = client.get(f"/performance/tables/{slug}.json", PERIOD)
    assert response.status_code == 200
    return response.json()["rows"]


def same_everywhere(client, slug: str) -> list[dict]:
    """The rows of one table, after checking that page, CSV, JSON and API agree."""
    page = page_table(client.get("/performance/", PERIOD), slug)
    api = api_table(client, slug)
    assert json_table(client, slug) == api
    assert [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in api] == csv_table(client, slug)
    assert [{k: (v if v is None or isinstance(v, (int, float)) else str(v)) for k, v in row.items()}
            for row in page] == api
    return api


@pytest.fixture
def visitor(client, snapshots):
    return client


def test_applications_received_and_decided(visitor):
    rows = same_everywhere(visitor, "aeo-applications")
    total = rows[-1]
    assert {k: total[k] for k in APPLICATIONS_TOTAL} == APPLICATIONS_TOTAL
    march = next(r for r in rows if r["month"] == "2026-03")
    assert (march["received"], march["returned"], march["accepted"]) == (3, 1, 1)


def test_processing_times_against_the_targets(visitor):
    rows = {r["measure"]: r for r in same_everywhere(visitor, "aeo-processing-times")}
    for measure, expected in TIMES.items():
        assert {k: rows[measure][k] for k in expected} == expected, measure
    assert TIMES["Acceptance to decision"]["p90"] == 176 and TIMES["Submission to acceptance"]["p90"] == 41


def test_decision_days_histogram_marks_the_target(visitor):
    rows = {r["days"]: r for r in same_everywhere(visitor, "aeo-decision-days")}
    assert rows["91–120"] == {"days": "91–120", "within": 1, "late": 0}
    assert rows["121–150"] == {"days": "121–150", "within": 1, "late": 0}  # 127 days, deadline extended by 30
    assert rows["151–180"] == {"days": "151–180", "within": 0, "late": 1}
    assert sum(r["within"] + r["late"] for r in rows.values()) == len(DECISION_DAYS)


def test_acceptance_days_histogram(visitor):
    rows = {r["days"]: r for r in same_everywhere(visitor, "aeo-acceptance-days")}
    assert [rows[band]["within"] for band in ("6–10", "11–15", "16–20")] == [1, 1, 1]
    assert rows["31–45"]["late"] == 1


def test_information_requests_and_hearings(visitor):
    rows = {r["measure"]: r["value"] for r in same_everywhere(visitor, "aeo-dialogue")}
    assert rows == DIALOGUE


def test_backlog_counts_cases_still_open_at_the_end_of_the_period(visitor):
    rows = {r["state"]: r for r in same_everywhere(visitor, "aeo-backlog")}
    for state, expected in BACKLOG.items():
        assert {k: rows[state][k] for k in expected} == expected
    assert rows["All open cases"]["total"] == 2


def test_backlog_of_an_earlier_period_is_counted_from_that_day(client, snapshots):
    # at the end of April: apps 1 and 7 under review, app 2 under review since 20 April, app 3 withdrawn
    response = client.get("/api/v1/performance/aeo-backlog/", {"period": "custom", "start": "2026-04-01",
                                                                "end": "2026-04-30"})
    rows = {r["state"]: r for r in response.json()["rows"]}
    assert rows["Under review"]["total"] == 3
    assert rows["Submitted"]["total"] == 0


def test_authorisations_by_status_at_the_end_of_the_period(visitor):
    rows = {r["group"]: r for r in same_everywhere(visitor, "aeo-authorisations")}
    for group, expected in AUTHORISATIONS.items():
        assert {k: rows[group][k] for k in expected} == expected, group


def test_the_page_shows_the_hand_counted_figures_in_its_html(visitor):
    html = visitor.get("/performance/", PERIOD).content.decode()
    assert "Figures as of 30 September 2026" in html
    assert '<td class="numeric">17.0</td>' in html and '<td class="numeric">66.7</td>' in html
