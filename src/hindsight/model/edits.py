"""Pure edits of a postmortem: add a timeline event or an action item, change an action item, and
carry over what a Markdown layout does not show when an edited document replaces a stored one.

Each function returns a new, validated postmortem; none changes its argument. Problems are
``ValueError`` (bad value) or ``LookupError`` (no such action item) with a one-line message.
"""

from __future__ import annotations

import re
from typing import Any

from hindsight.model.postmortem import ActionItem, Postmortem, TimelineEvent

_HIDDEN_EVENT_FIELDS = ("kind", "source", "link", "source_ref")
_HIDDEN_ACTION_FIELDS = ("team", "tracker", "completed_on")


def _rebuilt(postmortem: Postmortem, **changes: Any) -> Postmortem:
    data = postmortem.model_dump(exclude={"durations"})
    data.update(changes)
    return Postmortem.model_validate(data)


def add_event(postmortem: Postmortem, event: TimelineEvent) -> Postmortem:
    """Insert ``event`` before the first event that is later than it; untimed events go last."""
    timeline = list(postmortem.timeline)
    position = len(timeline)
    if event.at is not None:
        for index, existing in enumerate(timeline):
            if existing.at is not None and existing.at > event.at:
                position = index
                break
    timeline.insert(position, event)
    return _rebuilt(postmortem, timeline=[e.model_dump() for e in timeline])


def next_action_id(postmortem: Postmortem) -> str:
    """``A<n>`` one past the highest ``A``-number in use (``A1`` for the first)."""
    numbers = [
        int(match.group(1))
        for item in postmortem.action_items
        if item.id and (match := re.fullmatch(r"[A-Za-z]*(\d+)", item.id))
    ]
    return f"A{max(numbers, default=0) + 1}"


def add_action(postmortem: Postmortem, item: ActionItem) -> Postmortem:
    """Append an action item, giving it the next free id when it has none."""
    if item.id is None:
        item = item.model_copy(update={"id": next_action_id(postmortem)})
    elif any(existing.id == item.id for existing in postmortem.action_items):
        raise ValueError(f"action item {item.id} already exists")
    items = [*(i.model_dump() for i in postmortem.action_items), item.model_dump()]
    return _rebuilt(postmortem, action_items=items)


def find_action(postmortem: Postmortem, action_id: str) -> int:
    """Index of the action item with this id (case-insensitive), else ``LookupError``."""
    for index, item in enumerate(postmortem.action_items):
        if item.id and item.id.lower() == action_id.lower():
            return index
    known = ", ".join(i.id for i in postmortem.action_items if i.id) or "none"
    raise LookupError(f"no action item {action_id!r} (action items: {known})")


def update_action(postmortem: Postmortem, action_id: str, **changes: Any) -> Postmortem:
    """Change fields of one action item; ``None`` values are left as they are."""
    index = find_action(postmortem, action_id)
    items = [i.model_dump() for i in postmortem.action_items]
    items[index].update({k: v for k, v in changes.items() if v is not None})
    return _rebuilt(postmortem, action_items=items)


def _event_key(event: TimelineEvent) -> tuple[Any, str]:
    return (event.at, event.text)


def carry_hidden(stored: Postmortem, edited: Postmortem) -> Postmortem:
    """``edited`` with the attributes its Markdown layout could not show taken from ``stored``.

    Timeline events are matched by time and text, action items by id; whatever the author
    changed in the document wins.
    """
    by_key = {_event_key(e): e for e in stored.timeline}
    timeline = []
    for event in edited.timeline:
        data = event.model_dump()
        old = by_key.get(_event_key(event))
        if old is not None:
            data.update({name: getattr(old, name) for name in _HIDDEN_EVENT_FIELDS})
        timeline.append(data)
    by_id = {i.id: i for i in stored.action_items if i.id}
    items = []
    for item in edited.action_items:
        fields = item.model_dump()
        previous = by_id.get(item.id) if item.id else None
        if previous is not None:
            for name in _HIDDEN_ACTION_FIELDS:
                if fields[name] is None:
                    fields[name] = getattr(previous, name)
        items.append(fields)
    return _rebuilt(edited, timeline=timeline, action_items=items)
