"""Commands on documents that need no database: render, template, layouts, schema."""

from __future__ import annotations

from pathlib import Path

from hindsight.cli._app import app, argument, flag, option
from hindsight.cli._common import (
    JSON_OPTION,
    OUTPUT,
    echo,
    print_json,
    settings,
    write_output,
)

LAYOUT_HELP = "Layout to render with (see `hindsight layouts`); default: HINDSIGHT_LAYOUT or sre."


@app.command(
    argument("file", type=Path, help="A postmortem: Markdown (any layout), JSON or YAML."),
    option("--layout", "-l", help=LAYOUT_HELP),
    option("--format", "-f", dest="fmt", default="md", help="md, html, json or yaml."),
    OUTPUT,
    flag(
        "--warnings",
        dest="show_warnings",
        help="Also print what the reader had to guess or skip (to stderr).",
    ),
)
def render(
    *, file: Path, layout: str | None, fmt: str, output: str | None, show_warnings: bool
) -> None:
    """Convert a postmortem file to a layout or format; no database needed."""
    from hindsight.documents import dump, load_path

    config = settings()
    loaded = load_path(file)
    if show_warnings:
        for warning in loaded.warnings:
            echo(f"{file}: {warning}", err=True)
    text = dump(
        loaded.postmortem,
        fmt=fmt,
        layout=layout or loaded.postmortem.layout or config.default_layout,
        scheme=config.severity_scheme,
        layouts_dir=config.layouts_dir,
    )
    write_output(text, output)


@app.command(
    argument("layout", default="sre", help="Layout name (see `hindsight layouts`)."),
    OUTPUT,
)
def template(*, layout: str, output: str | None) -> None:
    """Print a blank postmortem template in a layout."""
    from hindsight.layouts.render import render_template

    config = settings()
    text = render_template(layout, scheme=config.severity_scheme, layouts_dir=config.layouts_dir)
    write_output(text, output)


@app.command(JSON_OPTION)
def layouts(*, as_json: bool) -> None:
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


@app.command(OUTPUT)
def schema(*, output: str | None) -> None:
    """Print the JSON Schema of a postmortem."""
    import json

    from hindsight.model import json_schema

    write_output(json.dumps(json_schema(), indent=2) + "\n", output)
