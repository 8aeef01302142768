"""Durations as people write them: ``2h 15m``, ``1 hour 5 minutes``, ``35h 36m``, ``90 min``."""

from __future__ import annotations

import re

_UNITS = {
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)\b", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")


def format_duration(seconds: int | None) -> str:
    """``2h 15m``; seconds only when they are not zero; ``unknown`` for ``None``."""
    if seconds is None:
        return "unknown"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if minutes or (not parts and not secs):
        parts.append(f"{minutes}m")
    if secs:
        parts.append(f"{secs}s")
    return sign + " ".join(parts)


def parse_duration(text: str) -> int | None:
    """Seconds in a written duration, or ``None`` when the text states none.

    Reads ``2h 15m``, ``2 hours 15 minutes``, ``1.5 hours``, ``45 min``, ``01:30`` (h:mm), and
    ignores words around them (``about 2 hours``). A text with no recognisable unit gives None.
    """
    cleaned = text.strip().strip("*_`()[]").strip()
    if match := _CLOCK.match(cleaned):
        hours, minutes, secs = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + int(secs or 0)
    total = 0.0
    found = False
    for number, unit in _PART.findall(cleaned):
        factor = _UNITS.get(unit.lower())
        if factor is None:
            continue
        total += float(number) * factor
        found = True
    return round(total) if found else None
