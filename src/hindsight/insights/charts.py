"""Charts of the monthly report, drawn with matplotlib (imported here only, and only when a
chart is drawn) to SVG for HTML and PNG for PDF. Fonts are matplotlib's own DejaVu Sans: no
system font and no download is needed.

Each chart draws its data in its own colours (:data:`COLORS`), which tests use to find the
charts again in a rendered page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hindsight.insights.metrics import METRICS, SHORT

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLORS = {
    "incidents_per_week": "#2b6cb0",
    "open_actions_by_age": "#db2777",
    "time_to_detect": "#d97706",
    "time_to_acknowledge": "#7c3aed",
    "time_to_mitigate": "#059669",
    "time_to_resolve": "#dc2626",
}
SIZE_INCHES = (7.0, 2.6)
PNG_DPI = 150


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its name, title, SVG text and PNG bytes (``PNG_DPI`` dots per inch); each
    empty when it was not asked for."""

    name: str
    title: str
    svg: str
    png: bytes

    @property
    def png_size(self) -> tuple[int, int]:
        """Width and height of the PNG in pixels."""
        return round(SIZE_INCHES[0] * PNG_DPI), round(SIZE_INCHES[1] * PNG_DPI)


def _figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_INCHES, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


@dataclass(frozen=True)
class Formats:
    """Which files to draw a chart as: saving each costs as much as drawing it."""

    svg: bool = True
    png: bool = True


def _finish(name: str, title: str, figure: Figure, formats: Formats) -> Chart:
    import matplotlib

    svg, png = io.StringIO(), io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "hindsight", "svg.fonttype": "path"}):
        if formats.svg:
            figure.savefig(svg, format="svg", metadata={"Date": None})
        if formats.png:
            figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return Chart(name, title, svg.getvalue(), png.getvalue())


def _bars(
    name: str,
    title: str,
    labels: Sequence[str],
    counts: Sequence[int],
    y: str,
    formats: Formats,
) -> Chart:
    from matplotlib.ticker import MaxNLocator

    figure, axes = _figure()
    positions = range(len(labels))
    axes.bar(positions, counts, color=COLORS[name], width=0.7)
    axes.set_xticks(
        list(positions), list(labels), fontsize=7, rotation=45 if len(labels) > 8 else 0
    )
    axes.set_ylabel(y, fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([*counts, 1]) * 1.15)
    axes.set_title(title, fontsize=10, loc="left")
    return _finish(name, title, figure, formats)


def incidents_per_week(weeks: Sequence[tuple[str, int]], formats: Formats = Formats()) -> Chart:
    """Bars: incidents per ISO week."""
    labels = [label for label, _ in weeks]
    return _bars(
        "incidents_per_week",
        "Incidents per week",
        labels,
        [count for _, count in weeks],
        "incidents",
        formats,
    )


def open_actions_by_age(buckets: Sequence[tuple[str, int]], formats: Formats = Formats()) -> Chart:
    """Bars: open action items by days since their incident."""
    return _bars(
        "open_actions_by_age",
        "Open action items by age",
        [label for label, _ in buckets],
        [count for _, count in buckets],
        "open items",
        formats,
    )


def mttx_trend(
    months: Sequence[str],
    medians: Mapping[str, Sequence[float | None]],
    formats: Formats = Formats(),
) -> Chart:
    """Lines: the median of each metric per month, in minutes or hours; gaps where unknown."""
    known = [v for values in medians.values() for v in values if v is not None]
    hours = bool(known) and max(known) >= 2 * 3600
    scale, unit = (3600.0, "hours") if hours else (60.0, "minutes")
    figure, axes = _figure()
    positions = list(range(len(months)))
    for metric in METRICS:
        values = [float("nan") if v is None else v / scale for v in medians.get(metric, [])]
        axes.plot(
            positions[: len(values)],
            values,
            color=COLORS[metric],
            marker="o",
            markersize=5,
            linewidth=2.5,
            label=SHORT[metric],
        )
    axes.set_xticks(positions, list(months), fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylim(bottom=0)
    axes.set_ylabel(f"median, {unit}", fontsize=8)
    axes.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    title = "Median time to detect, acknowledge, mitigate and resolve"
    axes.set_title(title, fontsize=10, loc="left")
    return _finish("mttx_trend", title, figure, formats)
