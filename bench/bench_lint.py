"""Lint throughput over the corpus (parse and every rule, one process, one core) and the cold
start of ``hindsight lint FILE``. ``rows()`` gives the table rows for ``bench/run.py``; run this
file alone to print them."""

from __future__ import annotations

import statistics
import subprocess
import sys
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
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, timeout=60)
        times.append(time.perf_counter() - start)
    base = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - start)
    return [
        (
            "hindsight lint FILE (cold)",
            f"{statistics.median(times) * 1000:.0f} ms",
            f"median of {runs}; python -c pass {statistics.median(base) * 1000:.0f} ms",
        )
    ]


def rows() -> list[Row]:
    return [*bench_corpus(), *bench_cold()]


if __name__ == "__main__":
    for name, value, note in rows():
        print(f"{name:32} {value:>14}  {note}")
