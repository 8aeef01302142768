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


def bench_corpus(rounds: int = 3) -> list[Row]:
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
        best = min(_time(texts, config, now) for _ in range(rounds))
        size = sum(len(text) for _, text in texts) / 1024
        rows.append(
            (label, f"{len(texts) / best:,.0f} docs/s", f"{len(texts)} files, {size:,.0f} KB")
        )
    return rows


def bench_parse(rounds: int = 3) -> list[Row]:
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


def _command() -> list[str]:
    probe = subprocess.run(
        [str(HINDSIGHT), "lint", "--help"], capture_output=True, check=False, timeout=60
    )
    if probe.returncode == 0:
        return [str(HINDSIGHT), "lint"]
    # Until the command is imported by hindsight.cli: the same thing, registered by hand.
    code = "import sys, hindsight.cli.lint; from hindsight.cli import app; app(sys.argv[1:])"
    return [sys.executable, "-c", code, "lint"]


def bench_cold(runs: int = 7) -> list[Row]:
    files = _files()
    if not files:
        return [("hindsight lint FILE (cold)", "skipped", "")]
    target = next((p for p in files if p.suffix == ".md" and "dfds" in str(p)), files[0])
    command = [*_command(), str(target)]
    times = _runs(command, runs, None)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        _runs(command, 1, env)  # writes the cache
        cached = _runs(command, runs, env)
    base = _runs([sys.executable, "-c", "pass"], runs, None)
    return [
        (
            "hindsight lint FILE (cold)",
            f"{statistics.median(times) * 1000:.0f} ms",
            f"median of {runs}; python -c pass {statistics.median(base) * 1000:.0f} ms",
        ),
        (
            "  same, bytecode cached",
            f"{statistics.median(cached) * 1000:.0f} ms",
            f"median of {runs}; as after pip install",
        ),
    ]


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
