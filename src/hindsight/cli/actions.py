"""``hindsight action``: action items of a stored postmortem."""

from __future__ import annotations

from typing import Any

import typer

from hindsight.cli._app import action_app
from hindsight.cli._common import (
    JSON_OPTION,
    handle_errors,
    now,
    parse_date,
    print_json,
    session_for,
    settings,
)

OWNER = typer.Option(None, "--owner", "-o", help="Who will do it (a person or team).")
PRIORITY = typer.Option(None, "--priority", "-p", help="P0..P4.")
DUE = typer.Option(None, "--due", help="Due date, YYYY-MM-DD.")
CATEGORY = typer.Option(
    None, "--category", "-c", help="prevent, detect, mitigate, respond, recover or process."
)
TRACKER = typer.Option(None, "--tracker", help="Link to the ticket that tracks it.")
TEAM = typer.Option(None, "--team", help="Team that owns it.")


def _print(stored: Any, action_id: str | None, as_json: bool, verb: str) -> None:
    pm = stored.postmortem
    item = next((i for i in pm.action_items if i.id == action_id), pm.action_items[-1])
    if as_json:
        print_json(item.model_dump(mode="json"))
    else:
        typer.echo(f"{pm.id}: action {item.id} {verb} (revision {stored.revision})")


@action_app.command("add")
@handle_errors
def add(
    ref: str = typer.Argument(..., help="Postmortem id."),
    action: str = typer.Argument(..., help="What will be done: specific and bounded."),
    owner: str | None = OWNER,
    priority: str | None = PRIORITY,
    due: str | None = DUE,
    category: str | None = CATEGORY,
    tracker: str | None = TRACKER,
    team: str | None = TEAM,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add an action item (given the next free id, A1, A2...) as a new revision."""
    from pydantic import ValidationError

    from hindsight import service
    from hindsight.errors import invalid_from_validation
    from hindsight.model import ActionItem

    try:
        item = ActionItem(
            action=action,
            owner=owner,
            priority=priority,
            due=parse_date(due, option="--due"),
            category=category,
            tracker=tracker,
            team=team,
        )
    except ValidationError as exc:
        raise invalid_from_validation(exc) from exc
    config = settings()
    with session_for(config) as session:
        stored = service.add_action_item(
            session=session, ref=ref, item=item, settings=config, now=now()
        )
    _print(stored, None, as_json, "added")


@action_app.command("set")
@handle_errors
def set_(
    ref: str = typer.Argument(..., help="Postmortem id."),
    action_id: str = typer.Argument(..., help="Action item id, such as A2."),
    status: str | None = typer.Option(
        None, "--status", "-s", help="open, in_progress, done or wont_do (needs --reason)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why, for wont_do."),
    owner: str | None = OWNER,
    priority: str | None = PRIORITY,
    due: str | None = DUE,
    category: str | None = CATEGORY,
    tracker: str | None = TRACKER,
    team: str | None = TEAM,
    action: str | None = typer.Option(None, "--action", help="New wording of the action."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Change an action item: status, owner, due date, priority, category..."""
    from hindsight import service

    changes: dict[str, Any] = {
        "status": status,
        "status_reason": reason,
        "owner": owner,
        "priority": priority,
        "due": parse_date(due, option="--due"),
        "category": category,
        "tracker": tracker,
        "team": team,
        "action": action,
    }
    if status == "done":
        changes["completed_on"] = now().date()
    config = settings()
    with session_for(config) as session:
        stored = service.set_action_item(
            session=session,
            ref=ref,
            action_id=action_id,
            changes=changes,
            settings=config,
            now=now(),
        )
    _print(stored, action_id, as_json, "updated")
