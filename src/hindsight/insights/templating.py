"""The Jinja2 environment of the insight templates (``insights/templates``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def duration(seconds: float | None) -> str:
    """``2h 15m``, or ``unknown``."""
    from hindsight.text.durations import format_duration

    return format_duration(None if seconds is None else round(seconds))


def percent(ratio: float | None) -> str:
    return "n/a" if ratio is None else f"{ratio * 100:.0f}%"


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def some(values: list[str], limit: int = 6) -> str:
    """The first ``limit`` values, and how many more."""
    shown = ", ".join(values[:limit])
    return f"{shown} and {len(values) - limit} more" if len(values) > limit else shown


@lru_cache(maxsize=2)
def environment(*, html: bool) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(duration=duration, percent=percent, cell=md_cell, some=some)
    return env


def render(name: str, **context: Any) -> str:
    """Render ``templates/NAME``; HTML templates (``.html.j2``) are autoescaped."""
    return environment(html=name.endswith(".html.j2")).get_template(name).render(**context)
