"""Charts rendered on the server as accessible SVG with pygal, drawn inline in the page.

Pygal puts a <script> and a <style> in every SVG, and our Content-Security-Policy allows neither
inline: we render without pygal's JavaScript, drop its <style> (the same rules, scoped to
`svg.pygal-chart`, are in static/css/charts.css, made by `chart_css()`) and its per-point tooltips,
and give the SVG role="img" with a <title> and <desc>. The numbers are always in a table beside it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

# Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart also by the legend and the table.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b35900", "#505a5f", "#d53880", "#594d00")
STYLE = Style(
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    background="transparent", plot_background="#ffffff",
    foreground="#0b0c0c", foreground_strong="#0b0c0c", foreground_subtle="#505a5f",
    opacity=".9", opacity_hover="1", colors=COLOURS,
    label_font_size=13, major_label_font_size=13, legend_font_size=14, value_font_size=13,
)
KINDS = {"bar": pygal.Bar, "stacked": pygal.StackedBar, "line": pygal.Line, "hbar": pygal.HorizontalBar,
         "hstacked": pygal.HorizontalStackedBar}


@dataclass
class Chart:
    kind: str  # a key of KINDS
    title: Any
    description: Any  # what the chart shows, in words, for those who cannot see it
    x_labels: list[str]
    series: list[tuple[Any, list[float | int | None]]] = field(default_factory=list)


def _config(kind: str, **extra) -> pygal.Graph:
    return KINDS[kind](js=[], style=STYLE, width=800, height=380, legend_at_bottom=True, legend_at_bottom_columns=4,
                       show_minor_x_labels=True, x_label_rotation=0 if kind.startswith("h") else 30,
                       truncate_legend=-1, truncate_label=-1, print_values=False, tooltip_fancy_mode=False,
                       show_y_guides=True, min_scale=2, max_scale=6, **extra)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean(parent: ET.Element) -> None:
    for child in list(parent):
        if not isinstance(child.tag, str) or _local(child.tag) in ("script", "style", "title", "desc"):
            parent.remove(child)
            continue
        if "tooltip" in child.get("class", "").split():
            parent.remove(child)
            continue
        child.attrib.pop("style", None)
        _clean(child)


def render(chart: Chart, *, chart_id: str) -> SafeString:
    graph = _config(chart.kind)
    graph.x_labels = chart.x_labels
    for label, values in chart.series:
        graph.add(str(label), values)
    root = graph.render_tree()
    _clean(root)
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    title = ET.Element("title", id=f"{chart_id}-title")
    title.text = str(chart.title)
    desc = ET.Element("desc", id=f"{chart_id}-desc")
    desc.text = str(chart.description)
    root.insert(0, desc)
    root.insert(0, title)
    svg = ET.tostring(root, encoding="unicode")
    return mark_safe(svg)  # noqa: S308  (built by pygal and ElementTree, which escape every text)


def chart_css() -> str:
    """The CSS pygal would inline, scoped to our charts; static/css/charts.css holds its output."""
    graph = _config("bar")
    for n in range(len(COLOURS)):  # one series per colour, so that every colour's rule is written
        graph.add(f"s{n}", [1])
    svg = graph.render(is_unicode=True)
    found = re.search(r'id="(chart-[^"]+)"', svg)
    assert found is not None  # pygal names every chart it renders
    chart_id = found.group(1)
    css = "".join(re.findall(r'<style type="text/css">(.*?)</style>', svg, re.S))
    css = css.replace("&gt;", ">").replace(f"#{chart_id}", "svg.pygal-chart")
    return ("/* Made by portal.performance.charts.chart_css() from pygal's own styles; do not edit by hand. */\n"
            + css.strip() + "\nsvg.pygal-chart{width:100%;height:auto;max-width:50rem}\n")
