"""Lint configuration: ``[tool.hindsight.lint]`` in ``pyproject.toml`` or ``[lint]`` in
``hindsight.toml``, found by searching upward from the linted path.

Every key is checked: an unknown key, rule or value is an :class:`InvalidInput` that names the
file and the key. ``docs/lint.md`` lists the keys.
"""

from __future__ import annotations

import contextlib
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from hindsight.errors import InvalidInput
from hindsight.lint.engine import LEVELS, RULES, Level, _load_rules, expand

WORD_LISTS: dict[str, str] = {
    "names": "first names of people (person-as-cause)",
    "roles": "role nouns such as 'release manager' (person-as-cause)",
    "system-subjects": "nouns that are systems, never people ('the bot')",
    "fault-verbs": "verbs that make a person the cause ('fumbled')",
    "human-error": "phrases that explain by human error",
    "judgement": "words that judge people ('slapdash')",
    "minimising": "hindsight and minimising words",
    "loaded-timing": "loaded timing phrases",
    "emotional": "emotional or inflated words",
    "vague-actions": "vague action phrases",
    "allow": "words and phrases never reported by the language rules",
}

DEFAULT_REQUIRED: tuple[str, ...] = ("summary", "impact", "timeline", "action_items")
SECTION_NAMES: dict[str, str] = {
    "summary": "summary",
    "impact": "impact",
    "timeline": "timeline",
    "root cause": "root_cause",
    "root_cause": "root_cause",
    "contributing factors": "contributing_factors",
    "contributing_factors": "contributing_factors",
    "five whys": "five_whys",
    "five_whys": "five_whys",
    "detection": "detection",
    "resolution": "resolution",
    "action items": "action_items",
    "action_items": "action_items",
    "lessons learned": "lessons",
    "lessons": "lessons",
    "what went well": "went_well",
    "went_well": "went_well",
    "what went wrong": "went_poorly",
    "went_poorly": "went_poorly",
    "sign-off": "signoffs",
    "signoffs": "signoffs",
}


@dataclass(frozen=True)
class LintConfig:
    """What to check and how strictly. Build one with :func:`load_config` or by hand."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Level] = field(default_factory=dict)
    per_file_ignores: Mapping[str, frozenset[str]] = field(default_factory=dict)
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required_sections: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"*": DEFAULT_REQUIRED}
    )
    five_whys_depth: int = 5
    max_gap: timedelta = timedelta(hours=4)
    late_detection: timedelta = timedelta(minutes=30)
    draft_within: timedelta = timedelta(hours=24)
    complete_within: timedelta = timedelta(hours=48)
    required_signoffs: tuple[str, ...] = ("reviewer",)
    review_severity: int = 2
    source: Path | None = None
    root: Path | None = None

    def enabled_for(self, path: str) -> frozenset[str]:
        """The rule ids that run on the file at ``path``."""
        _load_rules()
        chosen = set(RULES) if self.select is None else set(self.select)
        chosen -= self.ignore
        for pattern, ids in self.per_file_ignores.items():
            if _matches(path, pattern, self.root):
                chosen -= ids
        return frozenset(chosen)

    def words_for(self, key: str) -> tuple[str, ...]:
        return self.words.get(key, ())

    def required_for(self, layout: str | None) -> tuple[str, ...]:
        if layout and layout in self.required_sections:
            return self.required_sections[layout]
        return self.required_sections.get("*", DEFAULT_REQUIRED)

    def with_overrides(
        self,
        *,
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        where: str = "command line",
    ) -> LintConfig:
        """A copy with ``--select``/``--ignore`` from the command line applied on top."""
        new_select = self.select
        selected = [ref for item in select for ref in _split(item)]
        if selected:
            new_select = frozenset(_ids(selected, where=where, key="--select"))
        ignored = [ref for item in ignore for ref in _split(item)]
        new_ignore = self.ignore | _ids(ignored, where=where, key="--ignore")
        return replace(self, select=new_select, ignore=new_ignore)


def _split(item: str) -> list[str]:
    return [part.strip() for part in item.split(",") if part.strip()]


def _matches(path: str, pattern: str, root: Path | None) -> bool:
    candidates = [path, PurePosixPath(path).name]
    if root is not None:
        with contextlib.suppress(ValueError, OSError):  # a path outside the project
            candidates.append(Path(path).resolve().relative_to(root).as_posix())
    return any(fnmatch.fnmatch(candidate, pattern) for candidate in candidates)


# --- reading ----------------------------------------------------------------------------------


def load_config(start: Path) -> LintConfig:
    """The configuration that applies to ``start`` (a file or directory): the first
    ``hindsight.toml`` or ``pyproject.toml`` with a lint table, searching upward; the defaults
    when there is none."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        own = folder / "hindsight.toml"
        if own.is_file():
            return read_config(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _lint_table(project)
            if table is not None:
                return config_from_table(table, where=str(project), root=folder, source=project)
    return LintConfig()


def read_config(path: Path) -> LintConfig:
    """Read the lint configuration of one file (``--config FILE``)."""
    table = _lint_table(path)
    return config_from_table(table or {}, where=str(path), root=path.parent.resolve(), source=path)


def _lint_table(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(
            f"cannot read the configuration: {exc.strerror}", where=str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}", where=str(path)) from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("hindsight", {}).get("lint")
    else:
        table = data.get("lint")
    if table is not None and not isinstance(table, dict):
        raise InvalidInput("the lint configuration must be a table", where=str(path))
    return table


_KEYS = frozenset(
    {
        "select",
        "ignore",
        "severity",
        "per-file-ignores",
        "words",
        "required-sections",
        "five-whys-depth",
        "max-gap",
        "late-detection",
        "draft-within",
        "complete-within",
        "required-signoffs",
        "review-severity",
    }
)


def config_from_table(
    table: Mapping[str, Any], *, where: str, root: Path | None = None, source: Path | None = None
) -> LintConfig:
    """Validate a lint table (already read from TOML) into a :class:`LintConfig`."""
    _load_rules()
    for key in table:
        if key not in _KEYS:
            raise InvalidInput(f"unknown lint setting {key!r}", where=where)
    config = LintConfig(source=source, root=root)
    values: dict[str, Any] = {}
    if "select" in table:
        values["select"] = frozenset(_ids(_strings(table, "select", where), where, "select"))
    if "ignore" in table:
        values["ignore"] = frozenset(_ids(_strings(table, "ignore", where), where, "ignore"))
    if "severity" in table:
        values["severity"] = _severities(table["severity"], where)
    if "per-file-ignores" in table:
        values["per_file_ignores"] = _per_file(table["per-file-ignores"], where)
    if "words" in table:
        values["words"] = _words(table["words"], where)
    if "required-sections" in table:
        values["required_sections"] = _required(table["required-sections"], where)
    for key in ("max-gap", "late-detection", "draft-within", "complete-within"):
        if key in table:
            values[key.replace("-", "_")] = _duration(table[key], where, key)
    if "five-whys-depth" in table:
        values["five_whys_depth"] = _positive_int(
            table["five-whys-depth"], where, "five-whys-depth"
        )
    if "required-signoffs" in table:
        roles = _strings(table, "required-signoffs", where)
        values["required_signoffs"] = tuple(role.lower() for role in roles)
    if "review-severity" in table:
        values["review_severity"] = _severity_level(table["review-severity"], where)
    return replace(config, **values)


def _fail(where: str, key: str, message: str) -> InvalidInput:
    return InvalidInput(f"{key}: {message}", where=where)


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(where, key, "expected a list of strings")
    return list(value)


def _ids(refs: Iterable[str], where: str, key: str) -> frozenset[str]:
    ids: set[str] = set()
    for ref in refs:
        try:
            ids.update(expand(ref))
        except KeyError:
            raise _fail(where, key, f"unknown rule {ref!r}") from None
    return frozenset(ids)


def _severities(value: Any, where: str) -> dict[str, Level]:
    if not isinstance(value, dict):
        raise _fail(where, "severity", "expected a table of rule = level")
    result: dict[str, Level] = {}
    for ref, level in value.items():
        if level not in LEVELS:
            raise _fail(where, f"severity.{ref}", f"use one of {', '.join(LEVELS)}, not {level!r}")
        for id_ in _ids([ref], where, f"severity.{ref}"):
            result[id_] = level
    return result


def _per_file(value: Any, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(value, dict):
        raise _fail(where, "per-file-ignores", "expected a table of glob = [rules]")
    result: dict[str, frozenset[str]] = {}
    for pattern, refs in value.items():
        key = f"per-file-ignores.{pattern}"
        result[pattern] = _ids(_strings({key: refs}, key, where), where, key)
    return result


def _words(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _fail(where, "words", "expected a table of lists")
    result: dict[str, tuple[str, ...]] = {}
    for key, words in value.items():
        if key not in WORD_LISTS:
            raise _fail(where, f"words.{key}", f"unknown word list; use {', '.join(WORD_LISTS)}")
        full = f"words.{key}"
        result[key] = tuple(word.strip() for word in _strings({full: words}, full, where))
    return result


def _required(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if isinstance(value, list):
        value = {"*": value}
    if not isinstance(value, dict):
        raise _fail(where, "required-sections", "expected a list, or a table of layout = list")
    result: dict[str, tuple[str, ...]] = {}
    for layout, names in value.items():
        key = "required-sections" if layout == "*" else f"required-sections.{layout}"
        sections = []
        for name in _strings({key: names}, key, where):
            section = SECTION_NAMES.get(name.strip().lower())
            if section is None:
                known = ", ".join(sorted({k for k in SECTION_NAMES if "_" not in k}))
                raise _fail(where, key, f"unknown section {name!r}; use {known}")
            sections.append(section)
        result[layout] = tuple(sections)
    return result


def _duration(value: Any, where: str, key: str) -> timedelta:
    from hindsight.text.durations import parse_duration

    seconds = parse_duration(value) if isinstance(value, str) else None
    if seconds is None or seconds <= 0:
        raise _fail(where, key, f"expected a duration such as '4h' or '30m', not {value!r}")
    return timedelta(seconds=seconds)


def _positive_int(value: Any, where: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _fail(where, key, f"expected a whole number above 0, not {value!r}")
    return value


def _severity_level(value: Any, where: str) -> int:
    from hindsight.model import Severity

    try:
        return Severity.parse(value).level
    except ValueError as exc:
        raise _fail(where, "review-severity", str(exc)) from None
