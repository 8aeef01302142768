"""Hand-built incidents with known answers, and the icco corpus read as postmortems.

The corpus is read in place from ``../shared/corpus`` (never copied). Each of its documents has
YAML front matter (title, summary, categories, company, start/end times) and a prose body; it
becomes a postmortem with the categories as tags and the company as its service, so that tests
of search, related incidents and patterns do not depend on the Markdown reader.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hindsight.model import ActionItem, Postmortem, TimelineEvent

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


# --- a generated set --------------------------------------------------------------------------

_WORD_TEXT = (
    "timeout timeouts timed failing failed fails node nodes replica replicas query queries "
    "configure configured configuration deploy deployed deploying rollback canary cache "
    "cache_miss latency saturation pool pools connection connections certificate expired "
    "disk filling logs rotation migration locked table index queue backlog consumer producer "
    "retry retries storm throttling quota limit memory leak garbage collector pause shard "
    "rebalance leader election quorum partition network packet loss dns resolver ttl "
    "failover region zone outage degraded errors 500s gateway proxy upstream downstream "
    "vendor API Payments Checkout café naïve résumé 2024 v2 x l10n on-call runbook alert "
    "paging dashboard threshold the a of and to in for was were is"
)
_WORDS = _WORD_TEXT.split()
_FACTORS = (
    "No canary for the config push",
    "Alert thresholds tuned for average load",
    "The runbook pointed at a retired dashboard",
    "Nobody knew who owned the cron job",
    "A retry storm after the vendor slowed down",
    "Certificate rotation was manual",
    "The schema migration locked a hot table",
    "Shard rebalancing was never rehearsed",
)
_LESSONS = (
    "Load tests must cover the lunchtime peak.",
    "Rehearse failovers every quarter",
    "load tests must cover the lunchtime peak",
    "Alerts need owners",
)


def generated_set(count: int, *, seed: int = 7) -> list[Postmortem]:
    """``count`` varied postmortems from 2025 to mid-2026: words in many forms (accents, digits,
    plurals), overlapping services, tags and factors, drills and maintenance, incidents placed
    by impact, by detection, by date only or not at all, and action items in every state."""
    rng = random.Random(seed)
    return [_generated(n, rng) for n in range(count)]


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def _generated(n: int, rng: random.Random) -> Postmortem:
    offset = timezone(timedelta(hours=rng.choice([0, 0, -2, 5])))
    start = datetime(2025, 1, 1, tzinfo=offset) + timedelta(minutes=rng.randrange(560 * 24 * 60))
    placed = rng.choice(["impact", "impact", "detected", "date", "none"])
    milestones: dict[str, datetime] = {}
    if placed in ("impact", "detected"):
        steps = sorted(rng.sample(range(1, 600), 4))
        at = [start + timedelta(minutes=m) for m in steps]
        if placed == "impact":
            milestones["impact_started_at"] = start
        milestones.update(
            detected_at=at[0], acknowledged_at=at[1], mitigated_at=at[2], resolved_at=at[3]
        )
        if rng.random() < 0.5:
            milestones["postmortem_started_at"] = at[3] + timedelta(days=rng.randrange(5))
            milestones["postmortem_completed_at"] = at[3] + timedelta(days=rng.randrange(5, 20))
    day = start.date()
    items = []
    for i in range(rng.randrange(5)):
        status = rng.choice(["open", "in_progress", "done", "done", "wont_do"])
        due = day + timedelta(days=rng.randrange(-5, 90)) if rng.random() < 0.8 else None
        done = day + timedelta(days=rng.randrange(120)) if status == "done" else None
        items.append(
            ActionItem(
                id=f"A{i + 1}",
                action=_text(rng, 3, 8) or "Follow up",
                owner=rng.choice(["ana", "Bo", None]),
                priority=rng.choice(["P0", "P1", "P2", None]),
                due=due,
                status=status,
                status_reason="superseded" if status == "wont_do" else None,
                completed_on=done if rng.random() < 0.9 else None,
                category=rng.choice(["prevent", "detect", None]),
            )
        )
    return Postmortem(
        id=f"GEN-{n:04d}",
        title=_text(rng, 2, 7) or f"Incident {n}",
        summary=_text(rng, 0, 20) or None,
        executive_summary=_text(rng, 0, 30) or None,
        date=day if placed != "none" and rng.random() < 0.7 else None,
        severity=rng.choice(["SEV-1", "SEV-2", "SEV-3", None]),
        services=rng.sample(["api", "db", "Payments", "search", "cdn", "auth"], rng.randrange(3)),
        tags=rng.sample(["deploy", "config", "network", "Drill", "maintenance"], rng.randrange(3)),
        incident_type=rng.choice(["incident"] * 8 + ["drill", "maintenance"]),
        status=rng.choice(["draft", "in_review", "final"]),
        milestones=milestones,
        timeline=[
            TimelineEvent(at=start + timedelta(minutes=m), text=_text(rng, 1, 10) or "note")
            for m in range(rng.randrange(6))
        ],
        root_cause={"description": _text(rng, 0, 15) or None},
        contributing_factors=rng.sample(_FACTORS, rng.randrange(3)),
        lessons={"learned": rng.sample(_LESSONS, rng.randrange(2))},
        action_items=items,
        follow_ups=[{"date": day + timedelta(days=30)}] if rng.random() < 0.2 else [],
        postmortem_date=date(2026, 7, 1) if rng.random() < 0.1 else None,
    )
