"""Ordered scales: incident severity and action-item priority.

A severity is a level from 1 (worst) to 5. Teams name levels in one of three schemes, and every
label of every scheme parses::

    level  sev     p    words
    1      SEV-1   P0   Critical
    2      SEV-2   P1   High
    3      SEV-3   P2   Medium
    4      SEV-4   P3   Low
    5      SEV-5   P4   Informational

In JSON a severity is its ``sev`` label (``"SEV-2"``), whatever scheme a document used.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import total_ordering
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

SCHEMES: dict[str, tuple[str, ...]] = {
    "sev": ("SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"),
    "p": ("P0", "P1", "P2", "P3", "P4"),
    "words": ("Critical", "High", "Medium", "Low", "Informational"),
}

_WORDS = {
    "critical": 1,
    "crit": 1,
    "urgent": 1,
    "major": 2,
    "high": 2,
    "medium": 3,
    "moderate": 3,
    "med": 3,
    "normal": 3,
    "low": 4,
    "minor": 4,
    "informational": 5,
    "info": 5,
    "trivial": 5,
    "lowest": 5,
}
_SEV = re.compile(r"^(?:sev|severity|s)[\s_-]*([1-5])$", re.IGNORECASE)
_P = re.compile(r"^p[\s_-]*([0-4])$", re.IGNORECASE)


def _level_from_text(text: str) -> int | None:
    cleaned = text.strip().strip("[]*_`").strip()
    if match := _SEV.match(cleaned):
        return int(match.group(1))
    if match := _P.match(cleaned):
        return int(match.group(1)) + 1
    return _WORDS.get(cleaned.lower())


@total_ordering
class Severity:
    """An incident severity level; lower levels are worse (``SEV-1`` sorts before ``SEV-2``)."""

    __slots__ = ("level",)

    def __init__(self, level: int) -> None:
        if not 1 <= level <= 5:
            raise ValueError(f"severity level must be 1 to 5, not {level}")
        self.level = level

    @classmethod
    def parse(cls, value: object) -> Severity:
        """Read ``SEV-2``, ``Sev2``, ``P1``, ``High`` or a level number."""
        if isinstance(value, Severity):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        if isinstance(value, str):
            level = _level_from_text(value)
            if level is not None:
                return cls(level)
        raise ValueError(
            f"unknown severity {value!r}; use SEV-1..SEV-5, P0..P4 or Critical/High/Medium/Low"
        )

    def label(self, scheme: str = "sev") -> str:
        return SCHEMES[scheme][self.level - 1]

    def __str__(self) -> str:
        return self.label()

    def __repr__(self) -> str:
        return f"Severity({self.label()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Severity) and other.level == self.level

    def __lt__(self, other: Severity) -> bool:
        return self.level < other.level

    def __hash__(self) -> int:
        return hash(self.level)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            json_schema_input_schema=core_schema.union_schema(
                [core_schema.str_schema(), core_schema.int_schema(ge=1, le=5)]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.label(), when_used="always"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        return {
            "type": "string",
            "enum": list(SCHEMES["sev"]),
            "description": "Severity, SEV-1 worst. Input also accepts P0..P4 and "
            "Critical/High/Medium/Low/Informational.",
        }


class Priority(StrEnum):
    """Action-item priority, P0 most urgent."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @classmethod
    def parse(cls, value: object) -> Priority:
        if isinstance(value, Priority):
            return value
        if isinstance(value, str):
            level = _level_from_text(value)
            if level is not None:
                return cls(f"P{level - 1}")
        raise ValueError(f"unknown priority {value!r}; use P0..P4 or Critical/High/Medium/Low")

    @classmethod
    def _missing_(cls, value: object) -> Priority | None:
        if isinstance(value, str):
            level = _level_from_text(value)
            if level is not None:
                return cls(f"P{level - 1}")
        return None
