"""Postmortems as files: read Markdown (any layout, hand-written or foreign), JSON or YAML, and
write them back in a layout or as data. No database is involved.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hindsight.errors import InvalidInput, NotFound, ParseError, invalid_from_validation
from hindsight.model import Postmortem

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".md.erb", ".mediawiki", ".txt")
DATA_SUFFIXES = (".json", ".yaml", ".yml")
FORMATS = ("md", "html", "json", "yaml")


@dataclass
class Loaded:
    """A postmortem read from a file, what layout it was in and what the reader had to guess."""

    postmortem: Postmortem
    path: Path
    layout: str | None = None
    warnings: list[str] = field(default_factory=list)
    is_markdown: bool = False


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (*MARKDOWN_SUFFIXES, *DATA_SUFFIXES):
        if name.endswith(suffix):
            return suffix
    return ""


NOT_DOCUMENTS = ("readme", "license", "licence", "copying", "notice", "changelog", "authors")


def is_document(path: Path) -> bool:
    """Whether a directory walk should pick this file up: Markdown, JSON and YAML files, and
    files with no extension at all (people save postmortems that way), but not a folder's
    README, LICENSE and the like."""
    name = path.name.lower()
    if name.startswith(".") or name.split(".")[0] in NOT_DOCUMENTS:
        return False
    suffix = _suffix(path)
    if suffix:
        return suffix != ".txt"
    return "." not in name


def iter_documents(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and the documents inside directories named (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and is_document(p))
        elif path.exists():
            yield path
        else:
            raise NotFound(f"no such file or directory: {path}")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"no such file: {path}") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc
    if b"\x00" in data[:4096]:
        raise ParseError("binary file, not a postmortem", where=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from exc


def postmortem_from_data(data: Any, *, where: str) -> Postmortem:
    """Validate a mapping as a postmortem, with one-line errors naming ``where``."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise InvalidInput("expected a mapping of postmortem fields", where=where)
    try:
        return Postmortem.model_validate(data)
    except ValidationError as exc:
        raise invalid_from_validation(exc, where=where) from exc


def load_data(text: str, *, suffix: str, where: str) -> Any:
    """Parse JSON or YAML text with one-line errors that name the place."""
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(exc.msg, where=f"{where}:{exc.lineno}:{exc.colno}") from exc
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"{where}:{mark.line + 1}" if mark is not None else where
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ParseError(str(problem), where=place) from exc


def load_path(path: Path) -> Loaded:
    """Read one postmortem file of any supported kind."""
    text = read_text(path)
    suffix = _suffix(path)
    if suffix in DATA_SUFFIXES:
        data = load_data(text, suffix=suffix, where=str(path))
        return Loaded(postmortem_from_data(data, where=str(path)), path)
    from hindsight.layouts.parse import parse_markdown

    result = parse_markdown(text, source=str(path), fallback_id=fallback_id(path))
    return Loaded(result.postmortem, path, result.layout, list(result.warnings), is_markdown=True)


def fallback_id(path: Path) -> str | None:
    """An id from a file name, for documents that state none."""
    import re

    stem = path.name
    for suffix in (*MARKDOWN_SUFFIXES, ".html"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:100]
    return slug or None


def dump(
    postmortem: Postmortem,
    *,
    fmt: str = "md",
    layout: str = "sre",
    scheme: str = "sev",
    layouts_dir: Path | None = None,
) -> str:
    """The postmortem as text: Markdown in a layout, a standalone HTML page, JSON or YAML."""
    if fmt == "md":
        from hindsight.layouts.render import render_markdown

        return render_markdown(postmortem, layout=layout, scheme=scheme, layouts_dir=layouts_dir)
    if fmt == "html":
        from hindsight.layouts.html import render_html

        return render_html(postmortem, layout=layout, scheme=scheme, layouts_dir=layouts_dir)
    if fmt == "json":
        return postmortem.model_dump_json(indent=2) + "\n"
    if fmt == "yaml":
        import yaml

        data = postmortem.model_dump(mode="json", exclude={"durations"})
        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
