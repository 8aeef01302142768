"""Opsgenie webhooks as timeline events.

Each webhook (one per file, a JSON array, or JSON Lines) is one action on an alert: ``Create``
(an alert), ``Acknowledge``, ``AddNote`` (a note whose kind comes from its words), ``Escalate``,
``AssignOwnership``, ``AddResponder`` and ``TakeOwnership`` (escalations), ``Close`` (a
resolution), and the rest as notes. Opsgenie writes ``createdAt`` in milliseconds and
``updatedAt`` in nanoseconds: a created alert is placed at ``createdAt``, any other action at
``updatedAt``, the time of that action. Refs are ``opsgenie:<alertId>:<action>:<time>``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from hindsight.errors import ParseError
from hindsight.model import EventKind, TimelineEvent
from hindsight.sources.common import (
    SourceResult,
    Window,
    expect_mapping,
    first_text,
    from_epoch,
    json_documents,
    make_event,
    utc_text,
)
from hindsight.text.kinds import classify

WHAT = "an Opsgenie webhook"

_ACTIONS: dict[str, tuple[str, EventKind]] = {
    "create": ("Created", EventKind.ALERT),
    "acknowledge": ("Acknowledged", EventKind.ACKNOWLEDGEMENT),
    "unacknowledge": ("Unacknowledged", EventKind.NOTE),
    "addnote": ("Note", EventKind.NOTE),
    "escalate": ("Escalated", EventKind.ESCALATION),
    "escalatetonext": ("Escalated", EventKind.ESCALATION),
    "assignownership": ("Assigned", EventKind.ESCALATION),
    "takeownership": ("Took ownership", EventKind.ESCALATION),
    "addresponder": ("Responder added", EventKind.ESCALATION),
    "addrecipient": ("Recipient added", EventKind.ESCALATION),
    "addteam": ("Team added", EventKind.ESCALATION),
    "close": ("Closed", EventKind.RESOLUTION),
    "delete": ("Deleted", EventKind.NOTE),
    "snooze": ("Snoozed", EventKind.NOTE),
    "updatepriority": ("Priority changed", EventKind.NOTE),
}


def read_opsgenie(
    path: Path, *, since: datetime | None = None, until: datetime | None = None
) -> SourceResult:
    """Events from Opsgenie webhook bodies in ``path``."""
    result = SourceResult()
    window = Window(since, until)
    for where, document in json_documents(path, what=WHAT):
        body = expect_mapping(document, where=where, what=WHAT)
        if not isinstance(body.get("alert"), dict) or not body.get("action"):
            raise ParseError(f"not {WHAT}: missing 'action' or 'alert'", where=where)
        event = _event(body, where=where, result=result)
        if event.at in window:
            result.events.append(event)
    return result


def _event(body: dict[str, Any], *, where: str, result: SourceResult) -> TimelineEvent:
    alert: dict[str, Any] = body["alert"]
    action = first_text(body.get("action"))
    label, kind = _ACTIONS.get(action.lower(), (action, EventKind.NOTE))
    at = _when(alert, action=action, where=where)
    name = _alert_name(alert)
    text, notes = f"[{label}] {name}", None
    if action.lower() == "addnote":
        note = first_text(alert.get("note"))
        kind = EventKind(classify(note, weak=False))
        text, notes = f"[{label}] {note}", f"On {name}"
    elif action.lower() == "create":
        notes = first_text(alert.get("description")) or None
    entity = first_text(alert.get("entity"))
    if kind is EventKind.ALERT and entity:
        text += f" on {entity}"
    result.add_service(entity or None)
    return make_event(
        at=at,
        text=text,
        kind=kind,
        actor=first_text(alert.get("username"), _mapping(body.get("source")).get("name")) or None,
        source="opsgenie",
        notes=notes,
        source_ref=f"opsgenie:{first_text(alert.get('alertId'))}:{action}:{utc_text(at)}",
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _when(alert: dict[str, Any], *, action: str, where: str) -> datetime:
    keys = ("createdAt", "updatedAt") if action.lower() == "create" else ("updatedAt", "createdAt")
    for key in keys:
        if alert.get(key) not in (None, ""):
            return from_epoch(alert[key], where=where, field_name=key)
    raise ParseError("the alert has neither createdAt nor updatedAt", where=where)


def _alert_name(alert: dict[str, Any]) -> str:
    """``#23 test alert`` (Opsgenie's short ``tinyId`` and the alert message)."""
    message = first_text(alert.get("message"), alert.get("alias")) or "alert"
    tiny = first_text(alert.get("tinyId"))
    return f"#{tiny} {message}" if tiny else message
