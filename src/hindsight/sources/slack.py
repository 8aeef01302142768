"""A Slack workspace export as timeline events: one channel, optionally one window of time.

Reads the export as Slack gives it (a zip) or unpacked (a folder with ``channels.json``,
``users.json`` and one folder of day files per channel), and also a single channel folder or a
single day file. Day files are read one at a time, and only those that can hold messages in the
window, so memory stays flat however long the channel's history is.

- User ids are shown as names (``users.json``, else the profile a message carries); bots by the
  name their integration was added under, else ``bot``.
- Slack markup becomes text: ``<@U123>`` is ``@name``, ``<url|label>`` is ``label``, code blocks
  are ``[code]``; a bot message with no text is read from its attachments.
- An edited message keeps the time it was posted, with the edit noted; a thread reply keeps its
  own time and names the thread it belongs to, even when it is earlier than the thread's start
  (which happens in imported workspaces, and is warned about).
- Reactions are noted; ``only_pinned`` and ``emoji`` keep only pinned messages or messages with
  one of the given reactions.
- Joins, leaves, integrations added and deleted messages are left out.

Refs are ``slack:<channel id>:<ts>``; links are permalinks when the workspace's domain is
known (given, or seen in the export's own links).
"""

from __future__ import annotations

import html
import json
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from hindsight.errors import InvalidInput, NotFound, ParseError
from hindsight.model import EventKind, Link, LinkKind, TimelineEvent
from hindsight.sources.common import SourceResult, Window, clip, make_event
from hindsight.text.kinds import classify

_SKIPPED_SUBTYPES = frozenset(
    {
        "channel_join",
        "channel_leave",
        "group_join",
        "group_leave",
        "bot_add",
        "bot_remove",
        "bot_enable",
        "bot_disable",
        "channel_archive",
        "channel_unarchive",
        "group_archive",
        "group_unarchive",
        "channel_name",
        "group_name",
        "pinned_item",
        "unpinned_item",
        "reminder_add",
        "message_deleted",
        "tombstone",
        "joiner_notification",
    }
)
_CHANNEL_LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.json$")
_DOMAIN = re.compile(rb"https?:\\?/\\?/([a-z0-9][a-z0-9-]*)\.slack\.com\\?/")
_BOT_ADDED = re.compile(r"services/(B\w+)\|([^>]+)>")


@dataclass(frozen=True)
class SlackFilter:
    """Which messages to keep: a window, and optionally only pinned or emoji-marked ones."""

    window: Window = field(default_factory=Window)
    only_pinned: bool = False
    emoji: frozenset[str] = frozenset()

    @property
    def marked_only(self) -> bool:
        return self.only_pinned or bool(self.emoji)


def read_slack(
    path: Path,
    *,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    only_pinned: bool = False,
    emoji: Iterable[str] = (),
    domain: str | None = None,
) -> SourceResult:
    """Events from one channel of a Slack export (zip, folder, channel folder or day file)."""
    reader = SlackReader(
        path,
        channel=channel,
        keep=SlackFilter(Window(since, until), only_pinned, _emoji_names(emoji)),
        domain=domain,
    )
    result = SourceResult(events=list(reader.events()), warnings=reader.warnings)
    if reader.channel_url:
        result.add_link(Link(label=reader.source, url=reader.channel_url, kind=LinkKind.CHAT))
    return result


def _emoji_names(names: Iterable[str]) -> frozenset[str]:
    return frozenset(name.strip().strip(":").lower() for name in names if name.strip(": "))


# --- the export as files ----------------------------------------------------------------------


class _Export:
    """The files of an export, from a zip or a folder, named by their path inside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        self._names: list[str] = []
        if path.is_dir():
            self._names = sorted(
                p.relative_to(path).as_posix() for p in path.rglob("*.json") if p.is_file()
            )
        elif not path.exists():
            raise NotFound(f"no such file or directory: {path}")
        elif path.suffix.lower() == ".json":
            self._names = [path.name]
            self.path = path.parent
        else:
            self._open_zip(path)

    def _open_zip(self, path: Path) -> None:
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ParseError(
                f"not a Slack export: not a zip file, or a truncated one ({exc})", where=str(path)
            ) from exc
        names = [n for n in self._zip.namelist() if n.endswith(".json")]
        lists = [n for n in names if PurePosixPath(n).name in _CHANNEL_LISTS]
        if lists:
            shallowest = min(lists, key=lambda n: n.count("/"))
            self._prefix = shallowest[: len(shallowest) - len(PurePosixPath(shallowest).name)]
        self._names = sorted(n[len(self._prefix) :] for n in names if n.startswith(self._prefix))

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    @property
    def names(self) -> list[str]:
        return self._names

    def where(self, name: str) -> str:
        return f"{self.path}:{name}" if self._zip is not None else str(self.path / name)

    def read(self, name: str) -> bytes:
        """The bytes of one file; ``ParseError`` when it cannot be read whole."""
        try:
            if self._zip is not None:
                return self._zip.read(self._prefix + name)
            return (self.path / name).read_bytes()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError) as exc:
            raise ParseError(f"cannot be read ({exc})", where=self.where(name)) from exc

    def load(self, name: str) -> Any:
        data = self.read(name)
        try:
            return json.loads(data)
        except json.JSONDecodeError as exc:
            raise ParseError(exc.msg, where=f"{self.where(name)}:{exc.lineno}:{exc.colno}") from exc
        except UnicodeDecodeError as exc:
            raise ParseError(f"not UTF-8 text (byte {exc.start})", where=self.where(name)) from exc


@dataclass(frozen=True)
class _Channel:
    id: str
    name: str
    folder: str
    pins: frozenset[str] = frozenset()


# --- reading ----------------------------------------------------------------------------------


class SlackReader:
    """Reads one channel of an export; ``events()`` yields its messages a day file at a time.

    ``warnings`` fills as the reader goes: day files that cannot be read are skipped and named.
    """

    def __init__(
        self,
        path: Path,
        *,
        channel: str | None = None,
        keep: SlackFilter | None = None,
        domain: str | None = None,
    ) -> None:
        if path.is_dir() and not _has_lists(path) and _has_lists(path.parent):
            path, channel = path.parent, channel or path.name  # a channel folder of an export
        self.export = _Export(path)
        self.keep = keep or SlackFilter()
        self.warnings: list[str] = []
        self.users = self._users()
        self.bots: dict[str, str] = {}
        self.channel = self._channel(channel)
        self.domain = _clean_domain(domain) if domain else None
        self.source = f"slack:#{self.channel.name}"

    @property
    def channel_url(self) -> str | None:
        if not self.domain:
            return None
        return f"https://{self.domain}.slack.com/archives/{self.channel.id}"

    # -- what the export holds

    def _users(self) -> dict[str, str]:
        if "users.json" not in self.export.names:
            if not self._single_file():
                self.warnings.append(f"{self.export.path}: no users.json; user ids shown as is")
            return {}
        listed = self.export.load("users.json")
        if not isinstance(listed, list):
            raise ParseError("not a Slack users list", where=self.export.where("users.json"))
        return {str(u["id"]): _user_name(u) for u in listed if isinstance(u, dict) and "id" in u}

    def _single_file(self) -> bool:
        return len(self.export.names) == 1 and not _DAY_FILE.search(self.export.names[0])

    def _channels(self) -> list[_Channel]:
        channels: list[_Channel] = []
        for list_name in _CHANNEL_LISTS:
            if list_name not in self.export.names:
                continue
            listed = self.export.load(list_name)
            if not isinstance(listed, list):
                raise ParseError("not a Slack channel list", where=self.export.where(list_name))
            channels.extend(_channel(item, self.export.names) for item in listed)
        return channels

    def _channel(self, wanted: str | None) -> _Channel:
        channels = self._channels()
        if not channels:
            return self._loose_channel(wanted)
        if wanted is None:
            if len(channels) == 1:
                return channels[0]
            names = ", ".join(sorted(c.name for c in channels))
            raise InvalidInput(
                f"the export has several channels; name one (--channel): {names}",
                where=str(self.export.path),
            )
        name = wanted.strip().lstrip("#")
        for found in channels:
            if name in (found.name, found.id):
                return found
        names = ", ".join(sorted(c.name for c in channels))
        raise InvalidInput(
            f"no channel {wanted!r} in the export; channels: {names}", where=str(self.export.path)
        )

    def _loose_channel(self, wanted: str | None) -> _Channel:
        """A channel folder or a day file, with no channel list around it."""
        names = self.export.names
        if not names:
            raise ParseError(
                "not a Slack export: no channels.json and no day files", where=str(self.export.path)
            )
        if self._single_file():
            stated = self._stated_channel(names[0])
            return _Channel(id="", name=wanted or stated or Path(names[0]).stem, folder="")
        name = (wanted or self.export.path.name).lstrip("#")
        return _Channel(id="", name=name, folder="")

    def _stated_channel(self, name: str) -> str | None:
        """The ``channel_name`` some tools write into each message of a lone day file."""
        try:
            messages = self.export.load(name)
        except ParseError:
            return None
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            stated = messages[0].get("channel_name")
            return str(stated) if stated else None
        return None

    # -- messages

    def day_files(self) -> list[str]:
        prefix = f"{self.channel.folder}/" if self.channel.folder else ""
        found = []
        window = self.keep.window
        first = window.since.date() - timedelta(days=1) if window.since else date.min
        last = window.until.date() + timedelta(days=1) if window.until else date.max
        for name in self.export.names:
            if not name.startswith(prefix) or "/" in name[len(prefix) :]:
                continue
            day = _DAY_FILE.search(name)
            if day is None:
                if self._single_file():
                    found.append(name)
                continue
            if first <= date.fromisoformat(day.group(1)) <= last:
                found.append(name)
        return found

    def events(self) -> Iterator[TimelineEvent]:
        """The channel's messages in the window, as events, a day file at a time."""
        files = self.day_files()
        if self.domain is None:
            self.domain = self._find_domain(files[:30])
        try:
            for name in files:
                messages = self._day(name)
                for message in messages:
                    event = self._event(message)
                    if event is not None:
                        yield event
        finally:
            self.export.close()

    def _day(self, name: str) -> list[Any]:
        try:
            messages = self.export.load(name)
        except ParseError as exc:
            self.warnings.append(f"skipped {exc}")
            return []
        if not isinstance(messages, list):
            self.warnings.append(f"skipped {self.export.where(name)}: not a list of messages")
            return []
        return messages

    def _find_domain(self, names: list[str]) -> str | None:
        for name in names:
            try:
                match = _DOMAIN.search(self.export.read(name))
            except ParseError:
                continue
            if match:
                return match.group(1).decode()
        return None

    def _event(self, message: Any) -> TimelineEvent | None:
        if not isinstance(message, dict):
            return None
        subtype = message.get("subtype")
        if subtype == "bot_add":
            self._remember_bot(message)
        if subtype in _SKIPPED_SUBTYPES or message.get("hidden"):
            return None
        if subtype == "message_changed" and isinstance(message.get("message"), dict):
            message = message["message"]
        ts = message.get("ts")
        at = _instant(ts)
        if at is None or at not in self.keep.window:
            return None
        pinned = self._pinned(message, str(ts))
        reactions = message.get("reactions") if isinstance(message.get("reactions"), list) else []
        if self.keep.marked_only and not self._marked(pinned, reactions):
            return None
        text, links = self._text(message)
        if not text:
            return None
        return make_event(
            at=at,
            text=text,
            kind=EventKind(classify(text)),
            actor=self._actor(message),
            source=self.source,
            link=self._permalink(str(ts), message) or (links[0] if len(links) == 1 else None),
            notes=self._notes(message, at, pinned, reactions),
            source_ref=f"slack:{self.channel.id or self.channel.name}:{ts}",
        )

    def _marked(self, pinned: bool, reactions: list[Any]) -> bool:
        if self.keep.only_pinned and pinned:
            return True
        names = {str(r.get("name", "")).lower() for r in reactions if isinstance(r, dict)}
        return bool(self.keep.emoji & names)

    def _pinned(self, message: dict[str, Any], ts: str) -> bool:
        return bool(message.get("pinned_to")) or ts in self.channel.pins

    def _remember_bot(self, message: dict[str, Any]) -> None:
        match = _BOT_ADDED.search(str(message.get("text", "")))
        if match:
            self.bots[match.group(1)] = match.group(2)

    def _actor(self, message: dict[str, Any]) -> str | None:
        user = message.get("user")
        bot = message.get("bot_id")
        if message.get("subtype") == "bot_message" or (bot and not user):
            profile = message.get("bot_profile")
            name = message.get("username") or (profile or {}).get("name") or self.bots.get(str(bot))
            return str(name) if name else "bot"
        if user is None:
            return None
        if str(user) in self.users:
            return self.users[str(user)]
        profile = message.get("user_profile")
        if isinstance(profile, dict):
            return _user_name({"profile": profile, **profile})
        return str(message.get("username") or user)

    def _text(self, message: dict[str, Any]) -> tuple[str, list[str]]:
        raw = str(message.get("text") or "")
        if not raw.strip():
            raw = _attachment_text(message)
        links: list[str] = []
        text = mrkdwn_to_text(raw, self.users, links)
        return clip(text), links

    def _permalink(self, ts: str, message: dict[str, Any]) -> str | None:
        if not self.domain or not self.channel.id:
            return None
        link = f"{self.channel_url}/p{ts.replace('.', '')}"
        thread = message.get("thread_ts")
        if thread and thread != ts:
            link += f"?thread_ts={thread}&cid={self.channel.id}"
        return link

    def _notes(
        self, message: dict[str, Any], at: datetime, pinned: bool, reactions: list[Any]
    ) -> str | None:
        notes = []
        thread = message.get("thread_ts")
        if thread and thread != message.get("ts"):
            started = _instant(thread)
            if started is not None:
                notes.append(f"reply in the thread started {started:%Y-%m-%d %H:%M:%S} UTC")
                if started > at:
                    self.warnings.append(
                        f"{self.source}: the reply at {at:%Y-%m-%d %H:%M:%S} UTC is earlier "
                        f"than the thread it answers ({started:%Y-%m-%d %H:%M:%S} UTC); "
                        "kept at its own time"
                    )
        edited = message.get("edited")
        if isinstance(edited, dict) and (when := _instant(edited.get("ts"))) is not None:
            notes.append(f"edited {when:%Y-%m-%d %H:%M:%S} UTC")
        if pinned:
            notes.append("pinned")
        shown = [
            f":{r['name']}: {r.get('count', len(r.get('users') or []))}"
            for r in reactions
            if isinstance(r, dict) and r.get("name")
        ]
        if shown:
            notes.append("reactions " + " ".join(shown))
        return "; ".join(notes) or None


def _has_lists(folder: Path) -> bool:
    return any((folder / name).is_file() for name in _CHANNEL_LISTS)


def _user_name(user: dict[str, Any]) -> str:
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    assert isinstance(profile, dict)
    for value in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
        user.get("id"),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown"


def _channel(item: Any, names: list[str]) -> _Channel:
    if not isinstance(item, dict) or "id" not in item:
        raise ParseError("a channel without an id in the channel list")
    cid = str(item["id"])
    name = str(item.get("name") or cid)
    folder = name if any(n.startswith(f"{name}/") for n in names) else cid
    pins = item.get("pins")
    if not isinstance(pins, list):
        pins = []
    return _Channel(
        id=cid,
        name=name,
        folder=folder,
        pins=frozenset(str(p.get("id")) for p in pins if isinstance(p, dict)),
    )


def _clean_domain(value: str) -> str:
    text = value.strip().removeprefix("https://").removeprefix("http://")
    return text.split(".slack.com")[0].strip("/")


def _instant(ts: Any) -> datetime | None:
    """Slack's ``"1452837352.000006"`` (seconds.microseconds) as aware UTC, exactly."""
    if ts is None:
        return None
    seconds, _, fraction = str(ts).partition(".")
    try:
        whole = int(seconds)
        micros = int((fraction + "000000")[:6]) if fraction else 0
    except ValueError:
        return None
    return datetime.fromtimestamp(whole, UTC) + timedelta(microseconds=micros)


# --- Slack markup -----------------------------------------------------------------------------

_ANGLE = re.compile(r"<([^<>]+)>")
_CODE = re.compile(r"```\s*(.*?)(?:```|$)", re.DOTALL)


def _code(match: re.Match[str]) -> str:
    """A code block as ``[code: its first line…]``: a timeline line is no place for a log."""
    lines = [line.strip() for line in match.group(1).splitlines() if line.strip()]
    if not lines:
        return " [code] "
    first = lines[0] if len(lines[0]) <= 60 else lines[0][:60].rstrip() + "…"
    return f" [code: {first}{'…' if len(lines) > 1 and not first.endswith('…') else ''}] "


def mrkdwn_to_text(raw: str, users: dict[str, str], links: list[str]) -> str:
    """Slack's markup as plain text; the URLs it links to are added to ``links``."""
    text = _CODE.sub(_code, raw) if "```" in raw else raw

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            name = target[1:].split("^")[0]
            return label or f"@{name}"
        if target.startswith(("http://", "https://")):
            links.append(target)
            return label or target
        if target.startswith(("mailto:", "tel:")):
            return label or target.split(":", 1)[1]
        return match.group(0)

    if "<" in text:
        text = _ANGLE.sub(replace, text)
    text = " ".join(text.split())
    return html.unescape(text) if "&" in text else text


def _attachment_text(message: dict[str, Any]) -> str:
    """A bot message's attachments as one line: the summary, then the detail."""
    parts: list[str] = []
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if not isinstance(attachment, dict):
            continue
        head = _first_string(attachment, ("fallback", "pretext", "title"))
        body = _first_string(attachment, ("text",))
        parts.extend(part for part in (head, body) if part and part not in parts)
    files = message.get("files")
    if not isinstance(files, list):
        files = [message["file"]] if isinstance(message.get("file"), dict) else []
    for item in files:
        if isinstance(item, dict) and (item.get("title") or item.get("name")):
            parts.append(f"shared a file: {item.get('title') or item.get('name')}")
    return " — ".join(parts)


def _first_string(mapping: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""
