"""Walk the section tree of a document and hand each section to the reader for its meaning.

A section's blocks are first cut into :class:`Unit` s: labelled values (``**Severity:** SEV-2``,
``- Users affected: 1,200``, or a bold label alone on a line followed by a list) and plain
blocks. Labels a section knows are applied wherever they appear; what no rule takes is appended
to the section's text or list field, or kept verbatim as an extra section. Nothing is dropped
except a template's own hints and guidance.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hindsight.layouts.headings import label_key, normalize, section_key
from hindsight.layouts.parse_actions import read_actions
from hindsight.layouts.parse_draft import LIST_FIELDS, Draft, Unit
from hindsight.layouts.parse_labels import (
    CONTENT_LABELS,
    META_LABELS,
    apply_label,
    detection_checkboxes,
    resolve_label,
)
from hindsight.layouts.parse_records import RECORD_READERS
from hindsight.layouts.parse_timeline import merge_details, read_key_timestamps, read_timeline
from hindsight.layouts.parse_values import (
    is_italic_line,
    is_none_marker,
    is_placeholder,
    is_seed_guidance,
)
from hindsight.text.markdown import (
    Block,
    BlockQuote,
    Comment,
    Heading,
    HtmlBlock,
    ListBlock,
    Paragraph,
    Section,
    Table,
    ThematicBreak,
    plain_text,
    split_label,
)
from hindsight.text.times import find_date

# Where the text no rule took goes, for sections whose meaning is one field.
SECTION_FIELDS: dict[str, str] = {
    "summary": "executive_summary",
    "executive_summary": "executive_summary",
    "one_line": "summary",
    "root_cause": "root_cause.description",
    "root_cause.description": "root_cause.description",
    "root_cause.trigger": "root_cause.trigger",
    "root_cause.underlying": "root_cause.underlying",
    "root_cause.systemic_issues": "root_cause.systemic_issues",
    "contributing_factors": "contributing_factors",
    "impact": "impact.user_impact",
    "impact.user_impact": "impact.user_impact",
    "impact.details": "impact.user_impact",
    "impact.business_impact": "impact.business_impact",
    "impact.other": "impact.other",
    "impact.metrics": "impact.other",
    "impact.data": "impact.data.description",
    "impact.external": "impact.external",
    "impact.internal": "impact.internal",
    "detection": "detection.method_detail",
    "detection.method": "detection.method_detail",
    "detection.earlier_detection": "detection.earlier_detection",
    "detection.why_not_caught": "detection.why_not_caught",
    "detection.monitoring_gaps": "detection.monitoring_gaps",
    "went_well": "response.went_well.general",
    "went_well.detection": "response.went_well.detection",
    "went_well.response": "response.went_well.response",
    "went_well.recovery": "response.went_well.recovery",
    "went_poorly": "response.went_poorly.general",
    "went_poorly.detection": "response.went_poorly.detection",
    "went_poorly.response": "response.went_poorly.response",
    "went_poorly.recovery": "response.went_poorly.recovery",
    "lucky": "response.lucky",
    "resolution": "resolution.immediate_fix",
    "resolution.immediate_fix": "resolution.immediate_fix",
    "resolution.permanent_fix": "resolution.permanent_fix",
    "prevention": "prevention.short_term",
    "prevention.short_term": "prevention.short_term",
    "prevention.long_term": "prevention.long_term",
    "lessons": "lessons.learned",
    "lessons.learned": "lessons.learned",
    "lessons.technical": "lessons.technical",
    "lessons.process": "lessons.process",
    "lessons.cultural": "lessons.cultural",
    "lessons.do_differently": "lessons.do_differently",
    "lessons.surprises": "lessons.surprises",
    "lessons.open_questions": "lessons.open_questions",
    "appendix": "appendix.technical_details",
    "appendix.technical_details": "appendix.technical_details",
    "external_communication": "external_communication",
}

# Sections with no field of their own: what no rule takes is kept as an extra section.
CONTAINERS = frozenset(
    {"response", "review", "follow_up", "more_details", "stats", "key_timestamps"}
)

Reader = Callable[[Section, str, list[Unit], Draft], list[Unit]]


# --- units ------------------------------------------------------------------------------------


def split_units(blocks: list[Block], key: str | None, draft: Draft) -> list[Unit]:
    """Cut a section's blocks into labelled values and plain blocks, in document order."""
    units: list[Unit] = []
    open_unit: Unit | None = None
    for block in blocks:
        if isinstance(block, Comment | ThematicBreak):
            continue
        if isinstance(block, Paragraph):
            if draft.layout is not None and is_italic_line(block.text):
                units.extend(_italic_labels(block, key))  # guidance, or a footer of labels
                continue
            if draft.layout is not None and is_seed_guidance(block.text):
                continue
            open_unit = _paragraph_units(block, key, units, open_unit)
        elif isinstance(block, ListBlock):
            open_unit = _list_units(block, key, units, open_unit, draft.layout is not None)
        elif (
            isinstance(block, Table)
            and key in _KEY_VALUE_CONTEXTS
            and (pairs := _key_value_units(block, key)) is not None
        ):
            units.extend(pairs)
            open_unit = None
        elif open_unit is not None:
            open_unit.blocks.append(block)
            open_unit.end_line = block.end_line
        else:
            units.append(Unit(block.line, block.end_line, block=block))
    return units


_KEY_VALUE_CONTEXTS = frozenset(
    {None, "lead", "other", "summary", "impact", "stats", "key_timestamps", "detection"}
)


def _key_value_units(table: Table, key: str | None) -> list[Unit] | None:
    """A table of label/value pairs (``| Authors | serathius@ |``) as labelled units; ``None``
    for an ordinary table."""
    width = len(table.header)
    if width % 2 or width == 0:
        return None
    headless = not any(cell.strip() for cell in table.header)
    rows = [(row.line, row.cells) for row in table.rows]
    if not headless:
        rows.insert(0, (table.line, table.header))
    pairs: list[tuple[int, str, str]] = []
    for line, cells in rows:
        cells = [*cells, *[""] * (width - len(cells))]
        pairs += [(line, cells[i].strip(), cells[i + 1].strip()) for i in range(0, width, 2)]
    named = [(line, name, value) for line, name, value in pairs if name]
    known = [resolve_label(name, key, bold=True) for _, name, _ in named]
    count = sum(k is not None for k in known)
    if not named or (not headless and (count < 2 or count * 3 < len(named))):
        return None
    units: list[Unit] = []
    loose: list[str] = []
    for (line, name, value), found in zip(named, known, strict=True):
        if found is not None:
            units.append(Unit(line, line, label=name, key=found, value=value))
        elif not is_placeholder(value):
            loose.append(f"**{name}:** {value}")
    if loose:
        units.append(
            Unit(table.line, table.end_line, block=Paragraph(table.line, table.end_line, loose))
        )
    return units


def _italic_labels(block: Paragraph, key: str | None) -> list[Unit]:
    """``*Template version: 2.1*`` or ``*Template Version: 1.0 | Last Updated: 2024-03-15*``."""
    units: list[Unit] = []
    for offset, line in enumerate(block.lines):
        inner = line.strip().strip("*_").strip()
        for part in inner.split(" | "):
            found = _accept(part, key)
            if found is None:
                return []
            name, label, value = found
            line_no = block.line + offset
            units.append(Unit(line_no, line_no, label=name, key=label, value=value))
    return units


def _accept(text: str, key: str | None) -> tuple[str, str, str] | None:
    """``(label, label key, value)`` when a line starts with a label this section knows."""
    label = split_label(text)
    if label is None:
        return None
    value = label.value
    if not label.colon and not (
        label.bold and (not value or value.startswith("(") or label.name.endswith("?"))
    ):
        return None
    found = resolve_label(label.name, key, bold=label.bold)
    if found is None:
        return None
    return label.name, found, value


def _opens(unit: Unit) -> bool:
    """A label with no value of its own takes the blocks that follow it."""
    value = unit.value.strip()
    return not value or is_placeholder(value) or (value.startswith("(") and value.endswith(")"))


def _paragraph_units(
    block: Paragraph, key: str | None, units: list[Unit], open_unit: Unit | None
) -> Unit | None:
    current: Unit | None = None
    plain: list[tuple[int, str]] = []
    for offset, line in enumerate(block.lines):
        lineno = block.line + offset
        found = _accept(line, key)
        if found is not None:
            open_unit = _flush_plain(plain, units, open_unit)
            name, label, value = found
            current = Unit(lineno, lineno, label=name, key=label, value=value)
            current.bold = _is_bold(line)
            units.append(current)
            open_unit = current if _opens(current) else None
        elif current is not None and (current.bold or split_label(line) is None):
            # a value of several lines; after a plain "Key: value", another such line is not
            current.value = f"{current.value}\n{line}"
            current.end_line = lineno
            open_unit = None
        elif current is not None:
            current = None
            open_unit = None
            plain.append((lineno, line))
        else:
            plain.append((lineno, line))
    return _flush_plain(plain, units, open_unit)


def _is_bold(line: str) -> bool:
    return line.lstrip().startswith(("**", "__", "'''"))


def _flush_plain(
    plain: list[tuple[int, str]], units: list[Unit], open_unit: Unit | None
) -> Unit | None:
    if not plain:
        return open_unit
    para = Paragraph(plain[0][0], plain[-1][0], [line for _, line in plain])
    plain.clear()
    if open_unit is not None:
        open_unit.blocks.append(para)
        open_unit.end_line = para.end_line
    else:
        units.append(Unit(para.line, para.end_line, block=para))
    return open_unit


def _list_units(
    block: ListBlock, key: str | None, units: list[Unit], open_unit: Unit | None, guidance: bool
) -> Unit | None:
    found = [
        _accept(item.text.split("\n", 1)[0], key) if item.text else None for item in block.items
    ]
    if open_unit is not None and not any(found):
        open_unit.blocks.append(block)
        open_unit.end_line = block.end_line
        return open_unit
    for item, label in zip(block.items, found, strict=True):
        if label is None:
            if not (guidance and is_italic_line(item.text) and not item.children):
                units.append(Unit(item.line, item.end_line, item=item))
            continue
        name, label_key_, value = label
        rest = item.text.split("\n", 1)
        if len(rest) > 1:
            value = f"{value}\n{rest[1]}".strip()
        units.append(
            Unit(
                item.line,
                item.end_line,
                item=item,
                label=name,
                key=label_key_,
                value=value,
                blocks=list(item.children),
            )
        )
    return None


# --- residual content -------------------------------------------------------------------------


def unit_source(unit: Unit, draft: Draft) -> str:
    """The unit as written: for a list item, the item with its marker."""
    if unit.block is not None:
        return draft.block_text(unit.block)
    return draft.source(unit.line, unit.end_line)


def unit_item_text(unit: Unit, draft: Draft) -> str:
    """The unit as one list item's Markdown (no marker)."""
    if unit.item is not None and unit.label is None:
        return draft.item_text(unit.item)
    if unit.block is not None:
        return draft.block_text(unit.block)
    return draft.source(unit.line, unit.end_line)


def residual_text(units: list[Unit], draft: Draft) -> str:
    """The units as written; bullets that were adjacent stay one list."""
    text = ""
    previous: Unit | None = None
    for unit in units:
        part = unit_source(unit, draft).strip()
        if not part or is_placeholder(part):
            continue
        tight = previous is not None and unit.item is not None and previous.item is not None
        separator = "\n" if tight and previous and unit.line == previous.end_line + 1 else "\n\n"
        text = f"{text}{separator}{part}" if text else part
        previous = unit
    return text


def residual_items(units: list[Unit], draft: Draft) -> list[str]:
    items: list[str] = []
    for unit in units:
        if isinstance(unit.block, ListBlock):
            texts = [draft.item_text(item) for item in unit.block.items]
        else:
            texts = [unit_item_text(unit, draft)]
        for text in texts:
            text = text.strip()
            if text and not is_placeholder(text) and not is_none_marker(text):
                items.append(text)
    return items


def store_residual(key: str, sec: Section, units: list[Unit], draft: Draft) -> None:
    """Put what no rule took into the section's field, or keep it as an extra section."""
    if not units:
        return
    path = SECTION_FIELDS.get(key)
    if path is None:
        keep_extra(sec, residual_text(units, draft), draft)
    elif path in LIST_FIELDS:
        draft.add_items(path, residual_items(units, draft))
    elif len(units) == 1 and units[0].item is not None and units[0].label is None:
        draft.add_text(path, draft.item_text(units[0].item))  # one bullet holding the text
    else:
        draft.add_text(path, residual_text(units, draft))


def keep_extra(
    sec: Section, body: str, draft: Draft, heading: str | None = None, *, empty: bool = False
) -> None:
    """Keep a section no field holds as it was written: heading, level and body."""
    body = body.strip("\n")
    if not body.strip() and not empty:
        return
    title = heading or sec.heading.strip() or "Notes"
    draft.extra.append({"heading": title, "body": body, "level": _level(sec)})


def _level(sec: Section) -> int:
    return min(max(sec.level, 1), 6)


# --- the walk ---------------------------------------------------------------------------------

_GENERIC_TITLE = re.compile(
    r"^(?:blameless |incident |security |the )?(?:post ?mortem|post mortem|incident postmortem"
    r"|incident report|incident review|incident)(?: template| report)?$"
    r"|^(?:incident )?title\b|^issue name$|.*\btemplate$"
)
_TITLE_PREFIX = re.compile(
    r"^(?:(?:incident|security|blameless)\s+)?(?:post[\s-]?mortem|incident\s+report|incident\s+review"
    r"|post[\s-]?incident\s+review|pir|retrospective|rca|incident)\s*[:\-–—]\s*",
    re.IGNORECASE,
)
_TITLE_ON_DATE = re.compile(
    r"^incident\s+on\s+(?P<date>\d{4}-\d{2}-\d{2})(?:\s+\d{1,2}[:.]\d{2})?\s*(?:[-–—:]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_TITLE_DATE_TAIL = re.compile(
    r"\s+[-–—]\s+(?P<date>[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})$"
)


def clean_title(heading: str, draft: Draft) -> str | None:
    """The meaningful part of a title heading; a date in it becomes the incident's date."""
    text = plain_text(heading).strip()
    if is_placeholder(text) or _GENERIC_TITLE.match(normalize(text)):
        return None
    on_date = _TITLE_ON_DATE.match(text)
    if on_date:
        draft.set_date(find_date(on_date.group("date")), fill=True)
        return (on_date.group("rest") or "").strip() or text
    tail = _TITLE_DATE_TAIL.search(text)
    if tail:
        draft.set_date(find_date(tail.group("date")), fill=True)
        text = text[: tail.start()].strip()
    stripped = _TITLE_PREFIX.sub("", text).strip()
    if stripped and not is_placeholder(stripped):
        return stripped
    return None if is_placeholder(stripped) else text


def read_body(root: Section, draft: Draft) -> None:
    """Read every section of the document into the draft."""
    read_lead(root.blocks, draft)
    h1s = [sec for sec in root.children if sec.level == 1]
    titled = False
    for sec in root.children:
        key = section_key(sec.heading)
        if sec.level == 1 and key is None and not titled:
            if _template_wrapper(sec, h1s):
                continue
            titled = True
            title = clean_title(sec.heading, draft)
            stated = draft.get("title")
            same = bool(stated) and plain_text(sec.heading).strip().endswith(str(stated))
            if title and not same and "title" not in draft.body_set:
                draft.set("title", title)
            read_lead(sec.blocks, draft)
            for child in sec.children:
                read_section(child, None, draft)
        else:
            read_section(sec, None, draft)


def _template_wrapper(sec: Section, h1s: list[Section]) -> bool:
    """A "Post-Mortem Template" preamble heading followed by the real document's title."""
    return "template" in normalize(sec.heading) and sec is not h1s[-1]


def read_lead(blocks: list[Block], draft: Draft) -> None:
    """What comes before the first section: labels, then a short summary."""
    units = split_units(blocks, "lead", draft)
    rest = [unit for unit in units if not (unit.key and apply_label(unit, "lead", draft))]
    rest = [unit for unit in rest if not _is_boilerplate(unit)]
    if rest:
        draft.add_text("summary", residual_text(rest, draft))


def _is_boilerplate(unit: Unit) -> bool:
    block = unit.block
    if isinstance(block, HtmlBlock | Heading):
        return False
    if isinstance(block, BlockQuote) and block.children:
        first = block.children[0]
        return isinstance(first, Paragraph) and first.text.lower().startswith(
            ("template from", "sample template")
        )
    return False


def read_section(sec: Section, parent: str | None, draft: Draft) -> None:
    key = section_key(sec.heading, parent)
    if key == "guidance":
        return
    if key is None:
        _read_unknown(sec, parent, draft)
        return
    units = split_units(sec.blocks, key, draft)
    draft.parent = parent
    reader = READERS.get(key, read_plain)
    rest = reader(sec, key, units, draft)
    rest = [unit for unit in rest if not (unit.key and apply_label(unit, key, draft))]
    if key in CONTAINERS or key in SECTION_FIELDS:
        store_residual(key, sec, rest, draft)
    elif rest:
        keep_extra(sec, residual_text(rest, draft), draft)
    for child in sec.children:
        read_section(child, key, draft)


def read_plain(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    """Sections whose content is one field: labels first, checkboxes, then the rest."""
    if key in ("detection", "detection.method"):
        units = detection_checkboxes(units, draft)
    return units


def _read_unknown(sec: Section, parent: str | None, draft: Draft) -> None:
    path = SECTION_FIELDS.get(parent) if parent else None
    if path is not None and path not in LIST_FIELDS:
        # A sub-heading of a prose section: keep it, heading and all, in that text.
        body = draft.source(sec.line, section_end(sec))
        draft.add_text(path, body)
        return
    heading_label = label_key(sec.heading)
    if heading_label in CONTENT_LABELS or heading_label in META_LABELS:
        value = "\n".join(
            plain_text(draft.block_text(b)) for b in sec.blocks if not isinstance(b, Comment)
        )
        unit = Unit(sec.line, section_end(sec), label=sec.heading, key=heading_label, value=value)
        if apply_label(unit, parent or "heading", draft):
            for child in sec.children:
                read_section(child, parent, draft)
            return
    if not draft.rendered:
        _meta_labels(sec.blocks, draft)
    own = [block for block in sec.blocks if not isinstance(block, Comment)]
    body = draft.source(own[0].line, max(b.end_line for b in own)) if own else ""
    keep_extra(sec, body, draft, empty=True)
    for child in sec.children:
        read_section(child, None, draft)


def _meta_labels(blocks: list[Block], draft: Draft) -> None:
    """Identity labels in bold (id, date, severity...) count even in a section nobody
    recognises; plain ones there are too often something else (a commit's "Date:")."""
    for unit in split_units(blocks, None, draft):
        if unit.key in META_LABELS and _bold(unit, draft):
            apply_label(unit, "other", draft)


def _bold(unit: Unit, draft: Draft) -> bool:
    line = draft.lines[unit.line - 1].lstrip(" -*+0123456789.)")
    return line.startswith(("**", "__"))


def _known(sec: Section, parent: str | None) -> bool:
    key = section_key(sec.heading, parent)
    return key is not None or any(_known(child, key) for child in sec.children)


def section_end(sec: Section) -> int:
    end = sec.line
    for block in sec.blocks:
        end = max(end, block.end_line)
    for child in sec.children:
        end = max(end, section_end(child))
    return end


def _read_timeline(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    if key == "timeline.details":
        return merge_details(units, draft)
    return read_timeline(sec, units, draft, parent=draft.parent)


def _read_key_timestamps(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    return read_key_timestamps(units, draft)


def _read_actions(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    return read_actions(sec, key, units, draft)


READERS: dict[str, Reader] = {
    "timeline": _read_timeline,
    "timeline.details": _read_timeline,
    "actions.details": _read_actions,
    "key_timestamps": _read_key_timestamps,
    "action_items": _read_actions,
    **{
        f"actions.{name}": _read_actions
        for name in (
            "prevent",
            "detect",
            "mitigate",
            "respond",
            "recover",
            "process",
            "other",
            "categories",
        )
    },
    **RECORD_READERS,
}
