"""``hindsight timeline``: events on a stored postmortem's timeline."""

from __future__ import annotations

from hindsight.cli._app import argument, option, timeline_app
from hindsight.cli._common import (
    JSON_OPTION,
    echo,
    now,
    parse_instant,
    print_json,
    session_for,
    settings,
)
from hindsight.errors import InvalidInput


@timeline_app.command(
    argument("ref", help="Postmortem id."),
    argument("text", help="What happened."),
    option(
        "--at", required=True, metavar="TIME", help="When: ISO 8601, e.g. 2026-10-14T12:09:00Z."
    ),
    option("--tz", default="UTC", help="Zone of --at when it states none."),
    option("--kind", "-k", default="note", help="alert, acknowledgement, mitigation..."),
    option("--actor", help="Who or what acted."),
    option("--source", help="Where this came from."),
    option("--link", help="A link back to the source."),
    JSON_OPTION,
    name="add",
)
def add(
    *,
    ref: str,
    text: str,
    at: str,
    tz: str,
    kind: str,
    actor: str | None,
    source: str | None,
    link: str | None,
    as_json: bool,
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
        echo(f"{stored.postmortem.id}: event added (revision {stored.revision})")
