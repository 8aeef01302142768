"""An iCalendar file (RFC 5545) of action-item due dates and scheduled follow-up reviews.

Each date is an all-day ``VEVENT``. UIDs are stable (postmortem id and item id), so importing a
newer file updates the events instead of adding copies. Lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character; text values are escaped. ``DTSTAMP`` is the ``now``
passed in: nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from hindsight.insights.followups import action_rows
from hindsight.model import Postmortem

PRODID = "-//Hindsight//Hindsight postmortems//EN"
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), CRLF-terminated."""
    parts: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            # A continuation line starts with a space, which counts towards its 75 octets.
            current, size, limit = char, width, LINE_OCTETS - 1
        else:
            current += char
            size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid_part(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-") or "x"


def _event(
    uid: str, day: date, summary: str, description: str, categories: str, stamp: str
) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{uid}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape_text(summary)}"
    if description:
        yield f"DESCRIPTION:{escape_text(description)}"
    yield f"CATEGORIES:{escape_text(categories)}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def _action_events(postmortems: list[Postmortem], stamp: str, include_done: bool) -> Iterator[str]:
    for row in action_rows(postmortems):
        item = row.item
        if item.due is None or (not include_done and not row.is_open):
            continue
        ident = item.id or f"item{row.position + 1}"
        details = [
            f"Postmortem: {row.postmortem_id} {row.postmortem_title}".rstrip(),
            f"Owner: {item.owner}" if item.owner else "",
            f"Team: {item.team}" if item.team else "",
            f"Priority: {item.priority.value}" if item.priority else "",
            f"Status: {item.status.value}",
            f"Tracker: {item.tracker}" if item.tracker else "",
        ]
        yield from _event(
            f"{_uid_part(row.postmortem_id)}-{_uid_part(ident)}@hindsight",
            item.due,
            f"Due: {item.action} ({row.postmortem_id} {ident})",
            "\n".join(d for d in details if d),
            "Action item",
            stamp,
        )


def _review_events(postmortems: list[Postmortem], stamp: str) -> Iterator[str]:
    for pm in postmortems:
        pm_id = pm.id or pm.title
        for number, review in enumerate(pm.follow_ups, start=1):
            if review.date is None:
                continue
            details = [f"Postmortem: {pm_id} {pm.title}".rstrip()]
            if review.attendees:
                details.append(f"Attendees: {review.attendees}")
            yield from _event(
                f"{_uid_part(pm_id)}-review{number}@hindsight",
                review.date,
                f"{review.kind}: {pm.title or pm_id} ({pm_id})",
                "\n".join(details),
                "Follow-up review",
                stamp,
            )


def calendar_text(
    postmortems: Iterable[Postmortem],
    *,
    now: datetime,
    include_done: bool = False,
    name: str = "Hindsight follow-ups",
) -> str:
    """The calendar: due dates of open action items (all items with ``include_done``) and the
    dated follow-up reviews of every postmortem."""
    pms = list(postmortems)
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        *_action_events(pms, stamp, include_done),
        *_review_events(pms, stamp),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) for line in lines)
