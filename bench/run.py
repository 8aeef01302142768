"""``make bench``: throughput and start-up figures, printed as a table.

Run on one process (one core). Figures vary on noisy machines: compare ratios, and run twice.
Measured:
- render and parse throughput per built-in layout (documents per second);
- parsing every corpus postmortem (``../shared/corpus/postmortems``);
- importing 1,000 generated postmortems into a fresh SQLite store, and the corpus;
- ``hindsight --help`` cold start next to ``python -c pass``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "postmortems"
sys.path.insert(0, str(ROOT / "bench"))

from sample import make_postmortem  # noqa: E402

from hindsight.layouts.parse import parse_markdown  # noqa: E402
from hindsight.layouts.registry import BUILTIN_LAYOUTS  # noqa: E402
from hindsight.layouts.render import render_markdown  # noqa: E402

Row = tuple[str, str, str]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} docs/s"


def bench_layouts(samples: int = 300) -> list[Row]:
    postmortems = [make_postmortem(n) for n in range(samples)]
    rows: list[Row] = []
    for layout in BUILTIN_LAYOUTS:
        start = time.perf_counter()
        texts = [render_markdown(p, layout=layout) for p in postmortems]
        render_s = time.perf_counter() - start
        start = time.perf_counter()
        for text in texts:
            parse_markdown(text)
        parse_s = time.perf_counter() - start
        size = statistics.mean(len(t) for t in texts) / 1024
        rows.append((f"render {layout}", rate(samples, render_s), f"{size:.1f} KB/doc"))
        rows.append((f"parse {layout}", rate(samples, parse_s), ""))
    return rows


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and not p.name.upper().startswith("LICENSE")
    )


def bench_corpus() -> list[Row]:
    files = corpus_files()
    if not files:
        return [("parse corpus", "skipped", f"no corpus at {CORPUS}")]
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    parse_markdown(texts[0])
    start = time.perf_counter()
    for text in texts:
        parse_markdown(text)
    seconds = time.perf_counter() - start
    size = sum(len(t) for t in texts) / 1024
    return [("parse corpus", rate(len(texts), seconds), f"{len(texts)} files, {size:,.0f} KB")]


def _hindsight(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "hindsight"), *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def bench_import(count: int = 1000) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for n in range(count):
            text = render_markdown(make_postmortem(n, seed=1), layout=BUILTIN_LAYOUTS[n % 5])
            (folder / f"pm-{n:05d}.md").write_text(text, encoding="utf-8")
        env = {**os.environ, "HINDSIGHT_DATA_DIR": str(Path(tmp) / "data")}
        env.pop("HINDSIGHT_DATABASE_URL", None)
        seconds = _hindsight("import", str(folder), env=env)
        label = f"import {count:,} generated (SQLite, CLI)"
        rows.append((label, f"{seconds:.2f} s", rate(count, seconds)))
        again = _hindsight("import", str(folder), env=env)
        rows.append((f"re-import {count:,} unchanged", f"{again:.2f} s", rate(count, again)))
        if corpus_files():
            env["HINDSIGHT_DATA_DIR"] = str(Path(tmp) / "corpus-data")
            seconds = _hindsight("import", str(CORPUS), env=env)
            files = f"{len(corpus_files())} files"
            rows.append(("import corpus (SQLite, CLI)", f"{seconds:.2f} s", files))
    return rows


def bench_startup(runs: int = 15) -> list[Row]:
    def best(command: list[str]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    python = str(ROOT / ".venv" / "bin" / "python")
    base = best([python, "-c", "pass"])
    helped = best([str(ROOT / ".venv" / "bin" / "hindsight"), "--help"])
    return [
        ("python -c pass", f"{base * 1000:.0f} ms", "median"),
        ("hindsight --help", f"{helped * 1000:.0f} ms", "median, target < 150 ms"),
    ]


def _section(module: str) -> Callable[[], list[Row]]:
    def rows() -> list[Row]:
        imported = __import__(module)
        result: list[Row] = imported.rows()
        return result

    rows.__name__ = module
    return rows


SECTIONS: dict[str, list[Callable[[], list[Row]]]] = {
    "core": [bench_startup, bench_layouts, bench_corpus, bench_import],
    "lint": [_section("bench_lint")],
    "sources": [_section("bench_sources")],
    "insights": [_section("bench_insights")],
}


def main(argv: list[str]) -> None:
    """``bench/run.py [SECTION ...]``: all sections by default."""
    chosen = argv or list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section {unknown[0]!r}; choose from {', '.join(SECTIONS)}")
    rows: list[Row] = []
    for name in chosen:
        for section in SECTIONS[name]:
            rows.extend(section())
            print(f"... {section.__name__} done", file=sys.stderr)
    width = max(len(r[0]) for r in rows)
    print(f"\n{'benchmark'.ljust(width)}  {'result':>18}  notes")
    print(f"{'-' * width}  {'-' * 18}  {'-' * 30}")
    for name, result, notes in rows:
        print(f"{name.ljust(width)}  {result:>18}  {notes}")


if __name__ == "__main__":
    main(sys.argv[1:])
