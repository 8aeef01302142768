"""What every source reader shares: the result type, reading JSON with one-line errors, and
turning the many ways outside tools write an instant into an aware UTC datetime.

Nothing here reads the clock or the network.
"""

from __future__ import annotations

import gc
import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from hindsight.errors import InvalidInput, NotFound, ParseError
from hindsight.model import EventKind, Link, TimelineEvent

TEXT_LIMIT = 300
"""Timeline texts are kept to about a line; the link leads back to the whole message."""

SERVICE_LABELS = ("service", "app", "application", "app_kubernetes_io_name", "job", "namespace")
"""Alert labels that name what is affected, most specific first."""


@dataclass
class SourceResult:
    """What one input gave: its events, what the reader skipped or guessed, and hints for a draft
    (services named in alert labels, links worth keeping, a title the input states)."""

    events: list[TimelineEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    title: str | None = None
    _seen: set[tuple[str, str]] = field(default_factory=set, repr=False, compare=False)

    def add_service(self, name: str | None) -> None:
        if name and ("service", name) not in self._seen:
            self._seen.add(("service", name))
            self.services.append(name)

    def add_link(self, link: Link) -> None:
        if link.url and ("link", link.url) not in self._seen:
            self._seen.add(("link", link.url))
            self.links.append(link)


@dataclass(frozen=True)
class Window:
    """The part of time a draft is about; either end may be open."""

    since: datetime | None = None
    until: datetime | None = None

    def __contains__(self, at: datetime | None) -> bool:
        if at is None:
            return True
        if self.since is not None and at < self.since:
            return False
        return not (self.until is not None and at > self.until)


EVERYTHING = Window()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects that form no cycles are built.

    Reading and merging make a few objects per event and keep them; each collection the
    allocations trigger would walk every event made so far, which made merging 100,000 events
    several times slower. Nothing made here needs the collector, and it resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- reading files ----------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"no such file: {path}") from exc
    except IsADirectoryError as exc:
        raise InvalidInput("is a directory, expected a file", where=str(path)) from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc


def decode(data: bytes, *, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})", where=where) from exc


def parse_json(text: str, *, where: str, first_line: int = 1) -> Any:
    """JSON with a one-line error that names the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = exc.lineno + first_line - 1
        raise ParseError(exc.msg, where=f"{where}:{line}:{exc.colno}") from exc


def json_documents(path: Path, *, what: str) -> Iterator[tuple[str, Any]]:
    """Each JSON document in a file, with the place it starts: one document (an object, or an
    array of them), or JSON Lines (one document per line, read a line at a time).

    ``what`` names the format expected, for the error an empty file gets.
    """
    where = str(path)
    if not path.is_file():
        read_bytes(path)  # raises the right error for a missing file or a directory
    with path.open("rb") as handle:
        first = _first_content_line(handle)
        if first is None:
            raise ParseError(f"empty file, expected {what}", where=where)
        number, line = first
        second = _first_content_line(handle)
        if second is not None and _is_whole_document(line):
            yield f"{where}:{number}", json.loads(line)
            yield from _json_lines(handle, where, number + second[0], second[1])
            return
    data = parse_json(decode(read_bytes(path), where=where), where=where)
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield f"{where}[{index}]", item
    else:
        yield where, data


def _first_content_line(handle: Any) -> tuple[int, bytes] | None:
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            return number, bytes(raw)
    return None


def _is_whole_document(line: bytes) -> bool:
    stripped = line.strip()
    if not stripped.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(stripped), dict)
    except ValueError:
        return False


def _json_lines(handle: Any, where: str, number: int, line: bytes) -> Iterator[tuple[str, Any]]:
    """The documents of a JSON Lines file from line ``number`` (holding ``line``) on."""
    for raw in itertools.chain([line], handle):
        if raw.strip():
            text = decode(raw, where=f"{where}:{number}")
            yield f"{where}:{number}", parse_json(text, where=where, first_line=number)
        number += 1


# --- instants ---------------------------------------------------------------------------------

_FRACTION = re.compile(r"(\.\d{6})\d+")
ZERO_YEAR = 1
"""Go's zero time (``0001-01-01T00:00:00Z``) means "not set" in Alertmanager and Grafana."""


def parse_rfc3339(value: Any, *, where: str, field_name: str) -> datetime | None:
    """An RFC 3339 instant as aware UTC; ``None`` for an empty value or Go's zero time.

    Fractions finer than microseconds (Alertmanager writes nanoseconds) are cut to microseconds;
    a time written without an offset is taken as UTC.
    """
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ParseError(f"{field_name} is not a time: {value!r}", where=where)
    try:
        return _rfc3339(value)
    except ValueError:
        raise ParseError(f"{field_name} is not an RFC 3339 time: {value!r}", where=where) from None


@lru_cache(maxsize=8192)
def _rfc3339(value: str) -> datetime | None:
    # Cached: repeated notifications of an alert repeat its times, word for word.
    text = value.strip()
    if "." in text:
        text = _FRACTION.sub(r"\1", text)
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.year == ZERO_YEAR:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def from_epoch(value: Any, *, where: str, field_name: str) -> datetime:
    """An epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart by size
    (Opsgenie writes ``createdAt`` in milliseconds and ``updatedAt`` in nanoseconds)."""
    if isinstance(value, str):
        try:
            value = float(value) if "." in value else int(value)
        except ValueError:
            raise ParseError(f"{field_name} is not a number: {value!r}", where=where) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(f"{field_name} is not an epoch time: {value!r}", where=where)
    magnitude = abs(value)
    if magnitude >= 1e17:
        micros = int(value) // 1000
    elif magnitude >= 1e14:
        micros = int(value)
    elif magnitude >= 1e11:
        micros = int(value) * 1000 if isinstance(value, int) else round(value * 1000)
    else:
        micros = round(value * 1_000_000)
    return _EPOCH + timedelta(microseconds=micros)


def utc_text(moment: datetime) -> str:
    """``2024-03-05T14:02:11.123Z``: the form used in source refs and warnings."""
    text = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return text


# --- events -----------------------------------------------------------------------------------


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    """Whitespace collapsed, cut at about ``limit`` characters on a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def make_event(
    *,
    at: datetime | None,
    text: str,
    kind: EventKind,
    source: str,
    actor: str | None = None,
    link: str | None = None,
    notes: str | None = None,
    source_ref: str | None = None,
    time_text: str | None = None,
) -> TimelineEvent:
    return TimelineEvent(
        at=at,
        text=clip(text) or "(no text)",
        kind=kind,
        actor=actor or None,
        source=source,
        link=link or None,
        notes=notes or None,
        source_ref=ref_safe(source_ref) if source_ref else None,
        time_text=time_text,
    )


def ref_safe(ref: str) -> str:
    """Source refs are kept space-separated when events merge, so a ref holds no spaces."""
    return ref.replace(" ", "%20")


def refs_of(event: TimelineEvent) -> list[str]:
    """The external ids an event carries (several once events seen twice were merged)."""
    return event.source_ref.split() if event.source_ref else []


def expect_mapping(data: Any, *, where: str, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        raise ParseError(f"not {what}: expected a JSON object, found {kind}", where=where)
    return data


def text_of(value: Any) -> str:
    """A JSON value as text for a message: strings as they are, nothing for null."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def first_text(*values: Any) -> str:
    for value in values:
        text = text_of(value).strip()
        if text:
            return text
    return ""
