"""The monthly report: its figures on a hand-built month, and its rendering to Markdown, HTML
(checked by parsing it) and PDF (turned into page images with pdftoppm, in which the charts are
found again)."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from insights_data import at, incident

from hindsight.errors import InvalidInput
from hindsight.insights.charts import COLORS
from hindsight.insights.report import (
    MonthlyReport,
    draw_charts,
    monthly_report,
    parse_month,
    render_html,
    render_markdown,
    render_pdf,
)
from hindsight.model import ActionItem, Postmortem

TODAY = date(2026, 11, 3)
GENERATED = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def _pm(ident: str, detected: str, *, ttd: int, ttr: int, **fields: object) -> Postmortem:
    start = at(detected) - timedelta(minutes=ttd)
    return incident(
        ident,
        impact=start.isoformat(),
        detected=detected,
        acknowledged="+2",
        mitigated=f"+{ttr // 2}",
        resolved=f"+{ttr}",
        **fields,
    )


def _items(day: str, *, done_on: str | None) -> list[ActionItem]:
    due = date.fromisoformat(day) + timedelta(days=14)
    done = {"status": "done", "completed_on": done_on} if done_on else {}
    return [
        ActionItem.model_validate({"id": "A1", "action": "Add an alert", "due": due, **done}),
        ActionItem.model_validate({"id": "A2", "action": "Write the runbook", "owner": "Ana"}),
    ]


def month_set() -> list[Postmortem]:
    """One incident a month from May to September, five in October, and three that are not
    October's: a drill, and two on either side of the month in UTC."""
    earlier = [
        _pm(f"M{m}", f"2026-{m:02d}-10T12:00:00Z", ttd=10 * m, ttr=60, services=["api"])
        for m in range(5, 10)
    ]
    # Still open at the end of October: one over 90 days old and overdue, one 82 days old.
    overdue = ActionItem(id="A1", action="Shard the queue", owner="Lee", due=date(2026, 6, 1))
    earlier[0] = earlier[0].model_copy(update={"action_items": [overdue]})
    earlier[3] = earlier[3].model_copy(update={"action_items": [ActionItem(action="Load test")]})
    october = [
        _pm(
            "O1",
            "2026-10-02T09:00:00Z",
            ttd=30,
            ttr=60,
            severity="SEV-1",
            services=["api", "db"],
            contributing_factors=["The config push had no canary"],
            lessons={"learned": ["Canary every config push"]},
            action_items=_items("2026-10-02", done_on="2026-10-10"),
        ),
        _pm(
            "O2",
            "2026-10-09T09:00:00Z",
            ttd=10,
            ttr=120,
            severity="SEV-2",
            services=["api"],
            contributing_factors=["A configuration flag flipped for all regions"],
            lessons={"learned": ["Canary every config push."], "technical": ["Flags need owners"]},
            action_items=_items("2026-10-09", done_on="2026-10-30"),
        ),
        _pm("O3", "2026-10-16T09:00:00Z", ttd=20, ttr=90, severity="SEV-2", services=["web"]),
        _pm("O4", "2026-10-23T09:00:00Z", ttd=40, ttr=30, severity="SEV-3", services=["api"]),
        incident("O5", detected="2026-10-30T09:00:00Z", severity="SEV-3", services=["db"]),
    ]
    others = [
        incident("DRILL", detected="2026-10-20T09:00:00Z", resolved="+5", incident_type="drill"),
        incident("LATE", impact="2026-10-31T23:30:00-02:00", detected="2026-11-01T02:00:00Z"),
        incident("EARLY", impact="2026-09-30T23:59:00Z", detected="2026-10-01T00:10:00Z"),
    ]
    return [*earlier, *october, *others]


@pytest.fixture(scope="module")
def report() -> MonthlyReport:
    built = monthly_report(month_set(), month="2026-10", today=TODAY, generated_at=GENERATED)
    built.charts = draw_charts(built)
    return built


def test_the_month_has_the_known_figures(report: MonthlyReport) -> None:
    assert (report.start, report.end, report.as_of) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        date(2026, 10, 31),
    )
    assert [pm.id for pm in report.incidents] == ["O1", "O2", "O3", "O4", "O5"]
    assert report.drills_excluded == 1
    assert report.by_severity == [("SEV-1", 1), ("SEV-2", 2), ("SEV-3", 2)]
    assert report.by_service == [("api", 3), ("db", 2), ("web", 1)]
    ttd = next(row for row in report.trend if row.metric == "time_to_detect")
    assert (ttd.stat.count, ttd.stat.excluded) == (4, 1)
    assert ttd.stat.median == 25 * 60
    assert report.trend_months == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    # September has M9 (90 minutes) and EARLY (unknown detection time... known: 11 minutes).
    assert ttd.medians[:4] == [50 * 60, 60 * 60, 70 * 60, 80 * 60]
    assert ttd.previous == ttd.medians[4]
    ttr = next(row for row in report.trend if row.metric == "time_to_resolve")
    assert ttr.stat.median == 75 * 60 and ttr.previous == 60 * 60
    assert ttr.change == pytest.approx(0.25)


def test_action_items_as_of_the_end_of_the_month(report: MonthlyReport) -> None:
    actions = report.actions
    assert (actions.total, actions.done, actions.open, actions.overdue) == (6, 2, 4, 1)
    assert actions.completed_in_month == 2
    # O1's A1 was done in time (due 10-16, done 10-10); O2's A1 late (due 10-23, done 10-30);
    # M5's A1 is still open past its due date.
    assert (actions.on_time.part, actions.on_time.whole) == (1, 3)
    assert report.age_buckets == [
        ("0-7 days", 0),
        ("8-30 days", 2),
        ("31-90 days", 1),
        ("over 90 days", 1),
    ]
    assert [(row.postmortem_id, age) for row, age in report.oldest_open[:2]] == [
        ("M5", 174),
        ("M8", 82),
    ]


def test_patterns_and_lessons(report: MonthlyReport) -> None:
    # August to October: M8, M9 and October's incidents.
    assert (report.patterns.since, report.patterns.until) == (date(2026, 8, 1), date(2026, 10, 31))
    assert [(p.kind, p.key, p.count) for p in report.patterns.all()] == [
        ("service", "api", 5),
        ("service", "db", 2),
        ("contributing factor", "configuration change", 2),
    ]
    assert report.lessons == [
        ("Canary every config push", ["O1", "O2"]),
        ("Flags need owners", ["O2"]),
    ]


def test_a_month_is_yyyy_mm() -> None:
    assert parse_month("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    for bad in ("2026-13", "Oct 2026", "2026"):
        with pytest.raises(InvalidInput, match="is not a month"):
            parse_month(bad)


def test_markdown_links_the_charts_it_writes(report: MonthlyReport, tmp_path: Path) -> None:
    text = render_markdown(report, chart_dir=tmp_path / "report-charts")
    assert text.startswith("# Monthly reliability report: 2026-10\n")
    assert "![Incidents per week](report-charts/incidents_per_week.svg)" in text
    for name in ("incidents_per_week", "mttx_trend", "open_actions_by_age"):
        assert (tmp_path / "report-charts" / f"{name}.svg").read_text().startswith("<?xml")
    assert "| TTR | detected_at → resolved_at | 4 | 1 | 1h 15m | 1h 15m | 2h | 1h | +25% |" in text
    assert "- Canary every config push (O1, O2)" in text
    assert "![" not in render_markdown(report)


# --- HTML, parsed -----------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._figure: str | None = None
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "figure":
            self._figure = attributes.get("id")
        elif tag == "img" and self._figure:
            self.images[self._figure] = attributes.get("src") or ""
        elif tag == "table" and attributes.get("id"):
            self._table = attributes["id"]
            self.tables[self._table or ""] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "figure":
            self._figure = None


def test_html_has_the_charts_inline_and_the_tables(report: MonthlyReport) -> None:
    page = _Page()
    page.feed(render_html(report))
    assert sorted(page.images) == [
        "chart-incidents_per_week",
        "chart-mttx_trend",
        "chart-open_actions_by_age",
    ]
    for src in page.images.values():
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        assert "<svg" in base64.b64decode(src.removeprefix(prefix)).decode()
    assert page.tables["by-severity"] == [["SEV-1", "1"], ["SEV-2", "2"], ["SEV-3", "2"]]
    assert page.tables["mttx"][1][:4] == ["TTD", "impact_started_at → detected_at", "4", "1"]
    assert page.tables["lessons"][1] == ["Canary every config push", "O1, O2"]


def test_html_escapes_what_postmortems_say() -> None:
    pm = incident("X1", detected="2026-10-05T00:00:00Z", title="<script>alert(1)</script>")
    built = monthly_report([pm], month="2026-10", today=TODAY, generated_at=GENERATED)
    html = render_html(built)
    assert "<script>" not in html and "&lt;script&gt;" in html


# --- PDF, as page images ----------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is needed (apt-get install poppler-utils)", pytrace=False)
    return path


def _near(pixels: object, color: str, tolerance: int = 40) -> object:
    import numpy as np

    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    distance = np.abs(np.asarray(pixels, dtype=np.int16)[..., :3] - rgb).sum(axis=-1)
    return distance <= tolerance


def _box(mask: object) -> tuple[int, int] | None:
    """Width and height of the region where ``mask`` holds, or None."""
    import numpy as np

    ys, xs = np.nonzero(mask)
    if len(xs) < 50:
        return None
    return int(xs.max() - xs.min()), int(ys.max() - ys.min())


def test_pdf_pages_show_the_charts(report: MonthlyReport, tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(report))
    assert pdf.read_bytes().startswith(b"%PDF-")
    dpi = 100
    subprocess.run(
        [_tool("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = [np.asarray(Image.open(p).convert("RGB")) for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(pages) >= 2
    # The charts span the text width of an A4 page with 14 mm margins: 182 mm.
    chart_width = 182 / 25.4 * dpi
    chart_height = chart_width * 2.6 / 7.0
    boxes = {}
    for name, color in COLORS.items():
        found = [box for page in pages if (box := _box(_near(page, color)))]
        assert found, f"no {name} colour on any page"
        boxes[name] = max(found)
    # Bars of incidents per week spread over most of the chart and rise well up it.
    width, height = boxes["incidents_per_week"]
    assert 0.6 * chart_width < width < chart_width and 0.3 * chart_height < height < chart_height
    # Three of the four age buckets have open items: the bars span over half the chart.
    width, height = boxes["open_actions_by_age"]
    assert 0.5 * chart_width < width < chart_width and 0.3 * chart_height < height < chart_height
    # Each MTTx line runs across the six months (its legend swatch alone would be tiny).
    for metric in ("time_to_detect", "time_to_acknowledge", "time_to_mitigate", "time_to_resolve"):
        assert boxes[metric][0] > 0.5 * chart_width, metric


def test_pdf_embeds_the_chart_images_unchanged(report: MonthlyReport, tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(report))
    subprocess.run([_tool("pdfimages"), "-png", str(pdf), str(tmp_path / "img")], check=True)
    embedded = [
        np.asarray(Image.open(p).convert("RGB")) for p in sorted(tmp_path.glob("img-*.png"))
    ]
    for chart in report.charts:
        drawn = np.asarray(Image.open(io.BytesIO(chart.png)).convert("RGB"))
        assert drawn.shape[:2][::-1] == chart.png_size
        assert any(e.shape == drawn.shape and np.array_equal(e, drawn) for e in embedded), (
            chart.name
        )
