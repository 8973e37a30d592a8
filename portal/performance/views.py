"""The performance pages (public and staff), the CSV and JSON of every table, and the staff action
that recomputes a day."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.csv_export import csv_response
from portal.performance.charts import render as render_chart
from portal.performance.figures import Figures, figures_for
from portal.performance.forms import FilterForm, PeriodForm
from portal.performance.permissions import can_see_staff_figures, require_staff_figures
from portal.performance.registry import TABLES, Table, tables
from portal.performance.snapshots import snapshot_day
from portal.types import signed_in_user


class RecomputeForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day to compute again"), widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=gettext_lazy("Its figures are replaced by figures counted from the records now."))

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day before: a future day has no figures."))
        return day


def read_figures(request: HttpRequest, *, staff: bool) -> tuple[PeriodForm, FilterForm | None, Figures]:
    period_form = PeriodForm(request.GET or None)
    filter_form = FilterForm(request.GET or None) if staff else None
    filters = filter_form.get_filters() if filter_form is not None else FilterForm().get_filters()
    return period_form, filter_form, figures_for(period_form.get_period(), filters, staff=staff)


def table_rows(table: Table, figures: Figures) -> list[dict[str, Any]]:
    return table.rows(figures)


def table_data(table: Table, figures: Figures, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A table as open data: the same rows as the page, with what they mean."""
    as_of = figures.as_of
    return {
        "table": table.slug,
        "title": str(table.title),
        "definition": str(table.definition),
        "target": str(table.target),
        "basis": table.basis,
        "period": {"start": figures.period.start, "end": figures.period.end, "label": str(figures.period.label)},
        "as_of": {"day": as_of.day, "computed_at": as_of.computed_at} if as_of else None,
        "filters": {k: v for k, v in vars(figures.filters).items() if v},
        "columns": [{"key": c.key, "label": str(c.label)} for c in table.columns],
        "rows": [{c.key: _plain(row.get(c.key)) for c in table.columns} for row in rows],
    }


def _plain(value):
    return value if value is None or isinstance(value, (int, float)) else str(value)


def _blocks(figures: Figures, *, staff: bool) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for table in tables(staff=staff):
        rows = table_rows(table, figures)
        chart = table.chart(rows) if table.chart else None
        blocks.append({
            "table": table, "rows": [[row.get(c.key) for c in table.columns] for row in rows],
            "chart": render_chart(chart, chart_id=f"chart-{table.slug}") if chart else None,
        })
    return [{"section": section, "blocks": list(items)}
            for section, items in groupby(blocks, key=lambda b: str(b["table"].section))]


def _page(request: HttpRequest, *, staff: bool) -> HttpResponse:
    period_form, filter_form, figures = read_figures(request, staff=staff)
    return render(request, "portal/performance/overview.html", {
        "staff": staff, "period_form": period_form, "filter_form": filter_form, "figures": figures,
        "sections": _blocks(figures, staff=staff), "query": request.GET.urlencode(),
        "recompute_form": RecomputeForm(initial={"day": timezone.localdate()}) if staff else None,
        "can_see_staff": not staff and can_see_staff_figures(request.user),
    })


def overview(request: HttpRequest) -> HttpResponse:
    """Public: aggregates only, never a trader's name."""
    return _page(request, staff=False)


def staff_overview(request: HttpRequest) -> HttpResponse:
    denied = require_staff_figures(request)
    if denied:
        return denied
    return _page(request, staff=True)


def get_table_for(request: HttpRequest, slug: str) -> tuple[Table, bool]:
    """The table and whether the staff view applies; a staff table is a 404 for everyone else."""
    table = TABLES.get(slug)
    staff = can_see_staff_figures(request.user)
    if table is None or (not table.public and not staff):
        raise Http404
    return table, staff


def table_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    table, staff = get_table_for(request, slug)
    # Staff get their filters; the public tables are the same for everyone otherwise.
    period_form, _filter_form, figures = read_figures(request, staff=staff)
    if request.GET and not period_form.is_valid():
        return JsonResponse({"errors": period_form.errors}, status=400)
    data = table_data(table, figures, table_rows(table, figures))
    filename = f"{table.slug}-{figures.period.start:%Y%m%d}-{figures.period.end:%Y%m%d}.{fmt}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(data, encoder=DjangoJSONEncoder,
                                              json_dumps_params={"ensure_ascii": False})
    elif fmt == "csv":
        keys = [c["key"] for c in data["columns"]]
        # What staff download carries their filters and staff-only figures: kept out of shared caches.
        return csv_response(filename, keys, ([row[key] for key in keys] for row in data["rows"]), private=staff)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    denied = require_staff_figures(request)
    if denied:
        return denied
    form = RecomputeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("day", []):
            messages.error(request, error)
        return redirect("performance:staff")
    record = snapshot_day(form.cleaned_data["day"], actor=signed_in_user(request))
    messages.success(request, _("The figures of %(day)s were computed again: %(n)s rows in %(s)s seconds.")
                     % {"day": date_format(record.day), "n": record.figures, "s": record.seconds})
    return redirect("performance:staff")
