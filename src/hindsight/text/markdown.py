"""A fast, line-oriented block scanner for the Markdown people write postmortems in.

Postmortems are simple Markdown: headings, paragraphs, lists, pipe tables, fenced code, quotes.
A full CommonMark parser in pure Python manages about 400 documents a second; this scanner reads
only blocks (inline text stays as written) and keeps a 1-based line number on every block, list
item and table row, so that the importer and the linter can point at a line.

What it understands: YAML front matter, ATX and setext headings, MediaWiki ``==x==`` headings,
paragraphs, bullet and numbered lists nested by indentation (with continuation lines and task-list
checkboxes), GFM pipe tables, fenced code (backticks and tildes, with an info string), indented
code after a blank line, blockquotes, HTML comments (kept: lint reads suppression comments from
them), other HTML blocks, thematic breaks. ERB and Liquid tags are plain text.

The inline helpers at the bottom turn Markdown into plain text, read ``**Label:** value`` lines
and find links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Flavor = Literal["markdown", "mediawiki"]

# --- blocks -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    """Something that takes whole lines; ``line`` and ``end_line`` are 1-based and inclusive."""

    line: int
    end_line: int


@dataclass(slots=True)
class Heading(Block):
    level: int
    text: str


@dataclass(slots=True)
class Paragraph(Block):
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class ListItem:
    """One item: the text of its first paragraph, then whatever else is nested in it."""

    line: int
    end_line: int
    marker: str
    number: int | None
    checked: bool | None
    text: str
    children: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class ListBlock(Block):
    ordered: bool
    items: list[ListItem]


@dataclass(slots=True)
class TableRow:
    line: int
    cells: list[str]


@dataclass(slots=True)
class Table(Block):
    """A GFM pipe table; cells are trimmed and ``\\|`` is unescaped, ``<br>`` is kept."""

    header: list[str]
    align: list[str | None]
    rows: list[TableRow]


@dataclass(slots=True)
class CodeBlock(Block):
    info: str
    text: str
    fence: str


@dataclass(slots=True)
class BlockQuote(Block):
    children: list[Block]


@dataclass(slots=True)
class HtmlBlock(Block):
    text: str


@dataclass(slots=True)
class Comment(Block):
    """An HTML comment; ``text`` is what is between ``<!--`` and ``-->``, trimmed."""

    text: str


@dataclass(slots=True)
class ThematicBreak(Block):
    pass


@dataclass(slots=True)
class Section:
    """A heading and what follows it up to the next heading of the same or a higher level.

    The root section has level 0 and an empty heading; it holds what comes before the first
    heading.
    """

    heading: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """This section and every section under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Document:
    """A scanned document. ``front_matter`` is the raw YAML between the ``---`` fences (loading
    it is the caller's business); ``front_matter_lines`` counts the lines it takes, fences
    included. ``body`` is the text after them, which ``blocks`` were read from as ``flavor``."""

    front_matter: str
    front_matter_lines: int
    blocks: list[Block]
    line_count: int
    body: str
    flavor: Flavor

    def sections(self) -> Section:
        return build_sections(self.blocks)


# --- line classification ----------------------------------------------------------------------

_MEDIAWIKI = re.compile(r"^(={1,6})\s*([^=].*?)\s*\1\s*$")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?:([ \t]+)(.*)|$)")
_FENCE = re.compile(r"^(`{3,}|~{3,})[ \t]*(.*)$")
_DELIMITER_ROW = re.compile(r"^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_HTML_OPEN = re.compile(r"^</?([A-Za-z][A-Za-z0-9-]*)(?:[\s/>]|$)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
_HTML_RAW_TAGS = frozenset({"pre", "script", "style", "textarea"})
_BLOCK_TAG_NAMES = (
    "address article aside base basefont blockquote body caption center col colgroup dd "
    "details dialog dir div dl dt fieldset figcaption figure footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hr html iframe "
    "legend li link main menu menuitem nav noframes ol optgroup option p "
    "param search section summary table tbody td tfoot th thead title tr "
    "track ul img br a picture video source sub sup span"
)
_HTML_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_thematic_break(stripped: str) -> bool:
    if len(stripped) < 3 or stripped[0] not in "-*_":
        return False
    char = stripped[0]
    count = 0
    for c in stripped:
        if c == char:
            count += 1
        elif c not in " \t":
            return False
    return count >= 3


def _atx_heading(stripped: str) -> tuple[int, str] | None:
    """``(level, text)`` of ``## Text ##``: one to six ``#``, then a space or nothing; a closing
    run of ``#`` after a space is not part of the text."""
    body = stripped.lstrip("#")
    level = len(stripped) - len(body)
    if level > 6 or (body and body[0] not in " \t"):
        return None
    body = body.lstrip(" \t")
    closing = body.rstrip("#")
    if closing[-1:] in (" ", "\t"):
        body = closing
    return level, body.strip()


def _plain_start(stripped: str) -> bool:
    """True when a line cannot open a block of its own (so it may continue a paragraph)."""
    first = stripped[0]
    return not (first in "#>`~<|-*+=_" or first.isdigit())


def _list_marker(stripped: str) -> tuple[str, int | None, int, str] | None:
    """``(marker, number, width of marker and spaces, rest)`` when the line opens a list item."""
    first = stripped[0]
    if first in "-*+":  # the marker, then spaces or tabs and the rest, or nothing
        after = stripped[1:]
        rest = after.lstrip(" \t")
        spaces = after[: len(after) - len(rest)]
        if after and not spaces:
            return None
        width = 1 + (len(spaces) if 0 < len(spaces) <= 4 and rest else 1)
        return first, None, width, rest
    if first.isdigit():
        match = _ORDERED.match(stripped)
        if match is None:
            return None
        digits, delim, spaces, rest = match.groups()
        spaces = spaces or ""
        rest = rest or ""
        marker = digits + delim
        width = len(marker) + (len(spaces) if 0 < len(spaces) <= 4 and rest else 1)
        return marker, int(digits), width, rest
    return None


def split_cells(row: str) -> list[str]:
    """The cells of a pipe-table row, trimmed, with ``\\|`` unescaped."""
    text = row.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "\\|" not in text:
        return [cell.strip() for cell in text.split("|")]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]


def _alignment(cell: str) -> str | None:
    cell = cell.strip()
    left, right = cell.startswith(":"), cell.endswith(":")
    if left and right:
        return "center"
    if left:
        return "left"
    return "right" if right else None


# --- the scanner ------------------------------------------------------------------------------


class _Scanner:
    """Reads a list of lines (already freed of any container indentation) into blocks."""

    __slots__ = ("blocks", "first_line", "flavor", "lines", "para")

    def __init__(self, lines: list[str], first_line: int, flavor: Flavor) -> None:
        self.lines = lines
        self.first_line = first_line
        self.flavor = flavor
        self.blocks: list[Block] = []
        self.para: list[str] = []

    def run(self) -> list[Block]:
        lines = self.lines
        n = len(lines)
        i = 0
        while i < n:
            i = self._step(i, n)
        self._flush(n)
        return self.blocks

    def _lineno(self, index: int) -> int:
        return self.first_line + index

    def _flush(self, index: int) -> None:
        """Close the open paragraph, which ended just before line ``index``."""
        if self.para:
            start = index - len(self.para)
            self.blocks.append(Paragraph(self._lineno(start), self._lineno(index - 1), self.para))
            self.para = []

    def _step(self, i: int, n: int) -> int:
        line = self.lines[i]
        stripped = line.strip()
        if not stripped:
            self._flush(i)
            return i + 1
        indent = _indent(line)
        if indent >= 4 and not self.para:
            return self._indented_code(i, n)
        first = stripped[0]
        if self.para and self._continues_paragraph(stripped, first, i, n):
            self.para.append(stripped)
            return i + 1
        handled = self._block_start(i, n, stripped, first, indent)
        if handled is not None:
            return handled
        if "|" in stripped and i + 1 < n and _DELIMITER_ROW.match(self.lines[i + 1].strip()):
            self._flush(i)
            return self._table(i, n)
        if self.para and first in "=-" and _SETEXT.match(stripped):
            return self._setext(i, 1)
        self.para.append(stripped)
        return i + 1

    def _continues_paragraph(self, stripped: str, first: str, i: int, n: int) -> bool:
        """Inside a paragraph, only a line that opens another block interrupts it."""
        if first in "#>`~=<-*+_|" or first.isdigit():
            return False
        return not ("|" in stripped and i + 1 < n and "-" in self.lines[i + 1])

    def _block_start(self, i: int, n: int, stripped: str, first: str, indent: int) -> int | None:
        if first.isalpha():
            return None  # most lines: no block starts with a letter
        if first == "#":
            if self.flavor == "mediawiki":
                return self._list(i, n)
            atx = _atx_heading(stripped)
            if atx is not None:
                self._flush(i)
                lineno = self._lineno(i)
                self.blocks.append(Heading(lineno, lineno, *atx))
                return i + 1
            return None
        if first == "=":
            match = _MEDIAWIKI.match(stripped)
            if match:
                self._flush(i)
                lineno = self._lineno(i)
                self.blocks.append(Heading(lineno, lineno, len(match.group(1)), match.group(2)))
                return i + 1
            return None
        if first in "`~":
            match = _FENCE.match(stripped)
            if match and not (first == "`" and "`" in match.group(2)):
                self._flush(i)
                return self._fence(i, n, match.group(1), match.group(2).strip(), indent)
            return None
        if first == ">":
            self._flush(i)
            return self._quote(i, n)
        if first == "<":
            return self._html(i, n, stripped)
        if first in "-*_" and _is_thematic_break(stripped):
            if self.para and first == "-" and _SETEXT.match(stripped):
                return self._setext(i, 2)
            self._flush(i)
            lineno = self._lineno(i)
            self.blocks.append(ThematicBreak(lineno, lineno))
            return i + 1
        if first in "-*+" or first.isdigit():
            marker = _list_marker(stripped)
            if marker is None:
                return None
            if self.para and (marker[1] not in (None, 1) or not marker[3]):
                return None  # only "1." or a non-empty bullet may interrupt a paragraph
            return self._list(i, n)
        return None

    def _setext(self, i: int, level: int) -> int:
        text = "\n".join(self.para)
        start = i - len(self.para)
        self.para = []
        self.blocks.append(Heading(self._lineno(start), self._lineno(i), level, text))
        return i + 1

    def _indented_code(self, i: int, n: int) -> int:
        start = i
        body: list[str] = []
        while i < n and (not self.lines[i].strip() or _indent(self.lines[i]) >= 4):
            body.append(self.lines[i][4:])
            i += 1
        while body and not body[-1].strip():
            body.pop()
            i -= 1
        self.blocks.append(
            CodeBlock(self._lineno(start), self._lineno(i - 1), "", "\n".join(body), "")
        )
        return i

    def _fence(self, i: int, n: int, fence: str, info: str, indent: int) -> int:
        start = i
        char = fence[0]
        body: list[str] = []
        i += 1
        while i < n:
            stripped = self.lines[i].strip()
            if stripped.startswith(fence) and not stripped.strip(char):
                break
            line = self.lines[i]
            body.append(line[min(indent, _indent(line)) :])
            i += 1
        end = min(i, n - 1)
        self.blocks.append(
            CodeBlock(self._lineno(start), self._lineno(end), info, "\n".join(body), fence)
        )
        return i + 1

    def _quote(self, i: int, n: int) -> int:
        start = i
        inner: list[str] = []
        while i < n:
            stripped = self.lines[i].strip()
            if stripped.startswith(">"):
                rest = stripped[1:]
                inner.append(rest[1:] if rest.startswith(" ") else rest)
            elif stripped and inner and inner[-1].strip() and _plain_start(stripped):
                inner.append(stripped)  # lazy continuation of a quoted paragraph
            else:
                break
            i += 1
        children = _Scanner(inner, self._lineno(start), self.flavor).run()
        self.blocks.append(BlockQuote(self._lineno(start), self._lineno(i - 1), children))
        return i

    def _html(self, i: int, n: int, stripped: str) -> int | None:
        if stripped.startswith("<!--"):
            self._flush(i)
            return self._comment(i, n)
        match = _HTML_OPEN.match(stripped)
        if match is None:
            return None
        tag = match.group(1).lower()
        if tag in _HTML_RAW_TAGS:
            self._flush(i)
            return self._html_until(i, n, f"</{tag}>")
        if tag not in _HTML_BLOCK_TAGS or self.para:
            return None
        start = i
        while i < n and self.lines[i].strip():
            i += 1
        text = "\n".join(line.strip() for line in self.lines[start:i])
        self.blocks.append(HtmlBlock(self._lineno(start), self._lineno(i - 1), text))
        return i

    def _html_until(self, i: int, n: int, closing: str) -> int:
        start = i
        while i < n and closing not in self.lines[i].lower():
            i += 1
        end = min(i, n - 1)
        text = "\n".join(self.lines[start : end + 1])
        if self.flavor == "mediawiki" and closing == "</pre>":
            # MediaWiki documents put their metadata ("Title: ...") in a <pre> block.
            inner = [line.strip() for line in self.lines[start + 1 : end] if line.strip()]
            self.blocks.append(Paragraph(self._lineno(start), self._lineno(end), inner))
        else:
            self.blocks.append(HtmlBlock(self._lineno(start), self._lineno(end), text))
        return end + 1

    def _comment(self, i: int, n: int) -> int:
        start = i
        while i < n and "-->" not in self.lines[i]:
            i += 1
        end = min(i, n - 1)
        raw = "\n".join(self.lines[start : end + 1]).strip()
        body = raw[4:]
        close = body.find("-->")
        text = body[:close] if close >= 0 else body
        self.blocks.append(Comment(self._lineno(start), self._lineno(end), text.strip()))
        tail = body[close + 3 :].strip() if close >= 0 else ""
        if tail:
            self.para.append(tail)
        return end + 1

    def _table(self, i: int, n: int) -> int:
        start = i
        header = split_cells(self.lines[i])
        align = [_alignment(cell) for cell in split_cells(self.lines[i + 1])]
        rows: list[TableRow] = []
        i += 2
        while i < n:
            stripped = self.lines[i].strip()
            if not stripped or ("|" not in stripped and self._block_start_peek(stripped, i, n)):
                break
            rows.append(TableRow(self._lineno(i), split_cells(stripped)))
            i += 1
        self.blocks.append(Table(self._lineno(start), self._lineno(i - 1), header, align, rows))
        return i

    def _block_start_peek(self, stripped: str, i: int, n: int) -> bool:
        first = stripped[0]
        if first in "#>`~<" or _is_thematic_break(stripped):
            return True
        return (first in "-*+" or first.isdigit()) and _list_marker(stripped) is not None

    def _list(self, i: int, n: int) -> int:
        """A run of items with the same kind of marker, each with its nested lines."""
        self._flush(i)
        lines = self.lines
        start = i
        items: list[ListItem] = []
        ordered: bool | None = None
        while i < n:
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                break
            marker = self._item_marker(stripped)
            if marker is None:
                break
            is_ordered = marker[1] is not None
            if ordered is None:
                ordered = is_ordered
            elif ordered != is_ordered:
                break
            item, i = self._item(i, n, marker)
            items.append(item)
            # A blank line between items keeps the list going when an item follows.
            j = i
            while j < n and not lines[j].strip():
                j += 1
            if j > i and j < n and _indent(lines[j]) < 4:
                next_marker = self._item_marker(lines[j].strip())
                if next_marker is not None and (next_marker[1] is not None) == ordered:
                    i = j
        if not items:  # not a list after all: keep the line as text
            self.para.append(self.lines[start].strip())
            return start + 1
        self.blocks.append(ListBlock(self._lineno(start), items[-1].end_line, bool(ordered), items))
        return i

    def _item_marker(self, stripped: str) -> tuple[str, int | None, int, str] | None:
        if self.flavor == "mediawiki" and stripped[0] in "#*":
            depth = len(stripped) - len(stripped.lstrip(stripped[0]))
            rest = stripped[depth:].strip()
            number = 1 if stripped[0] == "#" else None
            return stripped[:depth], number, depth, rest
        if stripped[0] not in "-*+" and not stripped[0].isdigit():
            return None
        if _is_thematic_break(stripped):
            return None
        return _list_marker(stripped)

    def _item(
        self, i: int, n: int, marker: tuple[str, int | None, int, str]
    ) -> tuple[ListItem, int]:
        lines = self.lines
        line = lines[i]
        indent = _indent(line)
        symbol, number, width, rest = marker
        content_col = indent + width
        start = i
        inner = [rest]
        i += 1
        blank_run = 0
        while i < n:
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                blank_run += 1
                i += 1
                continue
            line_indent = _indent(line)
            if line_indent >= content_col:
                inner.extend([""] * blank_run)
                inner.append(line[content_col:])
            elif blank_run:
                break
            elif self._lazy(stripped, line_indent, indent, inner):
                inner.append(stripped)
            else:
                break
            blank_run = 0
            i += 1
        end = i - blank_run
        checked: bool | None = None
        task = _TASK.match(inner[0]) if inner[0].startswith("[") else None
        if task:
            checked = task.group(1) != " "
            inner[0] = inner[0][task.end() :]
        only = inner[0].strip() if len(inner) == 1 and _indent(inner[0]) < 4 else ""
        children: list[Block]
        if only and _plain_start(only):
            # Most items are one line of text: what a scanner would make of it, faster.
            text, children = only, []
        else:
            text, children = self._item_content(inner, start)
        item = ListItem(
            self._lineno(start), self._lineno(end - 1), symbol, number, checked, text, children
        )
        return item, end

    def _item_content(self, inner: list[str], start: int) -> tuple[str, list[Block]]:
        """The text of an item's first paragraph, and the blocks after it."""
        children = _Scanner(inner, self._lineno(start), self.flavor).run()
        head = children[0] if children else None
        if isinstance(head, Paragraph) and head.line == self._lineno(start):
            return head.text, children[1:]
        if isinstance(head, Heading) and inner[0].startswith("#"):
            return inner[0], children[1:]
        return "", children

    def _lazy(self, stripped: str, line_indent: int, item_indent: int, inner: list[str]) -> bool:
        """A less indented line continues the item's paragraph unless it opens a block."""
        if not inner[-1].strip():
            return False
        if self._item_marker(stripped) is not None and line_indent <= item_indent + 3:
            return False
        first = stripped[0]
        if first in "#>`~|" or _is_thematic_break(stripped):
            return False
        return not (first == "<" and stripped.startswith("<!--"))


def parse_blocks(text: str, *, first_line: int = 1, flavor: Flavor = "markdown") -> list[Block]:
    """The blocks of a Markdown text; ``first_line`` is the line number of its first line."""
    if "\t" in text:
        text = "\n".join(line.expandtabs(4) for line in text.split("\n"))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return _Scanner(lines, first_line, flavor).run()


def front_matter_extent(text: str) -> tuple[str, int]:
    """The raw YAML front matter of a text and how many lines it takes with its fences;
    ``("", 0)`` when the text has none."""
    if not text.startswith("---"):
        return "", 0
    lines = text.split("\n", 1)
    if lines[0].rstrip() != "---" or len(lines) == 1:
        return "", 0
    rest = lines[1]
    offset = 0
    for number, line in enumerate(rest.split("\n")):
        if line.rstrip() in ("---", "..."):
            return rest[:offset].rstrip("\n"), number + 2
        offset += len(line) + 1
    return "", 0


def parse_document(text: str, *, flavor: Flavor = "markdown") -> Document:
    """Front matter (raw) and blocks of a document; line numbers count the front matter."""
    raw, n_lines = front_matter_extent(text)
    # A document may end right after its closing "---", with no newline: then the body is empty.
    parts = text.split("\n", n_lines) if n_lines else [text]
    body = text if not n_lines else parts[n_lines] if len(parts) > n_lines else ""
    blocks = parse_blocks(body, first_line=n_lines + 1, flavor=flavor)
    return Document(raw, n_lines, blocks, text.count("\n") + 1, body, flavor)


def build_sections(blocks: list[Block]) -> Section:
    """Nest the blocks under their headings; the root holds what precedes the first heading."""
    root = Section("", 0, 1)
    stack = [root]
    for block in blocks:
        if isinstance(block, Heading):
            while stack[-1].level >= block.level:
                stack.pop()
            section = Section(block.text, block.level, block.line)
            stack[-1].children.append(section)
            stack.append(section)
        else:
            stack[-1].blocks.append(block)
    return root


# --- inline helpers ---------------------------------------------------------------------------

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MW_LINK = re.compile(r"\[(https?://\S+)\s+([^\]]+)\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]*|[^>\s@]+@[^>\s@]+)>")
_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EM_STAR = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.DOTALL)
# The "_" first, then what stands before it: the engine can skip to the next "_".
_EM_UNDER = re.compile(r"_(?<![\w_]_)(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])", re.DOTALL)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_MW_BOLD = re.compile(r"'''(.+?)'''")
_MW_ITALIC = re.compile(r"''(.+?)''")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_HIDDEN = re.compile("\x00(\\d+)\x01")
_SPECIAL = re.compile(r"[*_`\[\]<\\!~']")


@lru_cache(maxsize=256)
def plain_text(md: str) -> str:
    """Markdown inline text without its markup: emphasis, links, code spans, tags, escapes.

    Cached: the importer and the linter ask for the same text several times."""
    if not _SPECIAL.search(md):
        return md.strip()
    text = md
    escaped = "\\" in text
    if escaped:  # hide escaped characters from the rules below, put them back at the end
        text = _ESCAPE.sub(lambda m: f"\x00{ord(m.group(1))}\x01", text)
    if "`" in text:
        text = _CODE.sub(lambda m: m.group(2).strip(), text)
    if "[" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
        text = _MW_LINK.sub(r"\2", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _BR.sub("\n", text)
        text = _TAG.sub("", text)
    if "''" in text:
        text = _MW_BOLD.sub(r"\1", text)
        text = _MW_ITALIC.sub(r"\1", text)
    if "~~" in text:
        text = _STRIKE.sub(r"\1", text)
    for _ in range(2):  # each only where its mark is left
        if "**" in text or "__" in text:
            text = _STRONG.sub(r"\2", text)
        if "*" in text:
            text = _EM_STAR.sub(r"\1", text)
        if "_" in text:
            text = _EM_UNDER.sub(r"\1", text)
    if escaped:
        text = _HIDDEN.sub(lambda m: chr(int(m.group(1))), text)
    return text.strip()


@dataclass(slots=True, frozen=True)
class Label:
    """A ``Label: value`` line. ``bold`` when the label was emphasised, ``colon`` when a colon
    followed it; ``value`` is the Markdown after it (maybe empty)."""

    name: str
    value: str
    bold: bool
    colon: bool


_BOLD_LABEL = re.compile(
    r"^(\*\*|__|''')(?P<name>[^*_']+?|(?:(?!\1).)+?)\s*(?P<inner>:?)\s*\1(?P<outer>\s*:)?\s*(?P<rest>.*)$",
    re.DOTALL,
)
_PLAIN_LABEL = re.compile(
    r"^(?P<name>[A-Za-z(][^:|`*\[\]<>]{0,60}?)\s*:(?:\s+(?P<rest>.*)|$)", re.DOTALL
)


@lru_cache(maxsize=256)
def split_label(line: str) -> Label | None:
    """Read ``**Label:** value``, ``**Label**: value``, ``__Label__: value``, ``**Label**``
    followed by text, or a plain ``Label: value`` at the start of a line. (Cached, as
    :func:`plain_text` is; a :class:`Label` cannot change.)"""
    text = line.strip()
    if not text:
        return None
    if text[0] in "*_'":
        match = _BOLD_LABEL.match(text)
        if match is None:
            return None
        name = match.group("name").strip()
        if not name or name.endswith(("*", "_")):
            return None
        colon = bool(match.group("inner") or match.group("outer"))
        rest = match.group("rest").strip()
        if not colon and rest.startswith(("-", "–", "—")) and not rest.startswith("---"):
            rest = rest.lstrip("-–— ").strip()
        return Label(name, rest, True, colon or name.endswith(("?", ":")))
    if ":" not in text:
        return None
    match = _PLAIN_LABEL.match(text)
    if match is None or "http" in match.group("name"):
        return None
    name = match.group("name").strip()
    if len(name.split()) > 7:
        return None
    return Label(name, (match.group("rest") or "").strip(), False, True)


def may_hold_bold_label(line: str) -> bool:
    """False when :func:`split_label` cannot read a bold label in the line: it starts with
    none of the marks of one."""
    return line.lstrip()[:1] in ("*", "_", "'")


_URL = re.compile(r"https?://[^\s<>()\[\]|]*[^\s<>()\[\].,;:|'\"]")


def links(md: str) -> list[tuple[str, str]]:
    """``(text, url)`` for every link in the text: Markdown links, autolinks and bare URLs."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for match in _LINK.finditer(md):
        url = match.group(2).strip("<>")
        found.append((plain_text(match.group(1)), url))
        seen.add(url)
    for match in _AUTOLINK.finditer(md):
        if match.group(1) not in seen:
            found.append((match.group(1), match.group(1)))
            seen.add(match.group(1))
    for match in _URL.finditer(md):
        if match.group(0) not in seen:
            found.append((match.group(0), match.group(0)))
            seen.add(match.group(0))
    return found
