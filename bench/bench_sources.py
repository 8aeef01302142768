"""Source readers: events per second for each kind of source, on generated large inputs, and
the memory they need.

For each source a large input is written to a temporary directory (100,000 Slack messages in
100 day files, 100,000 Alertmanager alerts as JSON Lines of webhook bodies, and so on), then:

- read and merged once without tracing, for the rate: events read per second of CPU time,
  parse and merge (CPU time, as the machines this runs on are shared; wall time is shown too);
- read and merged once under ``tracemalloc``, for the peak of memory allocated;
- for Slack and Alertmanager, read with a one-day window at a quarter and at the whole of the
  input: the peak stays flat because day files and lines are read one at a time and events
  outside the window are dropped as they are read.

``rows()`` returns printable rows (source, rate, notes); ``python bench/bench_sources.py``
prints them. One process, one core; figures vary on noisy machines.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hindsight.sources import ReadOptions, read_source
from hindsight.sources.common import SourceResult
from hindsight.sources.merge import merge_events

Row = tuple[str, str, str]
START = datetime(2024, 3, 1, tzinfo=UTC)
WORDS = (
    "checkout", "payments", "api", "error", "rate", "latency", "deploy", "pods", "node", "cache",
    "queue", "retry", "timeout", "dashboard", "graph", "spike", "db", "primary", "replica",
    "flag", "config", "region", "traffic",
)  # fmt: skip
CHAT = (
    "anyone else seeing {w} on {s}?",
    "checking the {s} dashboard",
    "{s} p99 is at {n}ms",
    "I think it's the {s} deploy from this morning",
    "+1",
    "ok, thanks",
    "joining the bridge now",
    "can you share the {w} graph?",
    "error rate on {s} is {n}%",
    "customers reporting {w} errors on {s}",
    "pods restarting in {s}",
    "looks better now, watching {w}",
    "ack, looking at {s}",
    "rolling back {s} to the previous build",
    "paged the {s} on-call",
    "{w} is fine, it's {s}",
    "who owns {s}?",
    "let's keep updates in this thread",
    "{s} is back to normal",
    "posted an update on the status page",
)
"""Chat as incident channels have it: a minority of lines say what happened."""


def _sentence(rng: random.Random, words: int = 9) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _chat(rng: random.Random) -> str:
    return rng.choice(CHAT).format(
        w=rng.choice(WORDS), s=f"{rng.choice(WORDS)}-api", n=rng.randrange(2, 900)
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# --- generated inputs -------------------------------------------------------------------------


def make_slack(folder: Path, messages: int, *, per_day: int = 1000) -> Path:
    """An export folder: one channel, ``messages`` messages, ``per_day`` per day file."""
    rng = random.Random(1)
    channel = folder / "incident"
    channel.mkdir(parents=True)
    users = [
        {"id": f"U{n:04d}", "name": f"user{n}", "profile": {"display_name": f"user{n}"}}
        for n in range(50)
    ]
    (folder / "users.json").write_text(json.dumps(users))
    (folder / "channels.json").write_text(json.dumps([{"id": "C0001", "name": "incident"}]))
    step = 86400 / per_day
    for day in range(-(-messages // per_day)):
        stamp = START + timedelta(days=day)
        batch = []
        for n in range(min(per_day, messages - day * per_day)):
            ts = stamp.timestamp() + n * step
            message = {
                "type": "message",
                "user": f"U{rng.randrange(50):04d}",
                "text": f"<@U{rng.randrange(50):04d}> {_chat(rng)}",
                "ts": f"{int(ts)}.{n:06d}",
            }
            if n % 10 == 0:
                message["reactions"] = [{"name": "eyes", "users": ["U0001"], "count": 1}]
            batch.append(message)
        (channel / f"{stamp:%Y-%m-%d}.json").write_text(json.dumps(batch))
    return folder


def make_alertmanager(path: Path, alerts: int, *, per_body: int = 10) -> Path:
    """JSON Lines of webhook bodies: ``alerts`` alerts, a third of them resolved."""
    rng = random.Random(2)
    step = 86.4  # a thousand alerts a day, however many days the input covers
    with path.open("w") as handle:
        for first in range(0, alerts, per_body):
            batch = []
            for n in range(first, min(first + per_body, alerts)):
                starts = START + timedelta(seconds=n * step)
                resolved = n % 3 == 0
                ends = starts + timedelta(minutes=7) if resolved else datetime(1, 1, 1, tzinfo=UTC)
                batch.append(
                    {
                        "status": "resolved" if resolved else "firing",
                        "labels": {
                            "alertname": f"Alert{n % 40}",
                            "service": f"svc-{n % 25}",
                            "severity": "critical",
                        },
                        "annotations": {"summary": _sentence(rng, 6)},
                        "startsAt": _iso(starts),
                        "endsAt": _iso(ends),
                        "generatorURL": f"http://prometheus:9090/graph?g0.expr=a{n}",
                        "fingerprint": f"{n:016x}",
                    }
                )
            body = {
                "version": "4",
                "status": "firing",
                "receiver": "bench",
                "alerts": batch,
                "externalURL": "http://alertmanager:9093",
            }
            handle.write(json.dumps(body) + "\n")
    return path


def make_grafana(path: Path, alerts: int) -> Path:
    make_alertmanager(path, alerts)
    lines = []
    for line in path.read_text().splitlines():
        body = json.loads(line)
        body["orgId"] = 1
        for alert in body["alerts"]:
            alert["startsAt"] = alert["startsAt"].replace("Z", ".157076+02:00")
            alert["dashboardURL"] = "https://grafana/d/abc"
            alert["values"] = {"B": 44.2, "C": 1}
        lines.append(json.dumps(body))
    path.write_text("\n".join(lines) + "\n")
    return path


def _jsonl(path: Path, count: int, make: Callable[[int], object]) -> Path:
    with path.open("w") as handle:
        for n in range(count):
            handle.write(json.dumps(make(n)) + "\n")
    return path


def make_pagerduty(path: Path, count: int) -> Path:
    types = ("triggered", "acknowledged", "annotated", "resolved")

    def make(n: int) -> object:
        kind = types[n % 4]
        incident = {
            "id": f"P{n // 4}",
            "type": "incident",
            "number": n // 4,
            "title": f"Incident {n // 4}",
            "html_url": f"https://x.pagerduty.com/incidents/P{n // 4}",
            "service": {"summary": "checkout-api"},
        }
        data = (
            incident
            if kind != "annotated"
            else {
                "incident": incident,
                "content": "rolled back the deploy",
                "type": "incident_note",
            }
        )
        return {
            "event": {
                "id": f"E{n}",
                "event_type": f"incident.{kind}",
                "occurred_at": _iso(START + timedelta(seconds=n * 30)),
                "agent": {"type": "user_reference", "summary": "Bob"},
                "data": data,
            }
        }

    return _jsonl(path, count, make)


def make_opsgenie(path: Path, count: int) -> Path:
    actions = ("Create", "Acknowledge", "AddNote", "Close")

    def make(n: int) -> object:
        millis = int((START + timedelta(seconds=n * 30)).timestamp() * 1000)
        return {
            "action": actions[n % 4],
            "alert": {
                "alertId": f"a-{n // 4}",
                "message": f"alert {n // 4}",
                "tinyId": str(n // 4),
                "createdAt": millis,
                "updatedAt": millis * 1_000_000 + 123,
                "username": "bob@example.com",
                "note": "scaled up the workers",
            },
        }

    return _jsonl(path, count, make)


def make_github(path: Path, count: int) -> Path:
    states = ("created", "in_progress", "success", "failure")

    def make(n: int) -> object:
        at = _iso(START + timedelta(seconds=n * 60))
        deployment = {
            "id": n // 4,
            "sha": f"{n:040x}",
            "ref": "main",
            "environment": "production",
            "created_at": at,
            "creator": {"login": "ci"},
        }
        body: dict[str, object] = {
            "deployment": deployment,
            "repository": {"full_name": "acme/shop", "html_url": "https://github.com/acme/shop"},
        }
        if states[n % 4] != "created":
            body["deployment_status"] = {
                "state": states[n % 4],
                "created_at": at,
                "creator": {"login": "ci"},
            }
        return body

    return _jsonl(path, count, make)


def make_notes(path: Path, count: int) -> Path:
    rng = random.Random(3)
    lines = ["# Generated notes", "", "2024-03-01", "All times in UTC.", ""]
    for n in range(count):
        moment = START + timedelta(seconds=n * 20)
        if n and moment.date() != (moment - timedelta(seconds=20)).date():
            lines.append(f"{moment:%Y-%m-%d}")
        lines.append(f"{moment:%H:%M:%S} <user{n % 7}> {_chat(rng)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def make_csv(path: Path, count: int) -> Path:
    rng = random.Random(4)
    with path.open("w") as handle:
        handle.write("time,text,actor\n")
        for n in range(count):
            text = _chat(rng).replace(",", ";")
            handle.write(f"{_iso(START + timedelta(seconds=n * 20))},{text},user{n % 9}\n")
    return path


def make_jsonl(path: Path, count: int) -> Path:
    rng = random.Random(5)
    return _jsonl(
        path,
        count,
        lambda n: {
            "ts": int(START.timestamp()) + n * 20,
            "message": _chat(rng),
            "user": f"u{n % 9}",
        },
    )


# --- measuring --------------------------------------------------------------------------------


def _read_and_merge(kind: str, path: Path, options: ReadOptions) -> tuple[int, int]:
    result: SourceResult = read_source(kind, path, options)
    merged = merge_events([result.events])
    return len(result.events), len(merged.events)


def _peak(func: Callable[[], object]) -> float:
    """Peak memory allocated while ``func`` runs, in MB."""
    gc.collect()
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def measure(kind: str, path: Path, options: ReadOptions, label: str) -> Row:
    """Events per second of CPU time (the machine may be shared), with the wall time beside."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    read, kept = _read_and_merge(kind, path, options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _peak(lambda: _read_and_merge(kind, path, options))
    size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*.json")))
    return (
        f"{kind}: {label}",
        f"{read / cpu:,.0f} events/s",
        f"{read:,} read, {kept:,} after merge: {cpu:.2f} s CPU ({wall:.2f} s wall); "
        f"input {size / 1e6:.0f} MB; peak {peak:.0f} MB",
    )


def flat_memory(
    kind: str, make: Callable[[Path, int], Path], sizes: tuple[int, ...], tmp: Path
) -> Row:
    """Peak memory reading one day out of inputs of growing size."""
    window = ReadOptions(since=START + timedelta(days=1), until=START + timedelta(days=2))
    peaks = []
    for size in sizes:
        path = make(tmp / f"{kind}-{size}", size)
        peaks.append(_peak(lambda path=path: read_source(kind, path, window)))  # type: ignore[misc]
    shown = ", ".join(f"{peak:.1f} MB at {size:,}" for size, peak in zip(sizes, peaks, strict=True))
    return (f"{kind}: one-day window, growing input", "memory", f"peak {shown}")


def rows(scale: float = 1.0) -> list[Row]:
    """The benchmark rows; ``scale`` shrinks the inputs (tests use a small one)."""
    big = max(int(100_000 * scale), 1000)
    mid = max(int(20_000 * scale), 1000)
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        days = -(-big // 1000)
        inputs: list[tuple[str, Path, str]] = [
            ("slack", make_slack(tmp / "slack", big), f"{big:,} messages, {days} day files"),
            ("alertmanager", make_alertmanager(tmp / "am.jsonl", big), f"{big:,} alerts"),
            ("grafana", make_grafana(tmp / "grafana.jsonl", mid), f"{mid:,} alerts"),
            ("pagerduty", make_pagerduty(tmp / "pd.jsonl", mid), f"{mid:,} webhooks"),
            ("opsgenie", make_opsgenie(tmp / "og.jsonl", mid), f"{mid:,} webhooks"),
            ("github", make_github(tmp / "gh.jsonl", mid), f"{mid:,} webhooks"),
            ("notes", make_notes(tmp / "notes.md", mid), f"{mid:,} chat lines"),
            ("csv", make_csv(tmp / "events.csv", big), f"{big:,} rows"),
            ("jsonl", make_jsonl(tmp / "events.jsonl", big), f"{big:,} rows"),
        ]
        for kind, path, label in inputs:
            out.append(measure(kind, path, ReadOptions(), label))
            print(f"... {kind} done", file=sys.stderr)
        sizes = (big // 4, big)
        out.append(flat_memory("slack", lambda p, n: make_slack(p, n), sizes, tmp))
        out.append(flat_memory("alertmanager", lambda p, n: make_alertmanager(p, n), sizes, tmp))
    return out


def main() -> None:
    table = rows(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
    width = max(len(r[0]) for r in table)
    print(f"\n{'benchmark'.ljust(width)}  {'result':>18}  notes")
    print(f"{'-' * width}  {'-' * 18}  {'-' * 30}")
    for name, result, notes in table:
        print(f"{name.ljust(width)}  {result:>18}  {notes}")


if __name__ == "__main__":
    main()
