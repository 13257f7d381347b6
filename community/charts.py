"""Server-rendered SVG charts (pygal), readable without JavaScript."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pygal
from pygal.style import Style

_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#5a6275",
    colors=("#1b5fd0",),
    font_family="system-ui, sans-serif",
)


def cumulative_by_day(
    daily: dict[date, int], *, start: date, end: date, base: int = 1
) -> list[tuple[date, int]]:
    """Running totals for every day from start to end (pure: plain data in, plain data out)."""
    total, series, day = base + sum(v for d, v in daily.items() if d < start), [], start
    while day <= end:
        total += daily.get(day, 0)
        series.append((day, max(1, total)))
        day += timedelta(days=1)
    return series


def reputation_chart(series: list[tuple[date, int]], *, title: str, nonce: str = "") -> str:
    """An inline SVG line chart of reputation over time, with no script in it."""
    chart = pygal.Line(
        style=_STYLE,
        js=[],  # no script: the chart is a static picture
        disable_xml_declaration=True,
        show_legend=False,
        show_dots=False,
        fill=True,
        width=720,
        height=220,
        x_label_rotation=0,
        show_minor_x_labels=False,
        x_labels_major_count=6,
        truncate_label=-1,
        title=title or None,
    )
    chart.x_labels = [day.strftime("%b %-d") for day, _ in series]
    chart.add("Reputation", [value for _, value in series])
    return static_svg(chart, nonce=nonce)


_PALETTE = ("#1b5fd0", "#c2410c", "#15803d", "#7c3aed", "#b91c1c")


def series_chart(
    kind: str,
    labels: list[str],
    series: dict[str, list[float]],
    *,
    title: str,
    stacked: bool = False,
    nonce: str = "",
) -> str:
    """An inline SVG bar or line chart of several named series over the same labels."""
    style = Style(**{**_STYLE.to_dict(), "colors": _PALETTE})
    make = {"bar": pygal.StackedBar if stacked else pygal.Bar, "line": pygal.Line}[kind]
    chart = make(
        style=style,
        js=[],
        disable_xml_declaration=True,
        width=720,
        height=260,
        show_minor_x_labels=False,
        x_labels_major_count=8,
        truncate_label=-1,
        legend_at_bottom=True,
        title=title,
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return static_svg(chart, nonce=nonce)


def static_svg(chart: Any, *, nonce: str = "") -> str:
    """The chart as SVG markup with no script in it, and nothing the page's
    Content-Security-Policy refuses: its one <style> carries the request's ``nonce`` and
    style attributes become SVG presentation attributes."""
    # pygal always embeds a small configuration <script> for its interactive mode; the
    # static chart does not need it, so it is taken out of the tree before serializing.
    root = chart.render_tree()
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.rsplit("}", 1)[-1] == "style" and nonce:
            element.set("nonce", nonce)
        inline = element.attrib.pop("style", None)
        for declaration in (inline or "").split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() and value.strip():
                element.set(name.strip(), value.strip())
    return _serialize(root)


def _serialize(root: Any) -> str:
    try:
        from lxml import etree

        return str(etree.tostring(root, encoding="unicode"))
    except (ImportError, TypeError):
        from xml.etree import ElementTree

        ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
        ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
        return ElementTree.tostring(root, encoding="unicode")
