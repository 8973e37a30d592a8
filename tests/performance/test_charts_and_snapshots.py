"""Charts are accessible SVG that our CSP allows; the snapshot job is idempotent and scheduled; staff can
recompute a day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django_celery_beat.models import PeriodicTask

from portal.models import AuditEvent, PerformanceDay, PerformanceFigure
from portal.performance.charts import Chart, chart_css, render
from portal.performance.snapshots import snapshot_day

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "charts.css"


def test_a_chart_is_svg_with_a_title_and_description_and_nothing_inline():
    svg = render(Chart("stacked", "Open cases", "Two bars.", ["a", "b"], [("x", [1, 2]), ("y", [3, 0])]),
                 chart_id="c")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Open cases</title>' in svg and '<desc id="c-desc">Two bars.</desc>' in svg
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg


def test_the_chart_stylesheet_is_current():
    assert CSS.read_text() == chart_css()


def test_the_page_has_no_inline_script_or_style(client, snapshots):
    html = client.get("/performance/", {"period": "2026"}).content.decode()
    assert "<svg" in html and "<script>" not in html and "<style" not in html and " style=" not in html


def test_computing_a_day_again_gives_the_same_figures(aeo_history):
    first = snapshot_day(date(2026, 9, 30))
    rows = sorted(PerformanceFigure.objects.filter(day=date(2026, 9, 30)).values_list(
        "indicator", "key", "days", "aeo_type", "country", "sector", "count"))
    again = snapshot_day(date(2026, 9, 30))
    assert again.pk == first.pk and again.figures == first.figures == len(rows)
    assert sorted(PerformanceFigure.objects.filter(day=date(2026, 9, 30)).values_list(
        "indicator", "key", "days", "aeo_type", "country", "sector", "count")) == rows


def test_staff_recompute_a_day_and_it_is_audited(client_for, programme_admin, alice, aeo_history):
    response = client_for(programme_admin).post("/performance/staff/recompute/", {"day": "2026-06-20"})
    assert response.status_code == 302
    record = PerformanceDay.objects.get(day=date(2026, 6, 20))
    assert record.computed_by == programme_admin and record.figures > 0
    assert AuditEvent.objects.filter(action="performance.recomputed", actor=programme_admin).count() == 1
    assert client_for(alice).post("/performance/staff/recompute/", {"day": "2026-06-20"}).status_code == 403


def test_the_job_is_scheduled(db):
    job = PeriodicTask.objects.get(task="portal.performance.tasks.update_performance_snapshots")
    assert job.interval.every == 6 * 3600 and job.expire_seconds == job.interval.every
