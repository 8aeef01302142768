"""Milestones inferred from timeline events, each with the rule and the event that chose it.

================================  ===============================================================
milestone                         rule
================================  ===============================================================
``detected_at``                   the first alert or human report
``impact_started_at``             the earliest alert start or explicit impact note, at or before
                                  detection
``acknowledged_at``               the first acknowledgement at or after detection
``investigation_started_at``      the first investigation step at or after detection
``root_cause_identified_at``      the first diagnosis at or after detection
``resolved_at``                   the last resolution, provided no alert fired after it
``mitigated_at``                  the first mitigation (rollback, failover, flag off, scale up...)
                                  between detection and resolution
``all_clear_at``                  the first all-clear at or after resolution
================================  ===============================================================

A milestone the author sets wins over inference, and the inferred ones are chosen around it
(an acknowledgement is looked for after the detection the author gave). An inferred milestone
that would break the order of milestones is dropped with the reason; two set by the author
that break it are an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from hindsight.errors import InvalidInput
from hindsight.model import MILESTONE_LABELS, MILESTONE_ORDER, EventKind, Milestones, TimelineEvent

_DETECTION = frozenset({EventKind.ALERT, EventKind.REPORT})
_IMPACT = frozenset({EventKind.IMPACT, EventKind.ALERT})
_SHOWN_WHEN_UNKNOWN = (
    "impact_started_at",
    "detected_at",
    "acknowledged_at",
    "mitigated_at",
    "resolved_at",
)


@dataclass(frozen=True)
class MilestoneReason:
    """Why a milestone has its value: the rule, and the event that chose it."""

    milestone: str
    at: datetime | None
    rule: str
    event: TimelineEvent | None = None
    overridden: bool = False

    def describe(self) -> str:
        """``detected 2024-03-05 14:02:11 UTC: first alert or human report — [FIRING] ...``."""
        label = MILESTONE_LABELS.get(self.milestone, self.milestone)
        if self.at is None:
            return f"{label}: unknown ({self.rule})"
        line = f"{label} {self.at:%Y-%m-%d %H:%M:%S} UTC: {self.rule}"
        if self.event is not None:
            origin = f" ({self.event.source})" if self.event.source else ""
            line += f" — {self.event.text}{origin}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "milestone": self.milestone,
            "at": self.at.isoformat().replace("+00:00", "Z") if self.at else None,
            "rule": self.rule,
            "overridden": self.overridden,
            "event": self.event.model_dump(mode="json", exclude_none=True) if self.event else None,
        }


@dataclass(frozen=True)
class Inference:
    milestones: Milestones
    reasons: list[MilestoneReason]


Chosen = dict[str, MilestoneReason]
Rule = Callable[[Sequence[TimelineEvent], Chosen], MilestoneReason]


def infer_milestones(
    events: Sequence[TimelineEvent], *, overrides: Mapping[str, datetime] | None = None
) -> Inference:
    """Milestones from ``events`` (any order); ``overrides`` win."""
    timed = sorted((e for e in events if e.at is not None), key=_at)
    chosen: Chosen = {}
    for name, value in (overrides or {}).items():
        if name not in Milestones.model_fields:
            known = ", ".join(Milestones.model_fields)
            raise InvalidInput(f"unknown milestone {name!r}; use one of {known}")
        chosen[name] = MilestoneReason(name, value, "set by the author", overridden=True)
    for name, rule in _RULES:
        if name not in chosen:
            chosen[name] = rule(timed, chosen)
    _keep_in_order(chosen)
    milestones = Milestones.model_validate({n: r.at for n, r in chosen.items()})
    reasons = [
        chosen[name]
        for name in Milestones.model_fields
        if name in chosen and (chosen[name].at is not None or name in _SHOWN_WHEN_UNKNOWN)
    ]
    return Inference(milestones, reasons)


def _at(event: TimelineEvent) -> datetime:
    assert event.at is not None
    return event.at


def _when(chosen: Chosen, name: str) -> datetime | None:
    reason = chosen.get(name)
    return reason.at if reason else None


def _first(
    events: Sequence[TimelineEvent],
    kinds: frozenset[EventKind],
    *,
    after: datetime | None = None,
    before: datetime | None = None,
) -> TimelineEvent | None:
    for event in events:
        if event.kind not in kinds:
            continue
        if after is not None and _at(event) < after:
            continue
        if before is not None and _at(event) > before:
            return None
        return event
    return None


def _reason(name: str, event: TimelineEvent | None, rule: str, missing: str) -> MilestoneReason:
    if event is None:
        return MilestoneReason(name, None, missing)
    return MilestoneReason(name, event.at, rule, event)


# --- the rules, in the order they are applied -------------------------------------------------


def _detected(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
    found = _first(events, _DETECTION)
    return _reason("detected_at", found, "first alert or human report", "no alert or human report")


def _impact(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
    found = _first(events, _IMPACT, before=_when(chosen, "detected_at"))
    rule = (
        "explicit impact note"
        if found and found.kind is EventKind.IMPACT
        else ("earliest alert start")
    )
    return _reason(
        "impact_started_at", found, rule, "no alert start or impact note at or before detection"
    )


def _single(name: str, kinds: frozenset[EventKind], what: str) -> Rule:
    def rule(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
        found = _first(events, kinds, after=_when(chosen, "detected_at"))
        return _reason(name, found, f"first {what} after detection", f"no {what} after detection")

    return rule


def _resolved(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
    detected = _when(chosen, "detected_at")
    resolutions = [e for e in events if e.kind is EventKind.RESOLUTION]
    if detected is not None:
        resolutions = [e for e in resolutions if _at(e) >= detected]
    if not resolutions:
        return MilestoneReason("resolved_at", None, "no resolution")
    last = resolutions[-1]
    later_alert = next(
        (e for e in events if e.kind is EventKind.ALERT and _at(e) > _at(last)), None
    )
    if later_alert is not None:
        return MilestoneReason(
            "resolved_at",
            None,
            f"an alert fired at {_at(later_alert):%H:%M:%S} UTC after the last resolution",
            later_alert,
        )
    return _reason("resolved_at", last, "last resolution, no alert fired after it", "")


def _mitigated(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
    found = _first(
        events,
        frozenset({EventKind.MITIGATION}),
        after=_when(chosen, "detected_at"),
        before=_when(chosen, "resolved_at"),
    )
    return _reason(
        "mitigated_at",
        found,
        "first mitigation (rollback, failover, flag off, scale up...) after detection",
        "no mitigation between detection and resolution",
    )


def _all_clear(events: Sequence[TimelineEvent], chosen: Chosen) -> MilestoneReason:
    resolved = _when(chosen, "resolved_at")
    found = _first(events, frozenset({EventKind.ALL_CLEAR}), after=resolved)
    if resolved is None:
        found = None
    return _reason("all_clear_at", found, "first all-clear after resolution", "no all-clear")


_RULES: tuple[tuple[str, Rule], ...] = (
    ("detected_at", _detected),
    ("impact_started_at", _impact),
    ("acknowledged_at", _single("acknowledged_at", frozenset({EventKind.ACKNOWLEDGEMENT}),
                                "acknowledgement")),
    ("investigation_started_at", _single("investigation_started_at",
                                         frozenset({EventKind.INVESTIGATION}),
                                         "investigation step")),
    ("root_cause_identified_at", _single("root_cause_identified_at",
                                         frozenset({EventKind.DIAGNOSIS}), "diagnosis")),
    ("resolved_at", _resolved),
    ("mitigated_at", _mitigated),
    ("all_clear_at", _all_clear),
)  # fmt: skip


def _keep_in_order(chosen: Chosen) -> None:
    """Drop inferred milestones that break the order; refuse overrides that do."""
    while True:
        pair = _out_of_order(chosen)
        if pair is None:
            return
        earlier, later = chosen[pair[0]], chosen[pair[1]]
        if earlier.overridden and later.overridden:
            a, b = earlier.at, later.at
            assert a is not None and b is not None
            raise InvalidInput(
                f"milestone {later.milestone} ({b:%Y-%m-%d %H:%M:%S} UTC) is before "
                f"{earlier.milestone} ({a:%Y-%m-%d %H:%M:%S} UTC)"
            )
        drop = later if not later.overridden else earlier
        keep = earlier if drop is later else later
        label = MILESTONE_LABELS[keep.milestone]
        chosen[drop.milestone] = MilestoneReason(
            drop.milestone,
            None,
            f"{drop.rule} gave {_hm(drop.at)}, out of order with {label} ({_hm(keep.at)})",
            drop.event,
        )


def _hm(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S} UTC" if at else "unknown"


def _out_of_order(chosen: Chosen) -> tuple[str, str] | None:
    for earlier, later in MILESTONE_ORDER:
        a, b = _when(chosen, earlier), _when(chosen, later)
        if a is not None and b is not None and b < a:
            return earlier, later
    return None
