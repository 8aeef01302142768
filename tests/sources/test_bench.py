"""The sources benchmark runs on small inputs and reports every source (no timings asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hindsight.sources import SOURCE_KINDS

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_sources.py"


def test_bench_rows_cover_every_source() -> None:
    spec = importlib.util.spec_from_file_location("bench_sources", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.rows(scale=0.001)
    kinds = {name.split(":")[0] for name, _, _ in rows}
    assert kinds == set(SOURCE_KINDS)
    assert all(result.endswith("events/s") or result == "memory" for _, result, _ in rows)
