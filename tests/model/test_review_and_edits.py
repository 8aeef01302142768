"""Review transitions and pure edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hindsight.model import ActionItem, DocumentStatus, Postmortem, TimelineEvent
from hindsight.model.edits import add_action, add_event, carry_hidden, next_action_id, update_action
from hindsight.model.review import parse_status, transition

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_review_moves_through_draft_review_final() -> None:
    pm = Postmortem(title="t", milestones={"resolved_at": T0})
    pm = transition(pm, DocumentStatus.IN_REVIEW, at=T0 + timedelta(hours=20), by="ana")
    pm = transition(pm, DocumentStatus.FINAL, at=T0 + timedelta(hours=40), by="lee", note="ok")
    assert pm.status is DocumentStatus.FINAL
    assert [(c.status, c.by) for c in pm.status_history] == [
        (DocumentStatus.IN_REVIEW, "ana"),
        (DocumentStatus.FINAL, "lee"),
    ]
    assert pm.milestones.postmortem_started_at == T0 + timedelta(hours=20)
    assert pm.milestones.postmortem_completed_at == T0 + timedelta(hours=40)


@pytest.mark.parametrize(
    ("start", "to"),
    [(DocumentStatus.DRAFT, DocumentStatus.FINAL), (DocumentStatus.FINAL, DocumentStatus.DRAFT)],
)
def test_review_refuses_skipping_steps(start: DocumentStatus, to: DocumentStatus) -> None:
    with pytest.raises(ValueError, match=f"cannot move from {start.value} to {to.value}"):
        transition(Postmortem(status=start), to, at=T0)


def test_review_refuses_same_status() -> None:
    with pytest.raises(ValueError, match="already draft"):
        transition(Postmortem(), DocumentStatus.DRAFT, at=T0)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Draft", DocumentStatus.DRAFT), ("In Review", DocumentStatus.IN_REVIEW),
        ("in-review", DocumentStatus.IN_REVIEW), ("Under Review", DocumentStatus.IN_REVIEW),
        ("FINAL", DocumentStatus.FINAL), ("[DRAFT]", DocumentStatus.DRAFT),
    ],
)  # fmt: skip
def test_status_words_of_the_seeds_parse(text: str, status: DocumentStatus) -> None:
    assert parse_status(text) is status


def test_add_event_keeps_time_order() -> None:
    pm = Postmortem(
        timeline=[
            TimelineEvent(at=T0, text="a"),
            TimelineEvent(at=T0 + timedelta(hours=1), text="c"),
        ]
    )
    pm = add_event(pm, TimelineEvent(at=T0 + timedelta(minutes=30), text="b"))
    pm = add_event(pm, TimelineEvent(at=T0 + timedelta(hours=2), text="d"))
    pm = add_event(pm, TimelineEvent(at=T0, text="a2"))
    assert [e.text for e in pm.timeline] == ["a", "a2", "b", "c", "d"]


def test_add_and_update_actions() -> None:
    pm = Postmortem(action_items=[ActionItem(id="A2", action="x")])
    assert next_action_id(pm) == "A3"
    pm = add_action(pm, ActionItem(action="y", owner="ana"))
    assert [i.id for i in pm.action_items] == ["A2", "A3"]
    with pytest.raises(ValueError, match="already exists"):
        add_action(pm, ActionItem(id="A2", action="z"))
    pm = update_action(pm, "a3", status="done", owner=None)
    assert pm.action_items[1].status.value == "done" and pm.action_items[1].owner == "ana"
    with pytest.raises(LookupError, match="A9"):
        update_action(pm, "A9", status="done")
    with pytest.raises(ValueError, match="status_reason"):
        update_action(pm, "A2", status="wont_do")


def test_carry_hidden_restores_what_markdown_cannot_show() -> None:
    stored = Postmortem(
        timeline=[
            TimelineEvent(at=T0, text="Alert fired", kind="alert", source="pagerduty", link="u")
        ],
        action_items=[ActionItem(id="A1", action="x", tracker="JIRA-1", team="sre")],
    )
    edited = Postmortem(
        title="edited",
        timeline=[TimelineEvent(at=T0, text="Alert fired"), TimelineEvent(at=T0, text="new")],
        action_items=[ActionItem(id="A1", action="x changed"), ActionItem(id="A2", action="y")],
    )
    merged = carry_hidden(stored, edited)
    assert merged.title == "edited"
    assert (merged.timeline[0].kind.value, merged.timeline[0].source) == ("alert", "pagerduty")
    assert merged.timeline[1].source is None
    assert (merged.action_items[0].action, merged.action_items[0].tracker) == (
        "x changed",
        "JIRA-1",
    )
    assert merged.action_items[1].tracker is None
