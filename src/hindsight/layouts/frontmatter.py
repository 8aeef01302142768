"""The YAML front matter of a rendered postmortem: what goes in it, writing it, reading it back.

The block holds identity and bookkeeping fields that no layout's body has a place for (tags,
incident commander, status history, custom fields...) as well as a few a body also shows (id,
date, authors), so that any document can be read back whatever its layout. Values are
JSON-compatible: dates are ``YYYY-MM-DD`` strings, instants ``YYYY-MM-DDTHH:MM:SSZ``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from hindsight.errors import ParseError

if TYPE_CHECKING:
    from hindsight.model import Postmortem

_FENCE = "---"
_CLOSERS = ("---", "...")


def iso_instant(value: dt.datetime) -> str:
    """``2024-03-12T14:02:00Z``: the one way an instant is written in front matter."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def front_matter(
    postmortem: Postmortem, *, scheme: str = "sev", layout: str | None = None
) -> dict[str, Any]:
    """What goes in the YAML block, keys in a fixed order and only when not empty.

    ``layout`` names the layout the body is written in (default: the postmortem's own);
    ``scheme`` is how the severity is labelled (``sev``, ``p`` or ``words``).
    """
    pm = postmortem
    data: dict[str, Any] = {
        "id": pm.id,
        "title": pm.title,
        "layout": layout or pm.layout,
        "status": pm.status.value,
        "incident_status": pm.incident_status.value if pm.incident_status else None,
        "severity": pm.severity.label(scheme) if pm.severity else None,
        "incident_type": None if pm.incident_type == "incident" else pm.incident_type.value,
        "date": _iso_date(pm.date),
        "postmortem_date": _iso_date(pm.postmortem_date),
        "updated": _iso_date(pm.updated),
        "authors": list(pm.authors),
        "incident_commander": pm.incident_commander,
        "participants": [_drop_empty({"name": p.name, "role": p.role}) for p in pm.participants],
        "services": list(pm.services),
        "tags": list(pm.tags),
        "milestones": {name: iso_instant(at) for name, at in pm.milestones.known().items()},
        "stated_durations": dict(pm.stated_durations),
        "status_history": [
            _drop_empty(
                {"status": c.status.value, "at": iso_instant(c.at), "by": c.by, "note": c.note}
            )
            for c in pm.status_history
        ],
        "custom_fields": dict(pm.custom_fields),
        "template_version": pm.template_version,
    }
    return _drop_empty(data)


def _iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def dump_front_matter(data: dict[str, Any]) -> str:
    """The block as text, ``---`` lines included; an empty mapping still gives the two fences.

    Output is block-style YAML, keys in the given order, as ``yaml.safe_dump(sort_keys=False,
    allow_unicode=True)`` writes it. The shapes front matter holds (strings, integers, lists of
    them, mappings one level deep) are written directly, several times faster than PyYAML's
    representer; anything else goes through ``yaml.safe_dump``.
    """
    if not data:
        return f"{_FENCE}\n{_FENCE}\n"
    try:
        lines = [line for key, value in data.items() for line in _entry(key, value, "")]
        text = "\n".join(lines) + "\n"
    except _Unsupported:
        text = _safe_dump(data)
    return f"{_FENCE}\n{text}{_FENCE}\n"


def _safe_dump(data: dict[str, Any]) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1_000_000)


class _Unsupported(Exception):
    """A value the direct writer leaves to PyYAML."""


def _entry(key: Any, value: Any, indent: str) -> list[str]:
    head = f"{indent}{_scalar(key, key=True)}:"
    if isinstance(value, dict) and value and not indent:
        return [head, *(line for k, v in value.items() for line in _entry(k, v, "  "))]
    if isinstance(value, list) and value and not indent:
        return [head, *(line for item in value for line in _list_item(item))]
    if isinstance(value, dict | list) and not value:
        return [f"{head} {'{}' if isinstance(value, dict) else '[]'}"]
    return [f"{head} {_scalar(value)}"]


def _list_item(item: Any) -> list[str]:
    if isinstance(item, dict) and item:
        first, *rest = (f"{_scalar(k, key=True)}: {_scalar(v)}" for k, v in item.items())
        return [f"- {first}", *(f"  {line}" for line in rest)]
    return [f"- {_scalar(item)}"]


# Plain (unquoted) only for text that cannot be read as anything but a string: a letter first,
# no ":" or "#", no YAML 1.1 boolean or null word.
_PLAIN = re.compile(r"[A-Za-z_][^:#\n]*")
_SPECIAL_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _scalar(value: Any, *, key: bool = False) -> str:
    if isinstance(value, bool) or value is None:
        raise _Unsupported
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str) or (key and len(value) > 200):
        raise _Unsupported
    if (
        _PLAIN.fullmatch(value)
        and value.isprintable()
        and value == value.strip()
        and value.lower() not in _SPECIAL_WORDS
    ):
        return value
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return '"' + "".join(_escape(ch) for ch in value) + '"'


def _escape(ch: str) -> str:
    if ch in '"\\':
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    if ch.isprintable() or ch == " ":
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Separate a leading YAML block from the body.

    Returns the block's data (``{}`` when there is none), the body after it and how many lines
    the block took, closing fence included, so that a caller can number body lines as in the
    file. YAML dates and instants come back as ISO strings, as :func:`front_matter` writes
    them. Raises :class:`ParseError` for YAML that cannot be read, naming its line.
    """
    if not text.lstrip("\ufeff").startswith(_FENCE):
        return {}, text, 0  # no need to split the text into lines to tell
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].lstrip("\ufeff").rstrip() != _FENCE:
        return {}, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            block = "".join(lines[1:index])
            data = _load_block(block)
            return data, "".join(lines[index + 1 :]), index + 1
    raise ParseError(
        "the front matter opened on line 1 is never closed by a '---' line", where="line 1"
    )


def _load_block(block: str) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(block, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2  # +1 for the fence, +1 to count from 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParseError(
            f"front matter is not valid YAML: {problem}", where=f"line {line}"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParseError(
            f"front matter must be a mapping of keys to values, not a {type(data).__name__}",
            where="line 2",
        )
    return {str(key): _plain(value) for key, value in data.items()}


def _plain(value: Any) -> Any:
    """YAML's own dates and times as the ISO strings the front matter writes."""
    if isinstance(value, dt.datetime):
        return iso_instant(value) if value.tzinfo is not None else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
