"""GitHub ``deployment`` and ``deployment_status`` webhooks as timeline events: what was
deployed (repository, ref, commit) where (environment) and when.

A ``deployment`` webhook is the request (``[Deploy requested]`` at its ``created_at``); each
``deployment_status`` is a step (``[Deploying]``, ``[Deployed]``, ``[Deploy failed]``...) at the
status's ``created_at``. A deployment whose description says it rolls back or reverts is a
mitigation. Refs are ``github:deployment:<id>:<state>``. Other webhooks in the same file are
skipped with a warning.
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
    json_documents,
    make_event,
    parse_rfc3339,
)
from hindsight.text.kinds import classify

WHAT = "a GitHub deployment or deployment_status webhook"

_STATES = {
    "created": "Deploy requested",
    "queued": "Deploy queued",
    "pending": "Deploy pending",
    "in_progress": "Deploying",
    "success": "Deployed",
    "failure": "Deploy failed",
    "error": "Deploy errored",
    "inactive": "Deploy inactive",
}


def read_github(
    path: Path, *, since: datetime | None = None, until: datetime | None = None
) -> SourceResult:
    """Events from GitHub deployment and deployment_status webhooks in ``path``."""
    result = SourceResult()
    window = Window(since, until)
    found = False
    for where, document in json_documents(path, what=WHAT):
        body = expect_mapping(document, where=where, what=WHAT)
        deployment = body.get("deployment")
        if not isinstance(deployment, dict):
            result.warnings.append(f"{where}: not a deployment webhook; skipped")
            continue
        found = True
        event = _event(body, deployment, where=where)
        if event.at in window:
            result.events.append(event)
    if not found:
        raise ParseError(f"not {WHAT}: no 'deployment' in it", where=str(path))
    return result


def _event(body: dict[str, Any], deployment: dict[str, Any], *, where: str) -> TimelineEvent:
    status = body.get("deployment_status")
    step = status if isinstance(status, dict) else deployment
    state = first_text(status.get("state")) if isinstance(status, dict) else "created"
    at = parse_rfc3339(step.get("created_at"), where=where, field_name="created_at")
    if at is None:
        raise ParseError("the deployment has no created_at", where=where)
    repo = _mapping(body.get("repository"))
    what = _what(deployment, repo)
    environment = first_text(step.get("environment"), deployment.get("environment"))
    label = _STATES.get(state, f"Deploy {state}")
    text = f"[{label}] {what}" + (f" to {environment}" if environment else "")
    description = first_text(step.get("description"), deployment.get("description"))
    said = classify(f"{description} {deployment.get('task', '')}", weak=False)
    kind = EventKind.MITIGATION if said == EventKind.MITIGATION else EventKind.DEPLOY
    return make_event(
        at=at,
        text=text,
        kind=kind,
        actor=first_text(_mapping(step.get("creator")).get("login")) or None,
        source="github",
        link=_link(body, step, deployment, repo),
        notes=description or None,
        source_ref=f"github:deployment:{first_text(deployment.get('id'))}:{state}",
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _what(deployment: dict[str, Any], repo: dict[str, Any]) -> str:
    """``Codertocat/Hello-World master (f95f852)``."""
    name = first_text(repo.get("full_name"), repo.get("name"))
    ref = first_text(deployment.get("ref"))
    sha = first_text(deployment.get("sha"))[:7]
    parts = [part for part in (name, ref) if part]
    text = " ".join(parts) or "deployment"
    return f"{text} ({sha})" if sha and sha != ref else text


def _link(
    body: dict[str, Any], step: dict[str, Any], deployment: dict[str, Any], repo: dict[str, Any]
) -> str | None:
    for value in (
        step.get("target_url"),
        step.get("log_url"),
        step.get("environment_url"),
        _mapping(body.get("workflow_run")).get("html_url"),
    ):
        if isinstance(value, str) and value.startswith("http"):
            return value
    home, sha = first_text(repo.get("html_url")), first_text(deployment.get("sha"))
    return f"{home}/commit/{sha}" if home and sha else None
