"""CSV and JSON Lines with a time column and a text column, as timeline events.

The columns are found by name (``time``, ``timestamp``, ``at``, ``date``... and ``text``,
``message``, ``event``, ``description``...) unless named; ``kind``, ``actor`` (or ``user``,
``author``), ``link`` (or ``url``) and ``id`` columns are used when present. Times may be ISO
8601, epoch numbers (seconds to nanoseconds), or written as people write them (``14:02`` under
a date given with ``day``); a time without a zone is read in ``zone``. Files are read a row at a
time; a row that cannot be read is skipped with a warning naming its line.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hindsight.errors import InvalidInput, ParseError
from hindsight.model import EventKind, TimelineEvent
from hindsight.sources.common import SourceResult, Window, from_epoch, make_event, read_bytes
from hindsight.text.kinds import classify
from hindsight.text.times import TimeContext, UnknownZone

TIME_COLUMNS = ("time", "timestamp", "at", "datetime", "date", "ts", "when", "created_at",
                "occurred_at", "@timestamp", "time (utc)")  # fmt: skip
TEXT_COLUMNS = ("text", "message", "event", "description", "summary", "msg", "what", "title")
_ACTOR_COLUMNS = ("actor", "user", "author", "who", "by", "owner")
_LINK_COLUMNS = ("link", "url", "href")
_ID_COLUMNS = ("id", "ref", "source_ref", "uuid")


def read_tabular(
    path: Path,
    *,
    fmt: str | None = None,
    time_column: str | None = None,
    text_column: str | None = None,
    zone: str = "UTC",
    day: date | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SourceResult:
    """Events from a CSV or JSON Lines file (``fmt`` ``csv`` or ``jsonl``, else by suffix)."""
    kind = (fmt or _format_of(path)).lower()
    if kind not in ("csv", "jsonl"):
        raise InvalidInput(f"unknown table format {kind!r}; use csv or jsonl", where=str(path))
    try:
        context = TimeContext(zone=zone, day=day)
    except UnknownZone as exc:
        raise InvalidInput(str(exc), where="--tz") from None
    if not path.is_file():
        read_bytes(path)  # the right error for a missing file or a directory
    result = SourceResult()
    window = Window(since, until)
    source = f"{kind}:{path.name}"
    rows = _csv_rows(path) if kind == "csv" else _jsonl_rows(path)
    columns: _Columns | None = None
    for place, row in rows:
        if columns is None:
            columns = _Columns.find(row, time_column, text_column, where=place)
        event = _event(row, columns, context, where=place, result=result, source=source)
        if event is not None and event.at in window:
            result.events.append(event)
    if columns is None:
        raise ParseError("no rows", where=str(path))
    return result


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"ndjson": "jsonl", "json": "jsonl", "tsv": "csv"}.get(suffix, suffix)


def _csv_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        dialect: Any = csv.excel_tab if "\t" in sample.split("\n", 1)[0] else csv.excel
        reader = csv.DictReader(handle, dialect=dialect)
        try:
            for row in reader:
                yield f"{path}:{reader.line_num}", row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ParseError(str(exc), where=f"{path}:{reader.line_num}") from exc


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with path.open("rb") as handle:
        first = handle.read(1)
        handle.seek(0)
        if first == b"[":  # a JSON array of rows, not JSON Lines: read it whole
            yield from _array_rows(path, handle.read())
            return
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                message = getattr(exc, "msg", str(exc))
                raise ParseError(message, where=f"{path}:{number}") from exc
            if not isinstance(row, dict):
                raise ParseError("a JSON Lines row must be an object", where=f"{path}:{number}")
            yield f"{path}:{number}", row


def _array_rows(path: Path, data: bytes) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        rows = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ParseError(exc.msg, where=f"{path}:{exc.lineno}:{exc.colno}") from exc
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if isinstance(row, dict):
            yield f"{path}[{index}]", row


class _Columns:
    def __init__(self, names: list[str], time: str, text: str) -> None:
        lowered = {name.strip().lower(): name for name in names}
        self.time, self.text = time, text
        self.kind = lowered.get("kind") or lowered.get("type")
        self.actor = next((lowered[n] for n in _ACTOR_COLUMNS if n in lowered), None)
        self.link = next((lowered[n] for n in _LINK_COLUMNS if n in lowered), None)
        self.ref = next((lowered[n] for n in _ID_COLUMNS if n in lowered), None)

    @classmethod
    def find(
        cls, row: dict[str, Any], time: str | None, text: str | None, *, where: str
    ) -> _Columns:
        names = [str(name) for name in row if name is not None]
        return cls(
            names,
            _pick(names, time, TIME_COLUMNS, role="time", where=where),
            _pick(names, text, TEXT_COLUMNS, role="text", where=where),
        )


def _pick(
    names: list[str], wanted: str | None, known: tuple[str, ...], *, role: str, where: str
) -> str:
    lowered = {name.strip().lower(): name for name in names}
    if wanted is not None:
        if wanted.strip().lower() in lowered:
            return lowered[wanted.strip().lower()]
        raise ParseError(f"no column {wanted!r}; columns: {', '.join(names)}", where=where)
    for candidate in known:
        if candidate in lowered:
            return lowered[candidate]
    raise ParseError(
        f"no {role} column (looked for {', '.join(known[:5])}...); columns: {', '.join(names)}",
        where=where,
    )


def _event(
    row: dict[str, Any],
    columns: _Columns,
    context: TimeContext,
    *,
    where: str,
    result: SourceResult,
    source: str,
) -> TimelineEvent | None:
    text = _cell(row.get(columns.text))
    written = row.get(columns.time)
    if not text:
        result.warnings.append(f"{where}: no text; skipped")
        return None
    at = _instant(written, context, where=where, result=result)
    if at is None:
        return None
    return make_event(
        at=at,
        text=text,
        kind=_kind(_cell(row.get(columns.kind)) if columns.kind else "", text),
        actor=_cell(row.get(columns.actor)) if columns.actor else None,
        source=source,
        link=_cell(row.get(columns.link)) if columns.link else None,
        source_ref=_ref(source, row, columns),
    )


def _ref(source: str, row: dict[str, Any], columns: _Columns) -> str | None:
    value = _cell(row.get(columns.ref)) if columns.ref else ""
    return f"{source}:{value}" if value else None


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _kind(stated: str, text: str) -> EventKind:
    if stated:
        name = stated.lower().replace(" ", "_").replace("acknowledgment", "acknowledgement")
        try:
            return EventKind(name)
        except ValueError:
            pass
    return EventKind(classify(text))


def _instant(
    written: Any, context: TimeContext, *, where: str, result: SourceResult
) -> datetime | None:
    if isinstance(written, int | float) and not isinstance(written, bool):
        return from_epoch(written, where=where, field_name="time")
    text = _cell(written)
    if text.replace(".", "", 1).isdigit() and len(text) >= 9:
        return from_epoch(text, where=where, field_name="time")
    if not text:
        result.warnings.append(f"{where}: no time; skipped")
        return None
    instant = context.read(text)
    if instant.at is None:
        problem = instant.problem or "not understood"
        if problem.startswith("unknown time zone"):
            raise InvalidInput(problem, where=where)
        result.warnings.append(f"{where}: {problem}; skipped")
        return None
    return instant.at
