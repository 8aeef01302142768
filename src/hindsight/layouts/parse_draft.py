"""The postmortem being read: values found so far, where they came from, and warnings.

The readers of sections, timelines and action items write into a :class:`Draft`; ``parse.py``
turns it into a validated :class:`~hindsight.model.Postmortem` at the end. Values are kept as
plain data (dicts and lists) until then, so that one odd value can be dropped with a warning
instead of failing the whole document.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hindsight.text.markdown import Block, ListBlock, ListItem, Paragraph, Table
from hindsight.text.times import TimeContext

# List fields of the model, by path: text given to them becomes items.
LIST_FIELDS = frozenset(
    {
        "authors",
        "services",
        "tags",
        "contributing_factors",
        "root_cause.systemic_issues",
        "impact.features",
        "impact.external",
        "impact.internal",
        "detection.why_not_caught",
        "detection.monitoring_gaps",
        "response.went_well.general",
        "response.went_well.detection",
        "response.went_well.response",
        "response.went_well.recovery",
        "response.went_poorly.general",
        "response.went_poorly.detection",
        "response.went_poorly.response",
        "response.went_poorly.recovery",
        "response.lucky",
        "prevention.short_term",
        "prevention.long_term",
        "lessons.learned",
        "lessons.technical",
        "lessons.process",
        "lessons.cultural",
        "lessons.do_differently",
        "lessons.surprises",
        "lessons.open_questions",
        "external_communication",
    }
)
# Lists the front matter may also hold: the first value the body states replaces it.
BODY_REPLACES = frozenset({"authors", "services", "tags", "participants"})


@dataclass
class Unit:
    """A piece of a section: a labelled value (``label`` set) or a plain block."""

    line: int
    end_line: int
    block: Block | None = None
    item: ListItem | None = None
    label: str | None = None
    key: str | None = None
    value: str = ""
    blocks: list[Block] = field(default_factory=list)
    bold: bool = True


@dataclass
class Event:
    text: str
    line: int
    at: datetime | None = None
    time_text: str | None = None
    kind: str | None = None
    actor: str | None = None
    notes: str | None = None
    date_only: bool = False
    approximate: bool = False
    pick: bool = False

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "kind": self.kind or "note"}
        for name in ("at", "actor", "notes"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.time_text is not None and (self.at is None or self.date_only or self.approximate):
            data["time_text"] = self.time_text
        return data


class Draft:
    """Values read so far (model-shaped data), warnings, and the document's lines."""

    def __init__(
        self,
        lines: list[str],
        *,
        zone: str,
        layout: str | None = None,
        labels: Callable[[Unit, str, Draft], bool] | None = None,
    ) -> None:
        self.lines = lines
        self._labels = labels
        self.data: dict[str, Any] = {}
        self.layout = layout
        self.ctx = TimeContext(zone=zone)
        self.warnings: list[str] = []
        self.timeline: list[Event] = []
        self.actions: list[dict[str, Any]] = []
        self.milestones: dict[str, tuple[datetime, int]] = {}
        self.extra: list[dict[str, Any]] = []
        self.body_set: set[str] = set()
        self.fm_keys: set[str] = set()
        self.stated: dict[str, tuple[int, int]] = {}
        self.rendered = False
        self.parent: str | None = None
        self.pending_categories: list[tuple[str, str]] = []

    def apply(self, unit: Unit, context: str) -> bool:
        """Apply a labelled unit where it stands (readers keep document order this way)."""
        return self._labels(unit, context, self) if self._labels and unit.key else False

    # --- warnings -----------------------------------------------------------------------------

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(f"line {line}: {message}" if line else message)

    # --- values ---------------------------------------------------------------------------------

    def get(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def _parent(self, path: str) -> tuple[dict[str, Any], str]:
        parts = path.split(".")
        node = self.data
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        return node, parts[-1]

    def set(self, path: str, value: Any) -> None:
        """Set a value stated in the body; it replaces one from the front matter."""
        node, name = self._parent(path)
        node[name] = value
        self.body_set.add(path)

    def fill(self, path: str, value: Any) -> bool:
        """Set a value only if none is known yet; True when it was set."""
        if self.get(path) not in (None, "", [], {}):
            return False
        self.set(path, value)
        return True

    def add_text(self, path: str, text: str) -> None:
        """Append Markdown to a text field (paragraphs) or items to a list field."""
        text = text.strip()
        if not text:
            return
        if path in LIST_FIELDS:
            self.add_items(path, [text])
            return
        current = self.get(path)
        self.set(path, f"{current}\n\n{text}" if current else text)

    def add_items(self, path: str, items: list[Any]) -> None:
        if not items:
            return
        node, name = self._parent(path)
        current = node.get(name)
        if path in BODY_REPLACES and path not in self.body_set:
            current = None
        node[name] = [*(current or []), *items]
        self.body_set.add(path)

    def restart_day(self) -> None:
        """Back to the document's date, for a table whose short times refer to it."""
        day = self.get("date")
        if isinstance(day, date):
            self.ctx.set_day(day)

    def set_date(self, day: Any, *, fill: bool = False) -> None:
        """The incident's date; times stated later without a date fall on it."""
        if day is None:
            return
        if fill:
            self.fill("date", day)
        else:
            self.set("date", day)
        if self.ctx.day is None:
            self.ctx.set_day(day)

    # --- verbatim text --------------------------------------------------------------------------

    def source(self, first: int, last: int) -> str:
        """Lines ``first`` to ``last`` (1-based, inclusive) as written, common indent removed."""
        chunk = "\n".join(self.lines[first - 1 : last])
        if chunk.startswith((" ", "\t")) or "\n " in chunk or "\n\t" in chunk:
            chunk = textwrap.dedent(chunk)  # else no line is indented: nothing to remove
        return chunk.strip("\n")

    def block_text(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return block.text
        return self.source(block.line, block.end_line)

    def blocks_text(self, blocks: list[Block]) -> str:
        return "\n\n".join(text for block in blocks if (text := self.block_text(block).strip()))

    def item_text(self, item: ListItem) -> str:
        """An item's Markdown: its text, then whatever is nested under it."""
        if not item.children:
            return item.text
        nested = self.source(item.children[0].line, item.end_line)
        return f"{item.text}\n{nested}".strip() if item.text else nested


def list_items(blocks: list[Block]) -> list[ListItem]:
    return [item for block in blocks if isinstance(block, ListBlock) for item in block.items]


def tables(blocks: list[Block]) -> list[Table]:
    return [block for block in blocks if isinstance(block, Table)]
