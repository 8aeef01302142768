"""Built-in Markdown layouts: render a postmortem, list layouts, read front matter.

Importing this package is cheap: Jinja2, PyYAML and markdown-it are imported by the functions
that need them. The names below are loaded from their submodules on first use:

- ``registry``: :class:`LayoutInfo`, :data:`BUILTIN_LAYOUTS`, :func:`list_layouts`,
  :func:`get_layout`
- ``render``: :func:`render_markdown`, :func:`render_template`
- ``html``: :func:`render_html`
- ``frontmatter``: :func:`front_matter`, :func:`dump_front_matter`, :func:`split_front_matter`
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hindsight.layouts.frontmatter import dump_front_matter, front_matter, split_front_matter
    from hindsight.layouts.html import render_html
    from hindsight.layouts.registry import BUILTIN_LAYOUTS, LayoutInfo, get_layout, list_layouts
    from hindsight.layouts.render import render_markdown, render_template

_WHERE = {
    "LayoutInfo": "registry",
    "BUILTIN_LAYOUTS": "registry",
    "list_layouts": "registry",
    "get_layout": "registry",
    "render_markdown": "render",
    "render_template": "render",
    "render_html": "html",
    "front_matter": "frontmatter",
    "dump_front_matter": "frontmatter",
    "split_front_matter": "frontmatter",
}

__all__ = [
    "BUILTIN_LAYOUTS",
    "LayoutInfo",
    "dump_front_matter",
    "front_matter",
    "get_layout",
    "list_layouts",
    "render_html",
    "render_markdown",
    "render_template",
    "split_front_matter",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'hindsight.layouts' has no attribute {name!r}")
    return getattr(import_module(f"hindsight.layouts.{_WHERE[name]}"), name)
