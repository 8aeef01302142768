"""Outside sources turned into timeline events: alerts, pages, deploys, chat, notes, tables.

Each kind of source has its own module with a ``read_<kind>(path, *, ...)`` function that returns
a :class:`~hindsight.sources.common.SourceResult` (events in UTC with their source, link and
external ref, plus warnings for what was skipped). This package's :func:`read_source` reads any
of them by name, which is what ``hindsight draft`` and ``hindsight timeline import`` use.

Modules are imported only when their kind is read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hindsight.errors import InvalidInput
from hindsight.sources.common import SourceResult, paused_gc

__all__ = ["SOURCE_KINDS", "ReadOptions", "SourceResult", "read_source"]


@dataclass(frozen=True)
class ReadOptions:
    """Everything a reader may need; each reader takes the options that apply to it."""

    since: datetime | None = None
    until: datetime | None = None
    zone: str = "UTC"
    day: date | None = None
    channel: str | None = None
    only_pinned: bool = False
    emoji: tuple[str, ...] = ()
    domain: str | None = None
    time_column: str | None = None
    text_column: str | None = None


def _window(options: ReadOptions) -> dict[str, Any]:
    return {"since": options.since, "until": options.until}


def _slack(options: ReadOptions) -> dict[str, Any]:
    return {
        **_window(options),
        "channel": options.channel,
        "only_pinned": options.only_pinned,
        "emoji": options.emoji,
        "domain": options.domain,
    }


def _notes(options: ReadOptions) -> dict[str, Any]:
    return {**_window(options), "day": options.day, "zone": options.zone}


def _table(fmt: str) -> Callable[[ReadOptions], dict[str, Any]]:
    def keywords(options: ReadOptions) -> dict[str, Any]:
        return {
            **_notes(options),
            "fmt": fmt,
            "time_column": options.time_column,
            "text_column": options.text_column,
        }

    return keywords


# kind -> (module, function, keywords from the options, what it reads)
_READERS: dict[str, tuple[str, str, Callable[[ReadOptions], dict[str, Any]], str]] = {
    "alertmanager": ("alertmanager", "read_alertmanager", _window,
                     "Prometheus Alertmanager webhook bodies (v4), JSON or JSON Lines"),
    "grafana": ("grafana", "read_grafana", _window, "Grafana unified-alerting webhook bodies"),
    "pagerduty": ("pagerduty", "read_pagerduty", _window,
                  "PagerDuty v3 webhooks or a REST log-entry listing"),
    "opsgenie": ("opsgenie", "read_opsgenie", _window, "Opsgenie webhook bodies"),
    "github": ("github", "read_github", _window,
               "GitHub deployment and deployment_status webhooks"),
    "slack": ("slack", "read_slack", _slack,
              "a Slack export (zip or folder), a channel folder or a day file"),
    "notes": ("notes", "read_notes", _notes, "free-form notes: chat lines, bullets, prose, ISO"),
    "csv": ("tabular", "read_tabular", _table("csv"), "CSV with a time and a text column"),
    "jsonl": ("tabular", "read_tabular", _table("jsonl"),
              "JSON Lines with a time and a text field"),
}  # fmt: skip

SOURCE_KINDS: dict[str, str] = {kind: entry[3] for kind, entry in _READERS.items()}
"""Every source kind and what it reads."""


def read_source(kind: str, path: Path, options: ReadOptions | None = None) -> SourceResult:
    """Read ``path`` as a source of kind ``kind`` (one of :data:`SOURCE_KINDS`)."""
    entry = _READERS.get(kind.strip().lower())
    if entry is None:
        raise InvalidInput(f"unknown source kind {kind!r}; use one of {', '.join(_READERS)}")
    module_name, function_name, keywords, _ = entry
    module = importlib.import_module(f"hindsight.sources.{module_name}")
    reader: Callable[..., SourceResult] = getattr(module, function_name)
    with paused_gc():
        return reader(path, **keywords(options or ReadOptions()))
