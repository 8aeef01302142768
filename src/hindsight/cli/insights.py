"""Learning across postmortems: ``search``, ``related``, ``patterns``, ``metrics``, ``actions``,
``review weekly``, ``calendar`` and ``report monthly``.

Every command reads the store, or with ``--from DIR`` a folder of postmortem documents and no
database (``search`` too: the folder is indexed in memory).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hindsight.cli._app import app, argument, flag, option
from hindsight.cli._common import (
    INCIDENT_FILTERS,
    JSON_OPTION,
    OUTPUT,
    SINCE,
    UNTIL,
    echo,
    now,
    parse_date,
    print_json,
    print_table,
    session_for,
    settings,
    write_output,
)
from hindsight.errors import InvalidInput

if TYPE_CHECKING:
    from hindsight.insights.collection import Collection
    from hindsight.insights.followups import DuePolicy
    from hindsight.settings import Settings

review_app = app.group("review", help="Agendas for incident reviews.")
report_app = app.group("report", help="Reliability reports.")

FROM = option(
    "--from",
    dest="from_paths",
    type=Path,
    repeat=True,
    help="Read postmortem documents from these files or folders instead of the store.",
)
DRILLS = flag("--include-drills", help="Keep drills and maintenance (left out by default).")


def _collect(config: Settings, from_paths: list[Path]) -> Collection:
    from hindsight.insights.collection import collect

    found = collect(settings=config, from_paths=from_paths)
    for path, reason in found.skipped:
        echo(f"hindsight: warning: {path}: skipped: {reason}", err=True)
    return found


def _today(value: str | None, option: str = "--date") -> Any:
    return parse_date(value, option=option) or now().date()


# --- search and related -----------------------------------------------------------------------


@app.command(
    argument("query", help='Words to find; "quoted phrases" and OR work.'),
    *INCIDENT_FILTERS,
    option(
        "--limit", "-n", type=int, default=20, minimum=1, maximum=500, help="At most this many."
    ),
    FROM,
    JSON_OPTION,
)
def search(
    *,
    query: str,
    status: str | None,
    severity: str | None,
    service: str | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    from_paths: list[Path],
    as_json: bool,
) -> None:
    """Full-text search over every text field of every postmortem, best match first."""
    from hindsight.model import Severity
    from hindsight.model.review import parse_status
    from hindsight.store.search import SearchFilters, search_collection, search_store

    try:
        filters = SearchFilters(
            severity=Severity.parse(severity) if severity else None,
            service=service,
            tag=tag,
            status=parse_status(status) if status else None,
            since=parse_date(since, option="--since"),
            until=parse_date(until, option="--until"),
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    config = settings()
    if from_paths:
        pms = _collect(config, from_paths).postmortems
        hits = search_collection(pms, query=query, filters=filters, limit=limit)
    else:
        with session_for(config) as session:
            hits = search_store(session=session, query=query, filters=filters, limit=limit)
    if as_json:
        print_json([hit.as_json() for hit in hits])
        return
    _print_hits(hits, config.severity_scheme)


def _print_hits(hits: list[Any], scheme: str) -> None:
    from rich.markup import escape

    from hindsight.cli._common import console

    out = console()
    if not hits:
        out.print("no matches")
        return
    for hit in hits:
        sev = hit.severity.label(scheme) if hit.severity else ""
        day = hit.incident_date.isoformat() if hit.incident_date else ""
        out.print(f"[bold]{escape(hit.id)}[/bold]  {day}  {sev}  {escape(hit.title)}")
        snippet = escape(hit.snippet).replace("«", "[bold yellow]").replace("»", "[/bold yellow]")
        out.print(f"  {snippet}")


@app.command(
    argument("ref", help="Postmortem id (in the store, or in --from)."),
    option("--limit", "-n", type=int, default=5, minimum=1, maximum=100, help="At most this many."),
    FROM,
    JSON_OPTION,
)
def related(*, ref: str, limit: int, from_paths: list[Path], as_json: bool) -> None:
    """The most similar past postmortems, by text, services, contributing factors and tags,
    with the reason each was chosen."""
    from hindsight.insights.related import find_related, find_related_in_store

    config = settings()
    if from_paths:
        found = _collect(config, from_paths)
        target = found.find(ref)
        results = find_related(target, found.postmortems, limit=limit)
    else:
        with session_for(config) as session:
            target, results = find_related_in_store(session=session, ref=ref, limit=limit)
    if as_json:
        print_json({"postmortem": target.id, "related": [r.as_json() for r in results]})
        return
    rows = [
        (r.postmortem.id, f"{r.score:.2f}", r.postmortem.title, "; ".join(r.reasons))
        for r in results
    ]
    print_table(f"related to {target.id}", ("id", "score", "title", "why"), rows)


@app.command(
    SINCE,
    UNTIL,
    option("--min-count", type=int, default=2, minimum=2, help="Incidents a thing must recur in."),
    option("--limit", "-n", type=int, minimum=1, help="At most this many each."),
    DRILLS,
    FROM,
    JSON_OPTION,
)
def patterns(
    *,
    since: str | None,
    until: str | None,
    min_count: int,
    limit: int | None,
    include_drills: bool,
    from_paths: list[Path],
    as_json: bool,
) -> None:
    """Services, contributing-factor themes and tags that recur across incidents, with counts
    and the incidents behind each."""
    from hindsight.insights.patterns import find_patterns

    found = find_patterns(
        _collect(settings(), from_paths).postmortems,
        since=parse_date(since, option="--since"),
        until=parse_date(until, option="--until"),
        include_drills=include_drills,
        min_count=min_count,
        limit=limit,
    )
    if as_json:
        print_json(found.as_json())
        return
    rows = [
        (p.kind, p.key, p.count, ", ".join(p.incidents[:8]) + (" …" if p.count > 8 else ""))
        for p in [*found.services, *found.themes, *found.tags]
    ]
    print_table(f"{found.incidents} incidents", ("kind", "what", "count", "incidents"), rows)


# --- metrics ----------------------------------------------------------------------------------


@app.command(
    option("--by", help="Group by week, month, quarter, severity or service."),
    SINCE,
    UNTIL,
    DRILLS,
    flag("--incidents", dest="per_incident", help="One row per incident instead of aggregates."),
    FROM,
    JSON_OPTION,
)
def metrics(
    *,
    by: str | None,
    since: str | None,
    until: str | None,
    include_drills: bool,
    per_incident: bool,
    from_paths: list[Path],
    as_json: bool,
) -> None:
    """Time to detect, acknowledge, mitigate and resolve (count, mean, median, p90), and
    postmortem health. Incidents with an unknown milestone are left out of that metric and
    counted as excluded."""
    from hindsight.insights.health import compute_health
    from hindsight.insights.metrics import compute_metrics, incident_rows, select

    config = settings()
    pms = _collect(config, from_paths).postmortems
    first, last = parse_date(since, option="--since"), parse_date(until, option="--until")
    report = compute_metrics(pms, by=by, since=first, until=last, include_drills=include_drills)
    if per_incident:
        chosen, _ = select(pms, since=first, until=last, include_drills=include_drills)
        _print_incidents(incident_rows(chosen), as_json)
        return
    chosen, _ = select(pms, since=first, until=last, include_drills=include_drills)
    health = compute_health(chosen, today=now().date())
    if as_json:
        print_json({**report.as_json(), "health": health.as_json()})
        return
    _print_metrics(report)
    _print_health(health)


def _print_incidents(rows: list[dict[str, Any]], as_json: bool) -> None:
    from hindsight.insights.metrics import METRICS, SHORT
    from hindsight.insights.templating import duration

    if as_json:
        print_json(rows)
        return
    table = [
        (r["id"], (r["anchor"] or "")[:16], r["severity"], *(duration(r[m]) for m in METRICS))
        for r in rows
    ]
    print_table(None, ("id", "anchor (UTC)", "severity", *(SHORT[m] for m in METRICS)), table)


def _print_metrics(report: Any) -> None:
    from hindsight.insights.metrics import METRICS, SHORT, span_of
    from hindsight.insights.templating import duration

    rows = [
        (
            group.key,
            len(group.incidents),
            SHORT[stat.name],
            stat.count,
            stat.excluded,
            duration(stat.mean),
            duration(stat.median),
            duration(stat.p90),
        )
        for group in report.groups
        for stat in group.stats.values()
    ]
    title = f"by {report.by}" if report.by else "all incidents"
    if report.drills_excluded:
        title += f" ({report.drills_excluded} drills/maintenance left out)"
    columns = ("group", "incidents", "metric", "measured", "excluded", "mean", "median", "p90")
    print_table(title, columns, rows)
    for metric in METRICS:
        start, end = span_of(metric)
        echo(f"{SHORT[metric]}: {start} → {end}")
    echo("p90 by nearest rank; excluded: incidents with that milestone unknown")


def _print_health(health: Any) -> None:
    from hindsight.insights.templating import duration, percent

    rows = [
        (
            "resolution to draft (median)",
            duration(health.to_draft.median),
            f"{health.to_draft.count} measured, {health.to_draft.excluded} unknown",
        ),
        (
            "resolution to final (median)",
            duration(health.to_final.median),
            f"{health.to_final.count} measured, {health.to_final.excluded} unknown",
        ),
        (
            "finalised",
            percent(health.finalised.ratio),
            f"{health.finalised.part} of {health.finalised.whole}",
        ),
        (
            "action items done on time",
            percent(health.actions_on_time.ratio),
            f"{health.actions_on_time.part} of {health.actions_on_time.whole}",
        ),
    ]
    print_table("postmortem health", ("measure", "value", "detail"), rows)


# --- action items -----------------------------------------------------------------------------


def _policy(config: Settings, text: str | None) -> DuePolicy:
    from hindsight.insights.followups import DEFAULT_DUE_POLICY, parse_due_policy

    return parse_due_policy(text or config.due_policy or DEFAULT_DUE_POLICY)


@app.command(
    option("--owner", help="Only this owner (ignoring case)."),
    option("--team", help="Only this team (ignoring case)."),
    option(
        "--status", repeat=True, help="open, in_progress, done, wont_do, or active (repeatable)."
    ),
    option("--priority", help="P0..P4."),
    option("--category", help="prevent, detect, mitigate, respond, recover or process."),
    flag("--overdue", help="Only open items past their due date."),
    option(
        "--due-within",
        type=int,
        minimum=0,
        metavar="N",
        help="Only open items due in the next N days.",
    ),
    flag("--breaches", help="Only items that break the due-date policy, with why."),
    option("--policy", help="Due-date policy, days by priority or severity: P0=14,P1=30,SEV-1=7."),
    option("--date", dest="day", help="Count overdue as of YYYY-MM-DD."),
    FROM,
    flag("--csv", dest="as_csv", help="Print CSV."),
    JSON_OPTION,
)
def actions(
    *,
    owner: str | None,
    team: str | None,
    status: list[str],
    priority: str | None,
    category: str | None,
    overdue: bool,
    due_within: int | None,
    breaches: bool,
    policy: str | None,
    day: str | None,
    from_paths: list[Path],
    as_csv: bool,
    as_json: bool,
) -> None:
    """Action items across all postmortems, soonest due first, with the date the due-date
    policy proposes."""
    from hindsight.insights import followups
    from hindsight.model import Priority

    config = settings()
    today = _today(day)
    rule = _policy(config, policy)
    try:
        selection = followups.ActionFilter(
            owner=owner,
            team=team,
            status=followups.parse_statuses(status),
            priority=Priority.parse(priority) if priority else None,
            category=category.strip().lower() if category else None,
            overdue=overdue,
            due_within=due_within,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    rows = followups.filter_actions(
        followups.action_rows(_collect(config, from_paths).postmortems), selection, today=today
    )
    reasons = {id(b.row): b.reason for b in followups.breaches(rows, rule, today=today)}
    if breaches:
        rows = [row for row in rows if id(row) in reasons]
    records = [
        {
            **row.as_json(today),
            "policy_due": _iso(rule.deadline(row)),
            "breach": reasons.get(id(row)),
        }
        for row in rows
    ]
    if as_json:
        print_json(records)
    elif as_csv:
        _write_csv(records)
    else:
        _print_actions(records)


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _write_csv(records: list[dict[str, Any]]) -> None:
    import csv

    from hindsight.insights.followups import CSV_COLUMNS

    writer = csv.DictWriter(
        sys.stdout, fieldnames=[*CSV_COLUMNS, "policy_due", "breach"], extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(records)


def _print_actions(records: list[dict[str, Any]]) -> None:
    rows = [
        (
            r["postmortem"],
            r["id"],
            r["action"],
            r["owner"],
            r["priority"],
            r["status"],
            r["due"],
            r["overdue_days"],
            r["policy_due"],
            r["breach"],
        )
        for r in records
    ]
    columns = (
        "postmortem",
        "id",
        "action",
        "owner",
        "priority",
        "status",
        "due",
        "days overdue",
        "policy due",
        "breach",
    )
    print_table(f"{len(rows)} action items", columns, rows)


# --- reviews, calendar, reports ---------------------------------------------------------------


@review_app.command(
    option("--date", dest="day", help="Day of the review (default: today)."),
    option("--last-review", help="Day of the last review (default: a week before)."),
    FROM,
    OUTPUT,
    JSON_OPTION,
    name="weekly",
)
def review_weekly(
    *,
    day: str | None,
    last_review: str | None,
    from_paths: list[Path],
    output: str | None,
    as_json: bool,
) -> None:
    """The agenda of the weekly incident review as Markdown: postmortems awaiting review or
    sign-off, action items overdue or due this week by owner, incidents since the last review."""
    from hindsight.insights.review import agenda_markdown, weekly_agenda

    config = settings()
    agenda = weekly_agenda(
        _collect(config, from_paths).postmortems,
        day=_today(day),
        last_review=parse_date(last_review, option="--last-review"),
    )
    if as_json:
        print_json(agenda.as_json())
        return
    write_output(agenda_markdown(agenda, scheme=config.severity_scheme), output)


@app.command(
    OUTPUT,
    flag("--include-done", help="Also items that are done or dropped."),
    FROM,
)
def calendar(*, output: str | None, include_done: bool, from_paths: list[Path]) -> None:
    """Write an iCalendar file (.ics) of action-item due dates and scheduled follow-up reviews."""
    from hindsight.insights.calendar import calendar_text

    text = calendar_text(
        _collect(settings(), from_paths).postmortems, now=now(), include_done=include_done
    )
    if output in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        return
    try:
        Path(output).write_bytes(text.encode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror}") from exc


@report_app.command(
    option("--month", required=True, help="The month, YYYY-MM."),
    option("--format", "-f", dest="fmt", default="md", help="md, html or pdf."),
    option("--output", "-o", help="File to write (default: stdout; needed for pdf)."),
    DRILLS,
    FROM,
    JSON_OPTION,
    name="monthly",
)
def report_monthly(
    *,
    month: str,
    fmt: str,
    output: str | None,
    include_drills: bool,
    from_paths: list[Path],
    as_json: bool,
) -> None:
    """The monthly reliability report: incidents by severity and service, MTTx with its trend,
    action-item completion, recurring patterns and lessons learned, with charts.

    Markdown written to a file gets its charts as SVG files in a folder beside it."""
    from hindsight.insights import report as monthly

    if fmt not in monthly.FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use {', '.join(monthly.FORMATS)}")
    if fmt == "pdf" and output in (None, "-"):
        raise InvalidInput("--format pdf needs --output FILE")
    config = settings()
    moment = now()
    if from_paths:
        built = monthly.monthly_report(
            _collect(config, from_paths).postmortems,
            month=month,
            today=moment.date(),
            generated_at=moment,
            include_drills=include_drills,
        )
    else:
        with session_for(config) as session:
            built = monthly.monthly_report_in_store(
                session=session,
                month=month,
                today=moment.date(),
                generated_at=moment,
                include_drills=include_drills,
            )
    if as_json:
        print_json(built.as_json())
        return
    scheme = config.severity_scheme
    if fmt == "pdf":
        assert output is not None
        _write_bytes(Path(output), monthly.render_pdf(built, scheme=scheme))
    elif fmt == "html":
        write_output(monthly.render_html(built, scheme=scheme), output)
    else:
        charts = None if output in (None, "-") else Path(f"{Path(output).with_suffix('')}-charts")
        write_output(monthly.render_markdown(built, scheme=scheme, chart_dir=charts), output)


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}") from exc
