"""Action items across postmortems: filters, overdue, the due-date policy and its breaches, and
postmortem health."""

from __future__ import annotations

from datetime import date

import pytest
from insights_data import at, incident

from hindsight.errors import InvalidInput
from hindsight.insights.followups import (
    ActionFilter,
    ActionRow,
    action_rows,
    breaches,
    filter_actions,
    parse_due_policy,
    parse_statuses,
)
from hindsight.insights.health import compute_health, on_time
from hindsight.model import ActionItem, ActionStatus, Postmortem, Priority

TODAY = date(2026, 11, 10)


def _item(ident: str, **fields: object) -> ActionItem:
    return ActionItem.model_validate({"id": ident, "action": f"Do {ident}", **fields})


def tracked() -> list[Postmortem]:
    """Resolved 2026-10-01 (SEV-1) and 2026-10-20 (SEV-3)."""
    first = incident(
        "INC-1",
        detected="2026-10-01T08:00:00Z",
        resolved="+60",
        severity="SEV-1",
        action_items=[
            _item("A1", owner="Ana", team="sre", priority="P0", due="2026-10-10"),
            _item("A2", owner="ana", priority="P1", due="2026-11-12", status="in_progress"),
            _item(
                "A3",
                owner="Lee",
                priority="P0",
                due="2026-10-12",
                status="done",
                completed_on="2026-10-11",
            ),
            _item(
                "A4",
                owner="Lee",
                priority="P2",
                due="2026-10-12",
                status="done",
                completed_on="2026-10-20",
            ),
            _item(
                "A5", owner="Lee", status="wont_do", status_reason="superseded", due="2026-10-01"
            ),
            _item("A6", owner="Kim", category="detect"),
        ],
    )
    second = incident(
        "INC-2",
        detected="2026-10-20T08:00:00Z",
        resolved="+30",
        severity="SEV-3",
        action_items=[
            _item("B1", owner="Kim", team="SRE", due="2026-11-15", category="detect"),
            _item("B2", owner="Kim", due="2026-12-31"),
            _item("B3", status="done"),
        ],
    )
    return [second, first]


def _ids(rows: list[ActionRow]) -> list[str]:
    return [f"{r.postmortem_id}/{r.item.id}" for r in rows]


def test_rows_are_soonest_due_first_with_undated_last() -> None:
    assert _ids(action_rows(tracked())) == [
        "INC-1/A5",
        "INC-1/A1",
        "INC-1/A3",
        "INC-1/A4",
        "INC-1/A2",
        "INC-2/B1",
        "INC-2/B2",
        "INC-1/A6",
        "INC-2/B3",
    ]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (ActionFilter(owner="ANA"), ["INC-1/A1", "INC-1/A2"]),
        (ActionFilter(team="sre"), ["INC-1/A1", "INC-2/B1"]),
        (ActionFilter(status=frozenset({ActionStatus.DONE})), ["INC-1/A3", "INC-1/A4", "INC-2/B3"]),
        (ActionFilter(priority=Priority.P0), ["INC-1/A1", "INC-1/A3"]),
        (ActionFilter(category="detect"), ["INC-2/B1", "INC-1/A6"]),
        (ActionFilter(overdue=True), ["INC-1/A1"]),
        (ActionFilter(due_within=5), ["INC-1/A2", "INC-2/B1"]),
        (ActionFilter(due_within=1), []),
        (ActionFilter(owner="kim", due_within=60), ["INC-2/B1", "INC-2/B2"]),
    ],
)
def test_filters(selection: ActionFilter, expected: list[str]) -> None:
    assert _ids(filter_actions(action_rows(tracked()), selection, today=TODAY)) == expected


def test_overdue_days_count_only_open_items() -> None:
    rows = {r.item.id: r for r in action_rows(tracked())}
    assert rows["A1"].overdue_days(TODAY) == 31
    assert rows["A4"].overdue_days(TODAY) is None  # done, late
    assert rows["A5"].overdue_days(TODAY) is None  # dropped
    assert rows["A2"].overdue_days(TODAY) is None  # not yet due
    assert rows["A1"].as_json(TODAY)["overdue_days"] == 31


def test_statuses_parse_with_active_for_open_and_in_progress() -> None:
    assert parse_statuses(["active"]) == {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}
    assert parse_statuses(["wont-do", "done"]) == {ActionStatus.WONT_DO, ActionStatus.DONE}
    assert parse_statuses([]) is None
    with pytest.raises(InvalidInput, match="unknown status 'closed'"):
        parse_statuses(["closed"])


def test_policy_parses_priorities_and_severities() -> None:
    policy = parse_due_policy("P0=14, p1: 30d ,SEV-1=7,High=21")
    assert policy.by_priority == {Priority.P0: 14, Priority.P1: 30}
    assert policy.by_severity == {1: 7, 2: 21}
    assert policy.describe() == "P0=14,P1=30,SEV-1=7,SEV-2=21"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("P0", "cannot read 'P0'"),
        ("P0=soon", "cannot read 'P0=soon'"),
        ("team=3", "'team' is neither a priority"),
    ],
)
def test_bad_policies_are_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_due_policy(text)


def test_policy_proposes_due_dates_from_resolution_priority_first() -> None:
    policy = parse_due_policy("P0=14,P1=30,SEV-1=7,SEV-3=60")
    rows = {r.item.id: r for r in action_rows(tracked())}
    assert policy.deadline(rows["A1"]) == date(2026, 10, 15)  # P0: 14 days after 2026-10-01
    assert policy.deadline(rows["A2"]) == date(2026, 10, 31)  # P1: 30 days
    assert policy.deadline(rows["A6"]) == date(2026, 10, 8)  # no priority: SEV-1, 7 days
    assert policy.deadline(rows["B2"]) == date(2026, 12, 19)  # SEV-3: 60 days after 10-20
    assert parse_due_policy("P0=14").deadline(rows["B2"]) is None


def test_breaches_say_why() -> None:
    policy = parse_due_policy("P0=14,P1=30,P2=14,SEV-1=7,SEV-3=30")
    found = {b.row.item.id: b.reason for b in breaches(action_rows(tracked()), policy, today=TODAY)}
    assert found == {
        "A1": "still open 26 days past the policy deadline",
        "A2": "still in_progress 10 days past the policy deadline",
        "A4": "done 5 days after the policy deadline",
        "A6": "still open 33 days past the policy deadline",
        "B2": "due 2026-12-31, later than the policy allows",
    }


def test_health_spans_shares_and_on_time() -> None:
    drafted = incident(
        "P1",
        detected="2026-10-01T08:00:00Z",
        resolved="2026-10-01T10:00:00Z",
        status="final",
    )
    drafted = drafted.model_copy(
        update={
            "milestones": drafted.milestones.replace(
                postmortem_started_at=at("2026-10-02T10:00:00Z"),
                postmortem_completed_at=at("2026-10-04T10:00:00Z"),
            )
        }
    )
    undrafted = incident("P2", detected="2026-10-05T08:00:00Z", resolved="+30")
    health = compute_health([drafted, undrafted, tracked()[0]], today=TODAY)
    assert health.postmortems == 3
    assert (health.to_draft.count, health.to_draft.excluded) == (1, 2)
    assert health.to_draft.median == 86400
    assert health.to_final.median == 3 * 86400
    assert (health.finalised.part, health.finalised.whole) == (1, 3)
    assert health.as_json()["resolution_to_final"]["from"] == "resolved_at"


def test_on_time_counts_only_known_outcomes() -> None:
    # A1 open and late, A3 done in time, A4 done late; A2 not yet due, A5 dropped, A6 undated.
    share = on_time([tracked()[1]], today=TODAY)
    assert (share.part, share.whole) == (1, 3)
    # Before A4 was done, it was open and late all the same; before A3's due date it is unknown.
    share_earlier = on_time([tracked()[1]], today=date(2026, 10, 12))
    assert (share_earlier.part, share_earlier.whole) == (1, 2)
