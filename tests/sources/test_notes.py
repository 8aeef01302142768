"""Free-form notes in each style engineers paste them, with the milestones they lead to."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hindsight.errors import InvalidInput
from hindsight.model import EventKind
from hindsight.sources.infer import infer_milestones
from hindsight.sources.notes import parse_notes, read_notes

from .places import NOTES


def utc(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}+00:00").astimezone(UTC)


def rows(path: Path, **options: object) -> list[tuple[str, EventKind, str | None, str]]:
    result = read_notes(path, **options)  # type: ignore[arg-type]
    assert result.warnings == []
    return [
        (e.at.strftime("%Y-%m-%d %H:%M:%S") if e.at else "", e.kind, e.actor, e.text)
        for e in result.events
    ]


def milestones(path: Path) -> dict[str, str]:
    known = infer_milestones(read_notes(path).events).milestones.known()
    return {name: f"{value:%Y-%m-%d %H:%M:%S}" for name, value in known.items()}


def test_chat_style_lines_with_a_date_stated_once() -> None:
    assert rows(NOTES / "chat.txt") == [
        ("2024-03-05 14:01:00", EventKind.ALERT, "pagerbot",
         "[FIRING:1] HighErrorRate on checkout-api: error rate above 5%"),
        ("2024-03-05 14:02:00", EventKind.REPORT, "alice",
         "seeing 500s on checkout, customers reporting failed payments"),
        ("2024-03-05 14:04:00", EventKind.ACKNOWLEDGEMENT, "bob", "ack, looking"),
        ("2024-03-05 14:09:00", EventKind.ESCALATION, "bob", "paged the payments on-call"),
        ("2024-03-05 14:15:00", EventKind.MITIGATION, "bob", "rolling back deploy 4512"),
        ("2024-03-05 14:31:00", EventKind.RESOLUTION, "alice",
         "error rate back to normal, resolved"),
    ]  # fmt: skip
    assert milestones(NOTES / "chat.txt") == {
        "impact_started_at": "2024-03-05 14:01:00",
        "detected_at": "2024-03-05 14:01:00",
        "acknowledged_at": "2024-03-05 14:04:00",
        "mitigated_at": "2024-03-05 14:15:00",
        "resolved_at": "2024-03-05 14:31:00",
    }


def test_chat_continuation_line_becomes_the_notes_and_the_heading_the_title() -> None:
    result = read_notes(NOTES / "chat.txt")
    assert result.title == "Checkout errors after deploy 4512"
    rollback = result.events[4]
    assert rollback.notes == "the rollback takes about 5 minutes"
    assert {e.source for e in result.events} == {"notes"}


def test_prose_with_times_inline() -> None:
    assert rows(NOTES / "prose.md") == [
        ("2024-03-05 09:14:00", EventKind.ALERT, None,
         "The error-rate alert fired and paged the on-call"),
        ("2024-03-05 09:17:00", EventKind.ACKNOWLEDGEMENT, None, "Bob acknowledged it"),
        ("2024-03-05 09:32:00", EventKind.MITIGATION, None, "Bob rolled back the config push"),
        ("2024-03-05 09:50:00", EventKind.RESOLUTION, None, "Search results were back to normal"),
    ]  # fmt: skip
    acknowledged = read_notes(NOTES / "prose.md").events[1]
    assert acknowledged.notes == "The team found that a config push had emptied the index alias."
    assert milestones(NOTES / "prose.md") == {
        "impact_started_at": "2024-03-05 09:14:00",
        "detected_at": "2024-03-05 09:14:00",
        "acknowledged_at": "2024-03-05 09:17:00",
        "mitigated_at": "2024-03-05 09:32:00",
        "resolved_at": "2024-03-05 09:50:00",
    }


def test_bullets_under_a_times_in_pdt_line_cross_midnight() -> None:
    # 23:40 PDT on 5 March is 06:40 UTC on the 6th; 00:05 PDT is the next day, 07:05 UTC
    assert rows(NOTES / "bullets_pdt.md") == [
        ("2024-03-06 06:40:00", EventKind.DEPLOY, None, "deploy 4512 went out"),
        ("2024-03-06 06:52:00", EventKind.ALERT, None,
         "first alert: p99 latency above 2s on checkout-api"),
        ("2024-03-06 06:58:00", EventKind.ACKNOWLEDGEMENT, None, "Carol acknowledged the page"),
        ("2024-03-06 07:05:00", EventKind.MITIGATION, None, "rolled back deploy 4512"),
        ("2024-03-06 07:20:00", EventKind.RESOLUTION, None,
         "latency back to normal, incident resolved"),
    ]  # fmt: skip
    assert milestones(NOTES / "bullets_pdt.md") == {
        "impact_started_at": "2024-03-06 06:52:00",
        "detected_at": "2024-03-06 06:52:00",
        "acknowledged_at": "2024-03-06 06:58:00",
        "mitigated_at": "2024-03-06 07:05:00",
        "resolved_at": "2024-03-06 07:20:00",
    }


def test_iso_timestamps_with_offsets_and_an_explicit_impact_note() -> None:
    assert rows(NOTES / "iso.log") == [
        ("2024-03-05 14:00:12", EventKind.IMPACT, None,
         "impact started: checkout error rate climbing"),
        ("2024-03-05 14:02:11", EventKind.ALERT, None,
         "alert HighErrorRate firing on checkout-api"),
        ("2024-03-05 14:03:40", EventKind.ACKNOWLEDGEMENT, None, "dave acknowledged the alert"),
        ("2024-03-05 14:20:00", EventKind.MITIGATION, None, "feature flag off for new-pricing"),
        ("2024-03-05 14:41:09", EventKind.RESOLUTION, None, "incident resolved"),
    ]  # fmt: skip
    assert milestones(NOTES / "iso.log") == {
        "impact_started_at": "2024-03-05 14:00:12",
        "detected_at": "2024-03-05 14:02:11",
        "acknowledged_at": "2024-03-05 14:03:40",
        "mitigated_at": "2024-03-05 14:20:00",
        "resolved_at": "2024-03-05 14:41:09",
    }


def test_iana_zone_date_line_mixed_styles_and_midnight() -> None:
    # Europe/Berlin is UTC+1 in November; 00:10 after 23:55 is the next day
    assert rows(NOTES / "mixed.md") == [
        ("2024-11-02 22:50:00", EventKind.ALERT, None, "error budget alert fired for payments-api"),
        ("2024-11-02 22:55:00", EventKind.ACKNOWLEDGEMENT, "alice", "acknowledged, investigating"),
        ("2024-11-02 23:10:00", EventKind.MITIGATION, None, "Bob scaled up the payments workers"),
        ("2024-11-02 23:40:00", EventKind.RESOLUTION, None, "Payments were back to normal"),
    ]  # fmt: skip
    assert milestones(NOTES / "mixed.md")["resolved_at"] == "2024-11-02 23:40:00"


def test_a_day_and_zone_given_from_outside_apply_until_the_notes_state_their_own() -> None:
    result = parse_notes("14:02 alert fired\n14:10 rolled back\n", where="n", day=date(2024, 1, 9),
                         zone="CET")  # fmt: skip
    assert [e.at for e in result.events] == [utc("2024-01-09", "13:02"), utc("2024-01-09", "13:10")]


def test_times_without_any_date_are_an_error_naming_the_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_notes("# notes\n\n14:02 alert fired\n", where="notes.txt")
    assert str(caught.value).startswith("notes.txt:3: no date for '14:02'")


def test_an_unknown_zone_is_an_error_naming_the_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_notes("2024-03-05\nAll times in XYZT\n14:02 alert fired\n", where="notes.txt")
    assert str(caught.value) == "notes.txt:2: unknown time zone 'XYZT'"
    with pytest.raises(InvalidInput) as option:
        parse_notes("14:02 alert\n", where="n", zone="Mars/Olympus")
    assert str(option.value) == "--tz: unknown time zone 'Mars/Olympus'"


def test_approximate_times_are_noted_and_lines_without_time_elsewhere_ignored() -> None:
    text = "2024-03-05\nSome context nobody timed.\n\n~14:05 errors started\n"
    [event] = parse_notes(text, where="n").events
    assert (event.at, event.kind, event.notes) == (
        utc("2024-03-05", "14:05"),
        EventKind.IMPACT,
        "approximate time",
    )


def test_a_zone_after_the_time_applies_to_that_line_only() -> None:
    text = (
        "2024-03-05\n"
        "14:02 PDT deploy 4512 went out\n"
        "21:10 EST-1 replica lagging\n"
        "14:15 PDT: rolled back deploy 4512\n"
        "23:20 +02:00 3 pods restarted\n"
    )
    result = parse_notes(text, where="n")
    assert [(e.at, e.text) for e in result.events] == [
        (utc("2024-03-05", "21:02"), "deploy 4512 went out"),
        (utc("2024-03-05", "21:10"), "EST-1 replica lagging"),
        (utc("2024-03-05", "21:15"), "rolled back deploy 4512"),
        (utc("2024-03-05", "21:20"), "3 pods restarted"),
    ]
