"""``hindsight timeline``: events on a stored postmortem's timeline."""

from __future__ import annotations

import typer

from hindsight.cli._app import timeline_app
from hindsight.cli._common import (
    JSON_OPTION,
    handle_errors,
    now,
    parse_instant,
    print_json,
    session_for,
    settings,
)
from hindsight.errors import InvalidInput


@timeline_app.command("add")
@handle_errors
def add(
    ref: str = typer.Argument(..., help="Postmortem id."),
    text: str = typer.Argument(..., help="What happened."),
    at: str = typer.Option(..., "--at", help="When: ISO 8601, e.g. 2026-10-14T12:09:00Z."),
    tz: str = typer.Option("UTC", "--tz", help="Zone of --at when it states none."),
    kind: str = typer.Option("note", "--kind", "-k", help="alert, acknowledgement, mitigation..."),
    actor: str | None = typer.Option(None, "--actor", help="Who or what acted."),
    source: str | None = typer.Option(None, "--source", help="Where this came from."),
    link: str | None = typer.Option(None, "--link", help="A link back to the source."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add one event, placed in time order, as a new revision."""
    from pydantic import ValidationError

    from hindsight import service
    from hindsight.errors import invalid_from_validation
    from hindsight.model import TimelineEvent

    try:
        event = TimelineEvent(
            at=parse_instant(at, option="--at", zone=tz),
            text=text,
            kind=kind,
            actor=actor,
            source=source or "cli",
            link=link,
        )
    except ValidationError as exc:
        raise invalid_from_validation(exc) from exc
    if not event.text:
        raise InvalidInput("the event text is empty")
    config = settings()
    with session_for(config) as session:
        stored = service.add_timeline_event(
            session=session, ref=ref, event=event, settings=config, now=now()
        )
    if as_json:
        print_json(event.model_dump(mode="json"))
    else:
        typer.echo(f"{stored.postmortem.id}: event added (revision {stored.revision})")
