"""Timelines: tables with a time and an event column, and lines or bullets that start with a time.

Times are read with a :class:`~hindsight.text.times.TimeContext`: a zone stated in a heading, a
column header or a line before ("All times in UTC", "Time (PST)") applies to the times after
it, and so does a date stated once. Events keep document order; a row whose time cannot be read
keeps the time as written (``time_text``) and adds a warning. What kind of event a row is comes
later, from :func:`hindsight.text.kinds.classify`.
"""

from __future__ import annotations

import re
from datetime import datetime

from hindsight.layouts.headings import TIMELINE_COLUMNS, column_key, label_key, normalize
from hindsight.layouts.parse_draft import Draft, Event, Unit
from hindsight.layouts.parse_facts import body_milestone
from hindsight.layouts.parse_values import clean, is_placeholder
from hindsight.model import MILESTONE_ORDER
from hindsight.text.durations import parse_duration
from hindsight.text.markdown import (
    BlockQuote,
    CodeBlock,
    HtmlBlock,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    plain_text,
    split_label,
)
from hindsight.text.times import find_date, parse_date, split_timestamp, zone_statement

# --- the reader -------------------------------------------------------------------------------

# Example rows of the seed templates, which stand under a placeholder time until filled in.
_SEED_EXAMPLES = frozenset(
    {
        "first alert fired",
        "on-call acknowledged",
        "initial investigation started",
        "root cause identified",
        "mitigation applied",
        "service restored",
        "all-clear declared",
        "first alert triggered",
        "incident acknowledged",
        "short event description",
    }
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_CLOCK = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^date:\s*", re.IGNORECASE)
_DASH = re.compile(r"^[-–—]\s+")
_DATE_LINE_JUNK = " \t*_-:"


class _Reader:
    """Reads the blocks of one timeline section into events, in document order."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.ctx = draft.ctx
        self.last: Event | None = None
        self.day_text: str | None = None

    def event(self, text: str, line: int, stamp: str | None) -> Event:
        event = Event(text=text.strip(), line=line)
        if stamp is not None:
            instant = self.ctx.read(plain_text(stamp))
            event.at, event.date_only = instant.at, instant.date_only
            event.approximate = instant.approximate
            if instant.at is None or instant.date_only or instant.approximate:
                event.time_text = stamp
            if instant.problem:
                self.draft.warn(line, f"timeline time {stamp!r} not understood; kept as text")
        elif self.day_text is not None:
            instant = self.ctx.read(self.day_text)
            event.at, event.date_only, event.time_text = instant.at, True, self.day_text
        self.draft.timeline.append(event)
        self.last = event
        return event

    def note(self, text: str) -> bool:
        """Attach text that follows an event to it; False when there is no event to attach to."""
        text = text.strip()
        if not text or is_placeholder(text):
            return True
        if self.last is None:
            return False
        self.last.notes = f"{self.last.notes}\n\n{text}" if self.last.notes else text
        return True

    # --- lines ----------------------------------------------------------------------------------

    def date_statement(self, line: str) -> bool:
        """A line that only states a date (``**Date: 2023-11-22**``, ``_4/21/23_``)."""
        text = plain_text(line).strip(_DATE_LINE_JUNK)
        label = split_label(text)
        if label is not None and label_key(label.name) in ("date", "datetime"):
            text = label.value.strip(_DATE_LINE_JUNK)
        if _DATE_LABEL.match(text):
            text = text.split(":", 1)[1].strip()
        day = parse_date(text, year=self.ctx.year)
        if day is None:
            return False
        self.ctx.set_day(day)
        self.day_text = text
        self.last = None
        return True

    def paragraph(self, block: Paragraph) -> list[str]:
        """Events from the lines of a paragraph; lines before any event are returned."""
        current: Event | None = None
        loose: list[str] = []
        for offset, line in enumerate(block.lines):
            lineno = block.line + offset
            stamp = split_timestamp(line, year=self.ctx.year)
            if stamp is not None and not self._is_date_only(stamp):
                current = self.event(stamp[1], lineno, stamp[0])
                self.day_text = None
            elif current is None and stamp is None and (zone := zone_statement(line)):
                self._set_zone(zone, lineno)
            elif stamp is not None or self.date_statement(line):
                if stamp is not None:
                    self.date_statement(stamp[0])
                current = None
            elif current is not None:
                current.text = f"{current.text}\n{line.strip()}".strip()
            elif self.day_text is not None and not loose:
                current = self.event(line, lineno, None)  # text under a date stated alone
            else:
                loose.append(line)
        return loose

    def _is_date_only(self, stamp: tuple[str, str]) -> bool:
        if stamp[1].strip():
            return False
        return _CLOCK.search(stamp[0]) is None

    def _set_zone(self, zone: str, line: int) -> None:
        problem = self.ctx.set_zone(zone)
        if problem:
            self.draft.warn(line, f"{problem}; times kept in {self.ctx.zone.name}")

    def item(self, item: ListItem) -> bool:
        """An event from a bullet; False when the bullet is not one."""
        first, _, more = item.text.partition("\n")
        stamp = split_timestamp(first, year=self.ctx.year)
        if stamp is None:
            return self._untimed_item(item)
        if self._is_date_only(stamp) and not more.strip() and not item.children:
            return self.date_statement(stamp[0])
        self.day_text = None
        event = self.event(stamp[1], item.line, stamp[0])
        for offset, line in enumerate(more.split("\n") if more else [], start=1):
            # A line starting with a dash and a time, written without the blank line or indent
            # that would make it a bullet of its own, is still an event of its own.
            lazy = _DASH.match(line)
            sub = split_timestamp(line[lazy.end() :], year=self.ctx.year) if lazy else None
            if sub is not None:
                event = self.event(sub[1], item.line + offset, sub[0])
            elif line.strip():
                event.text = f"{event.text}\n{line.strip()}".strip()
        self._children(item, event)
        return True

    def _untimed_item(self, item: ListItem) -> bool:
        if self.day_text is not None:
            event = self.event(item.text, item.line, None)
            self._children(item, event)
            return True
        return False

    def _children(self, item: ListItem, event: Event) -> None:
        for child in item.children:
            if isinstance(child, ListBlock):
                rest = [sub for sub in child.items if not self.item(sub)]
                for sub in rest:
                    self.note_to(event, f"- {self.draft.item_text(sub)}")
            else:
                self.note_to(event, self.draft.block_text(child))
        self.last = event

    def note_to(self, event: Event, text: str) -> None:
        text = text.strip()
        if text and not is_placeholder(text):
            event.notes = f"{event.notes}\n\n{text}" if event.notes else text

    # --- tables ---------------------------------------------------------------------------------

    def table(self, table: Table) -> bool:
        cols = [column_key(header, TIMELINE_COLUMNS) for header in table.header]
        time_cols = [i for i, key in enumerate(cols) if key in ("time", "date", "weekday")]
        event_col = next((i for i, key in enumerate(cols) if key == "event"), None)
        if event_col is None:
            free = [i for i, key in enumerate(cols) if key is None]
            event_col = free[-1] if free else None
        if not time_cols or event_col is None:
            return False
        zone = next((z for i in time_cols if (z := zone_statement(table.header[i]))), None)
        for i in time_cols:
            year = _YEAR.search(table.header[i])
            if year:
                self.ctx.year = int(year.group(0))
        for row in table.rows:
            self._row(table, row.cells, row.line, cols, time_cols, event_col, zone)
        return True

    def _row(
        self,
        table: Table,
        cells: list[str],
        line: int,
        cols: list[str | None],
        time_cols: list[int],
        event_col: int,
        zone: str | None,
    ) -> None:
        def cell(index: int) -> str:
            return cells[index].strip() if index < len(cells) else ""

        raw_time = " ".join(cell(i) for i in time_cols if cell(i)).strip()
        time_text = " ".join(text for i in time_cols if (text := clean(cell(i)))).strip()
        text = clean(cell(event_col))
        if text is None:
            if time_text:
                self.draft.warn(line, f"timeline row {time_text!r} has no event; skipped")
            return
        if not time_text and raw_time and plain_text(text).lower() in _SEED_EXAMPLES:
            return  # a template's example row
        event = Event(text=text, line=line)
        if time_text:
            instant = self.ctx.read(plain_text(time_text), zone=zone)
            event.at, event.date_only = instant.at, instant.date_only
            event.approximate = instant.approximate
            if instant.at is None or instant.date_only or instant.approximate:
                event.time_text = time_text
            if instant.at is None:
                self.draft.warn(
                    line, f"timeline row time {time_text!r} not understood; kept as text"
                )
        notes: list[str] = []
        for index, key in enumerate(cols):
            if index == event_col or index in time_cols:
                continue
            value = clean(cell(index))
            if value is None:
                continue
            if key == "actor" and event.actor is None:
                event.actor = value
            elif key == "link":
                notes.append(value)
            else:
                header = plain_text(table.header[index]) if index < len(table.header) else ""
                notes.append(value if key == "notes" or not header else f"{header}: {value}")
        if notes:
            event.notes = "\n\n".join(notes)
        self.draft.timeline.append(event)
        self.last = event


def read_timeline(
    sec: Section, units: list[Unit], draft: Draft, parent: str | None = None
) -> list[Unit]:
    """Events from a timeline section; returns what is neither an event nor a note to one."""
    reader = _Reader(draft)
    if parent != "timeline":
        draft.restart_day()  # short times in a table refer to the document's date
    heading = plain_text(sec.heading)
    zone = zone_statement(heading)
    if zone:
        reader._set_zone(zone, sec.line)
    if draft.ctx.day is None:
        # a date stated once in the text before the timeline ("On May 9th 2021 at 6:48AM")
        stated = find_date("\n".join(draft.lines[: sec.line - 1]))
        if stated is not None:
            draft.ctx.set_day(stated)
    day = find_date(heading, year=draft.ctx.year)
    if day is not None and normalize(heading) not in ("timeline",):
        draft.ctx.set_day(day)
        reader.day_text = None
    elif (year := _YEAR.search(heading)) and draft.ctx.year is None:
        draft.ctx.year = int(year.group(0))
    rest: list[Unit] = []
    for unit in units:
        if unit.key is not None:
            if not draft.apply(unit, "timeline"):
                rest.append(unit)
            continue
        if not _read_unit(reader, unit, draft):
            rest.append(unit)
    return rest


def _read_unit(reader: _Reader, unit: Unit, draft: Draft) -> bool:
    block = unit.block
    if unit.item is not None:
        if reader.item(unit.item):
            return True
        return reader.note(f"- {draft.item_text(unit.item)}")
    if isinstance(block, Table):
        return reader.table(block) or reader.note(draft.block_text(block))
    if isinstance(block, ListBlock):
        return all(
            reader.item(item) or reader.note(f"- {draft.item_text(item)}") for item in block.items
        )
    if isinstance(block, Paragraph):
        loose = reader.paragraph(block)
        if not loose:
            return True
        text = "\n".join(loose)
        if reader.date_statement(text):
            return True
        return reader.note(text) if reader.last is not None else _keep(unit, loose, draft)
    if isinstance(block, BlockQuote) and reader.last is None:
        text = plain_text(draft.block_text(block).lstrip("> "))
        if zone := zone_statement(text):
            reader._set_zone(zone, block.line)  # "> (all times in Pacific Time)"
            return True
    if isinstance(block, CodeBlock | HtmlBlock | BlockQuote):
        return reader.note(draft.block_text(block))
    return False


def _keep(unit: Unit, loose: list[str], draft: Draft) -> bool:
    """Lines before any event stay in the unit, to be kept with the section's other text."""
    if isinstance(unit.block, Paragraph) and len(loose) < len(unit.block.lines):
        unit.block = Paragraph(unit.block.line, unit.block.end_line, loose)
    return False


def read_stamped_items(items: list[ListItem], draft: Draft) -> list[ListItem]:
    """Events from bullets that start with a time (a "Context" list); the others are returned."""
    reader = _Reader(draft)
    return [item for item in items if not reader.item(item)]


# --- key timestamps and key events ------------------------------------------------------------

_METRIC_MILESTONES = (
    ("detect", "detected_at", "time_to_detect"),
    ("acknowledg", "acknowledged_at", "time_to_acknowledge"),
    ("mitigat", "mitigated_at", "time_to_mitigate"),
    ("resol", "resolved_at", "time_to_resolve"),
    ("start", "impact_started_at", None),
)


def read_key_timestamps(units: list[Unit], draft: Draft) -> list[Unit]:
    """The full layout's "Metric | Time | Duration" table."""
    draft.restart_day()
    rest: list[Unit] = []
    for unit in units:
        block = unit.block
        if not isinstance(block, Table) or len(block.header) < 2:
            rest.append(unit)
            continue
        for row in block.rows:
            cells = [*row.cells, "", ""]
            metric = normalize(cells[0])
            found = next((m for m in _METRIC_MILESTONES if m[0] in metric), None)
            if found is None:
                continue
            time_text = clean(cells[1])
            if time_text:
                instant = draft.ctx.read(plain_text(time_text), sequence=False)
                if instant.at is None or instant.date_only:
                    draft.warn(row.line, f"key timestamp {time_text!r} not understood")
                else:
                    body_milestone(draft, found[1], instant.at, row.line)
            duration = clean(cells[2])
            if duration and found[2] is not None:
                seconds = parse_duration(plain_text(duration))
                if seconds is not None:
                    draft.stated.setdefault(found[2], (seconds, row.line))
    return rest


# "First detected: 2023-09-18 13:42", "Resolved 2023-09-20 19:18" (typos such as "22025-03-18"
# still count as a time, so that they are reported rather than skipped)
_KEY_EVENT = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]*?)\s*:?\s+(?P<time>\d{4,}-\d.*)$")
_MILESTONE_LABELS = {
    "start": "impact_started_at",
    "detected_at": "detected_at",
    "acknowledged_at": "acknowledged_at",
    "mitigated_at": "mitigated_at",
    "resolved_at": "resolved_at",
}


def read_key_events(items: list[ListItem], draft: Draft) -> None:
    """The Ministry of Justice "Key events" list: ``First detected: 2023-09-18 13:42``."""
    for item in items:
        text = plain_text(item.text).strip()
        match = _KEY_EVENT.match(text)
        if match is None:
            continue
        name = _MILESTONE_LABELS.get(label_key(match.group("label")) or "")
        instant = draft.ctx.read(match.group("time"))
        if instant.at is None or instant.date_only:
            draft.warn(item.line, f"key event time {match.group('time')!r} not understood")
            continue
        if name is None:
            fields = dict(draft.get("custom_fields") or {})
            fields[match.group("label").strip()] = match.group("time").strip()
            draft.set("custom_fields", fields)
            continue
        body_milestone(draft, name, instant.at, item.line)


# --- milestones from the timeline -------------------------------------------------------------

_FIRST = {
    "impact": "impact_started_at",
    "alert": "detected_at",
    "report": "detected_at",
    "acknowledgement": "acknowledged_at",
    "investigation": "investigation_started_at",
    "diagnosis": "root_cause_identified_at",
    "mitigation": "mitigated_at",
    "all_clear": "all_clear_at",
}


def timeline_milestones(events: list[Event]) -> dict[str, tuple[datetime, int]]:
    """Milestones the timeline implies: the first alert or report is detection, the first
    acknowledgement, mitigation and all-clear their milestones, the last resolution the
    resolution. Events with only a date say nothing about the time of day and are skipped."""
    found: dict[str, tuple[datetime, int]] = {}
    for event in events:
        if event.at is None or event.date_only:
            continue
        kind = event.kind or "note"
        name = _FIRST.get(kind)
        if name is not None and name not in found:
            found[name] = (event.at, event.line)
        elif kind == "resolution":
            found["resolved_at"] = (event.at, event.line)
    return found


def order_problem(known: dict[str, datetime], name: str, at: datetime) -> str | None:
    """Why ``name`` at ``at`` cannot join the known milestones, or None when it can."""
    for earlier, later in MILESTONE_ORDER:
        if later == name and earlier in known and at < known[earlier]:
            return f"before {earlier.removesuffix('_at').replace('_', ' ')}"
        if earlier == name and later in known and known[later] < at:
            return f"after {later.removesuffix('_at').replace('_', ' ')}"
    return None


def merge_details(units: list[Unit], draft: Draft) -> list[Unit]:
    """ "More details" rows ``Time | Event | Person | Notes``: the person and notes of events
    the layout's own timeline shows without them, matched by text and time."""
    draft.restart_day()
    rest: list[Unit] = []
    taken: set[int] = set()
    for unit in units:
        block = unit.block
        if not isinstance(block, Table):
            rest.append(unit)
            continue
        for row in block.rows:
            cells = [*row.cells, "", "", "", ""]
            text = clean(cells[1])
            if text is None:
                continue
            time_text = clean(cells[0])
            at = draft.ctx.read(plain_text(time_text), sequence=False).at if time_text else None
            event = next(
                (
                    e
                    for e in draft.timeline
                    if id(e) not in taken and e.text == text and (e.at == at or e.at is None)
                ),
                None,
            )
            if event is None:
                event = Event(text=text, line=row.line, at=at)
                if at is None and time_text:
                    event.time_text = time_text
                draft.timeline.append(event)
            taken.add(id(event))
            event.actor = clean(cells[2]) or event.actor
            event.notes = clean(cells[3]) or event.notes
    return rest


def five_whys_order(events: list[Event]) -> list[Event]:
    """The five-whys layout shows the first alert, escalation, acknowledgement, fix, restore and
    all-clear as bullets around the table of the other events: put them back in time order."""
    table = [event for event in events if not event.pick]
    for pick in (event for event in events if event.pick):
        index = len(table)
        if pick.at is not None:
            anchor = None
            for position, event in enumerate(table):
                anchor = event.at or anchor
                if anchor is not None and anchor > pick.at:
                    index = position
                    break
        table.insert(index, pick)
    return table
