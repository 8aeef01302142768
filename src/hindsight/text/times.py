"""Dates and times as people write them in postmortems, turned into aware UTC datetimes.

Reads ISO 8601 (``2023-09-18T13:42:00Z``), ``2023-09-18 13:42[:05]``, ``13:42``, ``15.26`` (after
a date), ``4:04 PM``, ``1430 UTC``, ``Jan 19, 4:04 PM``, ``19 Jan 2024 16:04``, ``March 3rd, 2023``,
``Thursday 5 December 2019``, ``2023/05/01``, ``4/21/23`` (month first, unless the first number
cannot be a month), ``01-31-2024``, with zones (``UTC``, ``Z``, ``+02:00``, ``CET``, ``PDT``,
``US/Pacific``, ``Eastern``, any IANA name) and marks of approximation (``~``, ``±``,
``approx.``), which are noted and otherwise ignored.

A :class:`TimeContext` carries what a document states once and then assumes: the current date,
the zone ("All times in UTC"), the year, and the previous time, so that a time that falls more
than a few hours before the previous one on the same implied date rolls over to the next day.

Abbreviations are taken literally (``PST`` is UTC-8 even in July); region names follow daylight
saving (``Pacific``, ``PT``, ``US/Pacific``). Nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROLLOVER = timedelta(hours=4)
"""A time this much earlier than the previous one, with no date of its own, is the next day."""

_FIXED = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "IST": 330,
    "CET": 60,
    "WEST": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "SGT": 480,
    "HKT": 480,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
}
_REGIONS = {
    "pacific": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "eastern": "America/New_York",
    "et": "America/New_York",
    "central": "America/Chicago",
    "ct": "America/Chicago",
    "mountain": "America/Denver",
    "mt": "America/Denver",
}
_REGION_WORDS = {
    ("pacific", "standard"): "PST",
    ("pacific", "daylight"): "PDT",
    ("eastern", "standard"): "EST",
    ("eastern", "daylight"): "EDT",
    ("central", "standard"): "CST",
    ("central", "daylight"): "CDT",
    ("mountain", "standard"): "MST",
    ("mountain", "daylight"): "MDT",
}


@dataclass(frozen=True, slots=True)
class Zone:
    """A time zone as written, and what it means."""

    name: str
    tz: tzinfo


class UnknownZone(ValueError):
    """A zone name that is neither an abbreviation Hindsight knows nor an IANA name."""


@lru_cache(maxsize=256)
def parse_zone(name: str) -> Zone:
    """``UTC``, ``Z``, ``GMT+2``, ``+02:00``, ``CEST``, ``Pacific``, ``PT``, ``US/Pacific``, ...

    Raises :class:`UnknownZone` (a ``ValueError``) for anything else.
    """
    text = name.strip().strip("()").strip()
    upper = text.upper()
    if upper.startswith("+") and upper[1:2].isalpha():
        upper = upper[1:]
    offset = _OFFSET.fullmatch(upper)
    if offset:
        _, sign, hours, minutes = offset.groups()
        if sign is None:
            return Zone(text, UTC)
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14):
            raise UnknownZone(f"unknown time zone {name!r}")
        return Zone(text, timezone(-delta if sign == "-" else delta))
    if upper in _FIXED:
        minutes_east = _FIXED[upper]
        tz: tzinfo = UTC if minutes_east == 0 else timezone(timedelta(minutes=minutes_east), upper)
        return Zone(text, tz)
    words = [w for w in re.split(r"[\s_]+", text.lower()) if w and w != "time"]
    if words and words[0] in _REGIONS:
        if len(words) > 1 and (words[0], words[1]) in _REGION_WORDS:
            return parse_zone(_REGION_WORDS[(words[0], words[1])])
        if len(words) == 1:
            return Zone(text, ZoneInfo(_REGIONS[words[0]]))
    if "/" in text:
        try:
            return Zone(text, ZoneInfo(text.replace(" ", "_")))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise UnknownZone(f"unknown time zone {name!r}")


_OFFSET = re.compile(r"(UTC|GMT|Z)?(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?")

# --- the pieces of a written time -------------------------------------------------------------

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_I = re.IGNORECASE

_APPROX = re.compile(
    r"(?:~|±|\+/-|\(?approx(?:\.|imately)?\)?|\(?about\)?|around|circa|ca\.)\s*", _I
)
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thur?s?|fri|sat|sun)\b\.?",
    _I,
)
# The characters the expressions above can start with, IGNORECASE included ("ſ" is an "s" to
# it): trying an expression only where one of them stands is several times faster.
_APPROX_FIRST = frozenset("~±+(aAcC")
_WEEKDAY_FIRST = frozenset("mtwfsMTWFSſ")
_MONTH_FIRST = frozenset("jfmasondJFMASONDſ")
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})T(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:[.,]\d+)?)?(?P<z>Z|[+-]\d{2}(?::?\d{2})?)?(?![\w:])",
    _I,
)
_DATES = (
    ("ymd", re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/])")),
    ("mdy", re.compile(r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<y>\d{4}|\d{2})(?![\d/:])")),
    ("dmy", re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)")),
    (
        "md",
        re.compile(
            _MONTH + r"[\s-]+(?P<d>\d{1,2})" + _ORD + r"(?:\s*[-–]\s*\d{1,2}" + _ORD + r")?\b"
            r"(?:,?[\s-]+(?P<y>\d{4})\b)?",
            _I,
        ),
    ),
    (
        "dm",
        re.compile(
            r"(?P<d>\d{1,2})"
            + _ORD
            + r"(?:\s+of)?[\s-]+"
            + _MONTH
            + r"\b(?:,?[\s-]+(?P<y>\d{4})\b)?",
            _I,
        ),
    ),
    ("m-y", re.compile(r"(?P<y>\d{4})-(?:MM|mm|XX|xx|\d{2})-(?:DD|dd|XX|xx)(?![\w])")),
)
_TIME = re.compile(
    r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?(?!\d|:\d)"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?",
    _I,
)
_TIME_DOT = re.compile(r"(?P<H>\d{1,2})\.(?P<M>\d{2})(?!\d)(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?", _I)
_TIME_AMPM = re.compile(r"(?P<H>\d{1,2})\s*(?P<ap>[ap])\.?\s?m\b\.?", _I)
_TIME_HHMM = re.compile(
    r"(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?=\s*(?:z\b|utc\b|gmt\b|hrs?\b|h\b))", _I
)
_TIME_BARE_HHMM = re.compile(r"(?P<H>[01]\d|2[0-3])(?P<M>[0-5]\d)(?![\d:.])")
_RANGE_END = re.compile(r"\s*[-–—]\s*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?", _I)
_ZONE = re.compile(
    r"\(?\s*(?P<zone>\+?(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|Z(?![\w])|[+-]\d{2}:?\d{2}(?!\d)"
    r"|[A-Z][A-Za-z_]+/[A-Z][A-Za-z_+-]+(?:/[A-Za-z_]+)?"
    r"|(?:Pacific|Eastern|Central|Mountain)(?:\s+(?:Standard|Daylight))?(?:\s+Time)?\b"
    r"|[A-Z]{2,5}\b)\s*\)?"
)
_SEP = re.compile(r"[\s,]*(?:[-–—:]\s*(?=\d{1,2}[:.]\d\d))?(?:at\s+|@\s*)?")


@dataclass(frozen=True, slots=True)
class Instant:
    """What a written time means. ``at`` is an aware UTC datetime or ``None`` (then ``problem``
    says why); ``date_only`` when only a day was given (``at`` is then its start in the zone)."""

    at: datetime | None
    text: str
    approximate: bool = False
    date_only: bool = False
    problem: str | None = None


@dataclass(slots=True)
class _Parts:
    day: date | None = None
    year_missing: bool = False
    hour: int | None = None
    minute: int = 0
    second: int = 0
    zone: str | None = None
    approximate: bool = False
    end: int = 0
    problem: str | None = None


def _year(text: str | None, fallback: int | None) -> int | None:
    if text is None:
        return fallback
    year = int(text)
    return year + 2000 if year < 100 else year


def _make_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_date(kind: str, match: re.Match[str], year: int | None) -> tuple[date | None, bool]:
    """The date a date match names, and whether its year had to come from the context."""
    groups = match.groupdict()
    if kind == "mdy":
        a, b = int(groups["a"]), int(groups["b"])
        month, day = (b, a) if a > 12 else (a, b)
        return _make_date(_year(groups["y"], year), month, day), False
    if kind in ("md", "dm"):
        month = _MONTHS[groups["month"][:3].lower()]
        return _make_date(_year(groups["y"], year), month, int(groups["d"])), groups["y"] is None
    if kind == "m-y":
        return None, False
    return _make_date(int(groups["y"]), int(groups["m"]), int(groups["d"])), False


def _hour(match: re.Match[str]) -> int | None:
    hour = int(match.group("H"))
    ampm = (_group(match, "ap") or "").lower()
    if ampm and hour <= 12:
        hour = hour % 12 + (12 if ampm == "p" else 0)
    return hour if hour <= 23 else None


def _group(match: re.Match[str], name: str) -> str | None:
    """The group's text, or None when it did not take part or the expression has none."""
    return match[name] if name in match.re.groupindex else None


def _scan(text: str, year: int | None, *, whole: bool) -> _Parts:
    """Consume a date, a time and a zone from the start of ``text``, in any order."""
    parts = _Parts()
    pos = 0
    n = len(text)
    seen_date = seen_time = seen_zone = False
    while pos < n:
        start = pos
        first = text[pos]
        match = _APPROX.match(text, pos) if first in _APPROX_FIRST else None
        if match and match.end() > pos:
            parts.approximate = True
            pos = match.end()
            continue
        match = _WEEKDAY.match(text, pos) if first in _WEEKDAY_FIRST else None
        if match:
            pos = match.end()
        elif (
            not seen_date and not seen_time and first.isdigit() and (match := _ISO.match(text, pos))
        ):
            parts.day = _make_date(int(match["y"]), int(match["m"]), int(match["d"]))
            parts.hour = int(match["H"]) if int(match["H"]) <= 23 else None
            parts.minute, parts.second = int(match["M"]), int(match["S"] or 0)
            if match["z"]:
                parts.zone, seen_zone = match["z"], True
            seen_date = seen_time = True
            pos = match.end()
        elif not seen_date and (found := _match_date(text, pos, year)):
            parts.day, parts.year_missing, pos = found
            seen_date = True
        elif not seen_time and (found_time := _match_time(text, pos, seen_date, whole)):
            parts.hour, parts.minute, parts.second, pos = found_time
            seen_time = True
        elif seen_time and not seen_zone and (match := _ZONE.match(text, pos)):
            zone = match.group("zone")
            if _plausible_zone(zone) and not _joined(text, match.end("zone")):
                parts.zone, seen_zone = zone, True
                pos = match.end()
        if pos == start:
            break
        parts.end = pos
        sep = _SEP.match(text, pos)
        if sep:
            pos = sep.end()
    if not seen_date and not seen_time:
        parts.end = 0
    return parts


def _plausible_zone(zone: str) -> bool:
    word = zone.strip("()+ ")
    if word.isalpha() and word.isupper() and len(word) <= 5:
        return word in _FIXED or word.lower() in _REGIONS
    return True


def _joined(text: str, end: int) -> bool:
    """Whether the word that ends at ``end`` goes on, joined by ``-``, ``.``, ``/`` or ``_``
    to more letters or digits: ``EST-1`` and ``PT.2`` are names, not zones."""
    return text[end : end + 1] in _JOINERS and text[end + 1 : end + 2].isalnum()


_JOINERS = frozenset("-./_")


def _match_date(text: str, pos: int, year: int | None) -> tuple[date | None, bool, int] | None:
    digit = text[pos : pos + 1].isdigit()
    if not digit and text[pos : pos + 1] not in _MONTH_FIRST:
        return None
    for kind, pattern in _DATES:
        if digit == (kind == "md"):
            continue  # only "md" starts with a month name, the others with a digit
        match = pattern.match(text, pos)
        if match:
            day, year_missing = _read_date(kind, match, year)
            if day is None and kind != "m-y" and not year_missing:
                continue
            return day, year_missing, match.end()
    return None


def _match_time(
    text: str, pos: int, after_date: bool, whole: bool
) -> tuple[int, int, int, int] | None:
    if not text[pos : pos + 1].isdigit():
        return None  # every form starts with the hour
    match = _TIME.match(text, pos)
    if match is None:
        match = _TIME_AMPM.match(text, pos)
    if match is None:
        dot = _TIME_DOT.match(text, pos)
        if dot and (after_date or dot["ap"] or (whole and not text[dot.end() :].strip())):
            match = dot
    if match is None:
        match = _TIME_HHMM.match(text, pos)
    if match is None and after_date:
        match = _TIME_BARE_HHMM.match(text, pos)
    if match is None:
        return None
    hour = _hour(match)
    minute = int(_group(match, "M") or 0)
    second = int(_group(match, "S") or 0)
    if hour is None or minute > 59 or second > 59:
        return None
    return hour, minute, second, match.end()


# --- the context ------------------------------------------------------------------------------


class TimeContext:
    """What a document has stated so far: the date, the zone, the year, the previous time.

    ``read`` turns one written time into an :class:`Instant` and updates the context: a date
    applies to later times that state none; a time more than :data:`ROLLOVER` earlier than the
    previous one on the same implied date moves to the next day.
    """

    def __init__(self, *, zone: str = "UTC", day: date | None = None, year: int | None = None):
        self.zone = parse_zone(zone)
        self.day = day
        self.year = year if year is not None else (day.year if day else None)
        self._last: datetime | None = None

    def set_zone(self, name: str) -> str | None:
        """Use ``name`` for later times; the problem as text when it is not a zone."""
        try:
            self.zone = parse_zone(name)
        except UnknownZone as exc:
            return str(exc)
        return None

    def set_day(self, day: date) -> None:
        self.day = day
        self.year = day.year
        self._last = None

    def read(self, text: str, *, zone: str | None = None, sequence: bool = True) -> Instant:
        """The instant ``text`` names. ``zone`` overrides the context's zone for this time;
        ``sequence=False`` reads a time on its own (no rollover, not a "previous" time)."""
        written = " ".join(text.split())
        parts = _scan(written, self.year, whole=True)
        if parts.end == 0:
            return Instant(None, written, problem=f"time {written!r} not understood")
        last = self._last
        instant = self._resolve(parts, written, zone, sequence)
        if not sequence:
            self._last = last
        return instant

    def _resolve(self, parts: _Parts, written: str, zone: str | None, sequence: bool) -> Instant:
        try:
            tz = parse_zone(parts.zone).tz if parts.zone else None
            tz = tz or (parse_zone(zone).tz if zone else self.zone.tz)
        except UnknownZone as exc:
            return Instant(None, written, parts.approximate, problem=str(exc))
        if parts.day is None and parts.year_missing:
            return Instant(None, written, parts.approximate, problem=f"no year for {written!r}")
        explicit_day = parts.day is not None
        if explicit_day:
            assert parts.day is not None
            if parts.day != self.day:
                self._last = None
            self.day = parts.day
            self.year = parts.day.year
        if parts.hour is None:
            if not explicit_day:
                return Instant(None, written, parts.approximate, problem=_not_understood(written))
            assert parts.day is not None
            local = datetime(parts.day.year, parts.day.month, parts.day.day, tzinfo=tz)
            return Instant(local.astimezone(UTC), written, parts.approximate, date_only=True)
        if self.day is None:
            return Instant(None, written, parts.approximate, problem=f"no date for {written!r}")
        day, hour = self.day, parts.hour
        local = datetime(day.year, day.month, day.day, hour, parts.minute, parts.second, tzinfo=tz)
        rolls = sequence and not explicit_day and self._last is not None
        if rolls and self._last is not None and local < self._last - ROLLOVER:
            local += timedelta(days=1)
            self.day = local.date()
        self._last = local
        return Instant(local.astimezone(UTC), written, parts.approximate)


def _not_understood(written: str) -> str:
    return f"time {written!r} not understood"


# --- finding times in text --------------------------------------------------------------------

_LEAD_JUNK = re.compile(r"^[\s>*_`\[]*")
_AFTER_STAMP = re.compile(r"^(?:\[\^\w+\])?[\s*_`\]]*(?:\)\s*)?(?:[-–—:|,.]+\s*|\s+|$)")


def split_timestamp(line: str, *, year: int | None = None) -> tuple[str, str] | None:
    """``("2023-09-18 13:42", "Team noticed ...")`` when a line starts with a date or time.

    Accepts bold or italic stamps (``**14:02** — ...``) and separators ``-``, ``–``, ``:``,
    ``,`` or ``|``. A stamp must be followed by a separator or the end of the line. A zone
    after the time is part of the stamp (``("14:02 PDT", "deploy")``) when it is one Hindsight
    knows and stands alone: in ``14:02 EST-1 replica`` the host ``EST-1`` is text.
    """
    lead = _LEAD_JUNK.match(line)
    offset = lead.end() if lead else 0
    text = line[offset:]
    if not text or not (text[0].isdigit() or text[0] in "~±(" or text[0].isalpha()):
        return None
    parts = _scan(text, year, whole=False)
    if parts.end == 0:
        return None
    end = parts.end
    if parts.hour is not None and (span := _RANGE_END.match(text, end)):
        end = span.end()  # "14:20-16:00": the event starts at the first time
    end = len(text[:end].rstrip())
    stamp = text[:end].rstrip(" ,")
    after = _AFTER_STAMP.match(text[end:])
    if after is None:
        return None
    rest = text[end + after.end() :].strip()
    if stamp[-1].isdigit() and rest[:1].isdigit() and parts.zone is None:
        return None  # "10 20 people": digits running on are not a stamp, but "+02:00 3 pods" is
    return stamp.strip(), rest


# The lookaheads test the first character of every branch at once, so that the engine passes
# over most positions quickly.
_STATEMENT = re.compile(
    r"(?=[ti(])(?:\btimes?\b|\btime\s*zones?\b|\btz\b|\(|\bin\s+(?:utc|gmt)\b)", _I
)
_ZONE_WORD = re.compile(
    r"(?=[A-Zug])(?:"  # a capital, or the "u" or "g" of utc and gmt
    r"(?P<iana>\b[A-Z][A-Za-z_]+/[A-Z][A-Za-z_+-]+(?:/[A-Za-z_]+)?)"
    r"|(?P<region>\b(?:Pacific|Eastern|Central|Mountain)(?:\s+(?:Standard|Daylight))?\s+Time\b)"
    r"|(?P<offset>\b(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?)"
    # The short words that name a zone: an abbreviation, PT/ET/CT/MT, utc or gmt in any case.
    r"|(?P<word>\b(?:(?i:utc|gmt)|PT|ET|CT|MT|"
    + "|".join(sorted(_FIXED, key=len, reverse=True))
    + r")\b))"
)


def zone_statement(text: str) -> str | None:
    """The zone a line or header states for the times that follow, if it states one:
    ``All times in UTC``, ``Date and Time in CET``, ``Time (UTC)``, ``(all times PST)``."""
    if not _STATEMENT.search(text):
        return None
    text = text.replace("_", " ").replace("*", " ")
    for match in _ZONE_WORD.finditer(text):
        candidate = match.group(0)
        if match.lastgroup == "word" and candidate.upper() in ("UTC", "GMT"):
            candidate = candidate.upper()
        try:
            parse_zone(candidate)
        except UnknownZone:
            if match.lastgroup != "iana":
                continue  # an unknown "Area/City" is still a statement: the reader warns
        return candidate
    return None


_FIND_DATE = re.compile(
    # What a date can start with, tested first (case-sensitively: "ſ" is an "s" to IGNORECASE):
    # most positions are then passed over at once.
    r"(?-i:(?=[\dadfjmnosADFJMNOS\u017f]))"
    r"\b(?:\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2}\b)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s-]+\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    _I,
)


def find_date(text: str, *, year: int | None = None) -> date | None:
    """The first full date written anywhere in ``text`` (a title, a heading, a sentence)."""
    for match in _FIND_DATE.finditer(text):
        found = _match_date(text, match.start(), year)
        if found and found[0] is not None:
            return found[0]
    return None


def parse_date(text: str, *, year: int | None = None) -> date | None:
    """A date written on its own (``2024-05-01``, ``May 1st, 2024``, ``01/05/2024``)."""
    written = " ".join(text.split()).strip(" .,*_")
    pos = 0
    weekday = _WEEKDAY.match(written)
    if weekday:
        sep = _SEP.match(written, weekday.end())
        pos = sep.end() if sep else weekday.end()
    found = _match_date(written, pos, year)
    if found is None or found[0] is None:
        return None
    rest = written[found[2] :].strip(" ,")
    if rest and not _WEEKDAY.fullmatch(rest) and not rest.startswith("("):
        return None
    return found[0]
