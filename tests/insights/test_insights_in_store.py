"""The store's fast paths give the answers of the pure functions over every stored postmortem:
related incidents (:func:`find_related_in_store`) and the monthly report
(:func:`monthly_report_in_store`), on SQLite and on PostgreSQL."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from insights_data import generated_set, icco_corpus
from sqlalchemy.orm import Session

from hindsight.errors import NotFound
from hindsight.insights import related
from hindsight.insights.collection import gc_paused
from hindsight.insights.related import Related, find_related, find_related_in_store
from hindsight.insights.report import (
    monthly_report,
    monthly_report_in_store,
    render_markdown,
)
from hindsight.model import Postmortem
from hindsight.store import repository

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _store(session: Session, postmortems: list[Postmortem]) -> list[Postmortem]:
    """Store the postmortems; returns them as stored (what ``collect`` would read back)."""
    for pm in postmortems:
        repository.create_postmortem(
            session=session, postmortem=pm, author="tester", now=NOW, id_pattern="INC-{seq:03d}"
        )
    session.commit()
    return [stored.postmortem for stored in repository.list_postmortems(session=session)]


@pytest.fixture
def generated(session: Session) -> Iterator[list[Postmortem]]:
    yield _store(session, generated_set(300))


def _exact(found: list[Related]) -> list[tuple[Any, ...]]:
    """Everything about each result, scores unrounded."""
    return [(r.postmortem, r.score, r.parts, r.reasons) for r in found]


def _compare_related(session: Session, everything: list[Postmortem], targets: list[str]) -> None:
    for ref in targets:
        target = next(pm for pm in everything if pm.id == ref)
        for limit in (1, 5, 25):
            expected = find_related(target, everything, limit=limit)
            found_target, found = find_related_in_store(session=session, ref=ref, limit=limit)
            assert found_target == target
            assert _exact(found) == _exact(expected), (ref, limit)


def test_related_in_store_is_the_exhaustive_answer_on_the_corpus(session: Session) -> None:
    everything = _store(session, icco_corpus())

    _compare_related(session, everything, [pm.id or "" for pm in everything[::20]])


def test_related_in_store_is_the_exhaustive_answer_on_a_generated_set(
    session: Session, generated: list[Postmortem], monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [pm.id or "" for pm in generated[::23]]
    _compare_related(session, generated, targets)
    # Themes read a few postmortems at a time: many rounds, and the bound that ends them.
    monkeypatch.setattr(related, "THEMES_BATCH", 3)
    _compare_related(session, generated, targets)


def test_related_in_store_when_only_a_theme_is_shared(session: Session) -> None:
    """Postmortems that share nothing but a contributing-factor theme still rank, by theme."""
    everything = _store(
        session,
        [
            Postmortem(id="T", title="alpha", contributing_factors=["No canary for the config"]),
            Postmortem(id="U", title="beta", contributing_factors=["Feature flag flipped"]),
            Postmortem(id="V", title="gamma", contributing_factors=["The disk failed"]),
            Postmortem(id="W", title="delta"),
        ],
    )

    target, found = find_related_in_store(session=session, ref="t", limit=5)

    assert target.id == "T"
    assert [r.postmortem.id for r in found] == ["U"]
    assert _exact(found) == _exact(find_related(target, everything))


def test_related_in_store_of_an_unknown_postmortem(session: Session) -> None:
    _store(session, [Postmortem(id="A", title="alpha")])

    with pytest.raises(NotFound):
        find_related_in_store(session=session, ref="B")
    assert find_related_in_store(session=session, ref="A") == (
        repository.get_postmortem(session=session, ref="A").postmortem,
        [],
    )


def _months() -> Iterator[str]:
    day = date(2024, 12, 1)
    while day <= date(2026, 8, 1):
        yield f"{day:%Y-%m}"
        day = (day + timedelta(days=32)).replace(day=1)


def test_monthly_report_in_store_is_the_report_of_every_stored_postmortem(
    session: Session, generated: list[Postmortem]
) -> None:
    for month in _months():
        first = date.fromisoformat(f"{month}-01")
        # As of the end of the month, in the middle of it, and before it began.
        for today in (first + timedelta(days=40), first + timedelta(days=14), date(2025, 3, 1)):
            for drills in (False, True):
                expected = monthly_report(
                    generated, month=month, today=today, generated_at=NOW, include_drills=drills
                )
                built = monthly_report_in_store(
                    session=session,
                    month=month,
                    today=today,
                    generated_at=NOW,
                    include_drills=drills,
                )
                assert built == expected, (month, today, drills)
                assert render_markdown(built) == render_markdown(expected)
    assert any(
        monthly_report(generated, month=m, today=NOW.date(), generated_at=NOW).incidents
        for m in _months()
    )


def test_monthly_report_in_store_of_an_empty_store(session: Session) -> None:
    built = monthly_report_in_store(
        session=session, month="2026-10", today=date(2026, 11, 3), generated_at=NOW
    )

    assert built == monthly_report([], month="2026-10", today=date(2026, 11, 3), generated_at=NOW)


def test_reading_pauses_the_cycle_collector_and_restores_it() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # Left as the application set it.
    finally:
        gc.enable()
