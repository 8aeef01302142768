"""PagerDuty as timeline events: v3 webhooks and the REST API's log-entry listing.

Webhooks v3 (``{"event": {...}}``, one per file, a JSON array, or JSON Lines) give one event
each: ``incident.triggered`` an alert, ``acknowledged`` an acknowledgement, ``escalated``,
``reassigned``, ``delegated`` and ``responder.added`` escalations, ``resolved`` a resolution,
``annotated`` a note whose kind comes from its words. ``GET /log_entries`` (or
``/incidents/{id}/log_entries``) gives the same history from the API, entry by entry.

Refs are ``pagerduty:<event id>`` and ``pagerduty:<log entry id>``; a webhook and the log
entry for the same action have different ids and merge by time and text instead.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from hindsight.errors import ParseError
from hindsight.model import EventKind, Link, LinkKind, TimelineEvent
from hindsight.sources.common import (
    SourceResult,
    Window,
    expect_mapping,
    first_text,
    json_documents,
    make_event,
    parse_rfc3339,
)
from hindsight.text.kinds import classify

WHAT = "a PagerDuty v3 webhook or log-entry listing"

# event_type suffix -> (label, kind)
_WEBHOOK_TYPES: dict[str, tuple[str, EventKind]] = {
    "triggered": ("Triggered", EventKind.ALERT),
    "reopened": ("Reopened", EventKind.ALERT),
    "acknowledged": ("Acknowledged", EventKind.ACKNOWLEDGEMENT),
    "unacknowledged": ("Unacknowledged", EventKind.NOTE),
    "escalated": ("Escalated", EventKind.ESCALATION),
    "reassigned": ("Reassigned", EventKind.ESCALATION),
    "delegated": ("Delegated", EventKind.ESCALATION),
    "responder.added": ("Responder added", EventKind.ESCALATION),
    "responder.replied": ("Responder replied", EventKind.ESCALATION),
    "resolved": ("Resolved", EventKind.RESOLUTION),
    "priority_updated": ("Priority changed", EventKind.NOTE),
    "status_update_published": ("Status update", EventKind.COMMUNICATION),
    "annotated": ("Note", EventKind.NOTE),
    "conference_bridge.updated": ("Conference bridge", EventKind.NOTE),
}

# log entry type (without ``_log_entry``) -> (label, kind)
_LOG_TYPES: dict[str, tuple[str, EventKind]] = {
    "trigger": ("Triggered", EventKind.ALERT),
    "acknowledge": ("Acknowledged", EventKind.ACKNOWLEDGEMENT),
    "unacknowledge": ("Unacknowledged", EventKind.NOTE),
    "escalate": ("Escalated", EventKind.ESCALATION),
    "repeat_escalation_path": ("Escalated", EventKind.ESCALATION),
    "exhaust_escalation_path": ("Escalation exhausted", EventKind.ESCALATION),
    "assign": ("Assigned", EventKind.ESCALATION),
    "delegate": ("Delegated", EventKind.ESCALATION),
    "responder_request": ("Responders requested", EventKind.ESCALATION),
    "responder_accept": ("Responder joined", EventKind.ESCALATION),
    "notify": ("Notified", EventKind.NOTE),
    "resolve": ("Resolved", EventKind.RESOLUTION),
    "annotate": ("Note", EventKind.NOTE),
    "status_update": ("Status update", EventKind.COMMUNICATION),
    "snooze": ("Snoozed", EventKind.NOTE),
    "urgency_change": ("Urgency changed", EventKind.NOTE),
    "priority_change": ("Priority changed", EventKind.NOTE),
}


def read_pagerduty(
    path: Path, *, since: datetime | None = None, until: datetime | None = None
) -> SourceResult:
    """Events from PagerDuty v3 webhooks or a log-entry listing in ``path``."""
    result = SourceResult()
    window = Window(since, until)
    for where, document in json_documents(path, what=WHAT):
        body = expect_mapping(document, where=where, what=WHAT)
        if isinstance(body.get("event"), dict):
            event = _webhook_event(body["event"], where=where, result=result)
        elif isinstance(body.get("log_entries"), list):
            for index, entry in enumerate(body["log_entries"]):
                place = f"{where}: log_entries[{index}]"
                _add(
                    result,
                    _log_event(
                        expect_mapping(entry, where=place, what="a log entry"),
                        where=place,
                        result=result,
                    ),
                    window,
                )
            continue
        elif str(body.get("type", "")).endswith("_log_entry"):
            event = _log_event(body, where=where, result=result)
        elif "messages" in body:
            raise ParseError(
                "a PagerDuty v2 webhook; only v3 webhooks and log entries are read", where=where
            )
        else:
            raise ParseError(f"not {WHAT}: missing 'event' or 'log_entries'", where=where)
        _add(result, event, window)
    return result


def _add(result: SourceResult, event: TimelineEvent | None, window: Window) -> None:
    if event is not None and event.at in window:
        result.events.append(event)


# --- webhooks v3 ------------------------------------------------------------------------------


def _webhook_event(
    event: dict[str, Any], *, where: str, result: SourceResult
) -> TimelineEvent | None:
    event_type = first_text(event.get("event_type"))
    if not event_type.startswith("incident."):
        result.warnings.append(f"{where}: {event_type or 'an event with no type'} skipped")
        return None
    label, kind = _WEBHOOK_TYPES.get(
        event_type.removeprefix("incident."), (event_type.removeprefix("incident."), EventKind.NOTE)
    )
    at = parse_rfc3339(event.get("occurred_at"), where=where, field_name="occurred_at")
    if at is None:
        raise ParseError("the event has no occurred_at", where=where)
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    assert isinstance(data, dict)
    incident = data if data.get("type") == "incident" else _mapping(data.get("incident"))
    name = _incident_name(incident)
    text = f"[{label}] {name}"
    notes = None
    if event_type == "incident.annotated":
        content = first_text(data.get("content"))
        kind = EventKind(classify(content, weak=False))
        text, notes = f"[{label}] {content}", f"On {name}"
    elif kind is EventKind.ESCALATION:
        to = _names(data.get("assignees")) or _user(data.get("user"))
        text += f" to {to}" if to else ""
    elif event_type == "incident.status_update_published":
        text += f": {first_text(data.get('message'))}"
    service = _mapping(incident.get("service")).get("summary")
    if kind is EventKind.ALERT and isinstance(service, str) and service not in text:
        text += f" on {service}"
    _remember(result, incident, service)
    return make_event(
        at=at,
        text=text,
        kind=kind,
        actor=_user(event.get("agent")),
        source="pagerduty",
        link=first_text(incident.get("html_url")) or None,
        notes=notes,
        source_ref=f"pagerduty:{first_text(event.get('id'))}",
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _incident_name(incident: dict[str, Any]) -> str:
    """``#10 Test Incident`` (the API writes ``[#10] Test Incident`` in references)."""
    title = first_text(incident.get("title"), incident.get("summary"))
    match = re.match(r"\[#(\d+)\]\s*(.*)", title)
    if match:
        return f"#{match.group(1)} {match.group(2)}".strip()
    number = incident.get("number") or incident.get("incident_number")
    return f"#{number} {title}".strip() if number else title or "incident"


def _user(value: Any) -> str | None:
    agent = _mapping(value)
    if agent.get("type") not in ("user_reference", "user", None):
        return None
    return first_text(agent.get("summary"), agent.get("name")) or None


def _names(value: Any) -> str:
    if not isinstance(value, list):
        return ""
    return ", ".join(name for item in value if (name := _user(item)))


def _remember(result: SourceResult, incident: dict[str, Any], service: Any) -> None:
    if isinstance(service, str):
        result.add_service(service)
    url = first_text(incident.get("html_url"))
    if url:
        label = f"PagerDuty {_incident_name(incident)}"
        result.add_link(Link(label=label, url=url, kind=LinkKind.TICKET))


# --- REST log entries -------------------------------------------------------------------------


def _log_event(entry: dict[str, Any], *, where: str, result: SourceResult) -> TimelineEvent | None:
    entry_type = first_text(entry.get("type")).removesuffix("_log_entry").removesuffix("_reference")
    fallback = (entry_type.replace("_", " ").capitalize(), EventKind.NOTE)
    label, kind = _LOG_TYPES.get(entry_type, fallback)
    at = parse_rfc3339(entry.get("created_at"), where=where, field_name="created_at")
    if at is None:
        result.warnings.append(f"{where}: log entry with no created_at skipped")
        return None
    incident = _mapping(entry.get("incident"))
    name = _incident_name(incident)
    summary = first_text(entry.get("summary"))
    channel = _mapping(entry.get("channel"))
    notes = summary or None
    if entry_type == "annotate":
        content = first_text(channel.get("summary"), _mapping(entry.get("note")).get("content"))
        content = content or summary
        kind = EventKind(classify(content, weak=False))
        text, notes = f"[{label}] {content}", f"On {name}"
    elif entry_type == "notify" and summary:
        text, notes = summary.rstrip("."), f"On {name}"
    else:
        text = f"[{label}] {name}"
    service = _mapping(entry.get("service")).get("summary")
    if kind is EventKind.ALERT and isinstance(service, str) and service not in text:
        text += f" on {service}"
    _remember(result, incident, service)
    return make_event(
        at=at,
        text=text,
        kind=kind,
        actor=_user(entry.get("agent")),
        source="pagerduty",
        link=first_text(incident.get("html_url"), entry.get("html_url")) or None,
        notes=notes,
        source_ref=f"pagerduty:{first_text(entry.get('id'))}",
    )
