"""Alertmanager and Grafana webhooks, on the recorded real payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hindsight.errors import ParseError
from hindsight.model import EventKind, LinkKind
from hindsight.sources.alertmanager import read_alertmanager
from hindsight.sources.grafana import read_grafana
from hindsight.sources.merge import merge_events

from .places import INCIDENT, PAYLOADS

ALERTMANAGER = PAYLOADS / "alertmanager"
GRAFANA = PAYLOADS / "grafana"
GENERATOR = (
    "http://cobalt:9090/graph?g0.expr=avg+by%28host%29+%28sensors_temp_input%7Bfeature%3D~"
    "%22core_%5B0-9%5D%2B%22%7D%29+%3E+15&g0.tab=1"
)


def test_firing_group_gives_one_event_per_alert_with_nanoseconds_cut_to_micros() -> None:
    result = read_alertmanager(ALERTMANAGER / "zulip_alert.json")
    assert [e.at for e in result.events] == [
        datetime(2020, 2, 6, 0, 17, 58, 432911, tzinfo=UTC)
    ] * 2
    first, second = result.events
    assert first.text == "[FIRING] High CPU Temperature on andromeda: High CPU core temperature"
    assert first.kind is EventKind.ALERT
    assert first.source == "alertmanager"
    assert first.link == GENERATOR
    assert first.notes == "CPU core temperature is 34.75C"
    assert first.source_ref == "alertmanager:a1bc48475b20e73d:2020-02-06T00:17:58.432911Z"
    assert second.source_ref == "alertmanager:c2ea85182f28cbd9:2020-02-06T00:17:58.432911Z"
    assert result.warnings == []
    assert [(link.url, link.kind) for link in result.links] == [
        ("http://ops1:9093", LinkKind.ALERTING)
    ]


def test_resolved_alert_with_zero_ends_at_keeps_its_start_and_no_resolution() -> None:
    result = read_alertmanager(ALERTMANAGER / "zulip_single_alert_resolved.json")
    assert [(e.kind, e.text) for e in result.events] == [
        (EventKind.ALERT, "[FIRING] High CPU Temperature on andromeda: High CPU core temperature")
    ]
    assert all(e.at is not None and e.at.year == 2020 for e in result.events)
    [warning] = result.warnings
    assert "0001-01-01" in warning and "High CPU Temperature" in warning
    assert warning.startswith(str(ALERTMANAGER / "zulip_single_alert_resolved.json"))


def test_firing_then_resolved_notifications_merge_into_one_start_and_one_end() -> None:
    firing = read_alertmanager(ALERTMANAGER / "zulip_alert.json")
    resolved = read_alertmanager(ALERTMANAGER / "zulip_single_alert_resolved.json")
    merged = merge_events([firing.events, resolved.events])
    refs = [e.source_ref for e in merged.events]
    # the resolved notification repeats the firing alert a1bc...: same ref, one event
    assert refs == [
        "alertmanager:a1bc48475b20e73d:2020-02-06T00:17:58.432911Z "
        "alertmanager:c2ea85182f28cbd9:2020-02-06T00:17:58.432911Z"
    ]


def test_json_lines_of_notifications_with_end_times_and_repeats() -> None:
    result = read_alertmanager(INCIDENT / "alertmanager.jsonl")
    merged = merge_events([result.events]).events
    assert [(e.at.isoformat() if e.at else None, e.kind, e.text) for e in merged] == [
        (
            "2024-03-05T14:01:30.118000+00:00",
            EventKind.ALERT,
            "[FIRING] HighErrorRate on checkout-api: error rate above 5%",
        ),
        (
            "2024-03-05T14:03:10.500000+00:00",
            EventKind.ALERT,
            "[FIRING] CheckoutLatencyHigh on checkout-api: p99 latency above 2s",
        ),
        (
            "2024-03-05T14:30:40+00:00",
            EventKind.RESOLUTION,
            "[RESOLVED] CheckoutLatencyHigh on checkout-api: p99 latency above 2s",
        ),
        (
            "2024-03-05T14:33:00+00:00",
            EventKind.RESOLUTION,
            "[RESOLVED] HighErrorRate on checkout-api: error rate above 5%",
        ),
    ]
    # the endsAt of a firing alert is a timeout, not an end: no event at 14:06:30
    assert result.services == ["checkout-api"]


def test_api_alert_list_and_truncated_alerts(tmp_path: Path) -> None:
    body = json.loads((ALERTMANAGER / "zulip_alert.json").read_text())
    body["truncatedAlerts"] = 3
    alert = dict(body["alerts"][0], status={"state": "active"})
    webhook, listing = tmp_path / "webhook.json", tmp_path / "alerts.json"
    webhook.write_text(json.dumps(body))
    listing.write_text(json.dumps([alert]))
    assert read_alertmanager(webhook).warnings == [
        f"{webhook}: 3 alerts were left out by the sender"
    ]
    assert [e.kind for e in read_alertmanager(listing).events] == [EventKind.ALERT]


def test_window_keeps_only_events_inside_it() -> None:
    since = datetime(2024, 3, 5, 14, 2, tzinfo=UTC)
    until = datetime(2024, 3, 5, 14, 31, tzinfo=UTC)
    result = read_alertmanager(INCIDENT / "alertmanager.jsonl", since=since, until=until)
    assert {e.text.split()[1] for e in result.events} == {"CheckoutLatencyHigh"}


def test_a_file_of_another_format_is_a_one_line_error() -> None:
    path = PAYLOADS / "opsgenie" / "create.json"
    with pytest.raises(ParseError) as caught:
        read_alertmanager(path)
    assert str(caught.value) == f"{path}: not an Alertmanager webhook: missing 'alerts'"


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "alerts": [\n    {"status": "firing",}\n  ]\n}\n')
    with pytest.raises(ParseError) as caught:
        read_alertmanager(path)
    assert str(caught.value).startswith(f"{path}:3:25: ")


def test_truncated_json_lines_name_the_line(tmp_path: Path) -> None:
    lines = (INCIDENT / "alertmanager.jsonl").read_text().splitlines()
    path = tmp_path / "cut.jsonl"
    path.write_text("\n".join([lines[0], lines[1][:200]]) + "\n")
    with pytest.raises(ParseError) as caught:
        read_alertmanager(path)
    assert str(caught.value).startswith(f"{path}:2:")


def test_grafana_offsets_and_microseconds_end_up_in_utc() -> None:
    result = read_grafana(GRAFANA / "grafana_docs_webhook_notifier_example.json")
    assert [(e.at, e.text) for e in result.events] == [
        (
            datetime(2021, 10, 12, 7, 51, 3, 157076, tzinfo=UTC),
            "[FIRING] High memory usage: This alert was triggered for zone us-1",
        ),
        (
            datetime(2021, 10, 12, 7, 56, 3, 157076, tzinfo=UTC),
            "[FIRING] High CPU usage: This alert was triggered for zone eu-1",
        ),
    ]
    first = result.events[0]
    assert first.source == "grafana"
    assert first.link == "https://play.grafana.org/alerting/1afz29v7z/edit"
    assert first.source_ref == "grafana:c6eadffa33fcdf37:2021-10-12T07:51:03.157076Z"
    assert first.notes == (
        "The system has high memory usage; Runbook: https://myrunbook.com/runbook/1234; "
        "Values: B=44.24, C=1"
    )


def test_grafana_dashboard_and_panel_links() -> None:
    result = read_grafana(GRAFANA / "zulip_alert_values_v11.json")
    [event] = result.events
    assert event.at == datetime(2024, 3, 1, 2, 9, tzinfo=UTC)
    assert event.text == "[FIRING] Memory (copy): High memory usage"
    panel = "https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2"
    assert event.notes == f"Dashboard: {panel}; Values: A=2473545728, B=0, C=1, minute=9"
    dashboard = "https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1"
    assert [(link.url, link.kind) for link in result.links] == [(dashboard, LinkKind.DASHBOARD)]


def test_legacy_grafana_webhook_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps({"ruleName": "cpu", "state": "alerting", "evalMatches": []}))
    with pytest.raises(ParseError, match="legacy Grafana alert webhook"):
        read_grafana(path)
