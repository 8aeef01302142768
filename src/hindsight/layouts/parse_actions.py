"""Action items from tables (columns found by meaning), from bullets and checkbox lists under an
action-items heading, and the "categorized actions" lists that give a category to items by id.
"""

from __future__ import annotations

import re
from typing import Any

from hindsight.layouts.headings import ACTION_COLUMNS, column_key
from hindsight.layouts.parse_draft import Draft, Unit, list_items
from hindsight.layouts.parse_values import (
    action_category,
    action_status,
    clean,
    date_value,
    is_none_marker,
    priority,
)
from hindsight.text.markdown import (
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Table,
    links,
    plain_text,
    split_label,
)

_CATEGORY_KEYS = ("prevent", "detect", "mitigate", "respond", "recover", "process")
_ITEM_ID = re.compile(
    r"^(?P<id>[A-Za-z]{1,6}-?\d{1,4}|\d{1,3})\s*[:.)\-–—]\s+(?P<text>.+)$", re.DOTALL
)
_TRAILING_IDS = re.compile(
    r"\(\s*(?P<ids>[A-Za-z]{0,6}-?\d{1,4}(?:\s*,\s*[A-Za-z]{0,6}-?\d{1,4})*)\s*\)\s*$"
)
_TRAILING_PAREN = re.compile(r"\s*\((?P<inner>[^()]*)\)\s*$")
_OWNER_TAIL = re.compile(r"\s*[.;,]?\s*Owners?:\s*(?P<owner>[@\w][\w .@-]*?)\s*\.?$", re.IGNORECASE)


def _section_category(key: str) -> str | None:
    name = key.partition(".")[2]
    return name if name in _CATEGORY_KEYS else None


def _find(draft: Draft, action_id: str | None, text: str | None = None) -> dict[str, Any] | None:
    for action in draft.actions:
        if action_id is not None and action.get("id") == action_id:
            return action
        if action_id is None and text is not None and action.get("action") == text:
            return action
    return None


def read_actions(sec: Section, key: str, units: list[Unit], draft: Draft) -> list[Unit]:
    """Action items in an action-items section (or one of its category sub-sections)."""
    if key == "actions.details":
        return merge_details(units, draft)
    category = _section_category(key)
    categorized = key == "actions.categories"
    tables = [u.block for u in units if isinstance(u.block, Table) and _action_columns(u.block)]
    has_list = any(u.item is not None or isinstance(u.block, ListBlock) for u in units)
    rest: list[Unit] = []
    for unit in units:
        if unit.key is not None:
            if not (unit.key.startswith("action_category.") and draft.apply(unit, key)):
                rest.append(unit)
        elif isinstance(unit.block, Table) and unit.block in tables:
            _table(unit.block, category, draft)
        elif unit.item is not None:
            if categorized or tables:
                if not _categorized_item(unit.item, category, draft, create=categorized):
                    rest.append(unit)
            else:
                actions_from_items([unit.item], draft, category=category)
        elif isinstance(unit.block, Paragraph) and _status_paragraph(unit.block, category, draft):
            continue
        elif isinstance(unit.block, Paragraph) and not (tables or has_list):
            text = clean(unit.block.text)
            if text and not is_none_marker(text):
                _add(draft, {"action": text, "_line": unit.line}, category)
        else:
            rest.append(unit)
    return rest


# --- tables -----------------------------------------------------------------------------------


def _action_columns(table: Table) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for index, header in enumerate(table.header):
        key = column_key(header, ACTION_COLUMNS)
        if key is not None and key not in cols:
            cols[key] = index
    return cols if "action" in cols else None


def _table(table: Table, category: str | None, draft: Draft) -> None:
    cols = _action_columns(table) or {}
    for row in table.rows:
        cells = row.cells

        def cell(name: str, cells: list[str] = cells) -> str:
            index = cols.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        text = clean(cell("action"))
        if text is None:
            continue
        action: dict[str, Any] = {"action": text, "_line": row.line}
        _id_cell(cell("id"), action)
        for name in ("owner", "team"):
            if value := clean(cell(name)):
                action[name] = plain_text(value) if name == "team" else value
        _priority(cell("priority"), action, row.line, draft)
        _date(cell("due"), "due", action, row.line, draft)
        _date(cell("completed_on"), "completed_on", action, row.line, draft)
        if "status" in cols:
            _status(cell("status"), action, row.line, draft)
            action["_table_status"] = True
        if (kind := clean(cell("category"))) and (found := action_category(kind)):
            action["category"] = found.value
        if tracker := clean(cell("tracker")):
            urls = links(tracker)
            action["tracker"] = urls[0][1] if urls else tracker
        if notes := clean(cell("notes")):
            if action.get("status") == "wont_do" and action.get("status_reason") == "not stated":
                action["status_reason"] = notes
            else:
                action["action"] = f"{text} ({notes})"
        _add(draft, action, category)


def _id_cell(value: str, action: dict[str, Any]) -> None:
    text = clean(value)
    if text is None:
        return
    found = links(text)
    if found and text.startswith("["):
        action["id"] = plain_text(found[0][0])
        action["tracker"] = found[0][1]
    else:
        action["id"] = plain_text(text)


def _priority(value: str, action: dict[str, Any], line: int, draft: Draft) -> None:
    text = clean(value)
    if text is None:
        return
    found = priority(text)
    if found is None:
        draft.warn(line, f"action priority {text!r} not understood")
    else:
        action["priority"] = found.value


def _date(value: str, name: str, action: dict[str, Any], line: int, draft: Draft) -> None:
    text = clean(value)
    if text is None:
        return
    found = date_value(text)
    if found is None:
        draft.warn(line, f"action {name.replace('_', ' ')} {text!r} not understood")
    else:
        action[name] = found


def _status(value: str, action: dict[str, Any], line: int, draft: Draft) -> None:
    text = value.strip()
    if text in ("[ ]", "[x]", "[X]"):
        action["status"] = "open" if text == "[ ]" else "done"
        return
    if clean(text) is None:
        return
    found = action_status(text)
    if found is None:
        draft.warn(line, f"action status {text!r} not understood; kept as open")
        action["status_reason"] = plain_text(text)
        return
    status, reason = found
    action["status"] = status.value
    if status.value == "wont_do":
        action["status_reason"] = reason or "not stated"
    elif reason:
        action["status_reason"] = reason


def _add(draft: Draft, action: dict[str, Any], category: str | None) -> None:
    if category and "category" not in action:
        action["category"] = category
    if action.get("status") == "wont_do" and not action.get("status_reason"):
        action["status_reason"] = "not stated"
    draft.actions.append(action)


# --- bullets ----------------------------------------------------------------------------------


def actions_from_items(
    items: list[ListItem],
    draft: Draft,
    *,
    category: str | None,
    texts: list[tuple[int, str]] | None = None,
) -> None:
    """One action item per bullet: checkbox state, ``A1:`` ids and ``(@owner, due ...)``."""
    for item in items:
        action = _bullet(draft.item_text(item), item.checked, item.line)
        if action is not None:
            _add(draft, action, category)
    for line, text in texts or []:
        action = _bullet(text, None, line)
        if action is not None:
            _add(draft, action, category)


def _bullet(text: str, checked: bool | None, line: int) -> dict[str, Any] | None:
    value = text.strip()
    action: dict[str, Any] = {"_line": line}
    for mark in ("✅", "✔️", "✔"):
        if value.startswith(mark):
            checked = True
            value = value[len(mark) :].strip()
    if checked is not None:
        action["status"] = "done" if checked else "open"
    match = _ITEM_ID.match(value)
    if match and not value.startswith(("1.", "2.")):
        action["id"] = match.group("id")
        value = match.group("text").strip()
    value = _details(value, action)
    whole = links(value)
    linked = value.startswith("[") and value.endswith(")") and len(whole) == 1
    if linked and plain_text(value) == whole[0][0]:
        action["tracker"] = whole[0][1]  # the whole item is a link to the tracker
        value = whole[0][0]
    text_value = clean(value)
    if text_value is None or is_none_marker(text_value):
        return None
    action["action"] = text_value
    return action


def _details(value: str, action: dict[str, Any]) -> str:
    """``Do X (@alice, due 2024-05-01, P1)`` and ``... Owner: @alice``."""
    owner = _OWNER_TAIL.search(value) if "owner" in value.lower() else None
    if owner:
        action["owner"] = owner.group("owner").strip()
        value = value[: owner.start()].rstrip()
    paren = _TRAILING_PAREN.search(value) if value.rstrip().endswith(")") else None
    if paren is None:
        return value
    parsed: dict[str, Any] = {}
    for token in (t.strip() for t in paren.group("inner").split(",")):
        if not _token(token, parsed):
            return value
    action.update(parsed)
    return value[: paren.start()].rstrip()


def _token(token: str, parsed: dict[str, Any]) -> bool:
    lower = token.lower()
    if token.startswith("@"):
        parsed["owner"] = token
        return True
    for prefix in ("owner:", "owner ", "assignee:"):
        if lower.startswith(prefix):
            parsed["owner"] = token[len(prefix) :].strip()
            return True
    for prefix in ("due:", "due ", "by "):
        if lower.startswith(prefix):
            day = date_value(token[len(prefix) :])
            if day is None:
                return False
            parsed["due"] = day
            return True
    found = priority(token) if re.fullmatch(r"[Pp][0-4]", token) else None
    if found is not None:
        parsed["priority"] = found.value
        return True
    status = action_status(token)
    if status is not None and token:
        parsed["status"] = status[0].value
        if status[1]:
            parsed["status_reason"] = status[1]
        return True
    return False


def _status_paragraph(block: Paragraph, category: str | None, draft: Draft) -> bool:
    """``'''Done''': Release a version ...``: a status word as the label of an action."""
    label = split_label(block.lines[0])
    if label is None or not label.bold or not label.value:
        return False
    found = action_status(label.name)
    if found is None:
        return False
    text = "\n".join([label.value, *block.lines[1:]]).strip()
    action: dict[str, Any] = {"action": text, "status": found[0].value, "_line": block.line}
    if found[1]:
        action["status_reason"] = found[1]
    _add(draft, action, category)
    return True


# --- categorized lists ------------------------------------------------------------------------


def _categorized_item(item: ListItem, category: str | None, draft: Draft, *, create: bool) -> bool:
    """``- [x] A1: text`` under a category: give the category to item A1 (or add the item)."""
    parsed = _bullet(draft.item_text(item), item.checked, item.line)
    if parsed is None:
        return True
    existing = _find(draft, parsed.get("id"), None if parsed.get("id") else parsed["action"])
    if existing is None:
        if not create:
            return False
        _add(draft, parsed, category)
        return True
    if category and not existing.get("category"):
        existing["category"] = category
    if "status" in parsed and not existing.get("_table_status"):
        existing["status"] = parsed["status"]
    return True


def categorise(unit: Unit, name: str, draft: Draft) -> bool:
    """A category label: ``**Prevent:** ... (A1, A3)`` or a bold label over a checkbox list.
    Ids are matched at the end, since a layout may give them further down (More details)."""
    ids = _TRAILING_IDS.search(unit.value)
    if ids:
        for action_id in re.split(r"\s*,\s*", ids.group("ids")):
            draft.pending_categories.append((action_id, name))
    for item in list_items(unit.blocks):
        _categorized_item(item, name, draft, create=True)
    return True


def assign_ids(actions: list[dict[str, Any]]) -> None:
    """Give ``A1``, ``A2`` ... in document order to items that have no id, skipping used ones."""
    used = {str(action["id"]) for action in actions if action.get("id")}
    counter = 1
    for action in actions:
        if action.get("id"):
            continue
        while f"A{counter}" in used:
            counter += 1
        action["id"] = f"A{counter}"
        used.add(action["id"])
        counter += 1


def merge_details(units: list[Unit], draft: Draft) -> list[Unit]:
    """ "More details" rows ``Action | ID | Owner | ... | Category``: columns the layout's own
    table lacks, matched to its rows by the action's text."""
    rest: list[Unit] = []
    for unit in units:
        table = unit.block
        cols = _action_columns(table) if isinstance(table, Table) else None
        if not isinstance(table, Table) or cols is None:
            rest.append(unit)
            continue
        merged: set[int] = set()
        before = len(draft.actions)
        _table(table, None, draft)
        for row in draft.actions[before:]:
            target = next(
                (
                    a
                    for a in draft.actions[:before]
                    if id(a) not in merged and a.get("action") == row["action"]
                ),
                None,
            )
            if target is None:
                continue
            merged.add(id(target))
            draft.actions.remove(row)
            for name, value in row.items():
                if name in ("action", "_line") or name.startswith("_"):
                    continue
                if name == "status" and target.get("_table_status") and "status" in target:
                    continue
                target[name] = value
    return rest


def apply_pending_categories(draft: Draft) -> None:
    for action_id, category in draft.pending_categories:
        existing = _find(draft, action_id)
        if existing is not None and not existing.get("category"):
            existing["category"] = category
