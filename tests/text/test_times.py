"""Times as people write them, read into aware UTC datetimes with a context."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hindsight.text.times import (
    TimeContext,
    UnknownZone,
    find_date,
    parse_date,
    parse_zone,
    split_timestamp,
    zone_statement,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023-09-18T13:42:00Z", "2023-09-18 13:42"),
        ("2023-09-18T15:42:00+02:00", "2023-09-18 13:42"),
        ("2023-09-18 13:42", "2023-09-18 13:42"),
        ("2023-09-18 13:42:05", "2023-09-18 13:42:05"),
        ("2023-09-18 15.26", "2023-09-18 15:26"),
        ("13:42", "2024-01-19 13:42"),
        ("4:04 PM", "2024-01-19 16:04"),
        ("4:04pm", "2024-01-19 16:04"),
        ("9 AM", "2024-01-19 09:00"),
        ("1430 UTC", "2024-01-19 14:30"),
        ("2025-01-14 1600", "2025-01-14 16:00"),
        ("Jan 19, 4:04 PM", "2024-01-19 16:04"),
        ("19 Jan 2024 16:04", "2024-01-19 16:04"),
        ("Aug-27-2021 12:50:07 PM +UTC", "2021-08-27 12:50:07"),
        ("13:55 PM", "2024-01-19 13:55"),
        ("10:00 CEST", "2024-01-19 08:00"),
        ("10:00 CET", "2024-01-19 09:00"),
        ("10:00 BST", "2024-01-19 09:00"),
        ("10:00 GMT", "2024-01-19 10:00"),
        ("10:00 Z", "2024-01-19 10:00"),
        ("10:00 PDT", "2024-01-19 17:00"),
        ("10:00 PST", "2024-01-19 18:00"),
        ("10:00 EST", "2024-01-19 15:00"),
        ("10:00 EDT", "2024-01-19 14:00"),
        ("10:00 US/Pacific", "2024-01-19 18:00"),
        ("10:00 Europe/Berlin", "2024-01-19 09:00"),
        ("10:00 +02:00", "2024-01-19 08:00"),
        ("10:00 UTC+2", "2024-01-19 08:00"),
        ("2024-06-28 7:09 AM Eastern", "2024-06-28 11:09"),
        ("13:14 EDT (17:14 UTC)", "2024-01-19 17:14"),
    ],
)
def test_times(written: str, expected: str) -> None:
    context = TimeContext(day=date(2024, 1, 19))
    instant = context.read(written)
    assert instant.problem is None
    assert instant.at == utc(expected)
    assert instant.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("March 3rd, 2023", date(2023, 3, 3)),
        ("Thursday 5 December 2019", date(2019, 12, 5)),
        ("2023/05/01", date(2023, 5, 1)),
        ("2023-05-01", date(2023, 5, 1)),
        ("4/21/23", date(2023, 4, 21)),
        ("21/4/2023", date(2023, 4, 21)),  # 21 cannot be a month
        ("01-31-2024", date(2024, 1, 31)),
        ("19.01.2024", date(2024, 1, 19)),
        ("Monday May 10th, 2021", date(2021, 5, 10)),
        ("22nd June 2021", date(2021, 6, 22)),
    ],
)
def test_dates(written: str, expected: date) -> None:
    assert parse_date(written) == expected
    instant = TimeContext().read(written)
    assert instant.date_only
    assert instant.at == datetime(expected.year, expected.month, expected.day, tzinfo=UTC)


def test_date_only_in_a_zone_starts_at_local_midnight() -> None:
    instant = TimeContext(zone="US/Pacific").read("2021-03-25")
    assert instant.at == utc("2021-03-25 07:00")  # PDT


def test_approximate_marks_are_noted_and_still_read() -> None:
    context = TimeContext(day=date(2024, 1, 19))
    for written in ("~9:00", "± 9:00", "approx. 9:00", "approximately 9:00", "around 9:00"):
        instant = context.read(written)
        assert instant.approximate, written
        assert instant.at == utc("2024-01-19 09:00")


def test_a_date_stated_once_applies_to_later_times() -> None:
    context = TimeContext()
    assert context.read("14:00").problem == "no date for '14:00'"
    context.read("2023-11-22")
    assert context.read("08:42:33").at == utc("2023-11-22 08:42:33")


def test_a_month_and_day_take_the_year_from_the_context() -> None:
    assert TimeContext().read("Jan 19, 4:04 PM").problem == "no year for 'Jan 19, 4:04 PM'"
    context = TimeContext(year=2022)
    assert context.read("Jan 20 22:40").at == utc("2022-01-20 22:40")


def test_midnight_rollover() -> None:
    context = TimeContext(day=date(2024, 9, 21))
    assert [context.read(t).at for t in ("23:40", "23:52", "00:06", "00:45")] == [
        utc("2024-09-21 23:40"),
        utc("2024-09-21 23:52"),
        utc("2024-09-22 00:06"),
        utc("2024-09-22 00:45"),
    ]


def test_a_time_a_little_earlier_stays_on_the_day() -> None:
    # Chia 2022-01-20: rows out of order by half an hour are out of order, not the next day.
    context = TimeContext(day=date(2022, 1, 20))
    assert [context.read(t).at for t in ("22:40", "22:06")] == [
        utc("2022-01-20 22:40"),
        utc("2022-01-20 22:06"),
    ]


def test_a_time_read_out_of_sequence_does_not_roll_over() -> None:
    context = TimeContext(day=date(2024, 1, 1))
    context.read("23:00")
    assert context.read("10:00", sequence=False).at == utc("2024-01-01 10:00")
    assert context.read("00:30").at == utc("2024-01-02 00:30")


def test_zone_of_the_context_and_per_read() -> None:
    context = TimeContext(zone="CET", day=date(2019, 11, 30))
    assert context.read("08:24").at == utc("2019-11-30 07:24")
    assert context.read("08:24", zone="UTC").at == utc("2019-11-30 08:24")


@pytest.mark.parametrize("written", ["25:99", "HH:MM", "yesterday", "2023-MM-DD", "22025-03-18"])
def test_not_understood(written: str) -> None:
    instant = TimeContext(day=date(2024, 1, 1)).read(written)
    assert instant.at is None
    assert instant.problem == f"time {written!r} not understood"


def test_unknown_zone_is_a_problem_not_an_exception() -> None:
    instant = TimeContext(day=date(2024, 1, 1)).read("10:00 Mars/Olympus")
    assert instant.at is None
    assert instant.problem == "unknown time zone 'Mars/Olympus'"
    context = TimeContext()
    assert context.set_zone("Nowhere/City") == "unknown time zone 'Nowhere/City'"
    with pytest.raises(UnknownZone):
        parse_zone("XYZ")


def test_abbreviations_are_literal_regions_follow_daylight_saving() -> None:
    july = TimeContext(day=date(2024, 7, 1))
    assert july.read("10:00 PST").at == utc("2024-07-01 18:00")
    assert july.read("10:00 Pacific").at == utc("2024-07-01 17:00")
    assert july.read("10:00 PT").at == utc("2024-07-01 17:00")
    assert parse_zone("UTC-05:30").tz == timezone(-timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("2023-09-18 13:42 Team noticed it", ("2023-09-18 13:42", "Team noticed it")),
        ("**14:02** — Deploy started", ("14:02", "Deploy started")),
        ("14:02 - Deploy started", ("14:02", "Deploy started")),
        ("08:42:33 new user account", ("08:42:33", "new user account")),
        ("14:33, admin@pypi.org gets mail", ("14:33", "admin@pypi.org gets mail")),
        (
            "12:45 PM PST Saturday Oct 30th: First wave",
            ("12:45 PM PST Saturday Oct 30th", "First wave"),
        ),
        ("09:15:04 UTC an edit was made", ("09:15:04 UTC", "an edit was made")),
        ("2021-08-27: At 12:50 UTC it broke", ("2021-08-27", "At 12:50 UTC it broke")),
        ("10/20/2022 - 15:38 CST - a user", ("10/20/2022 - 15:38 CST", "a user")),
        ("February 15, 2024: 7:56am UTC", ("February 15, 2024: 7:56am UTC", "")),
        ("14:20-2:00 Through the next hours", ("14:20-2:00", "Through the next hours")),
        ("Jan 14, 10:18 AM | A customer wrote", ("Jan 14, 10:18 AM", "A customer wrote")),
    ],
)
def test_split_timestamp(line: str, stamp: tuple[str, str]) -> None:
    assert split_timestamp(line) == stamp


@pytest.mark.parametrize(
    "line",
    ["At 14:09 UTC, it was confirmed", "10 people were affected", "1.10.8 was released", "text"],
)
def test_no_timestamp(line: str) -> None:
    assert split_timestamp(line) is None


@pytest.mark.parametrize(
    ("line", "stamp", "utc"),
    [
        ("14:02 PDT deploy", ("14:02 PDT", "deploy"), "21:02"),
        ("14:02 PDT: deploy", ("14:02 PDT", "deploy"), "21:02"),
        ("14:02 PDT - deploy", ("14:02 PDT", "deploy"), "21:02"),
        ("14:02 (PDT) deploy", ("14:02 (PDT)", "deploy"), "21:02"),
        ("14:02 deploy", ("14:02", "deploy"), "14:02"),
        # a colon right after the time (refused before, as if the time went on: "14:02:")
        ("06:20: PyPI admins receive emails", ("06:20", "PyPI admins receive emails"), "06:20"),
        ("14:02:11: deploy", ("14:02:11", "deploy"), "14:02"),
        ("2026-01-05 14:02 UTC deploy", ("2026-01-05 14:02 UTC", "deploy"), "14:02"),
        ("14:02 PT deploy started", ("14:02 PT", "deploy started"), "22:02"),  # PST in January
        ("2:02 PM PDT <alice> seeing 500s", ("2:02 PM PDT", "<alice> seeing 500s"), "21:02"),
        ("14:02 Europe/Berlin rolled back", ("14:02 Europe/Berlin", "rolled back"), "13:02"),
        # text that starts with a number after an offset (refused before: "digits run on")
        ("14:02 +02:00 3 pods restarted", ("14:02 +02:00", "3 pods restarted"), "12:02"),
        ("14:02 UTC-1 replica lagging", ("14:02 UTC-1", "replica lagging"), "15:02"),
    ],
)
def test_a_time_with_its_zone_then_the_text(line: str, stamp: tuple[str, str], utc: str) -> None:
    assert split_timestamp(line) == stamp
    at = TimeContext(day=date(2026, 1, 5)).read(stamp[0]).at
    assert at is not None and at.strftime("%H:%M") == utc


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        # A zone-like word joined to more by "-", ".", "/" or "_" is a name: host EST-1 is in the
        # text (it used to give the zone EST and the text "1 replica").
        ("14:02 EST-1 replica lagging", ("14:02", "EST-1 replica lagging")),
        ("14:02 PT-2 canary", ("14:02", "PT-2 canary")),
        ("14:02 CET.eu-west ok", ("14:02", "CET.eu-west ok")),
        # Capitals that are no zone Hindsight knows stay in the text.
        ("14:02 DB failover", ("14:02", "DB failover")),
        ("14:02 API errors", ("14:02", "API errors")),
        # IST is a zone Hindsight knows (India Standard Time, +05:30), so right after a time it is
        # read as one, as "14:02 CET" would be; a separator before it keeps it in the text.
        ("14:02 IST team paged", ("14:02 IST", "team paged")),
        ("14:02 - IST team paged", ("14:02", "IST team paged")),
        ("14:02: IST team paged", ("14:02", "IST team paged")),
    ],
)
def test_words_that_look_like_zones(line: str, stamp: tuple[str, str]) -> None:
    assert split_timestamp(line) == stamp


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("All times in UTC.", "UTC"),
        ("_all times are in UTC_", "UTC"),
        ("Date and Time in CET", "CET"),
        ("Time (UTC)", "UTC"),
        ("Timeline (all times PST) 01/16/2024 - 02/28/2024", "PST"),
        ("All times US/Pacific", "US/Pacific"),
        ("> (all times in Pacific Time)", "Pacific Time"),
        ("Times are in both Eastern Daylight Time (EDT) and UTC.", "Eastern Daylight Time"),
        ("Timeline (all times PT )", "PT"),
        ("All times in Mars/Olympus", "Mars/Olympus"),
        ("Date (2022)", None),
        ("The system was down", None),
    ],
)
def test_zone_statement(text: str, zone: str | None) -> None:
    assert zone_statement(text) == zone


def test_find_date() -> None:
    assert find_date("PostHog outage - September 29, 2025") == date(2025, 9, 29)
    assert find_date("Incident on 2023-09-18 - Lack of disk") == date(2023, 9, 18)
    assert find_date("Website Outage 5-26-21") == date(2021, 5, 26)
    assert find_date("no date here") is None
