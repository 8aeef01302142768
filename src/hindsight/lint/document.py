"""One document as the rules see it: its lines, its sections and what each one means, its prose
with everything that is not prose blanked out, and the postmortem the parser reads from it.

Everything is computed once, on first use, and shared by the rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar, cast

from hindsight.layouts.headings import label_key, section_key
from hindsight.text.markdown import (
    Block,
    BlockQuote,
    CodeBlock,
    Comment,
    Document,
    Flavor,
    Heading,
    HtmlBlock,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    ThematicBreak,
    may_hold_bold_label,
    parse_document,
    plain_text,
    split_label,
)

if TYPE_CHECKING:
    from hindsight.layouts.parse import ParseResult
    from hindsight.lint.config import LintConfig
    from hindsight.lint.suppress import Suppressions
    from hindsight.model import Postmortem


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class HeadingInfo:
    """A heading, the lines its section takes (to the next heading of its level or higher) and
    what it means (a key of :mod:`hindsight.layouts.headings`, or ``None``)."""

    line: int
    end: int
    level: int
    text: str
    key: str | None


# Labels (``**Key events**``) that open a part of a document the way a heading would.
_LABEL_KINDS = {
    "key_events": "timeline",
    "context": "timeline",
    "review_actions": "action_items",
    "went_well": "went_well",
    "went_poorly": "went_poorly",
    "lucky": "lucky",
    "root_cause": "root_cause",
    "contributing_factors": "contributing_factors",
    "resolution": "resolution",
    "summary": "summary",
}

_PARTS = {
    "actions": "action_items",
    "prevention": "action_items",
    "key_timestamps": "timeline",
    "communication_log": "timeline",
}


def kind_of(key: str | None) -> str | None:
    """The broad kind of a section key: ``went_well.detection`` is ``went_well``,
    ``actions.prevent`` is ``action_items``."""
    if key is None:
        return None
    head = key.split(".", 1)[0]
    return _PARTS.get(head, head)


# --- masking ----------------------------------------------------------------------------------

# Inline things that are not the author's prose, blanked with spaces so that columns stay. Each
# expression starts with one literal character and runs only when that character occurs: a single
# combined expression would be several times slower.
_MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("`", re.compile(r"`+[^`\n]*`+")),
    ("<", re.compile(r"<(?:!--[^\n]*?-->|%[^\n]*?%>|/?[A-Za-z][^>\n]*>)")),
    ("]", re.compile(r"\](?:\([^)\n]*\)|\[[^\]\n]*\])")),
    # Template blanks and hints ("[Name]", "_[What broke]_"), footnotes, citations, checkboxes:
    # brackets that are not a link's text.
    ("[", re.compile(r"\[[^\[\]\n]*\](?![(\[:])")),
    ("www.", re.compile(r"www\.[^\s)\]>]+")),
    ('"', re.compile(r'"[^"\n]{1,300}"')),
    ("“", re.compile(r"“[^”\n]{1,300}”")),
    ("‘", re.compile(r"‘[^’\n]{1,300}’")),
    ("'", re.compile(r"'(?<!\w')(?<!'')[^'\n]{2,200}'(?![\w'])")),
)
# Characters that make a word code-like: paths, key=value, emails, snake_case, Rust paths ("::":
# a ":" is checked for the second one by hand, faster than an expression with "::" in it).
_CODE_CHAR = re.compile(r"[/={}@_:]")
_LOG_LINE = re.compile(
    r"^[ \t>*+-]*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}\S*\]?[ \t]+(?:[A-Z]{3,}\b|\[)"
    r"|\{\"|\[(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL|CRITICAL|TRACE)\]"
    r"|(?:ERROR|WARN|WARNING|FATAL|CRITICAL|DEBUG|INFO|TRACE|panic)[:\]] )"
)
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _mask(text: str) -> str:
    text = _blank_code_words(text)
    for char, pattern in _MASKS:
        if char in text:
            text = pattern.sub(_blank, text)
    if "''" in text:  # MediaWiki bold and italics
        text = text.replace("'''", "   ").replace("''", "  ")
    return text.replace("*", " ").replace("_", " ").replace("~", " ")


def _blank_code_words(text: str) -> str:
    """Blank every whitespace-delimited word that holds a code character."""
    spans: list[tuple[int, int]] = []
    match = _CODE_CHAR.search(text)
    while match is not None:
        index = match.start()
        char = match.group(0)
        if (char == ":" and not text.startswith(":", index + 1)) or (
            char == "_"  # emphasis, not snake_case
            and not (
                0 < index < len(text) - 1
                and text[index - 1].isalnum()
                and text[index + 1].isalnum()
            )
        ):
            match = _CODE_CHAR.search(text, index + 1)
            continue
        start = max(text.rfind(" ", 0, index), text.rfind("\n", 0, index)) + 1
        end = min(_after(text, " ", index), _after(text, "\n", index))
        spans.append((start, end))
        match = _CODE_CHAR.search(text, end)  # the next word
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _after(text: str, char: str, index: int) -> int:
    found = text.find(char, index)
    return len(text) if found < 0 else found


class LintDocument:
    """A document under lint. ``lines`` are the text's lines (1-based: ``lines[n - 1]``)."""

    def __init__(
        self, text: str, *, path: str, config: LintConfig, now: datetime, layout: str | None = None
    ) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.path = path
        self.config = config
        self.now = now
        self.layout_hint = layout
        self.flavor: Flavor = "mediawiki" if path.lower().endswith(".mediawiki") else "markdown"
        self.lines = self.text.split("\n")
        self._memo: dict[str, object] = {}

    # --- structure ----------------------------------------------------------------------------

    @cached_property
    def parsed(self) -> Document:
        return parse_document(self.text, flavor=self.flavor)

    @cached_property
    def headings(self) -> list[HeadingInfo]:
        """Every heading in order, with its meaning read in the context of its parents."""
        found: list[HeadingInfo] = []
        stack: list[HeadingInfo] = []
        heads = [block for block in self.parsed.blocks if isinstance(block, Heading)]
        ends = _section_ends(heads, len(self.lines))
        for head, end in zip(heads, ends, strict=True):
            while stack and stack[-1].level >= head.level:
                stack.pop()
            parent = next((h.key for h in reversed(stack) if h.key), None)
            key = section_key(head.text, parent)
            info = HeadingInfo(head.line, end, head.level, plain_text(head.text), key)
            found.append(info)
            stack.append(info)
        return found

    def sections(self, kind: str) -> list[HeadingInfo]:
        """The headings whose broad kind is ``kind`` (see :func:`kind_of`)."""
        return self._by_kind.get(kind, [])

    @cached_property
    def _by_kind(self) -> dict[str, list[HeadingInfo]]:
        found: dict[str, list[HeadingInfo]] = {}
        for heading in self.headings:
            kind = kind_of(heading.key)
            if kind is not None:
                found.setdefault(kind, []).append(heading)
        return found

    def section_line(self, kind: str, default: int = 1) -> int:
        found = self.sections(kind)
        return found[0].line if found else default

    @cached_property
    def line_kinds(self) -> list[str | None]:
        """The broad kind of the section each line is in; index 0 is unused."""
        kinds: list[str | None] = [None] * (len(self.lines) + 2)
        for head in self.headings:  # in order: children come after, so they win
            kind = kind_of(head.key)
            if kind is None:
                continue
            stop = min(head.end, len(self.lines)) + 1
            kinds[head.line : stop] = [kind] * max(0, stop - head.line)
        self._label_kinds(self.parsed.blocks, kinds)
        return kinds

    def _label_kinds(self, blocks: list[Block], kinds: list[str | None]) -> None:
        """``**Review actions**:`` and the like mark the lines they head."""
        current: str | None = None
        for block in blocks:
            if isinstance(block, Heading):
                current = None
            elif isinstance(block, Paragraph) and len(block.lines) == 1:
                label = split_label(block.lines[0]) if may_hold_bold_label(block.lines[0]) else None
                kind = _LABEL_KINDS.get(label_key(label.name) or "") if label else None
                if label is not None and label.bold and not label.value:
                    current = kind
            elif current is not None:
                for line in range(block.line, block.end_line + 1):
                    kinds[line] = current
            if isinstance(block, ListBlock):
                for item in block.items:
                    label = split_label(item.text) if may_hold_bold_label(item.text) else None
                    kind = _LABEL_KINDS.get(label_key(label.name) or "") if label else None
                    if kind is not None and label is not None and label.bold:
                        for line in range(item.line, item.end_line + 1):
                            kinds[line] = kind

    def kind_at(self, line: int) -> str | None:
        kinds = self.line_kinds
        return kinds[line] if 0 < line < len(kinds) else None

    # --- prose --------------------------------------------------------------------------------

    @cached_property
    def excluded_lines(self) -> set[int]:
        """Lines that hold no prose: front matter, headings, code, HTML, comments, table
        headers."""
        skip = set(range(1, self.parsed.front_matter_lines + 1))
        self._exclude(self.parsed.blocks, skip)
        return skip

    def _exclude(self, blocks: list[Block], skip: set[int]) -> None:
        for block in blocks:
            if isinstance(block, Heading | CodeBlock | HtmlBlock | Comment | ThematicBreak):
                skip.update(range(block.line, block.end_line + 1))
            elif isinstance(block, Table):
                skip.update((block.line, block.line + 1))
            elif isinstance(block, BlockQuote):
                self._exclude(block.children, skip)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    self._exclude(item.children, skip)

    @cached_property
    def prose(self) -> str:
        """The text with every non-prose part replaced by spaces (whole lines by nothing), so
        that an offset maps back to the line and column it came from."""
        skip = self.excluded_lines
        kept = [
            ""
            if number in skip or _LOG_LINE.match(line) or ("]:" in line and _REF_DEF.match(line))
            else line
            for number, line in enumerate(self.lines, start=1)
        ]
        return _mask("\n".join(kept))

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        prose = self.prose
        index = prose.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = prose.find("\n", index + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset into :attr:`prose`."""
        starts = self._line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    # --- lookups ------------------------------------------------------------------------------

    @cached_property
    def _text_line_starts(self) -> list[int]:
        return _starts(self.lines)

    @cached_property
    def _lowered(self) -> tuple[str, list[int]]:
        """The text lowercased, and where its lines start."""
        lower = self.text.lower()
        if len(lower) == len(self.text):
            return lower, self._text_line_starts
        return lower, _starts(lower.split("\n"))

    def lines_matching(self, screen: re.Pattern[str], *, lowercase: bool = True) -> list[int]:
        """The numbers of the lines in which ``screen`` finds something, in the text lowercased
        (or as it is). A match that runs on past its line counts for the line it starts on.

        One pass over the whole text is several times faster than a search per line, and an
        expression that starts with a letter (no ``\\b``, no ``IGNORECASE``) several times
        faster again: rules screen lines with such a loose expression, then check the few lines
        it finds with their exact one."""
        text, starts = self._lowered if lowercase else (self.text, self._text_line_starts)
        found: list[int] = []
        match = screen.search(text)
        while match is not None:
            number = bisect.bisect_right(starts, match.start())
            found.append(number)
            if number >= len(starts):
                break
            match = screen.search(text, starts[number])
        return found

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per document: for what several rules of a family share."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    @cached_property
    def _plain(self) -> tuple[str, list[int]]:
        """Every line as lowercased plain text with single spaces (:func:`_norm`), joined, and
        line offsets."""
        lines = [" ".join(line.split()) for line in _unmarked(self.text.lower()).split("\n")]
        return "\n".join(lines), _starts(lines)

    def find_line(
        self, snippet: str, *, kind: str | None = None, default: int = 1, after: int = 0
    ) -> int:
        """The first line after line ``after`` holding ``snippet`` (its first line, compared as
        plain text and case-insensitively), preferring lines in sections of ``kind``; a line
        before ``after`` when there is none after it."""
        first = snippet.strip().split("\n", 1)[0]
        needle = _norm(first).strip()
        if not needle:
            return default
        for size in (60, 25):
            found = self._find(needle[:size], kind, after)
            if found:
                return found
        return default

    def _find(self, needle: str, kind: str | None, after: int) -> int | None:
        joined, starts = self._plain
        best: tuple[int, int] | None = None  # (rank, line): lower rank is better
        index = joined.find(needle)
        while index >= 0:
            number = bisect.bisect_right(starts, index)
            rank = (0 if number > after else 2) + (
                0 if kind is None or self.kind_at(number) == kind else 1
            )
            if best is None or rank < best[0]:
                best = (rank, number)
                if rank == 0:
                    break
            index = joined.find(needle, index + 1)
        return best[1] if best else None

    def blocks_in(self, kind: str) -> Iterator[Block]:
        """The blocks of every section of ``kind``, nested list content included."""
        for block in _walk(self.parsed.blocks):
            if self.kind_at(block.line) == kind and not isinstance(block, Heading):
                yield block

    # --- the model ----------------------------------------------------------------------------

    @cached_property
    def parse_result(self) -> ParseResult | None:
        """What the layout parser reads from the text; ``None`` when it cannot read it."""
        from hindsight.errors import HindsightError
        from hindsight.layouts.parse import parse_markdown

        try:
            return parse_markdown(
                self.text, source=self.path, flavor=self.flavor, scanned=self.parsed
            )
        except HindsightError:
            return None

    @property
    def postmortem(self) -> Postmortem | None:
        result = self.parse_result
        return None if result is None else result.postmortem

    @property
    def layout(self) -> str | None:
        result = self.parse_result
        return self.layout_hint or (None if result is None else result.layout)

    @cached_property
    def suppressions(self) -> Suppressions:
        from hindsight.lint.suppress import read_suppressions

        return read_suppressions(self)


def _section_ends(heads: list[Heading], last: int) -> list[int]:
    """The last line of each heading's section: the line before the next heading of its level
    or higher, else ``last``."""
    ends = [last] * len(heads)
    open_: list[int] = []  # headings whose section runs on, deepest last
    for index, head in enumerate(heads):
        while open_ and heads[open_[-1]].level >= head.level:
            ends[open_.pop()] = head.line - 1
        open_.append(index)
    return ends


def _starts(lines: list[str]) -> list[int]:
    """Where each line starts in the text they were split from."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _norm(text: str) -> str:
    """Lowercase, without emphasis and code marks, single-spaced: what ``find_line`` compares."""
    return " ".join(_unmarked(text.lower()).split())


def _unmarked(text: str) -> str:
    # Several times faster than str.translate.
    return text.replace("*", "").replace("_", "").replace("`", "")


def _walk(blocks: list[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, BlockQuote):
            yield from _walk(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _walk(item.children)


def list_items(blocks: list[Block]) -> Iterator[ListItem]:
    """Every list item in the blocks, nested ones included, in document order."""
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield item
                yield from list_items(item.children)
        elif isinstance(block, BlockQuote):
            yield from list_items(block.children)
