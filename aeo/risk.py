"""The risk score of an AEO application: facts about the case, weighed by a versioned set of weights.

A score is points per rule, summed within a family and capped there, then summed over the families and
capped at 100. Caps per family keep one kind of weakness (twenty documents missing, say) from filling the
scale on its own, so that the score orders a queue: a case with a condition not met and a poor history
scores above one with paperwork missing. The weights are data (`RiskModel`), published by programme
administrators as new versions; the rules (what a fact is) are code, so every label is translated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, overload

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The first published weights, and the shape every later version keeps.
DEFAULT_WEIGHTS: dict[str, Any] = {  # JSON, as stored on each RiskModel
    "families": {
        "conditions": {"cap": 45, "rules": {"must_no": 15}},
        "practices": {"cap": 15, "rules": {"should_no": 3}},
        "evidence": {"cap": 20, "rules": {"evidence_missing": 3, "evidence_explained": 1}},
        "not_applicable": {"cap": 8, "rules": {"not_applicable": 1}},
        "history": {"cap": 30, "rules": {"earlier_rejection": 10, "suspension": 10, "revocation": 20}},
        "identity": {"cap": 15, "rules": {"unverified": 15}},
    },
    "bands": [[0, "low"], [20, "moderate"], [40, "high"], [60, "very_high"]],
}

FAMILIES = {
    "conditions": gettext_lazy("Conditions of the programme"),
    "practices": gettext_lazy("Recommended practices"),
    "evidence": gettext_lazy("Evidence"),
    "not_applicable": gettext_lazy("Questions said not to apply"),
    "history": gettext_lazy("History with customs"),
    "identity": gettext_lazy("Identity"),
}
RULES = {
    "must_no": gettext_lazy("Condition answered “no”"),
    "should_no": gettext_lazy("Recommended practice answered “no”"),
    "evidence_missing": gettext_lazy("Expected evidence missing, no reason given"),
    "evidence_explained": gettext_lazy("Expected evidence missing, with a reason"),
    "not_applicable": gettext_lazy("Answered “not applicable”"),
    "earlier_rejection": gettext_lazy("Earlier application rejected"),
    "suspension": gettext_lazy("Earlier authorisation suspended"),
    "revocation": gettext_lazy("Earlier authorisation revoked"),
    "unverified": gettext_lazy("Organisation not verified by customs"),
}
BANDS = {"low": gettext_lazy("Low"), "moderate": gettext_lazy("Moderate"), "high": gettext_lazy("High"),
         "very_high": gettext_lazy("Very high")}
SCALE_MAX = 100


@dataclass
class RiskFacts:
    """What the score looks at. Each list holds question codes; the counts are of earlier events."""

    must_no: list[str] = field(default_factory=list)
    should_no: list[str] = field(default_factory=list)
    evidence_missing: list[str] = field(default_factory=list)
    evidence_explained: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    earlier_rejection: int = 0
    suspension: int = 0
    revocation: int = 0
    unverified: bool = False

    def count(self, rule: str) -> int:
        value = getattr(self, rule)
        return len(value) if isinstance(value, list) else int(value)

    def codes(self, rule: str) -> list[str]:
        value = getattr(self, rule)
        return value if isinstance(value, list) else []

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> RiskFacts:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def validate_weights(weights: dict) -> None:
    """Raise ValueError unless `weights` has every family and rule, with whole, non-negative points."""
    families = weights.get("families")
    if not isinstance(families, dict) or set(families) != set(DEFAULT_WEIGHTS["families"]):
        raise ValueError(_("The weights must name exactly these families: %(names)s.")
                         % {"names": ", ".join(DEFAULT_WEIGHTS["families"])})
    for name, family in families.items():
        expected = set(DEFAULT_WEIGHTS["families"][name]["rules"])
        if not isinstance(family.get("rules"), dict) or set(family["rules"]) != expected:
            raise ValueError(_("The family %(family)s must have exactly these rules: %(rules)s.")
                             % {"family": name, "rules": ", ".join(sorted(expected))})
        for value in [family.get("cap"), *family["rules"].values()]:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= SCALE_MAX:
                raise ValueError(_("Points and caps are whole numbers from 0 to 100 (%(family)s).")
                                 % {"family": name})
    bands = weights.get("bands")
    if (not isinstance(bands, list) or [b[1] for b in bands] != list(BANDS) or bands[0][0] != 0
            or [b[0] for b in bands] != sorted({b[0] for b in bands})):
        raise ValueError(_("The bands must be low, moderate, high and very high, starting at 0, in rising order."))


@overload
def band_of(score: int, weights: dict) -> str: ...  # the bands start at 0 (validate_weights) and scores too
@overload
def band_of(score: None, weights: dict) -> None: ...
def band_of(score: int | None, weights: dict) -> str | None:
    if score is None:
        return None
    band = None
    for start, name in weights["bands"]:
        if score >= start:
            band = name
    return band


def band_ranges(weights: dict) -> list[tuple[str, int, int]]:
    """(band, lowest, highest) for each band, for filters, legends and the scale."""
    starts = weights["bands"]
    return [(name, start, (starts[i + 1][0] - 1) if i + 1 < len(starts) else SCALE_MAX)
            for i, (start, name) in enumerate(starts)]


def score(facts: RiskFacts, weights: dict) -> tuple[int, list[dict]]:
    """The score and its reasons: one per rule that applies, with the points it counts after its family's cap."""
    total = 0
    reasons = []
    for family_code, family in weights["families"].items():
        left = family["cap"]
        for rule, points in family["rules"].items():
            n = facts.count(rule)
            if not n or not points:
                continue
            raw = n * points
            counted = min(raw, left)
            left -= counted
            reasons.append({"family": family_code, "rule": rule, "count": n, "points": counted,
                            "capped": counted < raw, "codes": facts.codes(rule)})
            total += counted
    return min(total, SCALE_MAX), reasons


def reason_text(reason: dict) -> str:
    """A reason in words for the case page, e.g. "Condition answered “no” (×2: B.1.1, B.2.3)"."""
    label = str(RULES.get(reason["rule"], reason["rule"]))
    codes = f": {', '.join(reason['codes'])}" if reason.get("codes") else ""
    return f"{label} (×{reason['count']}{codes})"


def calibration(cases: Iterable[tuple[str, int]], weights: dict) -> dict:
    """How `weights` sort cases, from (outcome, score) pairs: outcome "granted", "rejected" or "open".

    Per band: how many cases it holds and how the decided ones fell. `ordered` is the share, in per cent, of
    the pairs of a granted and a rejected case in which the rejected one scored higher (a tie counts half):
    100 when the weights put every rejection above every grant, 50 when they sort no better than chance.
    """
    rows: dict[str, dict[str, Any]] = {
        band: {"band": band, "label": BANDS[band], "low": low, "high": high, "scored": 0, "granted": 0,
               "rejected": 0, "open": 0, "rejected_share": None} for band, low, high in band_ranges(weights)}
    scores: dict[str, list[int]] = {"granted": [], "rejected": []}
    for outcome, value in cases:
        row = rows[band_of(value, weights)]
        row["scored"] += 1
        row[outcome] += 1
        if outcome in scores:
            scores[outcome].append(value)
    for row in rows.values():
        if row["granted"] + row["rejected"]:
            row["rejected_share"] = round(100 * row["rejected"] / (row["granted"] + row["rejected"]))
    granted = Counter(scores["granted"])
    pairs = len(scores["granted"]) * len(scores["rejected"])
    above = sum(sum(n for g, n in granted.items() if g < r) + granted[r] / 2 for r in scores["rejected"])

    def mean(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {"bands": list(rows.values()), "scored": sum(row["scored"] for row in rows.values()),
            "decided": len(scores["granted"]) + len(scores["rejected"]),
            "mean_granted": mean(scores["granted"]), "mean_rejected": mean(scores["rejected"]),
            "ordered": round(100 * above / pairs) if pairs else None}
