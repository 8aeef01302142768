"""Commands on documents that need no database: render, template, layouts, schema."""

from __future__ import annotations

from pathlib import Path

import typer

from hindsight.cli._app import app
from hindsight.cli._common import JSON_OPTION, handle_errors, print_json, settings, write_output

OUTPUT = typer.Option(None, "--output", "-o", help="File to write (default: stdout).")
LAYOUT_HELP = "Layout to render with (see `hindsight layouts`); default: HINDSIGHT_LAYOUT or sre."


@app.command()
@handle_errors
def render(
    file: Path = typer.Argument(..., help="A postmortem: Markdown (any layout), JSON or YAML."),
    layout: str | None = typer.Option(None, "--layout", "-l", help=LAYOUT_HELP),
    fmt: str = typer.Option("md", "--format", "-f", help="md, html, json or yaml."),
    output: str | None = typer.Option(
        None, "--output", "-o", help="File to write (default: stdout)."
    ),
    show_warnings: bool = typer.Option(
        False, "--warnings", help="Also print what the reader had to guess or skip (to stderr)."
    ),
) -> None:
    """Convert a postmortem file to a layout or format; no database needed."""
    from hindsight.documents import dump, load_path

    config = settings()
    loaded = load_path(file)
    if show_warnings:
        for warning in loaded.warnings:
            typer.echo(f"{file}: {warning}", err=True)
    text = dump(
        loaded.postmortem,
        fmt=fmt,
        layout=layout or loaded.postmortem.layout or config.default_layout,
        scheme=config.severity_scheme,
        layouts_dir=config.layouts_dir,
    )
    write_output(text, output)


@app.command()
@handle_errors
def template(
    layout: str = typer.Argument("sre", help="Layout name (see `hindsight layouts`)."),
    output: str | None = typer.Option(
        None, "--output", "-o", help="File to write (default: stdout)."
    ),
) -> None:
    """Print a blank postmortem template in a layout."""
    from hindsight.layouts.render import render_template

    config = settings()
    text = render_template(layout, scheme=config.severity_scheme, layouts_dir=config.layouts_dir)
    write_output(text, output)


@app.command()
@handle_errors
def layouts(as_json: bool = JSON_OPTION) -> None:
    """List the layouts: the five built-in ones and any in HINDSIGHT_LAYOUTS_DIR."""
    from hindsight.cli._common import print_table
    from hindsight.layouts.registry import list_layouts

    found = list_layouts(layouts_dir=settings().layouts_dir)
    if as_json:
        print_json(
            [
                {
                    "name": info.name,
                    "title": info.title,
                    "description": info.description,
                    "seed": info.seed,
                    "builtin": info.builtin,
                    "path": str(info.path) if info.path else None,
                }
                for info in found
            ]
        )
        return
    rows = [
        (i.name, i.title, "built-in" if i.builtin else str(i.path), i.description) for i in found
    ]
    print_table(None, ("name", "title", "source", "description"), rows)


@app.command()
@handle_errors
def schema(
    output: str | None = typer.Option(
        None, "--output", "-o", help="File to write (default: stdout)."
    ),
) -> None:
    """Print the JSON Schema of a postmortem."""
    import json

    from hindsight.model import json_schema

    write_output(json.dumps(json_schema(), indent=2) + "\n", output)
