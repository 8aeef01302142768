"""A real Slack workspace export (hfaran/slack-export-viewer's test archive) and Zulip's thread
fixtures, read as zip, folder, channel folder and day file."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hindsight.errors import InvalidInput, NotFound, ParseError
from hindsight.model import EventKind, LinkKind
from hindsight.sources.common import Window
from hindsight.sources.slack import SlackFilter, SlackReader, mrkdwn_to_text, read_slack

from .places import INCIDENT, PAYLOADS, SLACK_ARCHIVE

ZULIP = PAYLOADS / "slack_export" / "zulip-fixtures"
ENRIQUE = "https://mesos-magellan.slack.com/archives/C0JGLMMNX"


def zipped(folder: Path, target: Path, *, inside: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, inside + path.relative_to(folder).as_posix())
    return target


def test_user_ids_become_names_and_joins_are_left_out() -> None:
    result = read_slack(SLACK_ARCHIVE, channel="enrique")
    first = result.events[0]
    assert first.at == datetime(2016, 1, 15, 5, 55, 52, 6, tzinfo=UTC)
    assert first.actor == "hamza"
    assert first.text == (
        "@abilinski: Created an issue for a setup.py so that it can be installed to a "
        "standard place"
    )
    assert first.source == "slack:#enrique"
    assert first.source_ref == "slack:C0JGLMMNX:1452837352.000006"
    assert first.link == f"{ENRIQUE}/p1452837352000006"
    assert not any("has joined the channel" in e.text for e in result.events)
    assert len(result.events) == 96
    assert result.warnings == []
    assert [(link.url, link.kind) for link in result.links] == [(ENRIQUE, LinkKind.CHAT)]


def test_bot_messages_read_from_attachments_and_named_by_their_integration() -> None:
    events = read_slack(SLACK_ARCHIVE, channel="enrique").events
    bot = next(e for e in events if e.source_ref == "slack:C0JGLMMNX:1454892394.000004")
    assert bot.actor == "github"  # the bot_add message named integration B0JL6RASU
    assert bot.text == (
        "[enrique:master] 1 new commit by Anthony Bilinski — ed1acbe: executor with simulated "
        "annealing rough draft - Anthony Bilinski"
    )


def test_links_and_code_blocks_become_short_text() -> None:
    events = read_slack(SLACK_ARCHIVE, channel="traveling-sailor").events
    by_ref = {e.source_ref: e for e in events}
    code = by_ref["slack:C0JL6CGQ2:1459033252.000003"]
    assert code.text == "[code: I0326 22:57:06.074105 1271 exec.cpp:134] Version: 0.27.0…]"
    shared = by_ref["slack:C0JL6CGQ2:1459052866.000012"]
    assert shared.text == "@doubledeez uploaded a file: 100 cities"


def test_edited_message_keeps_its_posting_time_and_notes_the_edit() -> None:
    events = read_slack(SLACK_ARCHIVE, channel="traveling-sailor").events
    edited = next(e for e in events if e.source_ref == "slack:C0JL6CGQ2:1458972985.000010")
    assert edited.at == datetime(2016, 3, 26, 6, 16, 25, 10, tzinfo=UTC)
    assert edited.notes == "edited 2016-03-26 08:32:14 UTC"


def test_reactions_are_noted_and_the_emoji_filter_keeps_marked_messages() -> None:
    marked = read_slack(SLACK_ARCHIVE, channel="enrique", emoji=[":botman:"]).events
    [event] = marked
    assert event.at == datetime(2016, 3, 28, 8, 33, 34, 18, tzinfo=UTC)
    assert event.notes == "reactions :botman: 1"
    assert read_slack(SLACK_ARCHIVE, channel="enrique", only_pinned=True).events == []


def test_pinned_filter_reads_the_channel_pins(tmp_path: Path) -> None:
    events = read_slack(INCIDENT / "slack", channel="incident-4512", only_pinned=True).events
    assert [(e.actor, e.text, e.notes) for e in events] == [
        ("alice", "error rate back to normal, resolved", "pinned")
    ]
    either = read_slack(
        INCIDENT / "slack", channel="#incident-4512", only_pinned=True, emoji=["white_check_mark"]
    ).events
    assert [e.text for e in either] == [
        "rolling back deploy 4512",
        "error rate back to normal, resolved",
    ]


def test_zip_folder_channel_folder_and_nested_zip_agree(tmp_path: Path) -> None:
    folder = read_slack(SLACK_ARCHIVE, channel="traveling-sailor").events
    plain = zipped(SLACK_ARCHIVE, tmp_path / "export.zip")
    nested = zipped(SLACK_ARCHIVE, tmp_path / "nested.zip", inside="My Workspace Slack export/")
    assert read_slack(plain, channel="traveling-sailor").events == folder
    assert read_slack(nested, channel="C0JL6CGQ2").events == folder
    assert read_slack(SLACK_ARCHIVE / "traveling-sailor").events == folder


def test_window_reads_only_the_day_files_it_needs() -> None:
    since = datetime(2016, 3, 26, 0, 0, tzinfo=UTC)
    until = datetime(2016, 3, 26, 23, 59, tzinfo=UTC)
    reader = SlackReader(
        SLACK_ARCHIVE, channel="traveling-sailor", keep=SlackFilter(Window(since, until))
    )
    assert reader.day_files() == [
        "traveling-sailor/2016-03-25.json",
        "traveling-sailor/2016-03-26.json",
        "traveling-sailor/2016-03-27.json",
    ]
    events = list(reader.events())
    assert events and all(e.at is not None and since <= e.at <= until for e in events)


def test_thread_reply_earlier_than_its_parent_keeps_its_own_time() -> None:
    result = read_slack(ZULIP / "normal_thread.json")
    assert [(e.at, e.text, e.notes) for e in result.events] == [
        (datetime(2015, 6, 12, 19, 58, 22, 2, tzinfo=UTC), "message body text", None),
        (
            datetime(2015, 8, 18, 3, 24, 54, 7, tzinfo=UTC),
            "random",
            "reply in the thread started 2015-06-12 19:58:22 UTC",
        ),
        (datetime(2018, 10, 18, 13, 11, 34, 7, tzinfo=UTC), "another thread message", None),
        (
            datetime(2015, 12, 11, 21, 11, 34, 7, tzinfo=UTC),
            "another reply",
            "reply in the thread started 2018-10-18 13:11:34 UTC",
        ),
    ]
    assert {e.source for e in result.events} == {"slack:#random"}
    assert result.warnings == [
        "slack:#random: the reply at 2015-12-11 21:11:34 UTC is earlier than the thread it "
        "answers (2018-10-18 13:11:34 UTC); kept at its own time"
    ]


def test_a_lone_day_file_without_users_shows_ids() -> None:
    events = read_slack(ZULIP / "test_slack_importer__random__2017-06-25.json").events
    assert [(e.actor, e.text) for e in events] == [("U6006P1CN", "edfadfa")]


def test_thread_reply_permalink_names_the_thread() -> None:
    events = read_slack(INCIDENT / "slack", channel="incident-4512", domain="acme").events
    reply = next(e for e in events if e.actor == "carol" and "agree" in e.text)
    assert reply.text == "agree, @Bob Diaz the error spike lines up with it"
    assert reply.link == (
        "https://acme.slack.com/archives/C07INC4512/p1709647740000040"
        "?thread_ts=1709647590.000200&cid=C07INC4512"
    )


def test_channel_must_be_named_when_there_are_several_and_must_exist() -> None:
    with pytest.raises(InvalidInput) as several:
        read_slack(SLACK_ARCHIVE)
    assert str(several.value) == (
        f"{SLACK_ARCHIVE}: the export has several channels; name one (--channel): "
        "enrique, traveling-sailor"
    )
    with pytest.raises(InvalidInput, match="no channel 'incident' in the export; channels: "):
        read_slack(SLACK_ARCHIVE, channel="incident")
    with pytest.raises(NotFound):
        read_slack(SLACK_ARCHIVE.parent / "missing.zip")


def test_truncated_zip_is_a_one_line_error(tmp_path: Path) -> None:
    whole = zipped(SLACK_ARCHIVE, tmp_path / "export.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ParseError) as caught:
        read_slack(cut, channel="enrique")
    assert str(caught.value).startswith(
        f"{cut}: not a Slack export: not a zip file, or a truncated"
    )
    assert "\n" not in str(caught.value)


def test_unreadable_day_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(SLACK_ARCHIVE, export)
    broken = export / "enrique" / "2016-02-07.json"
    broken.write_text(broken.read_text()[:500])
    result = read_slack(export, channel="enrique")
    assert len(result.events) == 96 - 20  # the 20 messages of that day are lost, no more
    [warning] = result.warnings
    assert warning.startswith(f"skipped {broken}:")


def test_corrupt_member_of_a_zip_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = zipped(SLACK_ARCHIVE, tmp_path / "export.zip")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("enrique/2016-02-08.json")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start : start + 40] = bytes(40)
    path.write_bytes(bytes(data))
    result = read_slack(path, channel="enrique")
    assert len(result.events) == 96 - 9
    [warning] = result.warnings
    assert warning.startswith(f"skipped {path}:enrique/2016-02-08.json: cannot be read")


def test_slack_markup_to_text() -> None:
    links: list[str] = []
    text = mrkdwn_to_text(
        "<!here> <@U1> rolled back <https://deploys.example.com/4512|deploy 4512> in <#C2|ops>"
        " &amp; <!subteam^S1|@sre> ```kubectl rollout undo\ndone```",
        {"U1": "bob"},
        links,
    )
    assert text == "@here @bob rolled back deploy 4512 in #ops & @sre [code: kubectl rollout undo…]"
    assert links == ["https://deploys.example.com/4512"]


def test_kinds_come_from_the_words() -> None:
    events = read_slack(INCIDENT / "slack", channel="incident-4512").events
    assert [(e.actor, e.kind) for e in events] == [
        ("Alertmanager", EventKind.ALERT),
        ("alice", EventKind.REPORT),
        ("Bob Diaz", EventKind.ACKNOWLEDGEMENT),
        ("Bob Diaz", EventKind.DEPLOY),
        ("carol", EventKind.NOTE),
        ("Bob Diaz", EventKind.MITIGATION),
        ("carol", EventKind.COMMUNICATION),
        ("Alertmanager", EventKind.RESOLUTION),
        ("alice", EventKind.RESOLUTION),
    ]


def test_not_an_export(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ParseError, match=r"not a Slack export: no channels\.json and no day files"):
        read_slack(empty)
    users = tmp_path / "bad"
    users.mkdir()
    (users / "channels.json").write_text(json.dumps([{"id": "C1", "name": "x"}]))
    (users / "users.json").write_text("{")
    with pytest.raises(ParseError) as caught:
        read_slack(users)
    assert (
        str(caught.value)
        == f"{users / 'users.json'}:1:2: Expecting property name enclosed in double quotes"
    )
