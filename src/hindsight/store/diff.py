"""What changed between two versions of a postmortem: field paths, and a readable diff.

Pure functions over the model. A path names a field the way a reader would look it up:
``title``, ``milestones.resolved_at``, ``action_items[2].status``. An item added to or removed
from a list is named by its index in the list that has it (``timeline[7]``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Any

import yaml

from hindsight.model import Postmortem

_ABSENT = object()


def as_document(postmortem: Postmortem) -> dict[str, Any]:
    """The JSON document the store keeps: the model without its derived durations."""
    return postmortem.model_dump(mode="json", exclude={"durations"})


def changed_paths(old: Postmortem, new: Postmortem) -> list[str]:
    """The paths of the fields that differ between ``old`` and ``new``, in document order."""
    return paths_between(as_document(old), as_document(new))


def paths_between(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """:func:`changed_paths` over two documents as the store keeps them."""
    found: list[str] = []
    _walk(old, new, "", found)
    return list(dict.fromkeys(found))


def diff_text(old: Postmortem, new: Postmortem, *, old_label: str, new_label: str) -> str:
    """A unified diff of the two postmortems as YAML; empty when they are the same."""
    before = _yaml(as_document(old)).splitlines(keepends=True)
    after = _yaml(as_document(new)).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, fromfile=old_label, tofile=new_label))


# --- paths ------------------------------------------------------------------------------------


def _walk(old: Any, new: Any, path: str, found: list[str]) -> None:
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = [*new, *(key for key in old if key not in new)]
        for key in keys:
            child = f"{path}.{key}" if path else str(key)
            _walk(old.get(key, _ABSENT), new.get(key, _ABSENT), child, found)
    elif isinstance(old, list) and isinstance(new, list):
        _walk_list(old, new, path, found)
    else:
        found.append(path or "(document)")


def _walk_list(old: list[Any], new: list[Any], path: str, found: list[str]) -> None:
    if len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _walk(a, b, f"{path}[{index}]", found)
        return
    # Lengths differ: line the items up first, so that one event inserted near the top of a
    # timeline is one change rather than a change to every event after it.
    matcher = difflib.SequenceMatcher(a=_keys(old), b=_keys(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for offset in range(paired):
            _walk(old[i1 + offset], new[j1 + offset], f"{path}[{j1 + offset}]", found)
        found.extend(f"{path}[{index}]" for index in range(i1 + paired, i2))
        found.extend(f"{path}[{index}]" for index in range(j1 + paired, j2))


def _keys(items: list[Any]) -> list[str]:
    return [json.dumps(item, sort_keys=True) for item in items]


# --- YAML -------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line text as literal blocks, so Markdown diffs line by line."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _yaml(document: Mapping[str, Any]) -> str:
    return yaml.dump(dict(document), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
