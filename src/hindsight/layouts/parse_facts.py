"""Labels that state facts about the incident: its id, title, dates, status and severity, when
things happened and how long they took. Also the helpers every label handler shares.

A handler takes a labelled :class:`Unit`, writes what it states into the draft and returns True;
a value it cannot read is kept in ``custom_fields`` with a warning, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hindsight.layouts.parse_draft import Draft, Unit, list_items
from hindsight.layouts.parse_values import (
    clean,
    date_value,
    document_status,
    incident_status,
    is_none_marker,
    is_placeholder,
    people,
    severity,
    split_items,
    valid_id,
)
from hindsight.model import IncidentType
from hindsight.text.durations import parse_duration
from hindsight.text.markdown import plain_text
from hindsight.text.times import find_date

_TIMELINE_CONTEXTS = ("timeline",)

# --- helpers ----------------------------------------------------------------------------------


def value_of(unit: Unit) -> str | None:
    return clean(unit.value)


def items_of(unit: Unit, draft: Draft) -> list[str]:
    """The value and any list under the label, as list entries."""
    found: list[str] = []
    value = value_of(unit)
    if value and not is_none_marker(value):
        found.append(value)
    for item in list_items(unit.blocks):
        text = draft.item_text(item).strip()
        if text and not is_placeholder(text) and not is_none_marker(text):
            found.append(text)
    return found


def text_of(unit: Unit, draft: Draft) -> str | None:
    parts = [unit.value.strip()] if unit.value.strip() else []
    parts += [draft.block_text(block) for block in unit.blocks]
    text = "\n\n".join(part for part in parts if part.strip())
    return clean(text)


def keep_custom(unit: Unit, draft: Draft, what: str) -> None:
    value = value_of(unit)
    if value is None:
        return
    label = plain_text(unit.label or what).rstrip(":").strip()
    draft.warn(unit.line, f"{what} {value!r} not understood; kept in custom_fields[{label!r}]")
    fields = dict(draft.get("custom_fields") or {})
    fields[label] = value
    draft.set("custom_fields", fields)


def _instant_range(text: str, draft: Draft) -> tuple[object, object, str | None]:
    """``start to end (duration)``: two instants (or None) and the duration text."""
    duration = None
    paren = re.search(r"\(([^()]*)\)\s*$", text)
    if paren:
        duration = paren.group(1)
        text = text[: paren.start()].strip()
    parts = re.split(r"\s+(?:to|until|till)\s+|\s+[-–—]\s+", text, maxsplit=1)
    if len(parts) != 2:
        return None, None, duration or text
    start = draft.ctx.read(plain_text(parts[0]))
    end = draft.ctx.read(plain_text(parts[1]))
    return (
        start.at if not start.date_only else None,
        end.at if not end.date_only else None,
        duration,
    )


def body_milestone(draft: Draft, name: str, at: object, line: int) -> None:
    if at is not None and name not in draft.milestones:
        draft.milestones[name] = (at, line)  # type: ignore[assignment]


# --- the handlers -----------------------------------------------------------------------------

Handler = Callable[[Unit, str, Draft], bool]
"""Writes a labelled value into the draft; False when the label has nothing to say here."""


def _id(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    found = valid_id(value)
    if found is None:
        keep_custom(unit, draft, "incident id")
    else:
        draft.set("id", found)
    return True


def _title(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value:
        draft.set("title", plain_text(value))
    return True


def _date(unit: Unit, context: str, draft: Draft) -> bool:
    if context.startswith("signoffs"):
        return False
    value = value_of(unit)
    if value is None:
        return True
    found = date_value(value) or find_date(plain_text(value))
    if found is None:
        keep_custom(unit, draft, "date")
        return True
    if context.startswith(_TIMELINE_CONTEXTS):
        draft.ctx.set_day(found)
        return True
    draft.set_date(found)
    return True


def _datetime(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    instant = draft.ctx.read(plain_text(value))
    if instant.at is None:
        return _date(unit, context, draft)
    if instant.date_only:
        draft.fill("date", instant.at.date())
    else:
        # seed 004's "Date/Time" is when impact started; the date alone, when only that is known
        body_milestone(draft, "impact_started_at", instant.at, unit.line)
    return True


def _simple_date(path: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is None:
            return True
        found = date_value(value)
        if found is None:
            keep_custom(unit, draft, path.replace("_", " "))
        else:
            draft.set(path, found)
        return True

    return handle


def _authors(unit: Unit, context: str, draft: Draft) -> bool:
    names = people(unit.value) + [
        name for item in list_items(unit.blocks) for name in people(item.text)
    ]
    if names:
        draft.set("authors", names)
    return True


def _status(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    doc = document_status(value)
    if doc is not None:
        draft.set("status", doc.value)
        return True
    incident = incident_status(value)
    if incident is not None:
        draft.set("incident_status", incident.value)
        return True
    first, _, rest = plain_text(value).partition(" ")
    incident = incident_status(first)
    if incident is not None and rest:
        # "Resolved at 2020-04-15 15:09 UTC": the status, and when it was reached
        draft.set("incident_status", incident.value)
        instant = draft.ctx.read(re.sub(r"^(?:at|on|since)\s+", "", rest))
        if incident.value == "resolved" and instant.at is not None and not instant.date_only:
            body_milestone(draft, "resolved_at", instant.at, unit.line)
        return True
    keep_custom(unit, draft, "status")
    return True


def _incident_status(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    found = incident_status(value)
    if found is None:
        keep_custom(unit, draft, "incident status")
    else:
        draft.set("incident_status", found.value)
    return True


def _severity(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    found = severity(value)
    if found is None:
        keep_custom(unit, draft, "severity")
    else:
        draft.set("severity", found.label())
    return True


def _incident_type(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    word = plain_text(value).strip().lower()
    try:
        draft.set("incident_type", IncidentType(word).value)
    except ValueError:
        keep_custom(unit, draft, "incident type")
    return True


def _tags(unit: Unit, context: str, draft: Draft) -> bool:
    draft.add_items("tags", [plain_text(tag) for tag in split_items(unit.value)])
    return True


def _duration(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    text = plain_text(value)
    start, end, duration = _instant_range(text, draft)
    body_milestone(draft, "impact_started_at", start, unit.line)
    body_milestone(draft, "resolved_at", end, unit.line)
    seconds = parse_duration(duration) if duration else None
    if seconds is None and start is None:
        seconds = parse_duration(text)
    if seconds is not None:
        stated(draft, "total", seconds, unit.line)
    elif start is None and end is None:
        keep_custom(unit, draft, "duration")
    return True


def _time_range(unit: Unit, context: str, draft: Draft) -> bool:
    value = value_of(unit)
    if value is None:
        return True
    start, end, _ = _instant_range(plain_text(value), draft)
    if start is None and end is None:
        instant = draft.ctx.read(plain_text(value))
        if instant.at is None or instant.date_only:
            keep_custom(unit, draft, "time")
            return True
        start = instant.at
    body_milestone(draft, "impact_started_at", start, unit.line)
    body_milestone(draft, "resolved_at", end, unit.line)
    return True


def _milestone(name: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is None:
            return True
        instant = draft.ctx.read(plain_text(value))
        if instant.at is None or instant.date_only:
            keep_custom(unit, draft, name.removesuffix("_at").replace("_", " ") + " time")
        else:
            body_milestone(draft, name, instant.at, unit.line)
        return True

    return handle


def stated(draft: Draft, name: str, seconds: int, line: int = 0) -> None:
    draft.stated[name] = (seconds, line)


def _stated_duration(name: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is None or is_none_marker(value):
            return True
        text = plain_text(value)
        seconds = parse_duration(text)
        if seconds is None or len(text.split()) > 8:
            return False  # prose that starts with the words, not a stated duration
        stated(draft, name, seconds, unit.line)
        return True

    return handle


_LEADING_DURATION = re.compile(
    r"^(?P<d>\d+\s*[dhms](?:\s+\d+\s*[dhms])*)(?:\s+-\s+(?P<rest>.*))?$", re.DOTALL
)


def _detection_gap(unit: Unit, context: str, draft: Draft) -> bool:
    """``8m``, ``8m - why it took that long``, or the explanation alone."""
    value = value_of(unit)
    if value is None:
        return True
    match = _LEADING_DURATION.match(value)
    seconds = parse_duration(match.group("d")) if match else None
    if match is not None and seconds is not None:
        stated(draft, "detection_gap", seconds, unit.line)
        if clean(match.group("rest")):
            draft.add_text("detection.gap", match.group("rest").strip())
    else:
        draft.add_text("detection.gap", value)
    return True


def text_field(path: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        text = text_of(unit, draft)
        if text is not None:
            draft.add_text(path, text)
        return True

    return handle


def scalar_field(path: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        value = value_of(unit)
        if value is not None:
            draft.set(path, plain_text(value))
        return True

    return handle


def list_field(path: str) -> Handler:
    def handle(unit: Unit, context: str, draft: Draft) -> bool:
        draft.add_items(path, items_of(unit, draft))
        return True

    return handle


FACT_HANDLERS: dict[str, Handler] = {
    "id": _id,
    "title": _title,
    "date": _date,
    "datetime": _datetime,
    "postmortem_date": _simple_date("postmortem_date"),
    "updated": _simple_date("updated"),
    "authors": _authors,
    "status": _status,
    "incident_status": _incident_status,
    "severity": _severity,
    "incident_type": _incident_type,
    "tags": _tags,
    "duration": _duration,
    "time": _time_range,
    "start": _milestone("impact_started_at"),
    "end": _milestone("resolved_at"),
    "detected_at": _milestone("detected_at"),
    "acknowledged_at": _milestone("acknowledged_at"),
    "mitigated_at": _milestone("mitigated_at"),
    "resolved_at": _milestone("resolved_at"),
    "time_to_detect": _stated_duration("time_to_detect"),
    "time_to_acknowledge": _stated_duration("time_to_acknowledge"),
    "time_to_mitigate": _stated_duration("time_to_mitigate"),
    "time_to_resolve": _stated_duration("time_to_resolve"),
    "detection_gap": _detection_gap,
}
