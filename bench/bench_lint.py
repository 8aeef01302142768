"""Lint throughput over the corpus (parse and every rule, one process, one core), the parsing
it starts with, and the cold start of ``hindsight lint FILE``. ``rows()`` gives the table rows
for ``bench/run.py``; run this file alone to print them.

The cold start is measured twice: as the environment runs it, and with Python's bytecode cache
on (in a temporary directory), as after ``pip install``. With ``PYTHONDONTWRITEBYTECODE`` set and
no ``__pycache__`` in the source tree, every run compiles Hindsight's modules from source first.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "postmortems"
HINDSIGHT = ROOT / ".venv" / "bin" / "hindsight"

Row = tuple[str, str, str]


def _files() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and not p.name.upper().startswith("LICENSE")
    )


@contextmanager
def _one_core() -> Iterator[None]:
    """Keep this process on one core, as the aim is stated: on a shared machine, moving between
    cores costs the run its caches (the throughput swung by a fifth without it)."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {max(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


def bench_corpus(rounds: int = 5) -> list[Row]:
    from hindsight.lint import LintConfig, lint_text
    from hindsight.lint.engine import expand

    files = _files()
    if not files:
        return [("lint corpus", "skipped", f"no corpus at {CORPUS}")]
    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows: list[Row] = []
    for label, config in (
        ("lint corpus, all rules", LintConfig()),
        ("lint corpus, language rules", LintConfig(select=frozenset(expand("L")))),
    ):
        for path, text in texts[:5]:  # warm up: compile the expressions
            lint_text(text, path=path, config=config, now=now)
        with _one_core():
            best = min(_time(texts, config, now) for _ in range(rounds))
        size = sum(len(text) for _, text in texts) / 1024
        rows.append(
            (label, f"{len(texts) / best:,.0f} docs/s", f"{len(texts)} files, {size:,.0f} KB")
        )
    return rows


def bench_parse(rounds: int = 5) -> list[Row]:
    from hindsight.layouts.parse import parse_markdown

    files = _files()
    if not files:
        return [("parse_markdown corpus", "skipped", f"no corpus at {CORPUS}")]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]

    def run() -> float:
        start = time.perf_counter()
        for text in texts:
            parse_markdown(text)
        return time.perf_counter() - start

    run()  # warm up
    best = min(run() for _ in range(rounds))
    return [("parse_markdown corpus", f"{len(texts) / best:,.0f} docs/s", f"{len(texts)} files")]


def _time(texts: list[tuple[str, str]], config: object, now: datetime) -> float:
    from hindsight.lint import LintConfig, lint_text

    assert isinstance(config, LintConfig)
    start = time.perf_counter()
    for path, text in texts:
        lint_text(text, path=path, config=config, now=now)
    return time.perf_counter() - start


def bench_cold(runs: int = 15) -> list[Row]:
    files = _files()
    if not files:
        return [("hindsight lint FILE (cold)", "skipped", "")]
    target = next((p for p in files if p.suffix == ".md" and "dfds" in str(p)), files[0])
    command = [str(HINDSIGHT), "lint", str(target)]
    times = _runs(command, runs, None)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        _runs(command, 1, env)  # writes the cache
        cached = _runs(command, runs, env)
    base = _runs([sys.executable, "-c", "pass"], runs, None)
    return [
        ("hindsight lint FILE (cold)", _spread(times), f"{runs} runs; python -c pass {_ms(base)}"),
        ("  same, bytecode cached", _spread(cached), f"{runs} runs; as after pip install"),
    ]


def _ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def _spread(times: list[float]) -> str:
    """The median, with the fastest and the 90th percentile: start-up times on a shared machine
    vary by a third from run to run."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{_ms(times)} (min {ordered[0] * 1000:.0f}, p90 {p90 * 1000:.0f})"


def _runs(command: list[str], runs: int, env: dict[str, str] | None) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, timeout=60, env=env)
        times.append(time.perf_counter() - start)
    return times


def rows() -> list[Row]:
    return [*bench_corpus(), *bench_parse(), *bench_cold()]


if __name__ == "__main__":
    for name, value, note in rows():
        print(f"{name:32} {value:>14}  {note}")
