"""Free-form incident notes, as an engineer pastes them, as timeline events.

Reads, in any mix:

- chat-style lines: ``14:02 <alice> seeing 500s`` or ``[14:02] alice: seeing 500s`` (the name
  becomes the actor);
- timestamped lines and bullets: ``- 09:14 alert fired``, ``**14:02** — rolled back``,
  ``2024-03-05T14:02:11Z deploy 4512 went out``;
- prose with times inline: "At 09:14 UTC the error-rate alert fired, and by 09:20 Bob had
  acknowledged it." (one event per time, the time phrase taken out of the text);
- statements that apply to what follows: a date on its own line or in a heading or sentence
  ("On 2024-03-05 ...", "## Tuesday 5 March 2024") and a zone ("times in PDT", "All times
  UTC"). A time that falls well before the previous one rolls over to the next day.

Lines without a time that follow an event are kept as that event's notes. The first heading that
is not a date or a zone statement is offered as the draft's title. Times and zones are read with
:mod:`hindsight.text.times`; an unknown zone is an error naming the line.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from hindsight.errors import InvalidInput
from hindsight.model import EventKind, TimelineEvent
from hindsight.sources.common import SourceResult, Window, decode, make_event, read_bytes
from hindsight.text.kinds import classify
from hindsight.text.times import (
    Instant,
    TimeContext,
    UnknownZone,
    find_date,
    parse_date,
    parse_zone,
    split_timestamp,
    zone_statement,
)

SOURCE = "notes"

_MARKER = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,3}[.)]\s+)+")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_ZONE_CLAIM = re.compile(
    r"\btimes?\b[^.:]*?\b(?:in|are|as)\s+(?P<zone>[A-Z][A-Za-z_/+\-]*[A-Za-z]|[+-]\d{2}:?\d{2})"
)
_INLINE = re.compile(
    r"(?P<lead>\b(?:[Aa]t|[Bb]y|[Aa]round|[Aa]bout|[Uu]ntil|[Ss]ince|[Ff]rom)\s+|~\s*|@\s*)?"
    r"(?P<clock>(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:\s*(?i:[ap]\.?m\.?)(?!\w))?Z?)"
    r"(?:\s*\(?(?P<zone>[+-]\d{2}:?\d{2}\b|[A-Z]{2,5}\b|[A-Z][A-Za-z_]+/[A-Za-z_]+)\)?)?"
    r"(?!\d)"
)
_CHAT_ANGLE = re.compile(r"^<(?P<actor>[^<>]{1,40})>\s*(?P<text>.*)$")
_CHAT_COLON = re.compile(r"^@?(?P<actor>[A-Za-z][\w.\-]{0,29}):\s+(?P<text>\S.*)$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_CLAUSE = re.compile(r"(?:[,;]\s*(?:and\s+|then\s+|but\s+)?|\s+(?:and|then|but|while)\s+)")
_LEAD_IN = re.compile(r"^(.*\S)\s*(?:;|\s[-–—]\s)\s*")
_EDGE = re.compile(r"^(?:[\s,;:\-–—]+|(?:and|then|but|so)\b\s*)+|[\s,;:\-–—.]+$", re.I)
_NOT_ACTORS = frozenset(
    {
        "alert", "note", "notes", "update", "status", "action", "fyi", "impact", "resolved",
        "resolution", "mitigation", "mitigated", "detected", "detection", "ack", "cause",
        "summary", "deploy", "todo", "info", "warning", "error", "incident", "event", "page",
        "pagerduty", "slack", "customer", "customers", "timeline", "edit", "result", "fix",
        "root", "trigger", "ticket", "comms", "decision", "question", "answer",
    }
)  # fmt: skip
_GENERIC_TITLES = frozenset({"timeline", "notes", "incident notes", "summary", "events", "log"})


def read_notes(
    path: Path,
    *,
    day: date | None = None,
    zone: str = "UTC",
    since: datetime | None = None,
    until: datetime | None = None,
) -> SourceResult:
    """Events from a notes file; ``day`` and ``zone`` apply until the notes state their own."""
    text = decode(read_bytes(path), where=str(path))
    result = parse_notes(text, where=str(path), day=day, zone=zone)
    window = Window(since, until)
    result.events = [event for event in result.events if event.at in window]
    return result


def parse_notes(
    text: str, *, where: str, day: date | None = None, zone: str = "UTC"
) -> SourceResult:
    """Events from notes text; ``where`` names the file in errors and warnings."""
    try:
        context = TimeContext(zone=zone, day=day)
    except UnknownZone as exc:
        raise InvalidInput(str(exc), where="--tz") from None
    reader = _Reader(context=context, where=where)
    for number, raw in enumerate(text.splitlines(), start=1):
        reader.line(number, raw)
    reader.flush()
    return reader.result


@dataclass
class _Reader:
    context: TimeContext
    where: str
    result: SourceResult = field(default_factory=SourceResult)
    paragraph: list[tuple[int, str]] = field(default_factory=list)
    last: TimelineEvent | None = None

    def place(self, number: int) -> str:
        return f"{self.where}:{number}"

    def line(self, number: int, raw: str) -> None:
        stripped = raw.strip()
        if not stripped:
            self.flush()
            self.last = None
            return
        marker = _MARKER.match(stripped)
        content = (stripped[marker.end() :] if marker else stripped).strip().strip("*_").strip()
        is_heading = stripped.startswith("#")
        is_item = marker is not None and not is_heading  # a bullet or quote stands alone
        if not _CLOCK.search(content) and self._statement(number, content, is_heading):
            self.flush()
            return
        stamped = _split(content)
        if stamped is not None:
            self.flush()
            self._stamped(number, *stamped)
            return
        if is_heading or is_item:
            self.flush()
        self.paragraph.append((number, content))
        if is_heading or is_item:
            self.flush()

    # -- statements: a date, a zone, a title

    def _statement(self, number: int, content: str, is_heading: bool) -> bool:
        stated_zone = self._zone(number, content)
        stated_day = parse_date(content.removeprefix("Date:").strip()) or (
            find_date(content) if stated_zone or is_heading else None
        )
        if stated_day is not None:
            self.context.set_day(stated_day)
        if is_heading and not stated_zone and stated_day is None and self.result.title is None:
            if content.lower().rstrip(":") not in _GENERIC_TITLES:
                self.result.title = content
            return True
        return bool(stated_zone) or (stated_day is not None and (is_heading or len(content) < 40))

    def _zone(self, number: int, content: str) -> str | None:
        stated = zone_statement(content)
        claim = _ZONE_CLAIM.search(content)
        if stated is None and claim is not None:
            word = claim.group("zone")
            if word.isupper() or "/" in word or word[0] in "+-":
                raise InvalidInput(f"unknown time zone {word!r}", where=self.place(number))
        if stated is not None:
            self.context.set_zone(stated)
        return stated

    # -- lines that start with a time

    def _stamped(self, number: int, stamp: str, rest: str) -> None:
        actor, text = _chat(rest)
        instant = self._read(number, stamp)
        if instant is None or not text:
            return
        self._add(instant, text, actor)

    def _read(self, number: int, written: str, zone: str | None = None) -> Instant | None:
        instant = self.context.read(written, zone=zone)
        if instant.at is not None:
            return instant
        problem = instant.problem or f"time {written!r} not understood"
        if problem.startswith("unknown time zone"):
            raise InvalidInput(problem, where=self.place(number))
        if problem.startswith("no date"):
            raise InvalidInput(
                f"{problem}: state the date once before the times (a line such as 2024-03-05) "
                "or pass --date",
                where=self.place(number),
            )
        self.result.warnings.append(f"{self.place(number)}: {problem}; skipped")
        return None

    def _add(self, instant: Instant, text: str, actor: str | None) -> None:
        event = make_event(
            at=instant.at,
            text=text,
            kind=EventKind(classify(text)),
            actor=actor,
            source=SOURCE,
            notes="approximate time" if instant.approximate else None,
        )
        self.result.events.append(event)
        self.last = event

    # -- prose

    def flush(self) -> None:
        if not self.paragraph:
            return
        number = self.paragraph[0][0]
        text = " ".join(line for _, line in self.paragraph)
        self.paragraph = []
        for sentence in _SENTENCE.split(text):
            if not self._sentence(number, sentence) and self.last is not None:
                self._continue(sentence)

    def _sentence(self, number: int, sentence: str) -> bool:
        """Events for the times in a sentence; ``False`` when it has none."""
        matches = [m for m in _INLINE.finditer(sentence) if _is_time(m)]
        if not matches:
            found = find_date(sentence)
            if found is not None:
                self.context.set_day(found)
            return False
        found = find_date(sentence[: matches[0].start()])
        if found is not None:
            self.context.set_day(found)
        lead_in = _LEAD_IN.match(sentence[: matches[0].start()])
        if lead_in is not None:
            if self.last is not None:
                self._continue(_tidy(lead_in.group(1)) + ".")
            offset = lead_in.end()
            sentence = sentence[offset:]
            matches = [m for m in _INLINE.finditer(sentence) if _is_time(m)]
        for match, segment in _segments(sentence, matches):
            zone = match.group("zone") if _zone_ok(match.group("zone")) else None
            instant = self._read(number, match.group("clock"), zone=zone)
            text = _tidy(segment)
            if instant is not None and text:
                self._add(instant, text, None)
        return True

    def _continue(self, text: str) -> None:
        assert self.last is not None
        notes = f"{self.last.notes} {text}" if self.last.notes else text
        updated = self.last.model_copy(update={"notes": notes.strip()})
        self.result.events[-1] = updated
        self.last = updated


def _split(content: str) -> tuple[str, str] | None:
    """(time as written, the rest) for a line that starts with a time."""
    if not content[:1].isdigit() and not content.startswith(("~", "[", "(")):
        return None
    found = split_timestamp(content)
    if found is None or not _CLOCK.search(found[0]):
        return None
    return found


def _zone_ok(word: str | None) -> bool:
    if not word:
        return False
    try:
        parse_zone(word)
    except UnknownZone:
        return False
    return True


def _is_time(match: re.Match[str]) -> bool:
    hours, minutes = match.group("clock").split("T")[-1].split(" ")[-1].split(":")[:2]
    return int(hours) <= 24 and int(minutes[:2]) <= 59


def _chat(rest: str) -> tuple[str | None, str]:
    for pattern in (_CHAT_ANGLE, _CHAT_COLON):
        match = pattern.match(rest)
        if match and match.group("actor").lower() not in _NOT_ACTORS:
            return match.group("actor").lstrip("@"), match.group("text").strip()
    return None, rest.strip()


def _segments(sentence: str, matches: list[re.Match[str]]) -> list[tuple[re.Match[str], str]]:
    """Split a sentence so that each time keeps the clause it belongs to."""
    cuts = [0]
    for previous, match in itertools.pairwise(matches):
        between = sentence[previous.end() : match.start()]
        clauses = list(_CLAUSE.finditer(between))
        cut = previous.end() + clauses[-1].start() if clauses else match.start()
        cuts.append(cut)
    cuts.append(len(sentence))
    segments = []
    for index, match in enumerate(matches):
        start, end = cuts[index], cuts[index + 1]
        piece = sentence[start : match.start()] + " " + sentence[_end(match) : end]
        segments.append((match, piece))
    return segments


def _end(match: re.Match[str]) -> int:
    return match.end() if _zone_ok(match.group("zone")) else match.end("clock")


def _tidy(text: str) -> str:
    cleaned = _EDGE.sub("", " ".join(text.split()))
    cleaned = re.sub(r"\s+([,.;:])", r"\1", cleaned)
    return cleaned[:1].upper() + cleaned[1:]
