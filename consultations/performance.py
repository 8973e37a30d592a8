"""Consultation figures for performance measurement: consultations opened and closed, who took part,
and how customs answered (the daily snapshot, and the tables drawn from it)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from consultations.models import Comment, Consultation, OfficialResponse
from consultations.selectors import participation_statistics
from portal.models import Organisation, Sector
from portal.performance.charts import Chart
from portal.performance.figures import Figures, day_bounds, days_between, median, share
from portal.performance.registry import Column, Figure, Table, register_source, register_table

SECTION = _("Consultations")


def consultation_figures(day: date) -> list[Figure]:
    start, end = day_bounds(day)
    figures = [Figure("consultations.flow", key="opened", count=Consultation.objects.filter(
        published_at__isnull=False, opens_at__gte=start, opens_at__lt=end).count())]
    closed = list(Consultation.objects.filter(closed_at__gte=start, closed_at__lt=end))
    figures.append(Figure("consultations.flow", key="closed", count=len(closed)))
    # Who took part, and how much was answered, counted once: on the day a consultation closed.
    participants: Counter = Counter()
    for consultation in closed:
        stats = participation_statistics(consultation)
        figures.append(Figure("consultations.comments", key="all", count=stats.totals["comments"]))
        figures.append(Figure("consultations.comments", key="answered", count=stats.totals["answered"]))
        for dimension, rows, column in (("kind", stats.by_kind, "organisation__kind"),
                                        ("country", stats.by_country, "organisation__country"),
                                        ("sector", stats.by_sector, "organisation__sector")):
            for row in rows:
                value = row[column]
                # An organisation counts once; people who acted for none count one each.
                participants[f"{dimension}:{value or ''}"] += row["organisations"] if value is not None \
                    else row["people"]
        for row in stats.by_aeo:
            participants[f"aeo:{'holder' if row['aeo'] else 'none'}"] += row["organisations"]
    figures += [Figure("consultations.participants", key=key, count=n) for key, n in participants.items()]
    for response in (OfficialResponse.objects.filter(created_at__gte=start, created_at__lt=end, comment__isnull=False)
                     .select_related("comment").only("created_at", "comment__created_at")):
        comment = cast(Comment, response.comment)  # the query keeps responses to a comment
        figures.append(Figure("consultations.response_days", days=days_between(comment.created_at,
                                                                               response.created_at)))
    for consultation in Consultation.objects.filter(outcome_published_at__gte=start, outcome_published_at__lt=end,
                                                    closed_at__isnull=False):
        # The query keeps consultations closed and with a published outcome: both dates are set.
        figures.append(Figure("consultations.outcome_days",
                              days=days_between(cast(datetime, consultation.closed_at),
                                                cast(datetime, consultation.outcome_published_at))))
    return figures


def activity_rows(figures: Figures) -> list[dict[str, Any]]:
    opened, closed = figures.monthly("consultations.flow", "opened"), figures.monthly("consultations.flow", "closed")
    rows = [{"month": f"{m:%Y-%m}", "opened": opened[m], "closed": closed[m]} for m in figures.period.months()]
    rows.append({"month": str(_("Total")), "opened": figures.total("consultations.flow", "opened"),
                 "closed": figures.total("consultations.flow", "closed")})
    return rows


def activity_chart(rows: list[dict]) -> Chart:
    months = rows[:-1]
    return Chart("line", _("Consultations opened and closed per month"),
                 _("Two lines over the months: consultations opened for comments and consultations closed."),
                 [r["month"] for r in months],
                 [(_("Opened"), [r["opened"] for r in months]), (_("Closed"), [r["closed"] for r in months])])


def participant_rows(figures: Figures) -> list[dict[str, Any]]:
    counts = figures.by_key("consultations.participants")
    labels = {
        "kind": ({**dict(Organisation.Kind.choices), "": _("No organisation")}, _("Kind")),
        "country": ({**dict(countries), "": _("No organisation")}, _("Country")),
        "sector": ({**dict(Sector.choices), "": _("Not an economic operator")}, _("Sector")),
        "aeo": ({"holder": _("AEO holder"), "none": _("No AEO authorisation")}, _("AEO status")),
    }
    rows = []
    for dimension, (names, title) in labels.items():
        for key in sorted(k for k in counts if k.split(":", 1)[0] == dimension):
            value = key.split(":", 1)[1]
            rows.append({"group": f"{title}: {names.get(value, value)}", "participants": counts[key]})
    return rows


def participants_chart(rows: list[dict]) -> Chart | None:
    kinds = [r for r in rows if r["group"].startswith(str(_("Kind")))]
    if not kinds:
        return None
    return Chart("hbar", _("Participants by kind of organisation"),
                 _("One bar per kind of organisation: how many took part in consultations that closed."),
                 [r["group"] for r in kinds], [(_("Participants"), [r["participants"] for r in kinds])])


def response_rows(figures: Figures) -> list[dict[str, Any]]:
    comments, answered = figures.total("consultations.comments", "all"), figures.total("consultations.comments",
                                                                                        "answered")
    return [
        {"measure": str(_("Comments in consultations that closed")), "value": comments},
        {"measure": str(_("Of which answered officially")), "value": answered},
        {"measure": str(_("Share answered (%)")), "value": share(answered, comments)},
        {"measure": str(_("Median days from a comment to its official response")),
         "value": median(figures.distribution("consultations.response_days"))},
        {"measure": str(_("Median days from closing to the published outcome")),
         "value": median(figures.distribution("consultations.outcome_days"))},
        {"measure": str(_("Outcomes published")), "value": figures.total("consultations.outcome_days")},
    ]


def register() -> None:
    register_source("consultations", consultation_figures)
    register_table(Table(
        slug="consultations-activity", section=SECTION, order=30, title=_("Consultations opened and closed"),
        definition=_("Published consultations by the day they opened for comments, and by the day they closed."),
        columns=(Column("month", _("Month"), numeric=False), Column("opened", _("Opened")),
                 Column("closed", _("Closed"))),
        rows=activity_rows, chart=activity_chart))
    register_table(Table(
        slug="consultations-participants", section=SECTION, order=31, title=_("Who took part"),
        definition=_("Organisations that commented on consultations that closed in the period, by kind, country, "
                     "sector and AEO status (an organisation counts once per consultation; people who acted for "
                     "no organisation count one each). Removed and hidden comments do not count."),
        columns=(Column("group", _("Group"), numeric=False), Column("participants", _("Participants"))),
        rows=participant_rows, chart=participants_chart))
    register_table(Table(
        slug="consultations-responses", section=SECTION, order=32, title=_("How customs answered"),
        definition=_("Comments in consultations that closed in the period and the share with an official "
                     "response; calendar days from a comment to its official response, for responses given in "
                     "the period; and days from closing to the published outcome, for outcomes published in it."),
        columns=(Column("measure", _("Measure"), numeric=False), Column("value", _("Value"))),
        rows=response_rows))
