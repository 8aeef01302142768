"""MTTx on hand-built incidents with known answers: unknown milestones, drills, time zones and
month boundaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from insights_data import incident, october_set

from hindsight.errors import InvalidInput
from hindsight.insights.metrics import (
    Group,
    MetricsReport,
    anchor,
    compute_metrics,
    incident_rows,
    is_drill,
    percentile,
    period_key,
    summarize,
)


def _groups(report: MetricsReport) -> dict[str, Group]:
    return {g.key: g for g in report.groups}


def test_october_by_month_has_the_known_answers() -> None:
    report = compute_metrics(october_set(), by="month")
    groups = {g.key: g for g in report.groups}
    assert list(groups) == ["2026-09", "2026-10", "2026-11"]
    october = groups["2026-10"]
    assert october.incidents == ["A", "B", "C"]
    ttd = october.stats["time_to_detect"]
    assert (ttd.count, ttd.excluded, ttd.mean, ttd.median, ttd.p90) == (2, 1, 1200, 1200, 1800)
    tta = october.stats["time_to_acknowledge"]
    assert (tta.count, tta.excluded, tta.mean, tta.median, tta.p90) == (2, 1, 180, 180, 300)
    ttm = october.stats["time_to_mitigate"]
    assert (ttm.count, ttm.excluded, ttm.mean, ttm.median, ttm.p90) == (3, 0, 2400, 1800, 3600)
    ttr = october.stats["time_to_resolve"]
    assert (ttr.count, ttr.excluded, ttr.mean, ttr.median, ttr.p90) == (2, 1, 5400, 5400, 7200)
    assert report.drills_excluded == 2


def test_each_metric_states_the_milestones_it_measures_between() -> None:
    data = compute_metrics(october_set(), by="month").as_json()
    assert data["metrics"] == {
        "time_to_detect": {"from": "impact_started_at", "to": "detected_at"},
        "time_to_acknowledge": {"from": "detected_at", "to": "acknowledged_at"},
        "time_to_mitigate": {"from": "detected_at", "to": "mitigated_at"},
        "time_to_resolve": {"from": "detected_at", "to": "resolved_at"},
    }
    assert data["percentile_method"] == "nearest-rank"
    october = next(g for g in data["groups"] if g["group"] == "2026-10")
    assert october["metrics"]["time_to_resolve"] == {
        "from": "detected_at",
        "to": "resolved_at",
        "count": 2,
        "excluded": 1,
        "mean": 5400.0,
        "median": 5400.0,
        "p90": 7200.0,
    }


def test_an_unknown_milestone_is_excluded_never_zero() -> None:
    only_c = [pm for pm in october_set() if pm.id == "C"]
    stats = compute_metrics(only_c).groups[0].stats
    assert stats["time_to_detect"].count == 0
    assert stats["time_to_detect"].excluded == 1
    assert stats["time_to_detect"].mean is None
    assert stats["time_to_detect"].p90 is None
    assert stats["time_to_acknowledge"].mean == 60


def test_a_late_evening_west_of_utc_belongs_to_the_next_utc_month() -> None:
    d = next(pm for pm in october_set() if pm.id == "D")
    moment = anchor(d)
    assert moment is not None and moment.isoformat() == "2026-11-01T01:30:00+00:00"
    november = _groups(compute_metrics(october_set(), by="month"))["2026-11"]
    assert november.incidents == ["D"]
    assert period_key(date(2026, 11, 1), "week") == "2026-W44"
    assert period_key(date(2026, 11, 1), "quarter") == "2026-Q4"


def test_a_minute_before_midnight_utc_stays_in_its_month() -> None:
    september = _groups(compute_metrics(october_set(), by="month"))["2026-09"]
    assert september.incidents == ["G"]


def test_since_and_until_are_inclusive_utc_days() -> None:
    report = compute_metrics(october_set(), since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert report.groups[0].incidents == ["A", "B", "C"]
    assert report.drills_excluded == 2
    only_first = compute_metrics(october_set(), since=date(2026, 11, 1), until=date(2026, 11, 1))
    assert only_first.groups[0].incidents == ["D"]
    assert only_first.drills_excluded == 0


def test_drills_and_maintenance_are_left_out_unless_asked_for() -> None:
    pms = october_set()
    assert [pm.id for pm in pms if is_drill(pm)] == ["E", "F"]
    kept = compute_metrics(pms, by="month", include_drills=True)
    assert _groups(kept)["2026-10"].incidents == ["A", "E", "F", "B", "C"]
    assert kept.drills_excluded == 0


def test_by_service_counts_an_incident_in_each_of_its_services() -> None:
    groups = _groups(compute_metrics(october_set(), by="service"))
    assert {k: g.incidents for k, g in groups.items()} == {
        "api": ["G", "A", "B"],
        "db": ["B", "C"],
        "web": ["D"],
    }


def test_by_severity_puts_unrated_incidents_last() -> None:
    pms = [*october_set(), incident("H", detected="2026-10-09T00:00:00Z", resolved="+5")]
    keys = [g.key for g in compute_metrics(pms, by="severity").groups]
    assert keys == ["SEV-1", "SEV-2", "SEV-3", "SEV-4", "unknown"]


def test_by_quarter_and_week() -> None:
    quarters = _groups(compute_metrics(october_set(), by="quarter"))
    assert {k: g.incidents for k, g in quarters.items()} == {
        "2026-Q3": ["G"],
        "2026-Q4": ["A", "B", "C", "D"],
    }
    weeks = [g.key for g in compute_metrics(october_set(), by="week").groups]
    assert weeks == ["2026-W40", "2026-W42", "2026-W43", "2026-W44"]


def test_an_incident_with_no_time_at_all_is_in_the_unknown_period() -> None:
    undated = incident("U", title="No times")
    report = compute_metrics([undated, *october_set()], by="month")
    assert report.groups[-1].key == "unknown"
    assert compute_metrics([undated], since=date(2020, 1, 1)).groups == []


def test_unknown_grouping_is_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown grouping 'team'"):
        compute_metrics(october_set(), by="team")


def test_nearest_rank_p90() -> None:
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 12)), 0.9) == 10
    assert percentile([5.0], 0.9) == 5.0
    stat = summarize("x", [None, 10, None, 30, 20], span=("a", "b"))
    assert (stat.count, stat.excluded, stat.median, stat.p90) == (3, 2, 20, 30)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=200))
def test_p90_is_a_value_with_at_least_90_percent_at_or_below(values: list[int]) -> None:
    p90 = percentile([float(v) for v in values], 0.9)
    assert p90 in values
    assert sum(v <= p90 for v in values) >= 0.9 * len(values)
    assert sum(v < p90 for v in values) < 0.9 * len(values)


def test_incident_rows_give_each_metric_in_seconds() -> None:
    rows = {r["id"]: r for r in incident_rows(october_set())}
    assert rows["A"]["time_to_detect"] == 600
    assert rows["C"]["time_to_detect"] is None
    assert rows["D"]["anchor"] == "2026-11-01T01:30:00+00:00"
    assert rows["E"]["drill"] is True
