"""Postmortem ids: ``INC-YYYY-MM-DD-NNN`` by default, the pattern a setting."""

from __future__ import annotations

import re
import string
from datetime import date

from hindsight.model.postmortem import ID_RE


def format_id(pattern: str, *, day: date, seq: int) -> str:
    """Fill an id pattern such as ``INC-{date:%Y-%m-%d}-{seq:03d}``."""
    try:
        value = pattern.format(date=day, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"id pattern {pattern!r} cannot be filled: {exc}") from exc
    if not ID_RE.match(value):
        raise ValueError(f"id pattern {pattern!r} makes {value!r}, which is not a valid id")
    return value


def id_prefix(pattern: str, *, day: date) -> str:
    """The part of an id that comes before its sequence number, to find the next free number."""
    literal = ""
    for text, field, spec, _ in string.Formatter().parse(pattern):
        literal += text
        if field is None:
            continue
        if field == "seq":
            return literal
        literal += format(day, spec or "%Y-%m-%d") if field == "date" else ""
    return literal


def sequence_of(pattern: str, value: str, *, day: date) -> int | None:
    """The sequence number in an id made by ``pattern`` on ``day``, if it was made that way."""
    prefix = id_prefix(pattern, day=day)
    if not value.startswith(prefix):
        return None
    match = re.match(r"\d+", value[len(prefix) :])
    return int(match.group(0)) if match else None
