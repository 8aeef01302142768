"""Timeline rules (T4xx): events in order, times that can be placed, milestones and durations
that agree with the timestamps, no long silences."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

from hindsight.layouts.headings import label_key
from hindsight.lint.document import LintDocument
from hindsight.lint.engine import Hit, rule
from hindsight.model import DURATIONS, EventKind, TimelineEvent
from hindsight.text.durations import format_duration
from hindsight.text.markdown import plain_text, split_label
from hindsight.text.times import zone_statement


def _timed(doc: LintDocument) -> list[tuple[TimelineEvent, datetime, int]]:
    """Events with a time of day (not only a date), each with its line."""
    return doc.memo("timed", lambda: _find_timed(doc))


def _find_timed(doc: LintDocument) -> list[tuple[TimelineEvent, datetime, int]]:
    pm = doc.postmortem
    if pm is None:
        return []
    found = []
    default = doc.section_line("timeline")
    line = 0
    for event in pm.timeline:
        line = doc.find_line(event.text, kind="timeline", default=default, after=line)
        if event.at is None or event.time_text is not None:
            continue  # no time, or only a date
        found.append((event, event.at, line))
    return found


def _short(text: str) -> str:
    text = " ".join(plain_text(text).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _when(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


@rule(
    "T401",
    "timeline-out-of-order",
    "error",
    summary="A timeline event is earlier than the one before it.",
    explanation=(
        "Readers take a timeline's order as the order things happened. An event out of order "
        "is either a typo in its time or in the wrong place; both mislead. Times that only "
        "give a date are not compared."
    ),
    bad="## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n"
    "| 2024-03-02 10:40 | Rollback finished |\n| 2024-03-02 10:06 | Alert fired |\n",
    good="## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n"
    "| 2024-03-02 10:06 | Alert fired |\n| 2024-03-02 10:40 | Rollback finished |\n",
)
def timeline_out_of_order(doc: LintDocument) -> Iterator[Hit]:
    previous: tuple[TimelineEvent, datetime, int] | None = None
    for event, at, line in _timed(doc):
        if previous is not None and at < previous[1]:
            yield Hit(
                line,
                1,
                _short(event.text),
                f"event at {_when(at)} comes after one at {_when(previous[1])} "
                f"(line {previous[2]})",
                "fix the time or move the event to its place",
            )
        previous = (event, at, line)  # one finding per break in the order


# The lookaheads test the first character of every branch at once, so that the engine passes
# over most positions quickly.
_CLOCK = re.compile(
    r"(?=\d)(?:(?<![\d:])\d{1,2}[:.]\d{2}(?![\d])|\b\d{1,2}\s*[ap]\.?m\b)", re.IGNORECASE
)
_ZONED = re.compile(
    r"(?=[A-Z\d])(?:"
    r"\b(?:UTC|GMT|Z|[ECMP][SD]?T|CES?T|EES?T|WES?T|BST|IST|JST|KST|SGT|HKT|AES?T|AEDT|NZS?T"
    r"|NZDT|MSK)\b|\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})\b"
    r"|\b(?:Pacific|Eastern|Central|Mountain)\b|\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b)",
)


@rule(
    "T402",
    "time-without-date-or-zone",
    "warning",
    summary="Timeline times without a time zone, or without a date, where the document gives none.",
    explanation=(
        "'14:02' means nothing to a reader in another zone, or a year later. State the zone "
        "once ('All times in UTC') and the date once, or write them on every time. Reported "
        "once per document, at the first time that cannot be placed."
    ),
    bad="## Timeline\n\n- 2024-03-02 14:02 Alert fired\n- 2024-03-02 14:10 Rollback started\n",
    good="## Timeline\n\nAll times in UTC.\n\n- 2024-03-02 14:02 Alert fired\n"
    "- 2024-03-02 14:10 Rollback started\n",
)
def time_without_date_or_zone(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    timeline = pm.timeline if pm is not None else []
    unplaced = [e for e in timeline if e.at is None and e.time_text and _CLOCK.search(e.time_text)]
    if unplaced:
        first = unplaced[0]
        many = len(unplaced) > 1
        yield Hit(
            doc.find_line(first.text, kind="timeline"),
            1,
            first.time_text or "",
            f"{len(unplaced)} timeline time{'s' if many else ''} cannot be placed: no date is "
            f"given for {'them' if many else 'it'}, or it is not a date",
            "state the date once above the timeline, or on each time",
        )
    yield from _zoneless(doc)


def _zoneless(doc: LintDocument) -> Iterator[Hit]:
    if _states_zone(doc):
        return
    lines = [
        number
        for number, line in enumerate(doc.lines, start=1)
        if doc.kind_at(number) == "timeline" and _CLOCK.search(line) and not _ZONED.search(line)
    ]
    if lines:
        yield Hit(
            lines[0],
            1,
            doc.lines[lines[0] - 1].strip()[:60],
            f"{len(lines)} timeline line{'s give' if len(lines) > 1 else ' gives'} a time "
            "without a zone and the document states none",
            "add 'All times in UTC' (or your zone) above the timeline",
        )


def _states_zone(doc: LintDocument) -> bool:
    """Whether a line of the document states the zone of its times."""
    may_state = (doc.lines[number - 1] for number in doc.lines_matching(_MAY_STATE_ZONE_SCREEN))
    return any(  # the cheaper tests first
        _MAY_STATE_ZONE.search(line) and zone_statement(line) and _ZONE_TOKEN.search(line)
        for line in may_state
    )


# The lookaheads test the first character of every branch at once, so that the engine passes
# over most positions quickly.
_MAY_STATE_ZONE = re.compile(r"(?i)(?=[ti(])(?:\btimes?\b|\btz\b|\(|\bin (?:utc|gmt)\b)")
_MAY_STATE_ZONE_SCREEN = re.compile(r"time|tz|\(|in utc|in gmt")
_ZONE_TOKEN = re.compile(
    r"(?=[A-Zcegmpuz+-])(?:(?i:utc|gmt|zone|pacific|eastern|central|mountain)|\b[A-Z]{2,5}\b"
    r"|[+-]\d\d:?\d\d|[A-Z][a-z]+/[A-Z])"
)
_DROPPED = re.compile(r"^line (\d+): (milestone .+ dropped: it falls .+)$")
_DETECTION_KINDS = (EventKind.ALERT, EventKind.REPORT, EventKind.ACKNOWLEDGEMENT)
_RESOLUTION_KINDS = (EventKind.RESOLUTION, EventKind.ALL_CLEAR)


@rule(
    "T403",
    "milestone-contradiction",
    "error",
    summary="Milestones that contradict each other or the timeline (resolved before detected).",
    explanation=(
        "When the stated milestones and the timeline disagree, durations such as time to "
        "detect and time to resolve are wrong, and so is every report built on them. Fix the "
        "time that is wrong."
    ),
    bad="- **Key events**\n  - First detected 2024-03-02 10:40\n  - Resolved 2024-03-02 10:06\n",
    good="- **Key events**\n  - First detected 2024-03-02 10:06\n  - Resolved 2024-03-02 10:40\n",
)
def milestone_contradiction(doc: LintDocument) -> Iterator[Hit]:
    result = doc.parse_result
    if result is None:
        return
    for warning in result.warnings:
        match = _DROPPED.match(warning)
        if match is None:
            continue
        line = int(match.group(1))
        text = doc.lines[line - 1].strip() if 0 < line <= len(doc.lines) else ""
        if _states_milestone(text):
            yield Hit(line, 1, text[:60], match.group(2), "fix the time that is wrong")
    yield from _resolved_before_detected(doc)


_MILESTONE_KEYS = frozenset(
    {"start", "end", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at", "datetime"}
)
_LEAD = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*")


def _states_milestone(line: str) -> bool:
    """Whether a line states a milestone by a label ("Resolved 2022-02-01 10:30"), as opposed
    to a timeline event whose kind the parser guessed from its words."""
    text = plain_text(_LEAD.sub("", line))
    label = split_label(text)
    name = label.name if label is not None else re.split(r"\s+\d|:", text, maxsplit=1)[0]
    return label_key(name.strip()) in _MILESTONE_KEYS


def _resolved_before_detected(doc: LintDocument) -> Iterator[Hit]:
    timed = _timed(doc)
    detected = next((t for t in timed if t[0].kind in _DETECTION_KINDS), None)
    resolved = next((t for t in timed if t[0].kind in _RESOLUTION_KINDS), None)
    if detected is None or resolved is None or resolved[1] >= detected[1]:
        return
    event, at, line = resolved
    yield Hit(
        line,
        1,
        _short(event.text),
        f"the timeline has a resolution at {_when(at)}, before the first detection at "
        f"{_when(detected[1])} (line {detected[2]})",
        "fix the time that is wrong",
    )


_OFFICE_HOURS = re.compile(r"\b(?:support|business|working|office) hours\b", re.IGNORECASE)

# Label keys of stated durations: "Duration" states the total.
_STATED_KEYS = {"total": "duration"}


def _stated_line(doc: LintDocument, name: str) -> int:
    wanted = _STATED_KEYS.get(name, name)
    for number, line in enumerate(doc.lines, start=1):
        text = _LEAD.sub("", line).strip()
        if not text:
            continue
        label = split_label(text)
        if label is not None and label_key(label.name) == wanted:
            return number
    return doc.section_line("timeline")


@rule(
    "T404",
    "duration-mismatch",
    "warning",
    summary="A stated duration (Duration, time to repair, MTTR) disagrees with the timestamps.",
    explanation=(
        "A duration typed by hand drifts from the timestamps as the document is edited; "
        "reports then disagree with the timeline. A difference above 10% (and at least 5 "
        "minutes) is reported."
    ),
    bad="- **Key events**\n  - First detected 2024-03-02 10:00\n  - Repaired 2024-03-02 11:30\n"
    "- **Time to repair**: 45m\n",
    good="- **Key events**\n  - First detected 2024-03-02 10:00\n  - Repaired 2024-03-02 11:30\n"
    "- **Time to repair**: 1h 30m\n",
)
def duration_mismatch(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None or not pm.stated_durations:
        return
    for name, stated in pm.stated_durations.items():
        readings = _readings(doc, name)
        if not readings or any(abs(stated - r) <= max(300, r // 10) for r in readings):
            continue
        line = _stated_line(doc, name)
        if _OFFICE_HOURS.search(doc.lines[line - 1]):
            continue  # counted in support hours only: not comparable with wall-clock time
        actual = readings[0]
        what = DURATIONS[name][2]
        yield Hit(
            line,
            1,
            format_duration(stated),
            f"stated {name.replace('_', ' ')} {format_duration(stated)} disagrees with the "
            f"timestamps ({what}: {format_duration(actual)})",
            f"write {format_duration(actual)}, or fix the timestamp that is wrong",
        )


def _readings(doc: LintDocument, name: str) -> list[int]:
    """The durations a stated one may mean, its own definition first. Teams measure "time to
    recovery" from the first sign of trouble as often as from detection, so each start that the
    document gives is tried."""
    pm = doc.postmortem
    assert pm is not None
    ms = pm.milestones
    start_name, end_name, _ = DURATIONS[name]
    end = getattr(ms, end_name)
    if end is None:
        return []
    own = getattr(ms, start_name)
    timed = _timed(doc)
    starts = [own, ms.impact_started_at, ms.detected_at, ms.acknowledged_at]
    if timed:
        starts.append(timed[0][1])
    seconds = [int((end - s).total_seconds()) for s in starts if s is not None and s <= end]
    return list(dict.fromkeys(seconds))


@rule(
    "T405",
    "timeline-gap",
    "info",
    summary="A long stretch of the incident with no timeline entry.",
    explanation=(
        "A gap of hours during an incident is usually a gap in the record, not in the work: "
        "what was tried then is often the most instructive part. The span is configurable "
        "(`max-gap`, default 4h); only gaps between impact (or detection) and resolution count."
    ),
    bad="## Timeline\n\nAll times in UTC.\n\n- 2024-03-02 10:02 - Alert fired\n"
    "- 2024-03-02 16:40 - Disk replaced, service restored\n",
    good="## Timeline\n\nAll times in UTC.\n\n- 2024-03-02 10:02 - Alert fired\n"
    "- 2024-03-02 10:20 - Failover to the replica failed: replica 2h behind\n"
    "- 2024-03-02 12:45 - Replacement disk ordered\n"
    "- 2024-03-02 16:40 - Disk replaced, service restored\n",
)
def timeline_gap(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    ms = pm.milestones
    start = ms.impact_started_at or ms.detected_at
    end = ms.resolved_at or ms.mitigated_at
    limit: timedelta = doc.config.max_gap
    timed = _timed(doc)
    for (_, before, _), (event, at, line) in itertools.pairwise(timed):
        if at - before <= limit:
            continue
        if (start is not None and at <= start) or (end is not None and before >= end):
            continue
        gap = int((at - before).total_seconds())
        yield Hit(
            line,
            1,
            _short(event.text),
            f"no timeline entry for {format_duration(gap)} ({_when(before)} to {_when(at)})",
            "add what happened in between, or say that nothing did",
        )
