"""Generate ``docs/cli.md`` from the commands themselves: ``python -m hindsight.cli.reference``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
import typer.core

from hindsight.cli import app


def _commands(group: typer.core.TyperGroup, prefix: str) -> Iterator[tuple[str, Any]]:
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = f"{prefix} {name}"
        if isinstance(command, typer.core.TyperGroup):
            yield from _commands(command, path)
        else:
            yield path, command


def _params(command: Any) -> list[str]:
    lines = []
    for param in command.params:
        help_text = (getattr(param, "help", None) or "").replace("|", "\\|")
        if isinstance(param, typer.core.TyperArgument):
            lines.append(f"| `{(param.name or '').upper()}` | {help_text} |")
        elif isinstance(param, typer.core.TyperOption) and not param.hidden:
            names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
            lines.append(f"| {names} | {help_text} |")
    return lines


def command_paths() -> list[tuple[str, str]]:
    """Every command as (``hindsight new``, its help text)."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    return [(path, (command.help or "").strip()) for path, command in _commands(root, "hindsight")]


def reference() -> str:
    """The whole CLI reference as Markdown."""
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    out = [
        "# CLI reference",
        "",
        "Generated from the commands by `make docs`; a test keeps it current.",
        "",
    ]
    for path, command in _commands(root, "hindsight"):
        usage = " ".join(command.collect_usage_pieces(typer.Context(command, info_name=path)))
        out += [f"## `{path}`", "", f"    {path} {usage}", "", (command.help or "").strip(), ""]
        rows = _params(command)
        if rows:
            out += ["| argument or option | meaning |", "|---|---|", *rows, ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(reference())
