"""CSV and JSON Lines timelines."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hindsight.errors import InvalidInput, ParseError
from hindsight.model import EventKind
from hindsight.sources import SOURCE_KINDS, ReadOptions, read_source
from hindsight.sources.tabular import read_tabular


def test_csv_with_iso_epoch_and_clock_times(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "Time,Event,Who,URL\n"
        "2024-03-05 14:02,HighErrorRate alert fired on checkout-api,,\n"
        "1709647560,bob acknowledged,bob,https://chat.example.com/m/1\n"
        '14:10,"rolled back deploy 4512, errors dropping",bob,\n'
    )
    result = read_tabular(path)
    assert [(e.at, e.kind, e.actor, e.text) for e in result.events] == [
        (datetime(2024, 3, 5, 14, 2, tzinfo=UTC), EventKind.ALERT, None,
         "HighErrorRate alert fired on checkout-api"),
        (datetime(2024, 3, 5, 14, 6, tzinfo=UTC), EventKind.ACKNOWLEDGEMENT, "bob",
         "bob acknowledged"),
        (datetime(2024, 3, 5, 14, 10, tzinfo=UTC), EventKind.MITIGATION, "bob",
         "rolled back deploy 4512, errors dropping"),
    ]  # fmt: skip
    assert result.events[1].link == "https://chat.example.com/m/1"
    assert {e.source for e in result.events} == {"csv:events.csv"}


def test_jsonl_with_named_columns_stated_kinds_ids_and_a_zone(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    rows = [
        {"when": "2024-03-05 15:02", "msg": "pager went off", "kind": "alert", "id": "a1"},
        {"when": "2024-03-05 15:30", "msg": "all fine again", "kind": "Resolution", "id": "a2"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = read_tabular(path, time_column="when", text_column="msg", zone="CET")
    assert [(e.at, e.kind, e.source_ref) for e in result.events] == [
        (datetime(2024, 3, 5, 14, 2, tzinfo=UTC), EventKind.ALERT, "jsonl:log.jsonl:a1"),
        (datetime(2024, 3, 5, 14, 30, tzinfo=UTC), EventKind.RESOLUTION, "jsonl:log.jsonl:a2"),
    ]


def test_bad_rows_are_skipped_with_warnings_and_bad_files_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("time,text\nsoon,something\n2024-03-05 14:00,\n2024-03-05 14:01,ok\n")
    result = read_tabular(path)
    assert [e.text for e in result.events] == ["ok"]
    assert result.warnings == [
        f"{path}:2: time 'soon' not understood; skipped",
        f"{path}:3: no text; skipped",
    ]
    nocol = tmp_path / "n.csv"
    nocol.write_text("foo,bar\n1,2\n")
    with pytest.raises(ParseError) as caught:
        read_tabular(nocol)
    assert str(caught.value).startswith(f"{nocol}:2: no time column (looked for time, ")
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"time": "2024-03-05 14:00", "text": "a"}\n{"time": \n')
    with pytest.raises(ParseError) as line:
        read_tabular(broken)
    assert str(line.value) == f"{broken}:2: Expecting value"


def test_registry_reads_every_kind_by_name(tmp_path: Path) -> None:
    assert set(SOURCE_KINDS) == {
        "alertmanager", "grafana", "pagerduty", "opsgenie", "github", "slack", "notes", "csv",
        "jsonl",
    }  # fmt: skip
    path = tmp_path / "x.txt"
    path.write_text("time,text\n2024-03-05 14:00,alert fired\n")
    result = read_source("csv", path, ReadOptions())
    assert [e.kind for e in result.events] == [EventKind.ALERT]
    with pytest.raises(InvalidInput, match="unknown source kind 'jira'"):
        read_source("jira", path)
