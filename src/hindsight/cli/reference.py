"""Generate ``docs/cli.md`` from the commands themselves: ``python -m hindsight.cli.reference``."""

from __future__ import annotations

from hindsight.cli import app
from hindsight.cli._app import Command


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _rows(command: Command) -> list[str]:
    rows = []
    for param in command.params:
        names = [*param.flags] or [param.display]
        rows.append(f"| {_cell(', '.join(f'`{n}`' for n in names))} | {_cell(param.help)} |")
    return rows


def command_paths() -> list[tuple[str, str]]:
    """Every command as (``hindsight new``, its help text)."""
    return [(command.path, command.help) for command in app.commands()]


def reference() -> str:
    """The whole CLI reference as Markdown."""
    out = [
        "# CLI reference",
        "",
        "Generated from the commands by `make docs`; a test keeps it current.",
        "",
    ]
    for command in app.commands():
        out += [f"## `{command.path}`", "", f"    {command.usage()}", "", command.help, ""]
        rows = _rows(command)
        if rows:
            out += ["| argument or option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(reference())
