"""Recurring patterns: the services, tags and contributing-factor themes that come back across
incidents in a period, with the incidents behind each. Pure functions.

A contributing factor is sorted into themes by the words it uses (see :data:`THEMES`); a factor
that fits no theme is its own theme, by its wording ignoring case and punctuation, so that the
same factor written twice still recurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hindsight.insights.metrics import select
from hindsight.model import Postmortem

THEMES: dict[str, tuple[str, ...]] = {
    "configuration change": (r"config\w*", r"misconfig\w*", r"settings?", r"feature flags?"),
    "deploy and release": (r"deploy\w*", r"release\w*", r"roll(?:out|back)s?", r"canar\w+"),
    "capacity and load": (
        r"capacity",
        r"load",
        r"traffic",
        r"saturat\w+",
        r"(?:connection )?pools?",
        r"quotas?",
        r"limits?",
        r"scal\w+",
        r"overload\w*",
        r"memory",
        r"cpu",
        r"disk (?:space|full)",
    ),
    "monitoring and alerting": (
        r"monitor\w*",
        r"alert\w*",
        r"observability",
        r"dashboards?",
        r"pag(?:e|ing)",
        r"detect\w*",
    ),
    "testing": (r"test\w*", r"staging", r"qa", r"coverage"),
    "dependencies": (
        r"dependenc\w+",
        r"upstream",
        r"downstream",
        r"third[- ]party",
        r"vendors?",
        r"providers?",
    ),
    "runbooks and documentation": (r"runbooks?", r"playbooks?", r"documentation", r"docs"),
    "certificates and secrets": (
        r"certificates?",
        r"certs?",
        r"tls",
        r"ssl",
        r"secrets?",
        r"credentials?",
        r"tokens?",
    ),
    "database": (
        r"databases?",
        r"db",
        r"schemas?",
        r"migrations?",
        r"replica\w*",
        r"quer(?:y|ies)",
        r"indexes",
        r"locks?",
    ),
    "network and DNS": (r"network\w*", r"dns", r"bgp", r"routing", r"load balancers?"),
    "retries and timeouts": (r"retr(?:y|ies)", r"timeouts?", r"backoff", r"thundering herd"),
    "process and communication": (
        r"manual\w*",
        r"process\w*",
        r"communicat\w+",
        r"hand-?offs?",
        r"on-?call",
        r"training",
        r"reviews?",
        r"approvals?",
        r"escalat\w+",
    ),
    "hardware and power": (r"hardware", r"power", r"data ?cent(?:er|re)s?", r"disk failures?"),
}

_THEME_RE = {
    theme: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)
    for theme, words in THEMES.items()
}


def factor_themes(text: str) -> list[str]:
    """The themes a contributing factor belongs to; its own wording when it fits none."""
    found = [theme for theme, pattern in _THEME_RE.items() if pattern.search(text)]
    if found:
        return found
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [" ".join(words)] if words else []


@dataclass(frozen=True)
class Pattern:
    """One thing that recurs, and the incidents it recurs in."""

    kind: str
    key: str
    incidents: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.incidents)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "count": self.count,
            "incidents": self.incidents,
        }


@dataclass(frozen=True)
class Patterns:
    since: date | None
    until: date | None
    incidents: int
    services: list[Pattern]
    themes: list[Pattern]
    tags: list[Pattern]

    def all(self) -> list[Pattern]:
        return sorted([*self.services, *self.themes, *self.tags], key=lambda p: -p.count)

    def as_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "incidents": self.incidents,
            "services": [p.as_json() for p in self.services],
            "contributing_factor_themes": [p.as_json() for p in self.themes],
            "tags": [p.as_json() for p in self.tags],
        }


def _recurring(
    kind: str, members: dict[str, dict[str, str]], min_count: int, limit: int | None
) -> list[Pattern]:
    """``members`` maps a normalised key to {incident id: label}; keep those seen enough."""
    found = []
    for ids in members.values():
        if len(ids) >= min_count:
            label = next(iter(ids.values()))
            found.append(Pattern(kind, label, tuple(ids)))
    found.sort(key=lambda p: (-p.count, p.key.lower()))
    return found[:limit] if limit is not None else found


def _add(members: dict[str, dict[str, str]], label: str, incident: str) -> None:
    key = label.strip().lower()
    if key:
        members.setdefault(key, {}).setdefault(incident, label.strip())


def find_patterns(
    postmortems: Iterable[Postmortem],
    *,
    since: date | None = None,
    until: date | None = None,
    include_drills: bool = False,
    min_count: int = 2,
    limit: int | None = None,
) -> Patterns:
    """Services, factor themes and tags found in at least ``min_count`` incidents, most
    frequent first; incidents are listed oldest first."""
    chosen, _ = select(postmortems, since=since, until=until, include_drills=include_drills)
    services: dict[str, dict[str, str]] = {}
    themes: dict[str, dict[str, str]] = {}
    tags: dict[str, dict[str, str]] = {}
    for pm in chosen:
        ident = pm.id or pm.title
        for service in pm.services:
            _add(services, service, ident)
        for tag in pm.tags:
            _add(tags, tag, ident)
        for factor in pm.contributing_factors:
            for theme in factor_themes(factor):
                _add(themes, theme, ident)
    return Patterns(
        since=since,
        until=until,
        incidents=len(chosen),
        services=_recurring("service", services, min_count, limit),
        themes=_recurring("contributing factor", themes, min_count, limit),
        tags=_recurring("tag", tags, min_count, limit),
    )
