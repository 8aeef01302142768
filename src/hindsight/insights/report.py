"""The monthly reliability report: incidents by severity and service, MTTx with its trend,
action-item completion, recurring patterns and lessons learned, with charts; as Markdown, a
standalone HTML page, or PDF (WeasyPrint, imported only for PDF).

:func:`monthly_report` is pure (``today`` is passed in); the render functions turn its result
into text or bytes. Definitions:

- The month's incidents are those anchored in it (see :func:`hindsight.insights.metrics.anchor`),
  drills and maintenance left out.
- The trend compares each metric's median with the previous months' (``TREND_MONTHS`` in all).
- Action items are counted *as of* the end of the month (or ``today`` if sooner), over every
  postmortem anchored by then: an item done after that day still counts as open.
- Recurring patterns and the incidents-per-week chart cover the month and the two before it.

:func:`monthly_report_in_store` gives the same report from the store without reading every
document: whole documents only for the month's incidents, a few fields for the trend months
before it, and every action item from the ``action_items`` table.
"""

from __future__ import annotations

import base64
import calendar
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hindsight.errors import InvalidInput
from hindsight.insights.followups import ActionRow, action_rows, in_due_order, resolution_day_of
from hindsight.insights.health import Health, Share, compute_health, items_on_time
from hindsight.insights.metrics import (
    METRICS,
    SHORT,
    MetricsReport,
    Stat,
    anchor_date,
    anchor_of,
    compute_metrics,
    period_key,
    select,
)
from hindsight.insights.patterns import Patterns, find_patterns
from hindsight.model import ActionStatus, Postmortem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hindsight.insights.charts import Chart
    from hindsight.store.repository import Summary

TREND_MONTHS = 6
CONTEXT_MONTHS = 3
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7 days", 0, 7),
    ("8-30 days", 8, 30),
    ("31-90 days", 31, 90),
    ("over 90 days", 91, None),
)
FORMATS = ("md", "html", "pdf")


def parse_month(text: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(f"--month: {text!r} is not a month (YYYY-MM)")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def months_back(first: date, count: int) -> list[date]:
    """The first days of ``count`` months ending with the month of ``first``, oldest first."""
    days = []
    year, month = first.year, first.month
    for _ in range(count):
        days.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days[::-1]


@dataclass(frozen=True)
class TrendRow:
    """One metric this month, with its monthly medians over the trend months."""

    metric: str
    stat: Stat
    medians: list[float | None]
    previous: float | None

    @property
    def change(self) -> float | None:
        """Relative change of the median against the previous month (``-0.25``: 25% faster)."""
        if self.stat.median is None or not self.previous:
            return None
        return (self.stat.median - self.previous) / self.previous


@dataclass(frozen=True)
class ActionSummary:
    as_of: date
    total: int
    done: int
    wont_do: int
    open: int
    overdue: int
    completed_in_month: int
    on_time: Share

    @property
    def completion(self) -> float | None:
        """Done, of the items not dropped (``wont_do``)."""
        counted = self.total - self.wont_do
        return self.done / counted if counted else None


@dataclass
class MonthlyReport:
    month: str
    start: date
    end: date
    as_of: date
    generated_at: datetime
    incidents: list[Postmortem]
    drills_excluded: int
    by_severity: list[tuple[str, int]]
    by_service: list[tuple[str, int]]
    trend_months: list[str]
    trend: list[TrendRow]
    actions: ActionSummary
    oldest_open: list[tuple[ActionRow, int]]
    health: Health
    patterns: Patterns
    lessons: list[tuple[str, list[str]]]
    weeks: list[tuple[str, int]]
    age_buckets: list[tuple[str, int]]
    metrics: MetricsReport
    charts: list[Chart] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "incidents": [pm.id for pm in self.incidents],
            "drills_excluded": self.drills_excluded,
            "by_severity": dict(self.by_severity),
            "by_service": dict(self.by_service),
            "metrics": self.metrics.as_json(),
            "health": self.health.as_json(),
            "patterns": self.patterns.as_json(),
            "lessons": [{"lesson": text, "incidents": ids} for text, ids in self.lessons],
            "incidents_per_week": dict(self.weeks),
            "open_actions_by_age": dict(self.age_buckets),
        }


def _count(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0].lower()))


def _done_by(row: ActionRow, day: date) -> bool:
    item = row.item
    return item.status is ActionStatus.DONE and (
        item.completed_on is None or item.completed_on <= day
    )


def _open_at(row: ActionRow, day: date) -> bool:
    return row.item.status is not ActionStatus.WONT_DO and not _done_by(row, day)


def _action_summary(rows: list[ActionRow], start: date, as_of: date) -> ActionSummary:
    open_rows = [r for r in rows if _open_at(r, as_of)]
    done = [r for r in rows if _done_by(r, as_of)]
    return ActionSummary(
        as_of=as_of,
        total=len(rows),
        done=len(done),
        wont_do=sum(r.item.status is ActionStatus.WONT_DO for r in rows),
        open=len(open_rows),
        overdue=sum(r.item.due is not None and r.item.due < as_of for r in open_rows),
        completed_in_month=sum(
            r.item.completed_on is not None and r.item.completed_on >= start for r in done
        ),
        on_time=items_on_time((r.item for r in rows), today=as_of),
    )


def _ages(rows: list[ActionRow], as_of: date) -> list[tuple[ActionRow, int]]:
    aged = [
        (r, (as_of - r.incident_day).days)
        for r in rows
        if _open_at(r, as_of) and r.incident_day is not None
    ]
    aged.sort(key=lambda pair: -pair[1])
    return aged


def _buckets(aged: list[tuple[ActionRow, int]]) -> list[tuple[str, int]]:
    return [
        (label, sum(low <= age and (high is None or age <= high) for _, age in aged))
        for label, low, high in AGE_BUCKETS
    ]


def _weeks(incidents: list[Postmortem], first: date, last: date) -> list[tuple[str, int]]:
    counts = Counter(period_key(d, "week") for pm in incidents if (d := anchor_date(pm)))
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        key = period_key(monday, "week")
        weeks.append((key, counts.get(key, 0)))
        monday += timedelta(days=7)
    return weeks


def _trend(
    postmortems: list[Postmortem], month_starts: list[date], end: date
) -> tuple[list[TrendRow], MetricsReport]:
    keys = [period_key(d, "month") for d in month_starts]
    report = compute_metrics(postmortems, by="month", since=month_starts[0], until=end)
    groups = {g.key: g for g in report.groups}
    rows = []
    for metric in METRICS:
        medians = [groups[k].stats[metric].median if k in groups else None for k in keys]
        stat = (
            groups[keys[-1]].stats[metric]
            if keys[-1] in groups
            else Stat(metric, "", "", 0, 0, None, None, None)
        )
        rows.append(TrendRow(metric, stat, medians, medians[-2] if len(medians) > 1 else None))
    return rows, report


def _lessons(incidents: list[Postmortem]) -> list[tuple[str, list[str]]]:
    """Each lesson with the incidents that taught it, the most often learned first."""
    taught: dict[str, tuple[str, list[str]]] = {}
    for pm in incidents:
        lessons = pm.lessons
        for lesson in (
            *lessons.learned,
            *lessons.technical,
            *lessons.process,
            *lessons.cultural,
            *lessons.do_differently,
            *lessons.surprises,
        ):
            key = " ".join(lesson.lower().split()).rstrip(".")
            ids = taught.setdefault(key, (lesson, []))[1]
            if (pm.id or pm.title) not in ids:
                ids.append(pm.id or pm.title)
    return sorted(taught.values(), key=lambda pair: -len(pair[1]))


def monthly_report(
    postmortems: Iterable[Postmortem],
    *,
    month: str,
    today: date,
    generated_at: datetime,
    include_drills: bool = False,
) -> MonthlyReport:
    """Everything the monthly report shows, computed from ``postmortems``."""
    start, end = parse_month(month)
    as_of = min(end, today)
    pms = list(postmortems)
    known = [pm for pm in pms if (d := anchor_date(pm)) is not None and d <= as_of]
    rows = action_rows(known)
    return _report(pms, rows, (start, end, as_of), generated_at, include_drills)


# What the months before the report's month are read for: metrics (milestones), patterns
# (services, tags, contributing factors), and placing and telling incidents apart.
_TREND_FIELDS = (
    "id",
    "title",
    "date",
    "incident_type",
    "tags",
    "services",
    "milestones",
    "contributing_factors",
)


def monthly_report_in_store(
    *,
    session: Session,
    month: str,
    today: date,
    generated_at: datetime,
    include_drills: bool = False,
) -> MonthlyReport:
    """:func:`monthly_report` of every stored postmortem. Whole documents are read only for the
    month's incidents; for the trend months before it, the fields the trend and the patterns
    use (:data:`_TREND_FIELDS`); and the action items of every postmortem come from the
    ``action_items`` table."""
    from hindsight.insights.collection import gc_paused

    with gc_paused():
        return _report_in_store(session, month, today, generated_at, include_drills)


def _report_in_store(
    session: Session, month: str, today: date, generated_at: datetime, include_drills: bool
) -> MonthlyReport:
    from hindsight.store import repository

    start, end = parse_month(month)
    as_of = min(end, today)
    first = months_back(start, TREND_MONTHS)[0]
    in_month: list[str] = []
    before: list[str] = []
    known: dict[str, Summary] = {}
    for summary in repository.list_summaries(session=session):
        day = _anchor_day(summary)
        if day is None:
            continue
        if start <= day <= end:
            in_month.append(summary.id)
        elif first <= day < start:
            before.append(summary.id)
        if day <= as_of:
            known[summary.id] = summary
    pms = [
        *repository.get_postmortems(session=session, ids=in_month),
        *repository.get_postmortems(session=session, ids=before, fields=_TREND_FIELDS),
    ]
    rows = _stored_rows(session, known)
    return _report(pms, rows, (start, end, as_of), generated_at, include_drills)


def _stored_rows(session: Session, postmortems: dict[str, Summary]) -> list[ActionRow]:
    """:func:`action_rows` of these postmortems, from the ``action_items`` table."""
    from hindsight.store import repository

    rows = []
    for row in repository.action_items_of(session=session, postmortem_ids=postmortems):
        summary = postmortems[row.postmortem_id]
        rows.append(
            ActionRow(
                postmortem_id=row.postmortem_id,
                postmortem_title=row.postmortem_title,
                severity=summary.severity,
                incident_day=resolution_day_of(summary.resolved_at, summary.incident_date),
                position=row.position,
                item=row.item,
            )
        )
    return in_due_order(rows)


def _anchor_day(summary: Summary) -> date | None:
    # The stored incident date is the stated date whenever both instants are unknown.
    instant = anchor_of(summary.impact_started_at, summary.detected_at, summary.incident_date)
    return instant.date() if instant is not None else None


def _report(
    pms: list[Postmortem],
    rows: list[ActionRow],
    days: tuple[date, date, date],
    generated_at: datetime,
    include_drills: bool,
) -> MonthlyReport:
    """The report of the month from ``start`` to ``end`` (``days``: start, end, as of): from the
    postmortems anchored in the trend months (others may be there too), and ``rows``, the action
    items of every postmortem anchored by ``as_of``, in :func:`in_due_order`."""
    start, end, as_of = days
    incidents, drills = select(pms, since=start, until=end, include_drills=include_drills)
    incidents.sort(key=lambda pm: (anchor_date(pm) or start, pm.id or ""))
    trend_starts = months_back(start, TREND_MONTHS)
    trend, metrics = _trend(select(pms, include_drills=include_drills)[0], trend_starts, end)
    context_start = months_back(start, CONTEXT_MONTHS)[0]
    context, _ = select(pms, since=context_start, until=end, include_drills=include_drills)
    patterns = find_patterns(context, since=context_start, until=end, include_drills=True, limit=8)
    aged = _ages(rows, as_of)
    return MonthlyReport(
        month=f"{start:%Y-%m}",
        start=start,
        end=end,
        as_of=as_of,
        generated_at=generated_at,
        incidents=incidents,
        drills_excluded=drills,
        by_severity=sorted(
            Counter(pm.severity.label() if pm.severity else "unknown" for pm in incidents).items()
        ),
        by_service=_count(s for pm in incidents for s in dict.fromkeys(pm.services)),
        trend_months=[f"{d:%Y-%m}" for d in trend_starts],
        trend=trend,
        actions=_action_summary(rows, start, as_of),
        oldest_open=aged[:10],
        health=compute_health(incidents, today=as_of),
        patterns=patterns,
        lessons=_lessons(incidents),
        weeks=_weeks(context, context_start, end),
        age_buckets=_buckets(aged),
        metrics=metrics,
    )


# --- rendering --------------------------------------------------------------------------------


def draw_charts(report: MonthlyReport, *, svg: bool = True, png: bool = True) -> list[Chart]:
    """The report's three charts as SVG and/or PNG (matplotlib is imported here)."""
    try:
        import matplotlib  # noqa: F401  (only to say what is missing)
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise InvalidInput("the report's charts need matplotlib: pip install matplotlib") from exc
    from hindsight.insights import charts

    formats = charts.Formats(svg=svg, png=png)
    medians = {row.metric: row.medians for row in report.trend}
    return [
        charts.incidents_per_week(report.weeks, formats),
        charts.mttx_trend(report.trend_months, medians, formats),
        charts.open_actions_by_age(report.age_buckets, formats),
    ]


def _context(report: MonthlyReport, scheme: str) -> dict[str, Any]:
    return {"r": report, "scheme": scheme, "short": SHORT}


def render_markdown(
    report: MonthlyReport, *, scheme: str = "sev", chart_dir: Path | None = None
) -> str:
    """The report as Markdown; with ``chart_dir``, the charts are written there as SVG files and
    linked (by paths relative to ``chart_dir``'s parent), else left out."""
    from hindsight.insights.templating import render

    links: list[tuple[str, str]] = []
    if chart_dir is not None:
        try:
            chart_dir.mkdir(parents=True, exist_ok=True)
            for chart in report.charts or draw_charts(report, png=False):
                (chart_dir / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
                links.append((chart.title, f"{chart_dir.name}/{chart.name}.svg"))
        except OSError as exc:
            raise InvalidInput(f"cannot write charts to {chart_dir}: {exc.strerror}") from exc
    return render("monthly.md.j2", charts=links, **_context(report, scheme))


def _data_uri(chart: Chart, *, png: bool) -> str:
    if png:
        return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")


def render_html(report: MonthlyReport, *, scheme: str = "sev", png: bool = False) -> str:
    """A standalone HTML page with the charts inline (SVG, or PNG with ``png``)."""
    from hindsight.insights.templating import render

    charts = report.charts or draw_charts(report, svg=not png, png=png)
    images = [(c.name, c.title, _data_uri(c, png=png)) for c in charts]
    return render("monthly.html.j2", charts=images, **_context(report, scheme))


def render_pdf(report: MonthlyReport, *, scheme: str = "sev") -> bytes:
    """The HTML page printed to PDF by WeasyPrint, offline: only inline ``data:`` URLs are
    read, nothing is fetched."""
    import importlib

    try:
        # Imported by name: WeasyPrint ships no type information.
        weasyprint = importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:  # pragma: no cover - depends on the installation
        raise InvalidInput(
            f"PDF needs WeasyPrint and Pango ({exc}): pip install weasyprint, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from exc
    html = render_html(report, scheme=scheme, png=True)
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=["data"], fail_on_errors=True)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
