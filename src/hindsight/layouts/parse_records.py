"""Sections that hold small records: five whys, people, sign-offs, reviews, related incidents,
the communication log, links and verbatim snippets."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hindsight.layouts.headings import normalize
from hindsight.layouts.parse_draft import Draft, Unit
from hindsight.layouts.parse_values import (
    clean,
    date_value,
    is_none_marker,
    is_placeholder,
    link_kind,
    people,
    yes_no,
)
from hindsight.layouts.registry import LINK_LABELS, PROFILES
from hindsight.model import LinkKind
from hindsight.text.markdown import (
    CodeBlock,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    links,
    plain_text,
    split_label,
)
from hindsight.text.times import split_timestamp

Reader = Callable[[Section, str, list[Unit], Draft], list[Unit]]


def _cell(text: str) -> str | None:
    return clean(text)


def _columns(table: Table, names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column index by meaning, from the header words."""
    found: dict[str, int] = {}
    for index, header in enumerate(table.header):
        norm = normalize(header)
        for key, words in names.items():
            if key not in found and any(norm == w or norm.startswith(w + " ") for w in words):
                found[key] = index
                break
    return found


def _row(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return _cell(cells[index])


def _unit_items(unit: Unit) -> list[ListItem]:
    if unit.item is not None and unit.label is None:
        return [unit.item]
    if isinstance(unit.block, ListBlock):
        return list(unit.block.items)
    return []


# --- five whys --------------------------------------------------------------------------------

_GENERIC_WHY = re.compile(r"^why\??(?:\s*\(root cause\))?$", re.IGNORECASE)


def read_five_whys(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    rest: list[Unit] = []
    for unit in units:
        items = _unit_items(unit)
        if items:
            for item in items:
                why = _why(item, draft)
                if why is not None:
                    draft.add_items("five_whys", [why])
        elif isinstance(unit.block, Table):
            _whys_table(unit.block, draft)
        else:
            rest.append(unit)
    return rest


def _why(item: ListItem, draft: Draft) -> dict[str, Any] | None:
    first, _, more = item.text.partition("\n")
    label = split_label(first)
    question: str | None = None
    answer = item.text
    if label is not None and label.bold and (label.name.rstrip().endswith("?") or not label.colon):
        question = label.name.strip()
        answer = "\n".join(part for part in (label.value, more) if part.strip())
    elif item.text.rstrip().endswith("?") and item.children:
        question, answer = item.text.strip(), ""
    if item.children:
        nested = draft.source(item.children[0].line, item.end_line)
        nested = _strip_single_bullet(nested)
        answer = f"{answer}\n{nested}".strip() if answer.strip() else nested
    answer = re.sub(r"^\s*\(root cause\)\s*", "", answer, flags=re.IGNORECASE)
    answer_text = clean(answer)  # "(Root Cause)": the template's note, not part of the answer
    if question is not None and (_GENERIC_WHY.match(question) or is_placeholder(question)):
        question = None
    if answer_text is None:
        return None
    why: dict[str, Any] = {"answer": answer_text}
    if question:
        why["question"] = question
    return why


def _strip_single_bullet(text: str) -> str:
    lines = text.split("\n")
    if len(lines) == 1 and re.match(r"^[-*+]\s+", lines[0]):
        return re.sub(r"^[-*+]\s+", "", lines[0])
    return text


def _whys_table(table: Table, draft: Draft) -> None:
    cols = _columns(table, {"question": ("why", "question"), "answer": ("answer", "because")})
    for row in table.rows:
        answer = _row(row.cells, cols.get("answer"))
        if answer:
            why: dict[str, Any] = {"answer": answer}
            question = _row(row.cells, cols.get("question"))
            if question and not _GENERIC_WHY.match(question):
                why["question"] = question
            draft.add_items("five_whys", [why])


# --- people -----------------------------------------------------------------------------------

_ROLE_SPLIT = re.compile(r"\s+[-–—]\s+|\s*:\s+")
_ROLE_PAREN = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)$")


def participant(text: str) -> dict[str, Any] | None:
    """``Alice - Incident Commander``, ``Alice (IC)`` or a name alone."""
    value = clean(plain_text(text))
    if value is None:
        return None
    match = _ROLE_PAREN.match(value)
    if match:
        name, role = match.group("name"), match.group("role")
    else:
        name, _, role = (part.strip() for part in _partition(value))
    if is_placeholder(name):
        return None
    entry: dict[str, Any] = {"name": name.strip()}
    if clean(role):
        entry["role"] = role.strip()
    return entry


def _partition(value: str) -> tuple[str, str, str]:
    parts = _ROLE_SPLIT.split(value, maxsplit=1)
    if len(parts) == 2:
        return parts[0], "-", parts[1]
    return value, "", ""


def read_participants(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    rest: list[Unit] = []
    for unit in units:
        if isinstance(unit.block, Table):
            _participants_table(unit.block, draft)
        elif items := _unit_items(unit):
            for item in items:
                draft.add_items("participants", _people_line(item.text))
        elif isinstance(unit.block, Paragraph):
            for line in unit.block.lines:
                draft.add_items("participants", _people_line(line))
        else:
            rest.append(unit)
    return rest


def _people_line(text: str) -> list[dict[str, Any]]:
    if is_none_marker(text):
        return []
    if "," in text and not _ROLE_SPLIT.search(text) and "(" not in text:
        return [{"name": name} for name in people(text)]
    found = participant(text)
    return [found] if found else []


def _participants_table(table: Table, draft: Draft) -> None:
    cols = _columns(table, {"name": ("name", "person", "who"), "role": ("role", "team")})
    for row in table.rows:
        name = _row(row.cells, cols.get("name", 0))
        if name is None:
            continue
        entry: dict[str, Any] = {"name": plain_text(name)}
        role = _row(row.cells, cols.get("role"))
        if role:
            entry["role"] = role
        draft.add_items("participants", [entry])


# --- sign-off ---------------------------------------------------------------------------------


def read_signoffs(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    before = len(draft.get("signoffs") or [])
    rest: list[Unit] = []
    approvals = normalize(sec.heading) in ("approval", "approvals")
    for unit in units:
        if isinstance(unit.block, Table):
            _signoff_table(unit.block, draft, approvals=approvals)
        elif unit.key == "date":
            day = date_value(unit.value)
            for entry in (draft.get("signoffs") or [])[before:]:
                if day is not None and "date" not in entry:
                    entry["date"] = day
        elif unit.key is not None and draft.apply(unit, "signoffs"):
            continue
        else:
            rest.append(unit)
    return rest


def _signoff_table(table: Table, draft: Draft, *, approvals: bool) -> None:
    cols = _columns(
        table,
        {
            "role": ("role",),
            "name": ("name", "who"),
            "date": ("date", "when"),
            "approved": ("approved", "approval", "signed"),
        },
    )
    for row in table.rows:
        role = _row(row.cells, cols.get("role"))
        name = _row(row.cells, cols.get("name"))
        day = _row(row.cells, cols.get("date"))
        if "approved" in cols:
            index = cols["approved"]
            approved = index < len(row.cells) and yes_no(row.cells[index]) is True
        else:
            approved = approvals  # a table of approvals (the full layout's) lists approved ones
        if not (name or day):
            continue  # the template's row for a role, nobody named
        entry: dict[str, Any] = {"role": role or "Reviewer", "approved": approved}
        if name:
            entry["name"] = plain_text(name)
        if day:
            when = date_value(day)
            if when is None:
                draft.warn(row.line, f"sign-off date {day!r} not understood")
            else:
                entry["date"] = when
        draft.add_items("signoffs", [entry])


# --- follow-up reviews ------------------------------------------------------------------------


def read_follow_ups(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    rest: list[Unit] = []
    for unit in units:
        if isinstance(unit.block, Table):
            _follow_up_table(unit.block, draft)
        elif items := _unit_items(unit):
            for item in items:
                _follow_up_item(item.text, item.line, draft)
        else:
            rest.append(unit)
    return rest


def _follow_up_table(table: Table, draft: Draft) -> None:
    cols = _columns(
        table,
        {
            "date": ("date", "when"),
            "kind": ("type", "kind", "review"),
            "attendees": ("attendees", "who"),
        },
    )
    for row in table.rows:
        day_text = _row(row.cells, cols.get("date"))
        attendees = _row(row.cells, cols.get("attendees"))
        if day_text is None and attendees is None:
            continue
        entry: dict[str, Any] = {}
        if day_text:
            day = date_value(day_text)
            if day is None:
                draft.warn(row.line, f"review date {day_text!r} not understood")
            else:
                entry["date"] = day
        kind = _row(row.cells, cols.get("kind"))
        if kind:
            entry["kind"] = kind
        if attendees:
            entry["attendees"] = attendees
        draft.add_items("follow_ups", [entry])


def _follow_up_item(text: str, line: int, draft: Draft) -> None:
    value = clean(text)
    if value is None:
        return
    stamp = split_timestamp(value)
    entry: dict[str, Any] = {}
    if stamp is not None:
        day = date_value(stamp[0])
        if day is not None:
            entry["date"] = day
            value = stamp[1]
    match = re.match(r"^(?P<kind>.*?)\s*\((?P<who>[^()]*)\)$", value)
    if match:
        value, who = match.group("kind"), match.group("who")
        entry["attendees"] = who
    if clean(value):
        entry["kind"] = value
    if entry:
        draft.add_items("follow_ups", [entry])


# --- related incidents ------------------------------------------------------------------------


def read_related(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    rest: list[Unit] = []
    for unit in units:
        if isinstance(unit.block, Table):
            _related_table(unit.block, draft)
        elif items := _unit_items(unit):
            for item in items:
                found = related(item.text)
                if found:
                    draft.add_items("related_incidents", [found])
        else:
            rest.append(unit)
    return rest


def related(text: str) -> dict[str, Any] | None:
    value = clean(text)
    if value is None or is_none_marker(value):
        return None
    match = re.match(
        r"^\[(?P<ref>[^\]]+)\]\((?P<url>[^)\s]+)\)\s*(?:[-–—:]\s*)?(?P<rel>.*)$", value
    )
    if match:
        entry: dict[str, Any] = {"ref": plain_text(match.group("ref")), "link": match.group("url")}
        if clean(match.group("rel")):
            entry["relationship"] = match.group("rel").strip()
        return entry
    ref, _, rel = value.partition(" - ")
    entry = {"ref": ref.strip()}
    if clean(rel):
        entry["relationship"] = rel.strip()
    return entry


def _related_table(table: Table, draft: Draft) -> None:
    cols = _columns(
        table,
        {
            "ref": ("incident", "id", "ref", "reference"),
            "relationship": ("relationship", "relation", "how related", "notes"),
            "link": ("link", "url"),
        },
    )
    for row in table.rows:
        ref = _row(row.cells, cols.get("ref", 0))
        if ref is None:
            continue
        found = related(ref) or {"ref": ref}
        rel = _row(row.cells, cols.get("relationship"))
        if rel:
            found["relationship"] = rel
        link = _row(row.cells, cols.get("link"))
        if link:
            urls = links(link)
            found["link"] = urls[0][1] if urls else link
        draft.add_items("related_incidents", [found])


# --- communication log ------------------------------------------------------------------------


def read_communication_log(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    draft.restart_day()  # short times refer to the document's date
    rest: list[Unit] = []
    for unit in units:
        if isinstance(unit.block, Table):
            _comm_table(unit.block, draft)
        elif items := _unit_items(unit):
            for item in items:
                _comm_item(item, draft)
        else:
            rest.append(unit)
    return rest


def _comm_table(table: Table, draft: Draft) -> None:
    cols = _columns(
        table,
        {
            "time": ("time", "when", "date"),
            "channel": ("channel", "medium", "via"),
            "summary": ("message summary", "message", "summary", "content", "what"),
        },
    )
    for row in table.rows:
        summary = _row(row.cells, cols.get("summary"))
        if summary is None:
            continue
        entry: dict[str, Any] = {"summary": summary}
        channel = _row(row.cells, cols.get("channel"))
        if channel:
            entry["channel"] = channel
        time_text = _row(row.cells, cols.get("time"))
        if time_text:
            _comm_time(entry, time_text, row.line, draft)
        draft.add_items("communication_log", [entry])


def _comm_time(entry: dict[str, Any], time_text: str, line: int, draft: Draft) -> None:
    instant = draft.ctx.read(plain_text(time_text))
    if instant.at is None:
        draft.warn(line, f"communication time {time_text!r} not understood; kept as text")
        entry["time_text"] = time_text
    else:
        entry["at"] = instant.at
        if instant.date_only:
            entry["time_text"] = time_text


def _comm_item(item: ListItem, draft: Draft) -> None:
    value = clean(item.text)
    if value is None:
        return
    entry: dict[str, Any] = {}
    stamp = split_timestamp(value)
    if stamp is not None:
        _comm_time(entry, stamp[0], item.line, draft)
        value = stamp[1]
    channel = re.match(r"^\[(?P<channel>[^\]]+)\]\s*(?P<rest>.*)$", value)
    if channel and not value.startswith("[" + channel.group("channel") + "]("):
        entry["channel"] = channel.group("channel")
        value = channel.group("rest")
    if clean(value):
        entry["summary"] = value
        draft.add_items("communication_log", [entry])


# --- links and snippets -----------------------------------------------------------------------


def read_links(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    target = key if key in ("appendix.graphs", "appendix.screenshots") else "supporting_links"
    rest: list[Unit] = []
    for unit in units:
        if unit.key is not None and unit.key.startswith("link.") and target == "supporting_links":
            draft.apply(unit, key)  # in place, so that the links keep their order
        elif unit.item is not None and unit.key is not None and unit.key.startswith("link."):
            draft.add_items(target, link_entries(unit.item.text))
        elif unit.key is not None:
            rest.append(unit)
        elif items := _unit_items(unit):
            for item in items:
                draft.add_items(target, link_entries(draft.item_text(item)))
        elif isinstance(unit.block, Paragraph):
            draft.add_items(target, link_entries(unit.block.text))
        else:
            rest.append(unit)
    return rest


def _link_words() -> dict[str, LinkKind]:
    words = {label.lower(): kind for kind, label in LINK_LABELS.items()}
    for profile in PROFILES.values():
        words.update({label.lower(): kind for kind, label in (profile.link_kinds or {}).items()})
    return words


_LINK_WORDS = _link_words()


def link_entries(text: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Links in a bullet: ``**Dashboard:** [label](url)`` (the bold label names the kind),
    ``[label](url)``, a bare URL, or a label with no address."""
    value = clean(text)
    if value is None or is_none_marker(value):
        return []
    label = split_label(value)
    if label is not None and label.bold and label.colon:
        name = plain_text(label.name).strip()
        found_kind = _LINK_WORDS.get(name.lower()) or link_kind(name)
        value = label.value
        if clean(value) is None:
            return []
        kind = kind or found_kind.value
    found = links(value)
    whole = value.strip()
    entries: list[dict[str, Any]] = []
    if len(found) == 1 and _only_link(whole):
        text_label, url = found[0]
        entries.append({"label": text_label or url, "url": url})
    elif not found:
        entries.append({"label": plain_text(whole)})
    else:
        entries += [{"label": name or url, "url": url} for name, url in found]
    for entry in entries:
        entry["kind"] = kind or "other"
    return entries


def _only_link(text: str) -> bool:
    """The whole text is one link: ``[label](url)``, ``<url>`` or a bare URL."""
    return bool(re.fullmatch(r"\[[^\]]*\]\((?:<[^>]*>|[^)\s]*)\)|<[^>]+>|https?://\S+", text))


_SEED_SNIPPETS = frozenset(
    {
        "# relevant log snippets",
        "# before\n- old_value: x\n\n# after\n+ new_value: y",
    }
)


def read_snippets(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    """Logs and configuration changes: code blocks, with the line before them as caption."""
    target = {
        "appendix.config_changes": "appendix.config_changes",
        "appendix.logs_and_screenshots": "appendix.logs",
    }.get(key, "appendix.logs")
    caption: str | None = None
    rest: list[Unit] = []
    for unit in units:
        block = unit.block
        if isinstance(block, CodeBlock):
            if block.text.strip().lower() in _SEED_SNIPPETS:
                continue
            snippet: dict[str, Any] = {"content": block.text}
            if block.info:
                snippet["language"] = block.info.split()[0]
            if caption:
                snippet["caption"] = caption
            caption = None
            draft.add_items(target, [snippet])
            continue
        if caption is not None:
            draft.add_items(target, [{"content": caption}])
            caption = None
        if isinstance(block, Paragraph) and _is_caption(block):
            caption = block.text.strip().rstrip(":")
        elif key == "appendix.logs_and_screenshots" and (found := _images(unit, draft)):
            draft.add_items("appendix.screenshots", found)
        elif unit.key is None and (text := clean(_unit_text(unit, draft))):
            if not is_none_marker(text):
                draft.add_items(target, [{"content": text}])
        else:
            rest.append(unit)
    if caption is not None:
        draft.add_items(target, [{"content": caption}])
    return rest


def _is_caption(block: Paragraph) -> bool:
    text = block.text.strip()
    return len(block.lines) == 1 and clean(text) is not None and len(text) <= 200


def _unit_text(unit: Unit, draft: Draft) -> str:
    if unit.block is not None:
        return draft.block_text(unit.block)
    if unit.item is not None:
        return draft.item_text(unit.item)
    return unit.value


def _images(unit: Unit, draft: Draft) -> list[dict[str, Any]]:
    text = _unit_text(unit, draft)
    if "![" not in text and "http" not in text:
        return []
    return link_entries(text)


def read_services(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    rest: list[Unit] = []
    for unit in units:
        if items := _unit_items(unit):
            names = [plain_text(text) for item in items if (text := clean(item.text))]
            draft.add_items("services", names)
        else:
            rest.append(unit)
    return rest


RECORD_READERS: dict[str, Reader] = {
    "five_whys": read_five_whys,
    "participants": read_participants,
    "signoffs": read_signoffs,
    "follow_ups": read_follow_ups,
    "related_incidents": read_related,
    "communication_log": read_communication_log,
    "supporting_links": read_links,
    "appendix.graphs": read_links,
    "appendix.screenshots": read_links,
    "logs": read_snippets,
    "appendix.logs_and_screenshots": read_snippets,
    "appendix.config_changes": read_snippets,
    "services": read_services,
}
