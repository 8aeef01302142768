"""Hand-built incidents with known answers, and the icco corpus read as postmortems.

The corpus is read in place from ``../shared/corpus`` (never copied). Each of its documents has
YAML front matter (title, summary, categories, company, start/end times) and a prose body; it
becomes a postmortem with the categories as tags and the company as its service, so that tests
of search, related incidents and patterns do not depend on the Markdown reader.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hindsight.model import Postmortem

ROOT = Path(__file__).resolve().parents[2]
ICCO = ROOT.parent / "shared" / "corpus" / "collections" / "icco-postmortems" / "data"


def at(text: str) -> datetime:
    """An aware instant from ISO text (``Z`` or an offset)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def incident(
    ident: str,
    *,
    impact: str | None = None,
    detected: str | None = None,
    acknowledged: str | None = None,
    mitigated: str | None = None,
    resolved: str | None = None,
    **fields: Any,
) -> Postmortem:
    """A postmortem with the milestones given as ISO text (minutes after detection as ``+N``)."""
    base = at(detected) if detected else None

    def instant(value: str | None) -> datetime | None:
        if value is None:
            return None
        if value.startswith("+"):
            assert base is not None
            return base + timedelta(minutes=int(value[1:]))
        return at(value)

    milestones = {
        "impact_started_at": instant(impact),
        "detected_at": base,
        "acknowledged_at": instant(acknowledged),
        "mitigated_at": instant(mitigated),
        "resolved_at": instant(resolved),
    }
    return Postmortem(
        id=ident,
        title=fields.pop("title", f"Incident {ident}"),
        milestones={k: v for k, v in milestones.items() if v is not None},
        **fields,
    )


def october_set() -> list[Postmortem]:
    """Known answers in ``tests/insights/test_insights_metrics.py``."""
    return [
        incident(
            "A",
            impact="2026-10-01T10:00:00Z",
            detected="2026-10-01T10:10:00Z",
            acknowledged="+5",
            mitigated="+30",
            resolved="+60",
            severity="SEV-2",
            services=["api"],
        ),
        incident(
            "B",
            impact="2026-10-15T00:00:00Z",
            detected="2026-10-15T00:30:00Z",
            mitigated="+60",
            resolved="+120",
            severity="SEV-1",
            services=["api", "db"],
        ),
        incident(
            "C",
            detected="2026-10-20T12:00:00Z",
            acknowledged="+1",
            mitigated="+30",
            severity="SEV-2",
            services=["db"],
        ),
        # 23:30 at UTC-2 on 31 October is 01:30 UTC on 1 November.
        incident(
            "D",
            impact="2026-10-31T23:30:00-02:00",
            detected="2026-10-31T23:35:00-02:00",
            acknowledged="+5",
            mitigated="+15",
            resolved="+60",
            severity="SEV-3",
            services=["web"],
        ),
        incident(
            "E",
            impact="2026-10-05T09:00:00Z",
            detected="2026-10-05T09:00:00Z",
            resolved="+600",
            incident_type="drill",
            services=["api"],
        ),
        incident(
            "F",
            detected="2026-10-06T02:00:00Z",
            resolved="+240",
            tags=["Maintenance"],
            services=["db"],
        ),
        incident(
            "G",
            impact="2026-09-30T23:59:00Z",
            detected="2026-10-01T00:04:00Z",
            resolved="+10",
            severity="SEV-4",
            services=["api"],
        ),
    ]


# --- the icco corpus --------------------------------------------------------------------------


def _split(text: str) -> tuple[dict[str, Any], str]:
    _, block, body = text.split("---\n", 2)
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data, body.strip()


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        return at(value)
    return None


def corpus_postmortem(path: Path) -> Postmortem:
    data, body = _split(path.read_text(encoding="utf-8"))
    start, end = _instant(data.get("start_time")), _instant(data.get("end_time"))
    milestones: dict[str, datetime] = {}
    if start is not None:
        milestones["impact_started_at"] = start
        if end is not None and end >= start:
            milestones["resolved_at"] = end
    summary = str(data.get("summary") or "").strip() or None
    title = str(data.get("title") or "").strip() or (summary or data["uuid"])[:120]
    company = str(data.get("company") or "").strip()
    return Postmortem(
        id=str(data["uuid"]),
        title=title,
        summary=summary,
        executive_summary=body or None,
        services=[company] if company else [],
        tags=[str(c) for c in data.get("categories") or []],
        date=start.date() if start else None,
        milestones=milestones,
    )


@lru_cache(maxsize=1)
def _corpus() -> tuple[Postmortem, ...]:
    return tuple(corpus_postmortem(p) for p in sorted(ICCO.glob("*.md")))


def icco_corpus() -> list[Postmortem]:
    """The 242 icco postmortems, in file-name order."""
    return list(_corpus())


def front_matter(uuid: str) -> dict[str, Any]:
    return _split((ICCO / f"{uuid}.md").read_text(encoding="utf-8"))[0]
