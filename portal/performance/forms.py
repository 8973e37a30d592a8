"""The period and the filters of the performance pages, read from the query string."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from portal.models import Sector
from portal.performance.figures import Filters, Period
from portal.performance.registry import DIMENSIONS

LAST_12_MONTHS = "12m"
MAX_DAYS = 5 * 366
MONTHS_OFFERED = 24
YEARS_OFFERED = 3


def _quarter_start(day: date) -> date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def period_choices(today: date) -> list:
    months, month = [], today.replace(day=1)
    for _n in range(MONTHS_OFFERED):
        months.append((f"{month:%Y-%m}", date_format(month, 'YEAR_MONTH_FORMAT')))
        month = (month - timedelta(days=1)).replace(day=1)
    quarters, quarter = [], _quarter_start(today)
    for _n in range(4 * YEARS_OFFERED):
        number = (quarter.month - 1) // 3 + 1
        label = _("Quarter %(n)s %(year)s") % {"n": number, "year": quarter.year}
        quarters.append((f"{quarter.year}-Q{number}", label))
        quarter = _quarter_start(quarter - timedelta(days=1))
    years = [(str(today.year - n), str(today.year - n)) for n in range(YEARS_OFFERED)]
    return [
        (LAST_12_MONTHS, _("The last 12 months")),
        (_("Years"), years), (_("Quarters"), quarters), (_("Months"), months),
        ("custom", _("From and to the dates below")),
    ]


def period_of(value: str, today: date) -> Period:
    if value == LAST_12_MONTHS:
        start = _next_month(today.replace(year=today.year - 1, day=1))
        return Period(start, today, _("the last 12 months"))
    if "-Q" in value:
        year, number = value.split("-Q")
        start = date(int(year), 3 * (int(number) - 1) + 1, 1)
        end = _next_month(_next_month(_next_month(start))) - timedelta(days=1)
        return Period(start, min(end, today), _("quarter %(n)s %(year)s") % {"n": number, "year": year})
    if "-" in value:
        year, month = value.split("-")
        start = date(int(year), int(month), 1)
        end = min(_next_month(start) - timedelta(days=1), today)
        return Period(start, end, date_format(start, "YEAR_MONTH_FORMAT"))
    start = date(int(value), 1, 1)
    return Period(start, min(date(int(value), 12, 31), today), value)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=gettext_lazy("For dates of your own: the first day."))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=gettext_lazy("The last day, included."))

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        cast(forms.ChoiceField, self.fields["period"]).choices = period_choices(self.today)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom" or (not data.get("period") and (data.get("start") or data.get("end"))):
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Enter the first day of the period, for example 2026-01-01."))
            if not end:
                self.add_error("end", _("Enter the last day of the period, for example 2026-03-31."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The last day must be on or after the first day."))
                elif (end - start).days > MAX_DAYS:
                    self.add_error("end", _("Choose a period of at most five years."))
                elif start > self.today:
                    self.add_error("start", _("The period must start today or earlier."))
                else:
                    data["period"] = "custom"
        return data

    def get_period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period") == "custom":
            end = min(data["end"], self.today)
            return Period(data["start"], end, _("dates of your own"))
        return period_of(data.get("period") or LAST_12_MONTHS, self.today)


def _dimension_choices(name: str) -> list:
    dimension = DIMENSIONS.get(name)
    return [("", _("All"))] + (list(dimension.choices()) if dimension else [])


class FilterForm(forms.Form):
    """Staff only: the AEO figures of one type, country or sector."""

    aeo_type = forms.ChoiceField(label=gettext_lazy("AEO type"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aeo_type"].choices = _dimension_choices("aeo_type")
        self.fields["country"].choices = [("", _("All")), *list(countries)]
        self.fields["sector"].choices = [("", _("All")), *list(Sector.choices)]

    def get_filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(**{name: data.get(name) or "" for name in ("aeo_type", "country", "sector")})
