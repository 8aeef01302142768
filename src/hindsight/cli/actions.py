"""``hindsight action``: action items of a stored postmortem."""

from __future__ import annotations

from typing import Any

from hindsight.cli._app import action_app, argument, option
from hindsight.cli._common import (
    JSON_OPTION,
    echo,
    now,
    parse_date,
    print_json,
    session_for,
    settings,
)

REF = argument("ref", help="Postmortem id.")
OWNER = option("--owner", "-o", help="Who will do it (a person or team).")
PRIORITY = option("--priority", "-p", help="P0..P4.")
DUE = option("--due", help="Due date, YYYY-MM-DD.")
CATEGORY = option(
    "--category", "-c", help="prevent, detect, mitigate, respond, recover or process."
)
TRACKER = option("--tracker", help="Link to the ticket that tracks it.")
TEAM = option("--team", help="Team that owns it.")


def _print(stored: Any, action_id: str | None, as_json: bool, verb: str) -> None:
    pm = stored.postmortem
    item = next((i for i in pm.action_items if i.id == action_id), pm.action_items[-1])
    if as_json:
        print_json(item.model_dump(mode="json"))
    else:
        echo(f"{pm.id}: action {item.id} {verb} (revision {stored.revision})")


@action_app.command(
    REF,
    argument("action", help="What will be done: specific and bounded."),
    OWNER,
    PRIORITY,
    DUE,
    CATEGORY,
    TRACKER,
    TEAM,
    JSON_OPTION,
    name="add",
)
def add(
    *,
    ref: str,
    action: str,
    owner: str | None,
    priority: str | None,
    due: str | None,
    category: str | None,
    tracker: str | None,
    team: str | None,
    as_json: bool,
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


@action_app.command(
    REF,
    argument("action_id", help="Action item id, such as A2."),
    option("--status", "-s", help="open, in_progress, done or wont_do (needs --reason)."),
    option("--reason", help="Why, for wont_do."),
    OWNER,
    PRIORITY,
    DUE,
    CATEGORY,
    TRACKER,
    TEAM,
    option("--action", help="New wording of the action."),
    JSON_OPTION,
    name="set",
)
def set_(
    *,
    ref: str,
    action_id: str,
    status: str | None,
    reason: str | None,
    owner: str | None,
    priority: str | None,
    due: str | None,
    category: str | None,
    tracker: str | None,
    team: str | None,
    action: str | None,
    as_json: bool,
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
