"""Suppression comments.

``<!-- hindsight: ignore[L101] -->`` at the end of a line hides that rule on that line. On a
heading line, or alone on the line right under a heading, it hides the rule in the whole section
(sub-sections included). Alone on a line anywhere else it hides the rule in the block that
follows (a paragraph, list or table). ``<!-- hindsight: ignore-file[L101] -->`` anywhere hides the
rule in the whole file. Rules are named by id or name, separated by commas; without brackets
every rule is hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hindsight.lint.engine import expand

if TYPE_CHECKING:
    from hindsight.lint.document import LintDocument

ALL = "*"

_COMMENT = re.compile(
    r"<!--\s*hindsight\s*:\s*(?P<kind>ignore-file|ignore)\s*(?:\[(?P<rules>[^\]]*)\])?\s*-->",
    re.IGNORECASE,
)


@dataclass
class Suppressions:
    """What the comments of one document hide: by file, and by line."""

    file: set[str] = field(default_factory=set)
    ranges: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)

    def whole_file(self, rule: str) -> bool:
        return ALL in self.file or rule in self.file

    def hides(self, rule: str, line: int) -> bool:
        if not self.ranges:
            return False
        return any(
            start <= line <= end and (ALL in rules or rule in rules)
            for start, end, rules in self.ranges
        )


def _rules(text: str | None) -> frozenset[str]:
    if text is None or not text.strip():
        return frozenset({ALL})
    ids: set[str] = set()
    for ref in text.split(","):
        try:
            ids.update(expand(ref))
        except KeyError:
            continue  # a rule this version does not know hides nothing
    return frozenset(ids)


def read_suppressions(doc: LintDocument) -> Suppressions:
    found = Suppressions()
    if "hindsight" not in doc.text:
        return found
    for number, line in enumerate(doc.lines, start=1):
        if "<!--" not in line:
            continue
        for match in _COMMENT.finditer(line):
            rules = _rules(match.group("rules"))
            if match.group("kind").lower() == "ignore-file":
                found.file.update(rules)
                continue
            start, end = _extent(doc, number, alone=line.strip() == match.group(0))
            found.ranges.append((start, end, rules))
    return found


def _extent(doc: LintDocument, number: int, *, alone: bool) -> tuple[int, int]:
    """The lines a comment on line ``number`` covers."""
    heading = next((h for h in doc.headings if h.line == number), None)
    if heading is not None:
        return heading.line, heading.end
    if not alone:
        return number, number
    previous = number - 1
    while previous > 0 and not doc.lines[previous - 1].strip():
        previous -= 1
    heading = next((h for h in doc.headings if h.line == previous), None)
    if heading is not None:
        return heading.line, heading.end
    following = number + 1
    while following <= len(doc.lines) and not doc.lines[following - 1].strip():
        following += 1
    block = next((b for b in doc.parsed.blocks if b.line <= following <= b.end_line), None)
    return following, block.end_line if block is not None else following
