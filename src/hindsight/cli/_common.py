"""What every command shares: options, settings, output. Nothing heavy at import."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from hindsight.cli._app import flag, option
from hindsight.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.orm import Session

    from hindsight.settings import Settings

JSON_OPTION = flag("--json", dest="as_json", help="Print JSON for machines instead of text.")
OUTPUT = option("--output", "-o", help="File to write (default: stdout).")
SINCE = option("--since", help="Incidents on or after YYYY-MM-DD (UTC).")
UNTIL = option("--until", help="Incidents on or before YYYY-MM-DD (UTC).")
# What `list` and `search` narrow stored incidents by.
INCIDENT_FILTERS = (
    option("--status", help="draft, in_review or final."),
    option("--severity", help="Only this severity."),
    option("--service", help="Only incidents touching it."),
    option("--tag", help="Only incidents with this tag."),
    SINCE,
    UNTIL,
)


def echo(message: object, *, err: bool = False) -> None:
    """A line for people: on stdout, or on stderr for what is not the command's answer."""
    (sys.stderr if err else sys.stdout).write(f"{message}\n")


def settings() -> Settings:
    from hindsight.settings import Settings

    return Settings.from_env()


def now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def session_for(config: Settings) -> Iterator[Session]:
    from hindsight.service import transaction

    with transaction(config) as session:
        yield session


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, show_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    console().print(table)


def write_output(text: str, output: str | None) -> None:
    """Write to the file named (``-`` or none: standard output)."""
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    from pathlib import Path

    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {output}: {exc.strerror}") from exc


def parse_date(value: str | None, *, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_instant(value: str | None, *, option: str, zone: str = "UTC") -> datetime | None:
    """An aware UTC instant from ISO text; a time without a zone is read in ``zone``."""
    if value is None:
        return None
    text = value.strip().replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date and time (ISO 8601)") from None
    if moment.tzinfo is None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            moment = moment.replace(tzinfo=UTC if zone.upper() == "UTC" else ZoneInfo(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"--tz: unknown time zone {zone!r}") from None
    return moment.astimezone(UTC)
