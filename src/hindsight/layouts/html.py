"""A postmortem as one standalone HTML5 page: the Markdown of a layout, converted.

The front matter becomes a small table of metadata above the document. The page carries its own
small stylesheet and refers to nothing outside itself. Raw HTML in the Markdown is not passed
through (a postmortem is user text); only the ``<br>`` line breaks the layouts write in table
cells are kept.
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hindsight.layouts.frontmatter import split_front_matter
from hindsight.layouts.render import render_markdown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from hindsight.model import Postmortem

STYLE = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { line-height: 1.25; margin-top: 1.6em; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.35rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #d0d7de; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
table.meta { font-size: .9rem; }
table.meta th { width: 11rem; }
code, pre { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; }
pre { padding: .8em; overflow-x: auto; }
blockquote { margin: 0; padding-left: 1em; border-left: 4px solid #d0d7de; color: #57606a; }
em { color: #57606a; }
hr { border: 0; border-top: 1px solid #d0d7de; }
""".strip()


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # CommonMark plus tables and strikethrough; no raw HTML; soft breaks shown as breaks so that
    # the label lines of a layout stay one per line.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def render_html(
    postmortem: Postmortem,
    *,
    layout: str = "sre",
    scheme: str = "sev",
    layouts_dir: Path | None = None,
) -> str:
    """The postmortem in ``layout`` as a complete HTML page."""
    text = render_markdown(postmortem, layout=layout, scheme=scheme, layouts_dir=layouts_dir)
    meta, body, _ = split_front_matter(text)
    content = _markdown().render(body).replace("&lt;br&gt;", "<br>")
    title = postmortem.title or postmortem.id or "Postmortem"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="hindsight">\n<title>{escape(title)}</title>\n'
        f"<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"{metadata_table(meta)}<main>\n{content}</main>\n</body>\n</html>\n"
    )


def metadata_table(meta: dict[str, Any]) -> str:
    """The front matter as a two-column table, one row per key."""
    if not meta:
        return ""
    rows = "".join(
        f"<tr><th>{escape(key.replace('_', ' ').capitalize())}</th>"
        f"<td>{escape(_text(value))}</td></tr>\n"
        for key, value in meta.items()
    )
    return f'<table class="meta">\n<tbody>\n{rows}</tbody>\n</table>\n'


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(_person(item) if isinstance(item, dict) else _text(item) for item in value)
    return str(value)


def _person(item: dict[str, Any]) -> str:
    """A participant as ``Name (role)``; other mappings as ``key: value`` pairs."""
    if set(item) <= {"name", "role"} and "name" in item:
        return f"{item['name']} ({item['role']})" if item.get("role") else str(item["name"])
    return "; ".join(f"{key}: {_text(value)}" for key, value in item.items())
