"""What several rule families share: placeholders and what counts as filled in."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from hindsight.lint.rules._words import words
from hindsight.text.markdown import plain_text

# Words that mark bracketed text as a template's blank: "[Name]", "[Brief description]".
_BLANK_WORDS = words(
    """
    name names title date dates time times link links description describe summary owner
    owners team service services duration role answer action actions impact reason specify
    applicable insert list yyyy mm dd hh x y n number percentage percent start end period
    range consequences cause factor tbd e.g. eg todo placeholder here details detail
    question id severity status value amount count users url channel ticket explanation
    brief level fill add enter example who when what why how metric metrics component system
    systems incident issue specific other factor1 factor2
    """
)

# Each branch starts by testing one character (the lookbehind after the "[", the lookahead for
# the words' first letters): the engine then passes over most positions quickly.
PLACEHOLDER = re.compile(
    r"_\[[^\]\n]+\]_"
    r"|\[(?<![!\\\w]\[)(?!\^)(?P<inner>[^\[\]\n]{1,100})\](?![(\[:])"
    r"|(?=[HYMDTFXLlPS])\b(?:HH:MM(?::SS)?|YYYY-MM-DD(?:[T ]HH:MM)?|MM/DD/YYYY|DD/MM/YYYY"
    r"|TODO|TBD|TBC|FIXME|XXX|[Ll]orem ipsum|P0/P1/P2|SEV-1 \| SEV-2|Draft \| In Review \| Final)\b"
)
_WORD = re.compile(r"[a-z0-9.]+(?:-[a-z0-9.]+)*")
_CODE_SPAN = re.compile(r"`+[^`]*`+")


def placeholders(line: str, references: frozenset[str] = frozenset()) -> Iterator[re.Match[str]]:
    """The template blanks in one line of Markdown. ``references`` are the labels of the
    document's reference-link definitions: ``[label]`` with a definition is a link."""
    if "[" not in line and not any(c.isupper() for c in line):
        return
    if "`" in line:
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    for match in PLACEHOLDER.finditer(line):
        inner = match.group("inner")
        if inner is not None and not _blank_inner(inner, references):
            continue
        yield match


def _blank_inner(inner: str, references: frozenset[str]) -> bool:
    text = inner.strip()
    if not text or text.lower() in references or text in ("x", "X", " "):
        return False
    words = _WORD.findall(text.lower())
    return any(word in _BLANK_WORDS for word in words)


# A cheap test that text may hold a placeholder at all. (Every branch starts with a character,
# not a class: the regex engine then skips quickly to where one of them stands.)
MAYBE_BLANK = re.compile(r"\[|HH|YYYY|MM/|TODO|TBD|TBC|FIXME|XXX|Lorem|lorem|P0/|SEV-1 \||Draft \|")
_ALNUM = re.compile(r"[A-Za-z0-9]")


@lru_cache(maxsize=256)  # rules ask about the same values
def is_blank(text: str | None) -> bool:
    """True when text is empty or holds nothing but placeholders, markup and punctuation."""
    if text is None:
        return True
    if not MAYBE_BLANK.search(text):
        return not _ALNUM.search(text)
    rest = PLACEHOLDER.sub(" ", text)
    rest = plain_text(rest) if rest.strip() else ""
    return not _ALNUM.search(rest)


def filled(values: Iterable[str | None]) -> bool:
    """True when any of the values says something."""
    return any(not is_blank(value) for value in values)


def has_number(text: str) -> bool:
    return bool(re.search(r"\d|\b(?:all|none|no|every|half|most)\b", text, re.IGNORECASE))
