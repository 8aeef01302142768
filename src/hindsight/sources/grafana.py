"""Grafana unified-alerting webhooks as timeline events.

Grafana sends Alertmanager-shaped bodies (``alerts`` with ``startsAt``/``endsAt`` and
fingerprints) with extras: times with offsets and microseconds
(``2021-10-12T09:51:03.157076+02:00``), dashboard and panel links, and the values that fired.
The legacy (pre-9) alert webhook carries no times at all, so it is refused with that reason.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from hindsight.errors import ParseError
from hindsight.model import Link, LinkKind
from hindsight.sources.alertmanager import read_alerts
from hindsight.sources.common import SourceResult, Window, json_documents


def read_grafana(
    path: Path, *, since: datetime | None = None, until: datetime | None = None
) -> SourceResult:
    """Events from Grafana alerting webhook bodies in ``path`` (JSON or JSON Lines)."""
    _refuse_legacy(path)
    dashboards: list[str] = []

    def links(alert: dict[str, Any]) -> tuple[str | None, list[str]]:
        link, more = _links(alert)
        dashboard = _url(alert, "dashboardURL") or _url(alert, "panelURL")
        if dashboard:
            dashboards.append(dashboard)
        return link, more

    result = read_alerts(
        path,
        source="grafana",
        what="a Grafana alerting webhook",
        window=Window(since, until),
        links=links,
    )
    for dashboard in dashboards:
        result.add_link(Link(label="Grafana dashboard", url=dashboard, kind=LinkKind.DASHBOARD))
    return result


def _refuse_legacy(path: Path) -> None:
    for where, document in json_documents(path, what="a Grafana alerting webhook"):
        if isinstance(document, dict) and "alerts" not in document and "ruleName" in document:
            raise ParseError(
                "a legacy Grafana alert webhook (ruleName, evalMatches) states no times; "
                "use unified alerting's webhook contact point",
                where=where,
            )
        return


def _url(alert: dict[str, Any], key: str) -> str | None:
    value = alert.get(key)
    return value if isinstance(value, str) and value.startswith("http") else None


def _links(alert: dict[str, Any]) -> tuple[str | None, list[str]]:
    more = []
    dashboard = _url(alert, "panelURL") or _url(alert, "dashboardURL")
    if dashboard:
        more.append(f"Dashboard: {dashboard}")
    values = alert.get("values")
    if isinstance(values, dict) and values:
        shown = ", ".join(f"{k}={_number(v)}" for k, v in values.items())
        more.append(f"Values: {shown}")
    return _url(alert, "generatorURL"), more


def _number(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
