"""Completeness rules (C2xx): required sections present and filled, no template blanks left."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from hindsight.lint.document import HeadingInfo, LintDocument, kind_of
from hindsight.lint.engine import Hit, rule
from hindsight.lint.rules._common import (
    MAYBE_BLANK,
    filled,
    has_number,
    is_blank,
    placeholders,
)
from hindsight.model import Postmortem
from hindsight.text.markdown import (
    Block,
    BlockQuote,
    CodeBlock,
    Comment,
    HtmlBlock,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    may_hold_bold_label,
    split_label,
)

SECTION_TITLES = {
    "summary": "summary",
    "impact": "impact",
    "timeline": "timeline",
    "root_cause": "root cause",
    "contributing_factors": "contributing factors",
    "five_whys": "five whys",
    "detection": "detection",
    "resolution": "resolution",
    "action_items": "action items",
    "lessons": "lessons learned",
    "went_well": "what went well",
    "went_poorly": "what went wrong",
    "signoffs": "sign-off",
}


def _impact_texts(pm: Postmortem) -> list[str | None]:
    impact = pm.impact
    metrics = impact.metrics
    return [
        impact.users_affected,
        impact.requests_failed,
        impact.revenue,
        impact.sla.detail,
        impact.user_impact,
        impact.business_impact,
        impact.other,
        impact.data.description,
        metrics.traffic,
        metrics.error_rate,
        metrics.latency,
        metrics.downtime,
        *impact.features,
        *impact.external,
        *impact.internal,
    ]


def _root_cause_texts(pm: Postmortem) -> list[str | None]:
    rc = pm.root_cause
    return [rc.description, rc.trigger, rc.underlying, *rc.systemic_issues]


def _factor_texts(pm: Postmortem) -> list[str | None]:
    return [*pm.contributing_factors, pm.root_cause.underlying, *pm.root_cause.systemic_issues]


def _lesson_texts(pm: Postmortem) -> list[str | None]:
    lessons = pm.lessons
    return [
        *lessons.learned,
        *lessons.technical,
        *lessons.process,
        *lessons.cultural,
        *lessons.do_differently,
        *lessons.surprises,
    ]


HAS_CONTENT: dict[str, Callable[[Postmortem], bool]] = {
    "summary": lambda pm: filled([pm.summary, pm.executive_summary]),
    "impact": lambda pm: filled(_impact_texts(pm)),
    "timeline": lambda pm: bool(pm.timeline),
    "root_cause": lambda pm: filled(_root_cause_texts(pm)) or _whys(pm) > 0,
    "contributing_factors": lambda pm: filled(_factor_texts(pm)),
    "five_whys": lambda pm: _whys(pm) > 0,
    "detection": lambda pm: (
        pm.detection.method is not None
        or filled([pm.detection.method_detail, pm.detection.gap, *pm.detection.why_not_caught])
    ),
    "resolution": lambda pm: filled([pm.resolution.immediate_fix, pm.resolution.permanent_fix]),
    "action_items": lambda pm: any(not is_blank(item.action) for item in pm.action_items),
    "lessons": lambda pm: filled(_lesson_texts(pm)),
    "went_well": lambda pm: filled(pm.response.went_well.all()),
    "went_poorly": lambda pm: filled(pm.response.went_poorly.all()),
    "signoffs": lambda pm: any(s.name and not is_blank(s.name) for s in pm.signoffs),
}


def _whys(pm: Postmortem) -> int:
    return sum(1 for why in pm.five_whys if not is_blank(why.answer))


# --- what is in a section ---------------------------------------------------------------------


def _block_has_content(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return any(_line_has_content(line) for line in block.lines)
    if isinstance(block, ListBlock):
        return any(_item_has_content(item) for item in block.items)
    if isinstance(block, CodeBlock):
        return bool(block.text.strip())
    if isinstance(block, HtmlBlock):
        return "<img" in block.text.lower() or bool(re.sub(r"<[^>]*>", "", block.text).strip())
    if isinstance(block, Table):
        return any(not is_blank(cell) for row in block.rows for cell in row.cells)
    if isinstance(block, BlockQuote):
        return any(_block_has_content(child) for child in block.children)
    return False


def _item_has_content(item: ListItem) -> bool:
    return _line_has_content(item.text) or any(_block_has_content(c) for c in item.children)


def _line_has_content(line: str) -> bool:
    label = split_label(line) if may_hold_bold_label(line) else None
    value = label.value if label is not None and label.bold else line
    return not is_blank(value)


def section_has_content(doc: LintDocument, heading: HeadingInfo) -> bool:
    """Whether anything but sub-headings, comments and blanks lies under a heading."""
    lines = doc.memo("content-lines", lambda: _content_lines(doc))
    index = bisect.bisect_right(lines, heading.line)
    return index < len(lines) and lines[index] <= heading.end


def _content_lines(doc: LintDocument) -> list[int]:
    """The first lines of the top-level blocks that have content, in order."""
    return [block.line for block in doc.parsed.blocks if _block_has_content(block)]


def _model_has(doc: LintDocument, kind: str) -> bool | None:
    pm = doc.postmortem
    check = HAS_CONTENT.get(kind)
    if pm is None or check is None:
        return None
    return check(pm)


def _has(doc: LintDocument, kind: str) -> bool:
    """Whether the document has content for a section kind, by the model or by its headings."""
    known = _model_has(doc, kind)
    if known is not None:
        return known
    return any(section_has_content(doc, h) for h in doc.sections(kind))


def _missing_required(doc: LintDocument) -> list[str]:
    required = doc.config.required_for(doc.layout)
    return doc.memo("missing", lambda: [kind for kind in required if not _has(doc, kind)])


# --- rules ------------------------------------------------------------------------------------


@rule(
    "C201",
    "missing-section",
    "error",
    summary="A required section is missing or has nothing in it.",
    explanation=(
        "A postmortem that leaves out its summary, impact, timeline or action items cannot be "
        "reviewed or learned from. The required sections are configurable per layout "
        "(`required-sections`); by default: summary, impact, timeline and action items. Root "
        "cause and contributing factors have rules of their own (C205, C206)."
    ),
    bad="# Disk full on db-1\n\n## Summary\n\nThe disk filled up.\n",
    good="# Disk full on db-1\n\n## Summary\n\nThe primary's disk filled up and writes failed.\n\n"
    "## Impact\n\n2,300 checkout requests failed over 14 minutes.\n\n## Timeline\n\n"
    "- 2024-03-02 10:02 UTC - Disk usage alert fired\n- 2024-03-02 10:16 UTC - Old WAL files "
    "removed; writes recovered\n\n## Action items\n\n| Action | Owner | Priority | Due |\n"
    "|---|---|---|---|\n| Alert at 80% disk on db hosts | Ana | P1 | 2024-03-20 |\n",
)
def missing_section(doc: LintDocument) -> Iterator[Hit]:
    for kind in _missing_required(doc):
        title = SECTION_TITLES.get(kind, kind)
        found = doc.sections(kind)
        if found:
            yield Hit(found[0].line, 1, found[0].text, f"the {title} section is empty", None)
        else:
            yield Hit(1, 1, "", f"required section missing: {title}", f"add a '{title}' section")


@rule(
    "C202",
    "empty-section",
    "warning",
    summary="A section heading with nothing under it.",
    explanation=(
        "An empty section is a question the postmortem did not answer. Fill it in, or delete "
        "the heading if the section does not apply. Required sections that are empty are "
        "reported by C201 instead."
    ),
    bad="## Where we got lucky\n\n## Action items\n\n- Alert at 80% disk (Ana, P1, 2024-03-20)\n",
    good="## Where we got lucky\n\nThe disk filled on a Sunday, when traffic is lowest.\n",
)
def empty_section(doc: LintDocument) -> Iterator[Hit]:
    reported = set(_missing_required(doc))
    headings = doc.headings
    for index, heading in enumerate(headings):
        has_child = index + 1 < len(headings) and headings[index + 1].line <= heading.end
        if has_child or kind_of(heading.key) in reported or heading.key == "guidance":
            continue
        if not section_has_content(doc, heading):
            yield Hit(heading.line, 1, heading.text, f"section '{heading.text}' is empty", None)


@rule(
    "C203",
    "placeholder",
    "error",
    summary="A template placeholder left in: [Name], HH:MM, YYYY-MM-DD, _[...]_, TODO, TBD, "
    "empty table rows.",
    explanation=(
        "Placeholders mean the document is still a template in places, and readers cannot tell "
        "a blank from an answer. Fill them in or delete them. Markdown links, footnotes, "
        "checkboxes and placeholders inside code are not reported."
    ),
    bad="**Date**: YYYY-MM-DD\n**Authors**: [Names]\n",
    good="**Date**: 2024-03-02\n**Authors**: Ana Lima, Wei Chen\n",
)
def placeholder(doc: LintDocument) -> Iterator[Hit]:
    maybe = doc.lines_matching(MAYBE_BLANK, lowercase=False)
    if maybe:
        yield from _placeholders(doc, maybe)
    yield from _empty_rows(doc)


def _placeholders(doc: LintDocument, numbers: list[int]) -> Iterator[Hit]:
    references = _reference_labels(doc.text)
    skip = _code_lines(doc)
    for number in numbers:
        if number in skip or doc.kind_at(number) == "guidance":
            continue
        line = doc.lines[number - 1]
        found = list(placeholders(line, references))
        if not found:
            continue
        first = found[0]
        text = first.group(0)
        more = f" (and {len(found) - 1} more on this line)" if len(found) > 1 else ""
        yield Hit(
            number,
            first.start() + 1,
            text,
            f"placeholder '{text}' left in{more}",
            "fill it in, or delete it if it does not apply",
            end_column=first.end() + 1,
        )


def _reference_labels(text: str) -> frozenset[str]:
    if "]:" not in text:
        return frozenset()
    found = re.findall(r"(?m)^\s{0,3}\[([^\]]+)\]:\s*\S", text)
    return frozenset(label.strip().lower() for label in found)


def _code_lines(doc: LintDocument) -> set[int]:
    """Front matter, code, comments and HTML: where brackets and capitals are not blanks."""
    skip = set(range(1, doc.parsed.front_matter_lines + 1))
    for block in _all_blocks(doc.parsed.blocks):
        if isinstance(block, CodeBlock | HtmlBlock | Comment):
            skip.update(range(block.line, block.end_line + 1))
    return skip


def _all_blocks(blocks: list[Block]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, BlockQuote):
            yield from _all_blocks(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _all_blocks(item.children)


def _empty_rows(doc: LintDocument) -> Iterator[Hit]:
    for block in _all_blocks(doc.parsed.blocks):
        if not isinstance(block, Table):
            continue
        empty = [row for row in block.rows if all(not cell.strip() for cell in row.cells)]
        if empty:
            count = f"{len(empty)} empty rows" if len(empty) > 1 else "an empty row"
            yield Hit(
                empty[0].line,
                1,
                doc.lines[empty[0].line - 1].strip(),
                f"table has {count}",
                "fill the rows in or delete them",
            )


@rule(
    "C204",
    "impact-not-quantified",
    "warning",
    summary="The impact is described without a single number.",
    explanation=(
        "'Some users saw errors' cannot be compared with the next incident or weighed against "
        "the cost of the action items. Say how many users, requests or orders, what share, "
        "and for how long; 'none' and 'all' count as answers."
    ),
    bad="## Impact\n\nSome customers saw errors at checkout.\n",
    good="## Impact\n\n2,300 checkout requests (4% of traffic) failed over 14 minutes.\n",
)
def impact_not_quantified(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    texts = [text for text in _impact_texts(pm) if text and not is_blank(text)]
    if texts and not any(has_number(text) for text in texts):
        line = doc.section_line("impact", 0) or doc.find_line(texts[0])
        yield Hit(
            line,
            1,
            texts[0][:80],
            "the impact is not quantified",
            "say how many users or requests, what share, and for how long",
        )


@rule(
    "C205",
    "no-root-cause",
    "error",
    summary="Neither a root cause, contributing factors nor a five-whys chain.",
    explanation=(
        "Without an analysis of why the incident happened, the action items treat symptoms. "
        "A root cause section, contributing factors or a five-whys chain each count: many "
        "teams prefer several contributing factors to a single root cause."
    ),
    bad="## Summary\n\nThe API returned 500s for 20 minutes.\n",
    good="## Root cause\n\nA config push set the connection pool size to 0; the config is not "
    "validated before it is applied.\n",
)
def no_root_cause(doc: LintDocument) -> Iterator[Hit]:
    if _has(doc, "root_cause") or _has(doc, "contributing_factors"):
        return
    line = doc.section_line("root_cause")
    yield Hit(line, 1, "", "no root cause or contributing factors", "explain why it happened")


@rule(
    "C206",
    "no-contributing-factors",
    "warning",
    summary="A root cause is given but no contributing factors.",
    explanation=(
        "Incidents rarely have one cause. The conditions that let the trigger do harm (no "
        "validation, no canary, an alert that did not fire) are where most of the useful "
        "action items come from."
    ),
    bad="## Root cause\n\nA bad config push.\n",
    good="## Root cause\n\nA bad config push.\n\n## Contributing factors\n\n- The config is not "
    "validated before it is applied.\n- Config pushes go to every region at once.\n",
)
def no_contributing_factors(doc: LintDocument) -> Iterator[Hit]:
    if not _has(doc, "root_cause") or _has(doc, "contributing_factors"):
        return
    line = doc.section_line("contributing_factors", doc.section_line("root_cause"))
    yield Hit(
        line,
        1,
        "",
        "no contributing factors",
        "list the conditions that let the trigger cause harm",
    )


@rule(
    "C207",
    "five-whys-short",
    "warning",
    summary="The five-whys chain is shorter than the layout asks for.",
    explanation=(
        "A chain that stops after two whys usually stops at a person or a symptom. The "
        "five-whys and checklist layouts ask for a chain; its depth is configurable "
        "(`five-whys-depth`, default 5)."
    ),
    bad="## 5 Whys\n\n1. Why did checkout fail? The pool was empty.\n",
    good="## 5 Whys\n\n1. Why did checkout fail? The pool size was 0.\n2. Why was it 0? A "
    "config push set it.\n3. Why was that accepted? Configs are not validated.\n4. Why not? "
    "The validator only checks syntax.\n5. Why? Nobody owns the config schema.\n",
)
def five_whys_short(doc: LintDocument) -> Iterator[Hit]:
    pm = doc.postmortem
    if pm is None:
        return
    count = _whys(pm)
    depth = doc.config.five_whys_depth
    asked = doc.layout in ("five-whys", "checklist") or bool(doc.sections("five_whys"))
    if count >= depth or (count == 0 and not asked):
        return
    line = doc.section_line("five_whys", doc.section_line("root_cause"))
    yield Hit(
        line,
        1,
        "",
        f"the five-whys chain has {count} answered why{'s' if count != 1 else ''}; "
        f"at least {depth} expected",
        "keep asking why until the answer is a condition the team can change",
    )


@rule(
    "C208",
    "no-went-well",
    "info",
    summary="Nothing about what went well.",
    explanation=(
        "What went well is what to keep: the alert that fired, the runbook that worked. "
        "Leaving it out also makes the document read as a list of failures."
    ),
    bad="## What went wrong\n\n- The alert went to an unwatched channel.\n",
    good="## What went well\n\n- The rollback took 3 minutes.\n",
)
def no_went_well(doc: LintDocument) -> Iterator[Hit]:
    if _has(doc, "went_well"):
        return
    line = doc.section_line("went_well", doc.section_line("went_poorly"))
    yield Hit(line, 1, "", "nothing about what went well", "add what worked and should be kept")
