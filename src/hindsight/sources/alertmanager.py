"""Prometheus Alertmanager webhooks (version 4) as timeline events.

Reads one webhook body, a JSON array of them, or JSON Lines (one body per line, as a receiver
that logs what it gets would write them), and also the alert list of Alertmanager's API
(``GET /api/v2/alerts``). Each alert gives a ``[FIRING]`` event at ``startsAt``; a resolved alert
also gives a ``[RESOLVED]`` event at ``endsAt``. Alertmanager can send a resolved alert whose
``endsAt`` is still Go's zero time (``0001-01-01T00:00:00Z``): its resolution time is unknown, so
that event is left out with a warning rather than placed in year 1 or at the start.

The same alert notified many times (``repeat_interval``, a firing then a resolved notification)
keeps one source ref, ``alertmanager:<fingerprint>:<startsAt>``, so the copies merge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hindsight.errors import ParseError
from hindsight.model import EventKind, Link, LinkKind, TimelineEvent
from hindsight.sources.common import (
    EVERYTHING,
    SERVICE_LABELS,
    SourceResult,
    Window,
    expect_mapping,
    first_text,
    json_documents,
    make_event,
    parse_rfc3339,
    utc_text,
)

_TARGET_LABELS = (*SERVICE_LABELS[:4], "host", "instance", "pod", "node", *SERVICE_LABELS[4:])

AlertLinks = Callable[[dict[str, Any]], tuple[str | None, list[str]]]
"""From an alert, its link and any further links worth a line in the notes."""


def read_alertmanager(
    path: Path, *, since: datetime | None = None, until: datetime | None = None
) -> SourceResult:
    """Events from Alertmanager webhook bodies in ``path`` (JSON or JSON Lines)."""
    return read_alerts(
        path,
        source="alertmanager",
        what="an Alertmanager webhook",
        window=Window(since, until),
        links=_generator_link,
    )


def _generator_link(alert: dict[str, Any]) -> tuple[str | None, list[str]]:
    return _url(alert.get("generatorURL")), []


def _url(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def read_alerts(
    path: Path,
    *,
    source: str,
    what: str,
    window: Window = EVERYTHING,
    links: AlertLinks,
) -> SourceResult:
    """Events from Alertmanager-shaped webhooks; shared with Grafana's unified alerting."""
    result = SourceResult()
    for where, document in json_documents(path, what=what):
        body = expect_mapping(document, where=where, what=what)
        if "alerts" not in body:
            if "labels" in body and "startsAt" in body:  # one alert from the API's list
                body = {"alerts": [body], "status": None}
            else:
                raise ParseError(f"not {what}: missing 'alerts'", where=where)
        _read_body(body, where=where, source=source, what=what, result=result, links=links,
                   window=window)  # fmt: skip
    return result


def _read_body(
    body: dict[str, Any],
    *,
    where: str,
    source: str,
    what: str,
    result: SourceResult,
    links: AlertLinks,
    window: Window,
) -> None:
    alerts = body["alerts"]
    if not isinstance(alerts, list):
        raise ParseError(f"not {what}: 'alerts' is not a list", where=where)
    truncated = body.get("truncatedAlerts")
    if isinstance(truncated, int) and truncated > 0:
        result.warnings.append(f"{where}: {truncated} alerts were left out by the sender")
    external = _url(body.get("externalURL"))
    if external and source == "alertmanager":
        result.add_link(Link(label="Alertmanager", url=external, kind=LinkKind.ALERTING))
    group_status = body.get("status")
    for index, alert in enumerate(alerts):
        place = f"{where}: alerts[{index}]"
        alert = expect_mapping(alert, where=place, what="an alert")
        events = alert_events(
            alert, where=place, source=source, status=group_status, result=result, links=links
        )
        result.events.extend(event for event in events if event.at in window)


def alert_events(
    alert: dict[str, Any],
    *,
    where: str,
    source: str,
    status: Any,
    result: SourceResult,
    links: AlertLinks,
) -> list[TimelineEvent]:
    """The firing event of one alert and, when its end is known, its resolution."""
    labels = _strings(alert.get("labels"))
    annotations = _strings(alert.get("annotations"))
    started = parse_rfc3339(alert.get("startsAt"), where=where, field_name="startsAt")
    name = labels.get("alertname") or "alert"
    state = _state(alert.get("status", status))
    fingerprint = first_text(alert.get("fingerprint")) or _fingerprint(labels)
    if started is None:
        result.warnings.append(f"{where}: alert {name} has no startsAt; skipped")
        return []
    result.add_service(next((labels[k] for k in SERVICE_LABELS if labels.get(k)), None))
    subject = _subject(name, labels, annotations)
    link, more = links(alert)
    notes = _notes(annotations, more)
    ref = f"{source}:{fingerprint}:{utc_text(started)}"
    events = [
        make_event(
            at=started,
            text=f"[FIRING] {subject}",
            kind=EventKind.ALERT,
            source=source,
            link=link,
            notes=notes,
            source_ref=ref,
        )
    ]
    if state != "resolved":
        return events
    ended = parse_rfc3339(alert.get("endsAt"), where=where, field_name="endsAt")
    if ended is None:
        result.warnings.append(
            f"{where}: alert {name} is resolved but its endsAt is 0001-01-01 (unset); "
            "its resolution time is unknown and left out"
        )
        return events
    events.append(
        make_event(
            at=ended,
            text=f"[RESOLVED] {subject}",
            kind=EventKind.RESOLUTION,
            source=source,
            link=link,
            source_ref=f"{ref}:resolved",
        )
    )
    return events


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None and str(v).strip()}


def _state(value: Any) -> str:
    if isinstance(value, dict):  # the API's {"state": "active" | "suppressed" | ...}
        value = value.get("state")
    return str(value or "firing").lower()


def _fingerprint(labels: dict[str, str]) -> str:
    text = "\x00".join(f"{k}={v}" for k, v in sorted(labels.items()))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def _subject(name: str, labels: dict[str, str], annotations: dict[str, str]) -> str:
    """``HighErrorRate on checkout-api: error rate above 5%``."""
    target = next((labels[k] for k in _TARGET_LABELS if labels.get(k)), None)
    summary = first_text(
        annotations.get("summary"),
        annotations.get("description"),
        annotations.get("message"),
        annotations.get("title"),
    )
    text = f"{name} on {target}" if target and target != name else name
    if summary and summary.lower() != name.lower():
        text += f": {summary}"
    return text


def _notes(annotations: dict[str, str], more: list[str]) -> str | None:
    parts = []
    description = annotations.get("description")
    if description and description != annotations.get("summary"):
        parts.append(description)
    runbook = annotations.get("runbook_url") or annotations.get("runbook")
    if runbook:
        parts.append(f"Runbook: {runbook}")
    parts.extend(more)
    return "; ".join(parts) or None
