"""Linting files and directories: finding the Markdown files, their configuration, reading them
(a file that cannot be read is reported and the others are still linted)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hindsight.errors import HindsightError, NotFound, ParseError
from hindsight.lint.config import LintConfig, load_config
from hindsight.lint.engine import Finding, lint_text

SUFFIXES = (".md", ".markdown", ".md.erb", ".mediawiki")


@dataclass
class LintRun:
    """What a run found, how many files it read, and the files it could not read."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    problems: list[str] = field(default_factory=list)


def markdown_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the Markdown files in the directories named (recursively, sorted,
    hidden ones left out). Raises :class:`NotFound` for a path that does not exist."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name.lower().endswith(SUFFIXES)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            yield path
        else:
            raise NotFound(f"no such file or directory: {path}")


def read_text(path: Path) -> str:
    """A file's text; one-line errors for unreadable, binary or non-UTF-8 files."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot be read: {exc.strerror}", where=str(path)) from None
    if b"\x00" in data[:8192]:
        raise ParseError("is a binary file, not Markdown", where=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"is not UTF-8 text (byte {exc.start})", where=str(path)) from None


def lint_files(
    paths: Sequence[Path],
    *,
    now: datetime,
    config: LintConfig | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> LintRun:
    """Lint every Markdown file under ``paths``. Each file uses ``config`` when given, else the
    configuration found upward from it; ``select`` and ``ignore`` apply on top."""
    run = LintRun()
    configs: dict[Path, LintConfig] = {}
    for path in markdown_files(paths):
        chosen = config or _config_for(path, configs)
        if select or ignore:
            chosen = chosen.with_overrides(select=select, ignore=ignore)
        try:
            text = read_text(path)
        except HindsightError as exc:
            run.problems.append(str(exc))
            continue
        run.files += 1
        try:
            run.findings.extend(lint_text(text, path=str(path), config=chosen, now=now))
        except HindsightError as exc:
            run.problems.append(f"{path}: {exc.message}")
        except Exception as exc:  # a bug must not stop a run over a thousand files
            run.problems.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
    return run


def _config_for(path: Path, cache: dict[Path, LintConfig]) -> LintConfig:
    folder = path.parent
    if folder not in cache:
        cache[folder] = load_config(path)
    return cache[folder]
