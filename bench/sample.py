"""Deterministic, realistic postmortems for benchmarks (no corpus data is copied)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from hindsight.model import (
    ActionItem,
    EventKind,
    Postmortem,
    TimelineEvent,
)

SERVICES = ["checkout-api", "search", "payments", "auth", "ingest", "billing", "cdn", "queue"]
CAUSES = [
    "a connection pool sized below peak demand",
    "an expired TLS certificate on an internal load balancer",
    "a schema migration that locked a hot table",
    "a retry storm after a dependency slowed down",
    "a disk filling with unrotated logs",
    "a feature flag enabled for all regions at once",
]
KINDS = [
    (EventKind.ALERT, "Alert {svc}ErrorRateHigh fired"),
    (EventKind.ACKNOWLEDGEMENT, "On-call acknowledged the page"),
    (EventKind.INVESTIGATION, "Investigation started in the incident channel"),
    (EventKind.NOTE, "Dashboards show elevated latency on {svc}"),
    (EventKind.ESCALATION, "Escalated to the {svc} team"),
    (EventKind.DIAGNOSIS, "Root cause identified: {cause}"),
    (EventKind.MITIGATION, "Rolled back the last deploy of {svc}"),
    (EventKind.COMMUNICATION, "Status page updated"),
    (EventKind.RESOLUTION, "Error rate back to baseline"),
]


def make_postmortem(n: int, *, events: int = 15, actions: int = 5, seed: int = 0) -> Postmortem:
    rng = random.Random(seed * 100_003 + n)
    day = date(2024, 1, 1) + timedelta(days=n % 900)
    hour, minute = rng.randrange(0, 20), rng.randrange(60)
    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
    svc = rng.choice(SERVICES)
    cause = rng.choice(CAUSES)
    times = sorted(start + timedelta(minutes=rng.randrange(1, 180)) for _ in range(events))
    timeline = []
    for index, at in enumerate(times):
        kind, text = KINDS[index % len(KINDS)]
        timeline.append(TimelineEvent(at=at, kind=kind, text=text.format(svc=svc, cause=cause)))
    detected = times[0]
    resolved = times[-1]
    return Postmortem(
        id=f"INC-{day:%Y-%m-%d}-{n % 1000:03d}-{n}",
        title=f"{svc} degraded by {cause}",
        summary=f"{svc} returned errors for {(resolved - start).seconds // 60} minutes.",
        executive_summary=(
            f"Requests to {svc} failed because of {cause}. About {rng.randrange(2, 40)}% of "
            "requests failed until the change was rolled back. The service is healthy again."
        ),
        date=day,
        severity=rng.choice(["SEV-1", "SEV-2", "SEV-3", "SEV-4"]),
        services=[svc],
        tags=[rng.choice(["database", "network", "deploy", "config"])],
        authors=["Sam Rivera"],
        milestones={
            "impact_started_at": start,
            "detected_at": detected,
            "acknowledged_at": times[1] if events > 1 else detected,
            "mitigated_at": times[-2] if events > 2 else resolved,
            "resolved_at": resolved,
        },
        timeline=timeline,
        root_cause={"description": f"The incident was caused by {cause}."},
        contributing_factors=["Alert thresholds tuned for average load", "No canary for config"],
        response={
            "went_well": {"general": ["Rollback took two minutes"]},
            "went_poorly": {"general": ["The runbook pointed at a retired dashboard"]},
        },
        action_items=[
            ActionItem(
                id=f"A{i + 1}",
                action=f"Add a saturation alert for {svc} pool {i}",
                owner=rng.choice(["sre-team", "Ana Ortiz", "Lee Kim"]),
                priority=rng.choice(["P0", "P1", "P2"]),
                due=day + timedelta(days=14 + 7 * i),
                category=rng.choice(["prevent", "detect", "respond", "process"]),
                status=rng.choice(["open", "in_progress", "done"]),
            )
            for i in range(actions)
        ],
        lessons={"learned": ["Load tests must cover the lunchtime peak"]},
    )
