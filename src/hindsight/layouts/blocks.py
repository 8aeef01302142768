"""The Markdown pieces layouts are made of: hints, table cells and tables, lists, links, code
blocks, labelled values, dates and times.

Each writes one convention of ``docs/layouts.md`` (the parser reads them back): a hint is
``_[text]_``; a table cell escapes ``|`` and writes line breaks as ``<br>``; an instant is
``2024-03-12 14:02 UTC``; a link is ``[label](url)``. Every function here is available to layout
templates by name (:data:`HELPERS`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence

from hindsight.layouts.registry import LINK_LABELS
from hindsight.model import Link, LinkKind, RelatedIncident, Snippet
from hindsight.text.durations import format_duration


def hint(text: str) -> str:
    """A placeholder for an empty field, in italics and brackets: ``_[Who was affected]_``."""
    return f"_[{text}]_"


def date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def instant(value: dt.datetime | None) -> str:
    """``2024-03-12 14:02 UTC`` (seconds only when not zero); ``""`` for ``None``."""
    if value is None:
        return ""
    return f"{value.date().isoformat()} {clock(value, short=True)} UTC"


def clock(value: dt.datetime, *, short: bool) -> str:
    """A table time: ``14:02`` when ``short``, else ``2024-03-12 14:02``; seconds when not 0."""
    text = f"{value.hour:02d}:{value.minute:02d}"
    if value.second:
        text += f":{value.second:02d}"
    return text if short else f"{value.date().isoformat()} {text}"


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def cell(value: object) -> str:
    """A table cell: ``|`` escaped, line breaks as ``<br>``, ``None`` as empty."""
    if value is None:
        return ""
    text = str(value).strip()
    if "|" not in text and "\n" not in text:
        return text
    return text.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def indent(text: str, width: int) -> str:
    """Continuation lines of a list item, indented under its text (blank lines left blank)."""
    pad = " " * width
    return "\n".join(
        line if not index or not line.strip() else pad + line
        for index, line in enumerate(text.splitlines())
    )


def item(marker: str, text: str) -> str:
    """One list item; ``marker`` is ``-``, ``1.``, ``- [ ]`` and the like."""
    return f"{marker} {indent(text, len(marker) + 1)}"


def bullets(values: Iterable[str], empty: str | None = None, *, marker: str = "-") -> str:
    """A bullet list, or one bullet holding the ``empty`` hint."""
    lines = [item(marker, value) for value in values]
    if not lines and empty is not None:
        lines = [f"{marker} {hint(empty)}"]
    return "\n".join(lines)


def numbered(values: Iterable[str], empty: str | None = None) -> str:
    """A numbered list ``1. ``, or one numbered item holding the ``empty`` hint."""
    lines = [item(f"{number}.", value) for number, value in enumerate(values, 1)]
    if not lines and empty is not None:
        lines = [f"1. {hint(empty)}"]
    return "\n".join(lines)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    placeholder: Sequence[Sequence[object]] = (),
    *,
    align: str = "",
) -> str:
    """A pipe table. When there are no ``rows``, the ``placeholder`` rows stand in, each
    non-empty cell shown as a hint unless it is a checkbox (``[ ] TODO``). ``align=":"`` writes
    the ``|:-----|`` delimiter row some layouts use."""
    body = [list(row) for row in rows] or [
        [text if not text or str(text).startswith("[") else hint(str(text)) for text in row]
        for row in placeholder
    ]
    delimiter = "|".join(align + "-" * (len(h) + 2 - len(align)) for h in headers)
    lines = [_row(headers), f"|{delimiter}|"]
    lines += [_row([cell(value) for value in row]) for row in body]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "|" + "|".join(f" {text} " if text else " " for text in cells) + "|"


def link(value: Link) -> str:
    """``[label](url)``, or the label alone when there is no address."""
    return link_text(value.label, value.url)


def link_text(label: str, url: str | None) -> str:
    if not url:
        return label
    if re.search(r"[\s()<>]", url):
        url = f"<{url}>"
    return f"[{label}]({url})"


def link_item(value: Link) -> str:
    """A generic link bullet's text: ``**Dashboard:** [label](url)``, no prefix for ``other``."""
    if value.kind is LinkKind.OTHER:
        return link(value)
    return f"**{LINK_LABELS[value.kind]}:** {link(value)}"


def related_item(value: RelatedIncident) -> str:
    """``INC-1 - how it relates``, the reference a link when it has one."""
    ref = link_text(value.ref, value.link)
    return f"{ref} - {value.relationship}" if value.relationship else ref


def snippet(value: Snippet) -> str:
    """A fenced block, its caption as a paragraph just above it."""
    longest = max((len(run) for run in re.findall(r"`{3,}", value.content)), default=2)
    fence = "`" * (longest + 1)
    block = f"{fence}{value.language or ''}\n{value.content}\n{fence}"
    return f"{value.caption}\n\n{block}" if value.caption else block


def snippets(values: Iterable[Snippet], empty: str | None = None) -> str:
    text = "\n\n".join(snippet(value) for value in values)
    return text or (hint(empty) if empty is not None else "")


def labelled(label: str, value: str, *, style: str = "in") -> str:
    """``**Label:** value`` (``style="in"``) or ``**Label**: value`` (``"out"``)."""
    head = f"**{label}:**" if style == "in" else f"**{label}**:"
    if not value or value.startswith("\n"):
        return head + value
    return f"{head} {value}"


def field(label: str, value: object, empty: str, *, style: str = "in", marker: str = "") -> str:
    """A labelled value, the ``empty`` hint when it has none; a list value becomes a nested
    bullet list; with a ``marker`` the whole is a list item (``- **Label:** value``)."""
    if isinstance(value, list):
        text = "\n" + bullets(value) if value else ""
    else:
        text = str(value) if value else ""
    line = labelled(label, text or hint(empty), style=style)
    return item(marker, line) if marker else line


HELPERS: dict[str, Callable[..., str]] = {
    "field": field,
    "hint": hint,
    "date": date,
    "instant": instant,
    "yes_no": yes_no,
    "cell": cell,
    "indent": indent,
    "item": item,
    "bullets": bullets,
    "numbered": numbered,
    "table": table,
    "link": link,
    "link_item": link_item,
    "related_item": related_item,
    "snippet": snippet,
    "snippets": snippets,
    "labelled": labelled,
    "duration": format_duration,
}
"""Functions every layout template can call."""
