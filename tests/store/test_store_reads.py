"""Reading many postmortems cheaply: by ids, in part, as summary columns, their action items,
contributing factors and indexed text; on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from hindsight.model import ActionItem, DocumentStatus, IncidentType, Postmortem, Severity
from hindsight.settings import DEFAULT_ID_PATTERN
from hindsight.store import repository as repo
from hindsight.store.search import indexed_postmortems, search_text

BuildPostmortem = Callable[..., Postmortem]
NOW = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def stored(session: Session, build: BuildPostmortem) -> list[Postmortem]:
    """Three postmortems: a typical one, one with few fields, one drill without milestones."""
    pms = [
        build(id="INC-A", title="Checkout errors", severity="SEV-1"),
        Postmortem(id="INC-B", title="DNS outage", services=["dns"], date=date(2024, 4, 30)),
        build(
            id="INC-C",
            title="Failover drill",
            incident_type="drill",
            tags=["Drill"],
            start=datetime(2024, 5, 3, 23, 0, tzinfo=UTC),
            contributing_factors=["Runbook out of date", "  "],
            action_items=[
                ActionItem(action="Fix the runbook", due=date(2024, 6, 1), priority="high"),
                ActionItem(action="Old alert", status="wont_do", status_reason="replaced"),
            ],
        ),
    ]
    for pm in pms:
        repo.create_postmortem(
            session=session, postmortem=pm, author="ana", now=NOW, id_pattern=DEFAULT_ID_PATTERN
        )
    session.commit()
    return [repo.get_postmortem(session=session, ref=pm.id or "").postmortem for pm in pms]


def test_get_postmortems_in_the_order_asked_without_unknown_ids(
    session: Session, stored: list[Postmortem]
) -> None:
    found = repo.get_postmortems(session=session, ids=["INC-C", "nope", "INC-A", "INC-C"])

    assert found == [stored[2], stored[0]]
    assert repo.get_postmortems(session=session, ids=[]) == []


def test_get_postmortems_in_batches(
    session: Session, stored: list[Postmortem], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo, "ID_BATCH", 2)

    found = repo.get_postmortems(session=session, ids=["INC-B", "INC-C", "INC-A"])

    assert [pm.id for pm in found] == ["INC-B", "INC-C", "INC-A"]


def test_get_postmortems_with_some_fields_leaves_the_others_default(
    session: Session, stored: list[Postmortem]
) -> None:
    fields = ("id", "milestones", "tags", "contributing_factors")

    found = repo.get_postmortems(session=session, ids=["INC-C"], fields=fields)

    [full] = [pm for pm in stored if pm.id == "INC-C"]
    assert found == [
        Postmortem(
            id="INC-C",
            milestones=full.milestones,
            tags=full.tags,
            contributing_factors=full.contributing_factors,
        )
    ]


def test_summaries_repeat_the_documents(session: Session, stored: list[Postmortem]) -> None:
    summaries = {s.id: s for s in repo.list_summaries(session=session)}

    assert list(summaries) == ["INC-A", "INC-B", "INC-C"]
    for pm in stored:
        summary = summaries[pm.id or ""]
        assert (summary.title, summary.status, summary.severity) == (
            pm.title,
            pm.status,
            pm.severity,
        )
        assert (summary.incident_type, summary.incident_date) == (
            pm.incident_type,
            pm.incident_date,
        )
        milestones = pm.milestones
        assert (summary.impact_started_at, summary.detected_at, summary.resolved_at) == (
            milestones.impact_started_at,
            milestones.detected_at,
            milestones.resolved_at,
        )
    assert summaries["INC-A"].severity == Severity(1)
    assert summaries["INC-B"].status is DocumentStatus.DRAFT
    assert summaries["INC-C"].incident_type is IncidentType.DRILL
    assert summaries["INC-C"].impact_started_at == datetime(2024, 5, 3, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("batch", [500, 1])
def test_action_items_of_some_postmortems_in_document_order(
    session: Session, stored: list[Postmortem], monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    # ID_BATCH 1: more ids than a batch, read in one pass over the table instead.
    monkeypatch.setattr(repo, "ID_BATCH", batch)

    rows = repo.action_items_of(session=session, postmortem_ids=["INC-C", "INC-B", "INC-A"])

    expected = [
        (pm.id, pm.title, position, item)
        for pm in sorted(stored, key=lambda pm: pm.id or "")
        for position, item in enumerate(pm.action_items)
    ]
    assert [(r.postmortem_id, r.postmortem_title, r.position, r.item) for r in rows] == expected
    only_c = repo.action_items_of(session=session, postmortem_ids={"INC-C"})
    assert [r.item.action for r in only_c] == ["Fix the runbook", "Old alert"]
    assert only_c[0].item.priority is not None and only_c[0].item.priority.value == "P1"


def test_contributing_factors_without_the_documents(
    session: Session, stored: list[Postmortem]
) -> None:
    found = repo.list_contributing_factors(session=session, ids=["INC-A", "INC-B", "INC-C", "x"])

    assert found == {pm.id: pm.contributing_factors for pm in stored}
    assert found["INC-C"] == ["Runbook out of date", ""]


def test_indexed_postmortems_hold_the_search_text(
    session: Session, stored: list[Postmortem], build: BuildPostmortem
) -> None:
    edited = stored[0].model_copy(update={"title": "Checkout errors after a config push"})
    repo.save_postmortem(
        session=session,
        postmortem=edited,
        base_revision=1,
        author="bo",
        now=NOW + timedelta(hours=1),
    )
    repo.delete_postmortem(session=session, ref="INC-B")
    session.commit()

    indexed = indexed_postmortems(session=session)

    current = [edited, stored[2]]
    assert [row.id for row in indexed] == ["INC-A", "INC-C"]
    for row, pm in zip(indexed, current, strict=True):
        assert (row.title, row.summary, row.body) == search_text(pm)
        assert (row.services, row.tags) == (pm.services, pm.tags)
