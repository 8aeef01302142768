"""The Typer applications; the command modules attach their commands to these."""

from __future__ import annotations

import typer

HELP = """Blameless incident postmortems as structured data.

Write, render, parse, store and review postmortems; `hindsight COMMAND --help` for each command.
Data lives in SQLite by default (`hindsight info` shows where) or PostgreSQL
(HINDSIGHT_DATABASE_URL)."""


def _typer(**kwargs: object) -> typer.Typer:
    # Plain Click help keeps `hindsight --help` fast: Rich loads only when a command prints.
    return typer.Typer(
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        no_args_is_help=True,
        **kwargs,  # type: ignore[arg-type]
    )


app = _typer(name="hindsight", help=HELP)
timeline_app = _typer(name="timeline", help="Add events to a stored postmortem's timeline.")
action_app = _typer(name="action", help="Add and change a stored postmortem's action items.")
app.add_typer(timeline_app)
app.add_typer(action_app)


def _version(value: bool) -> None:
    if value:
        from hindsight import __version__

        typer.echo(f"hindsight {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Blameless incident postmortems as structured data."""
