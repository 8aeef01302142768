"""Read a Markdown postmortem back into the model: the built-in layouts, hand-filled seed
templates, and postmortems written elsewhere.

Sections and labels are matched by meaning (``layouts/headings.py``); timelines, action items
and the small records have their own readers. The front matter comes first; labels in the body
then override the scalars they state, since the body is what people read and edit; milestones
from the body only fill unknown ones. Odd content gives warnings, never an exception; a value
the model refuses in the front matter is a :class:`~hindsight.errors.ParseError` naming its line.
``docs/parsing.md`` describes what is understood.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hindsight.errors import InvalidInput, NotFound, ParseError, describe_validation_error
from hindsight.layouts.frontmatter import split_front_matter
from hindsight.layouts.headings import normalize, section_key
from hindsight.layouts.parse_actions import apply_pending_categories, assign_ids
from hindsight.layouts.parse_draft import BODY_REPLACES, Draft
from hindsight.layouts.parse_labels import apply_label
from hindsight.layouts.parse_sections import read_body
from hindsight.layouts.parse_timeline import (
    five_whys_order,
    order_problem,
    timeline_milestones,
)
from hindsight.layouts.parse_values import slug_id
from hindsight.model import Durations, Milestones, Postmortem
from hindsight.text.kinds import classify
from hindsight.text.markdown import (
    Block,
    CodeBlock,
    Document,
    Flavor,
    Heading,
    build_sections,
    front_matter_extent,
    parse_blocks,
    plain_text,
)
from hindsight.text.times import UnknownZone, find_date, parse_zone

BUILTIN = ("sre", "five-whys", "full", "checklist", "impact")
SUFFIXES = (".md", ".markdown", ".md.erb", ".mediawiki", ".txt")


@dataclass
class ParseResult:
    """A postmortem read from Markdown, the built-in layout it was written in (``None`` for a
    foreign document) and what could not be read exactly (``line 42: ...``)."""

    postmortem: Postmortem
    layout: str | None
    warnings: list[str] = field(default_factory=list)


def parse_markdown(
    text: str,
    *,
    source: str | None = None,
    default_zone: str = "UTC",
    fallback_id: str | None = None,
    flavor: Flavor = "markdown",
    scanned: Document | None = None,
) -> ParseResult:
    """Read a Markdown (or MediaWiki) postmortem into the model.

    ``source`` names the document in errors; ``default_zone`` is the zone of times the document
    does not place; ``fallback_id`` becomes the id when the document states none. ``scanned``
    is what :func:`~hindsight.text.markdown.parse_document` read from the text, when the caller
    has it already (the linter does): its blocks are used when its body is the one read here.
    """
    try:
        parse_zone(default_zone)
    except UnknownZone as exc:
        raise InvalidInput(str(exc), where="default_zone") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    front, body, n_lines, problem = _split(text, source)
    lines = text.split("\n")
    if (
        scanned is not None
        and scanned.front_matter_lines == n_lines
        and scanned.flavor == flavor
        and scanned.body == body
    ):
        blocks = scanned.blocks
    else:
        blocks = parse_blocks(body, first_line=n_lines + 1, flavor=flavor)
    unwrapped = _unwrap_template(blocks, flavor)
    if unwrapped is not blocks:
        blocks, front = unwrapped, {}  # the front matter was the wrapper's
    layout = _layout(front, blocks)
    draft = Draft(lines, zone=default_zone, layout=layout, labels=apply_label)
    draft.rendered = front.get("layout") in BUILTIN
    if problem:
        draft.warn(1, problem)
    _load_front_matter(front, lines, draft, source)
    read_body(build_sections(blocks), draft)
    postmortem = _build(draft, fallback_id=fallback_id, layout=layout)
    return ParseResult(postmortem, layout, draft.warnings)


def read_markdown_file(path: Path, *, default_zone: str = "UTC") -> ParseResult:
    """Read a postmortem file (``.md``, ``.markdown``, ``.md.erb``, ``.mediawiki``, ``.txt`` or no
    extension); a binary or undecodable file is a :class:`ParseError` naming it."""
    name = path.name
    suffix = next((s for s in (".html.md.erb", *SUFFIXES) if name.lower().endswith(s)), None)
    if suffix is None and "." in name.strip("."):
        raise ParseError(
            f"not a Markdown file; expected one of {', '.join(SUFFIXES)} or no extension",
            where=str(path),
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no such file: {path}") from None
    except OSError as exc:
        raise ParseError(f"cannot be read: {exc.strerror}", where=str(path)) from None
    if b"\x00" in data[:8192]:
        raise ParseError("is a binary file, not Markdown", where=str(path))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"is not UTF-8 text (byte {exc.start} cannot be decoded)", where=str(path)
        ) from None
    stem = name[: len(name) - len(suffix)] if suffix else name
    flavor: Flavor = "mediawiki" if name.lower().endswith(".mediawiki") else "markdown"
    return parse_markdown(
        text, source=str(path), default_zone=default_zone, fallback_id=slug_id(stem), flavor=flavor
    )


def _unwrap_template(blocks: list[Block], flavor: Flavor) -> list[Block]:
    """A postmortem kept inside a ```markdown fence of a prompt or README (as in a template
    shipped for an assistant) is the document; the text around it is instructions."""
    if any(isinstance(b, Heading) and section_key(b.text) in _CORE for b in blocks):
        return blocks
    for block in blocks:
        if not isinstance(block, CodeBlock) or block.info.split()[:1] not in (["markdown"], ["md"]):
            continue
        lines = block.text.split("\n")
        if (
            lines
            and lines[0].startswith("# ")
            and sum(line.startswith("## ") for line in lines) >= 3
        ):
            return parse_blocks(block.text, first_line=block.line + 1, flavor=flavor)
    return blocks


_CORE = frozenset({"timeline", "action_items", "root_cause", "summary", "impact"})


# --- front matter -----------------------------------------------------------------------------


def _split(text: str, source: str | None) -> tuple[dict[str, Any], str, int, str | None]:
    """Front matter, body, lines taken, and a problem worth a warning. A leading ``---`` that
    does not open something shaped like YAML (``key: value``) is a thematic break."""
    if text.startswith("---"):
        raw, n_lines = front_matter_extent(text)
        if n_lines == 0:
            return {}, text, 0, "a '---' line opens the document but no front matter follows"
        first = next((line for line in raw.split("\n") if line.strip()), "")
        if raw.strip() and not _YAML_KEY.match(first):
            return {}, text, 0, "the lines between the opening '---' lines are not front matter"
    try:
        data, body, n_lines = split_front_matter(text)
    except ParseError as exc:
        where = f"{source}:{exc.where.removeprefix('line ')}" if source and exc.where else exc.where
        raise ParseError(exc.message, where=where) from None
    return data, body, n_lines, None


_YAML_KEY = re.compile(r"^[\w\"'][\w \"'.-]*:(?:\s|$)")
_MODEL_KEYS = frozenset(Postmortem.model_fields) | {"durations"}
_MILESTONE_KEYS = {"start_time": "impact_started_at", "end_time": "resolved_at"}


def _load_front_matter(
    front: dict[str, Any], lines: list[str], draft: Draft, source: str | None
) -> None:
    known = {key: value for key, value in front.items() if key in _MODEL_KEYS}
    if not known and not front:
        return  # nothing to validate: the draft starts empty
    try:
        validated = Postmortem.model_validate(known)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        line = _key_line(lines, key)
        where = f"{source}:{line}" if source else f"line {line}"
        raise ParseError(describe_validation_error(exc), where=where) from None
    draft.data = validated.model_dump(exclude_unset=True, exclude={"durations"})
    draft.fm_keys = set(known)
    if validated.date is not None:
        draft.ctx.set_day(validated.date)
    for key, value in front.items():
        if key not in _MODEL_KEYS:
            _foreign_key(key, value, draft, _key_line(lines, key))


def _key_line(lines: list[str], key: str) -> int:
    for index, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if line.startswith(f"{key}:"):
            return index
    return 1


def _foreign_key(key: str, value: Any, draft: Draft, line: int) -> None:
    """A front-matter key of another tool: mapped when its meaning is clear, else kept."""
    name = normalize(key)
    if name in ("author", "authors", "by"):
        names = value if isinstance(value, list) else [value]
        draft.data["authors"] = [str(n) for n in names if n]
    elif name in ("categories", "category", "keywords", "labels"):
        items = value if isinstance(value, list) else str(value).split(",")
        tags = [*draft.data.get("tags", []), *(str(i).strip() for i in items if str(i).strip())]
        draft.data["tags"] = list(dict.fromkeys(tags))
    elif key in _MILESTONE_KEYS and value:
        instant = draft.ctx.read(str(value))
        if instant.at is None or instant.date_only:
            draft.warn(line, f"front matter {key} {value!r} not understood; kept in custom_fields")
            _custom(draft, key, value)
        else:
            draft.milestones.setdefault(_MILESTONE_KEYS[key], (instant.at, line))
    elif name == "description" and value and "summary" not in draft.data:
        draft.data["summary"] = str(value).strip()
    else:
        _custom(draft, key, value)


def _custom(draft: Draft, key: str, value: Any) -> None:
    if isinstance(value, list):
        text = ", ".join(str(item) for item in value)
    elif value is None:
        text = ""
    else:
        text = str(value)
    draft.data.setdefault("custom_fields", {})[key] = text


# --- which layout -----------------------------------------------------------------------------

_SIGNATURES: dict[str, frozenset[str]] = {
    "sre": frozenset(
        {
            "executive summary",
            "categorized actions",
            "supporting information",
            "what we learned",
            "what well do differently",
            "contributing factors",
            "response",
        }
    ),
    "five-whys": frozenset(
        {
            "5 whys analysis",
            "what went wrong",
            "categories of actions",
            "investigation and response",
            "technical lessons",
            "sign-off",
            "logs and screenshots",
            "communication log",
        }
    ),
    "full": frozenset(
        {
            "key timestamps",
            "impact analysis",
            "post-mortem review",
            "review schedule",
            "questions raised",
            "surprises",
            "key insights",
            "where we got lucky",
            "approval",
        }
    ),
    "checklist": frozenset(
        {
            "what happened?",
            "why did it happen",
            "how was it detected",
            "immediate fix",
            "permanent fix",
            "categorized actions",
            "graphs metrics",
            "detection gap",
        }
    ),
    "impact": frozenset(
        {
            "external impact",
            "internal impact",
            "why it wasnt caught",
            "prevention measures",
            "monitoring gaps identified",
            "postmortem sign-off",
            "short-term",
            "long-term",
        }
    ),
}


@cache
def _signatures() -> dict[str, frozenset[str]]:
    return {name: frozenset(normalize(h) for h in sig) for name, sig in _SIGNATURES.items()}


def _layout(front: dict[str, Any], blocks: list[Any]) -> str | None:
    stated = front.get("layout")
    if isinstance(stated, str) and stated in BUILTIN:
        return stated
    headings = {normalize(block.text) for block in blocks if isinstance(block, Heading)}
    if len(headings) < 4:
        return None
    scores = {name: len(headings & sig) for name, sig in _signatures().items()}
    best = max(scores, key=lambda name: scores[name])
    return best if scores[best] >= 3 else None


# --- building the postmortem ------------------------------------------------------------------


def _build(draft: Draft, *, fallback_id: str | None, layout: str | None) -> Postmortem:
    data = draft.data
    _timeline(draft)
    _actions(draft)
    _milestones(draft)
    _stated_durations(draft)
    if draft.extra:
        data["extra_sections"] = [*data.get("extra_sections", []), *draft.extra]
    if not data.get("id") and fallback_id:
        data["id"] = fallback_id
    if layout and not data.get("layout"):
        data["layout"] = layout
    if not data.get("date") and (title := data.get("title")):
        found = find_date(str(title))
        if found is not None and "Incident on" in str(title):
            data["date"] = found
    for path in BODY_REPLACES:
        if isinstance(data.get(path), list) and path != "participants":
            data[path] = list(dict.fromkeys(data[path]))
    return _validate(data, draft)


def _timeline(draft: Draft) -> None:
    events = []
    if draft.layout == "five-whys":
        draft.timeline = five_whys_order(draft.timeline)
    for event in draft.timeline:
        if event.kind is None:
            event.kind = classify(plain_text(event.text))
        if not event.text.strip():
            if event.notes:
                event.text, event.notes = event.notes, None
            else:
                draft.warn(event.line, "timeline event has a time but no text; skipped")
                continue
        events.append(event.as_data())
    if events:
        draft.data["timeline"] = [*draft.data.get("timeline", []), *events]


def _actions(draft: Draft) -> None:
    if not draft.actions:
        return
    apply_pending_categories(draft)
    assign_ids(draft.actions)
    items = []
    for action in draft.actions:
        items.append({k: v for k, v in action.items() if not k.startswith("_")})
    draft.data["action_items"] = [*draft.data.get("action_items", []), *items]


def _milestones(draft: Draft) -> None:
    stated: dict[str, Any] = draft.data.get("milestones") or {}
    known: dict[str, datetime] = {k: v for k, v in stated.items() if v is not None}
    candidates = list(draft.milestones.items())
    if "milestones" not in draft.fm_keys:
        events = [e for e in draft.timeline if e.kind]
        candidates += [(k, v) for k, v in timeline_milestones(events).items()]
    for name, (at, line) in candidates:
        if name in known:
            continue
        problem = order_problem(known, name, at)
        if problem:
            label = name.removesuffix("_at").replace("_", " ")
            draft.warn(
                line, f"milestone {label} ({at:%Y-%m-%d %H:%M} UTC) dropped: it falls {problem}"
            )
            continue
        known[name] = at
    if known:
        draft.data["milestones"] = known


def _stated_durations(draft: Draft) -> None:
    """Durations the body states. A Hindsight layout shows the duration the milestones give when
    none was stated, so in a document it wrote, a body value equal to that one is not taken as
    stated (unless the front matter says it was)."""
    if not draft.stated:
        return
    stated = dict(draft.data.get("stated_durations") or {})
    known = draft.data.get("milestones") or {}
    try:
        derived = Durations.from_milestones(Milestones(**known)).model_dump()
    except ValidationError:
        derived = {}
    for name, (seconds, _line) in draft.stated.items():
        shown = draft.rendered and name not in stated and derived.get(name) == seconds
        if stated.get(name) == seconds or shown:
            continue
        stated[name] = seconds
    if stated:
        draft.data["stated_durations"] = stated


def _validate(data: dict[str, Any], draft: Draft) -> Postmortem:
    """The model from the data; a value it refuses is dropped with a warning, not raised."""
    data = copy.copy(data)
    for _ in range(500):
        try:
            return Postmortem.model_validate(data)
        except ValidationError as exc:
            problem = exc.errors(include_url=False)[0]
            path = list(problem["loc"])
            message = describe_validation_error(exc).split(" (and ", 1)[0]
            if not _drop(data, path):
                break
            draft.warn(None, f"{message}; value dropped")
    return Postmortem()


def _drop(data: Any, path: list[Any]) -> bool:
    """Remove the value at ``path`` (or the nearest existing parent of it)."""
    while path:
        node = data
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        last = path[-1]
        if isinstance(node, dict) and last in node:
            del node[last]
            return True
        if isinstance(node, list) and isinstance(last, int) and last < len(node):
            del node[last]
            return True
        path = path[:-1]
    return False
