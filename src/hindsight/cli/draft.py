"""``hindsight draft`` and ``hindsight timeline import``: timelines from outside sources."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hindsight.cli._app import Param, app, argument, flag, option, timeline_app
from hindsight.cli._common import (
    JSON_OPTION,
    echo,
    now,
    print_json,
    session_for,
    settings,
)
from hindsight.errors import InvalidInput

if TYPE_CHECKING:
    from hindsight.sources import ReadOptions
    from hindsight.sources.draft import Draft, SourceInput

FILES = "(repeatable)"
SINCE = option("--since", help="Only events at or after: ISO or 'YYYY-MM-DD HH:MM'.")
UNTIL = option("--until", help="Only events at or before: ISO or 'YYYY-MM-DD HH:MM'.")
TZ = option(
    "--tz", default="UTC", help="Zone of times that state none (--since, --until, notes, tables)."
)
DAY = option(
    "--date", dest="day", help="Day of notes' times until they state one, YYYY-MM-DD (default: "
    "the day of the earliest event from the other sources)."
)  # fmt: skip
PINNED = flag("--pinned", help="Slack: only pinned messages (or --emoji ones).")
EMOJI = option("--emoji", repeat=True, help="Slack: only messages with this reaction (repeatable).")
DOMAIN = option(
    "--slack-domain", help="Slack workspace domain for permalinks (default: from the export)."
)


def _source(name: str, help_text: str) -> Param:
    return option(name, type=Path, repeat=True, help=f"{help_text} {FILES}.")


def _override(name: str, when: str) -> Param:
    return option(name, metavar="TIME", help=f"Set {when} (ISO or 'YYYY-MM-DD HH:MM'); wins.")


MILESTONES = ("impact_started", "detected", "acknowledged", "mitigated", "resolved", "all_clear")


def _moment(value: str | None, *, option: str, zone: str) -> datetime | None:
    """An aware UTC instant from ISO text or ``YYYY-MM-DD HH:MM``; naive ones are in ``zone``."""
    if value is None:
        return None
    from hindsight.text.times import UnknownZone, parse_zone

    try:
        tz = parse_zone(zone).tz
    except UnknownZone:
        raise InvalidInput(f"unknown time zone {zone!r}", where="--tz") from None
    text = value.strip().replace(" ", "T", 1).replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a date and time (ISO 8601 or 'YYYY-MM-DD HH:MM')", where=option
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", where="--date") from None


def _options(
    *,
    since: str | None,
    until: str | None,
    tz: str,
    day: str | None,
    pinned: bool,
    emoji: list[str],
    domain: str | None,
    channel: str | None = None,
) -> ReadOptions:
    from hindsight.sources import ReadOptions

    return ReadOptions(
        since=_moment(since, option="--since", zone=tz),
        until=_moment(until, option="--until", zone=tz),
        zone=tz,
        day=_day(day),
        channel=channel,
        only_pinned=pinned,
        emoji=tuple(emoji),
        domain=domain,
    )


def _inputs(files: dict[str, list[Path]], channels: list[str]) -> list[SourceInput]:
    from hindsight.sources.draft import SourceInput

    inputs: list[SourceInput] = []
    wanted: list[str | None] = [*channels] or [None]
    for kind, paths in files.items():
        for path in paths:
            if kind == "slack":
                inputs.extend(SourceInput(kind, path, channel) for channel in wanted)
            else:
                inputs.append(SourceInput(kind, path))
    if not inputs:
        raise InvalidInput("name at least one source: --notes, --alertmanager, --slack, ...")
    return inputs


def _report(draft: Draft) -> None:
    """How the milestones were chosen, and what the readers skipped, on standard error."""
    lines = ["How the milestones were chosen:"]
    lines += [f"  {reason.describe()}" for reason in draft.reasons]
    lines += [f"warning: {warning}" for warning in draft.warnings]
    sys.stderr.write("\n".join(lines) + "\n")


@app.command(
    _source("--notes", "Free-form incident notes"),
    _source("--alertmanager", "Alertmanager webhook bodies, JSON or JSON Lines"),
    _source("--pagerduty", "PagerDuty v3 webhooks or a log-entry listing"),
    _source("--opsgenie", "Opsgenie webhooks"),
    _source("--grafana", "Grafana alert webhooks"),
    _source("--github", "GitHub deployment/deployment_status webhooks"),
    _source("--slack", "A Slack export, zip or folder; pick --channel"),
    _source("--csv", "CSV with time and text columns"),
    _source("--jsonl", "JSON Lines with time and text fields"),
    option("--channel", repeat=True, help="Slack channel to read (repeatable)."),
    SINCE,
    UNTIL,
    TZ,
    DAY,
    PINNED,
    EMOJI,
    DOMAIN,
    option("--title", "-t", help="Title (default: proposed)."),
    option("--layout", "-l", help="Layout to print it in."),
    _override("--impact-started-at", "when impact started"),
    _override("--detected-at", "when it was detected"),
    _override("--acknowledged-at", "when it was acknowledged"),
    _override("--mitigated-at", "when it was mitigated"),
    _override("--resolved-at", "when it was resolved"),
    _override("--all-clear-at", "when all was clear"),
    flag("--save", help="Store the draft as a new postmortem."),
    JSON_OPTION,
)
def draft(
    *,
    notes: list[Path],
    alertmanager: list[Path],
    pagerduty: list[Path],
    opsgenie: list[Path],
    grafana: list[Path],
    github: list[Path],
    slack: list[Path],
    csv: list[Path],
    jsonl: list[Path],
    channel: list[str],
    since: str | None,
    until: str | None,
    tz: str,
    day: str | None,
    pinned: bool,
    emoji: list[str],
    slack_domain: str | None,
    title: str | None,
    layout: str | None,
    impact_started_at: str | None,
    detected_at: str | None,
    acknowledged_at: str | None,
    mitigated_at: str | None,
    resolved_at: str | None,
    all_clear_at: str | None,
    save: bool,
    as_json: bool,
) -> None:
    """Draft a postmortem from what the incident left behind: alerts, pages, deploys, chat, notes.

    Prints the draft (or stores it with --save) with its timeline, milestones and durations
    filled in and every analysis section marked for the author; how each milestone was chosen
    goes to standard error (with --json, into the JSON as milestone_reasons).
    """
    from hindsight.sources.draft import draft_from_files

    files = {
        "alertmanager": alertmanager, "grafana": grafana, "pagerduty": pagerduty,
        "opsgenie": opsgenie, "github": github, "slack": slack, "notes": notes, "csv": csv,
        "jsonl": jsonl,
    }  # fmt: skip
    given = dict(
        zip(
            MILESTONES,
            (impact_started_at, detected_at, acknowledged_at, mitigated_at, resolved_at,
             all_clear_at),
            strict=True,
        )
    )  # fmt: skip
    overrides = {
        f"{name}_at": moment
        for name, value in given.items()
        if (moment := _moment(value, option=f"--{name.replace('_', '-')}-at", zone=tz))
    }
    options = _options(
        since=since, until=until, tz=tz, day=day, pinned=pinned, emoji=emoji, domain=slack_domain
    )
    result = draft_from_files(
        _inputs(files, channel), options=options, overrides=overrides, title=title, layout=layout
    )
    if save:
        _save(result, as_json=as_json)
    elif as_json:
        print_json(result.as_dict())
    else:
        _print(result, layout=layout)
    if not as_json:
        _report(result)


def _save(result: Draft, *, as_json: bool) -> None:
    from hindsight import service

    config = settings()
    with session_for(config) as session:
        stored = service.create(
            session=session, postmortem=result.postmortem, settings=config, now=now()
        )
    if as_json:
        print_json({**result.as_dict(), "id": stored.postmortem.id, "revision": stored.revision})
        return
    echo(f"created {stored.postmortem.id} (revision {stored.revision})", err=True)
    echo(stored.postmortem.id)


def _print(result: Draft, *, layout: str | None) -> None:
    from hindsight.documents import dump

    config = settings()
    sys.stdout.write(
        dump(
            result.postmortem,
            fmt="md",
            layout=layout or config.default_layout,
            scheme=config.severity_scheme,
            layouts_dir=config.layouts_dir,
        )
    )


@timeline_app.command(
    argument("ref", help="Postmortem id."),
    argument("file", type=Path, help="The file or export to read."),
    option(
        "--source",
        "-s",
        required=True,
        help="alertmanager, grafana, pagerduty, opsgenie, github, slack, notes, csv or jsonl.",
    ),
    option("--channel", help="Slack channel to read."),
    SINCE,
    UNTIL,
    TZ,
    option(
        "--date",
        dest="day",
        help="Day of notes' times, YYYY-MM-DD (default: the incident's date).",
    ),
    PINNED,
    EMOJI,
    DOMAIN,
    JSON_OPTION,
    name="import",
)
def import_(
    *,
    ref: str,
    file: Path,
    source: str,
    channel: str | None,
    since: str | None,
    until: str | None,
    tz: str,
    day: str | None,
    pinned: bool,
    emoji: list[str],
    slack_domain: str | None,
    as_json: bool,
) -> None:
    """Add a source's events to a stored postmortem's timeline, skipping those already there.

    Running it again with the same file adds nothing.
    """
    from hindsight.sources.importing import import_source

    options = _options(
        since=since,
        until=until,
        tz=tz,
        day=day,
        pinned=pinned,
        emoji=emoji,
        domain=slack_domain,
        channel=channel,
    )
    config = settings()
    with session_for(config) as session:
        result = import_source(
            session=session,
            ref=ref,
            kind=source,
            path=file,
            options=options,
            settings=config,
            now=now(),
        )
    if as_json:
        print_json(result.as_dict())
        return
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    echo(
        f"{result.stored.postmortem.id}: {result.added} events added, {result.merged} merged "
        f"into existing ones, {result.skipped} already there (revision {result.stored.revision})"
    )
