"""Search latency, related incidents and monthly-report time at 1,000 and 10,000 stored
postmortems (5 timeline events and 4 action items each), on SQLite and on PostgreSQL.

Related incidents and the reports are timed through the store's own paths,
:func:`find_related_in_store` and :func:`monthly_report_in_store`, each in a fresh transaction,
rendering included. The report is timed for an early month of the data (few postmortems before
it) and for a late one (every postmortem's action items count).

``rows()`` gives the table rows ``make bench`` prints; run this file alone for just these. The
PostgreSQL server is a throwaway one started like the tests start theirs (``tests/pg.py``); when
it cannot start, its rows say why instead.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from sample import make_postmortem  # noqa: E402

from hindsight.settings import Settings  # noqa: E402

Row = tuple[str, str, str]
SIZES = (1_000, 10_000)
QUERIES = (
    "connection pool",
    "expired certificate",
    "schema migration locked",
    "retry storm",
    "rolled back deploy",
    '"elevated latency"',
    "saturation OR unrotated",
    "lunchtime peak",
    "payments -checkout",
    "feature flag regions",
)
ROUNDS = 20
NOW = datetime(2026, 11, 1, tzinfo=UTC)
MONTH = "2024-06"
LATE_MONTH = "2026-05"
RELATED_TARGETS = (17, 421, 999)


def _fill(settings: Settings, count: int) -> None:
    from hindsight.store import repository
    from hindsight.store.engine import make_engine, make_sessionmaker

    engine = make_engine(settings)
    try:
        factory = make_sessionmaker(engine)
        for start in range(0, count, 500):
            with factory.begin() as session:
                for n in range(start, min(count, start + 500)):
                    pm = make_postmortem(n, events=5, actions=4, seed=2)
                    repository.create_postmortem(
                        session=session,
                        postmortem=pm,
                        author="bench",
                        now=NOW,
                        id_pattern=settings.id_pattern,
                    )
    finally:
        engine.dispose()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _search_latency(settings: Settings) -> tuple[float, float, int]:
    from hindsight.store.engine import make_engine, make_sessionmaker
    from hindsight.store.search import SearchFilters, search_store

    engine = make_engine(settings)
    times: list[float] = []
    try:
        with make_sessionmaker(engine)() as session:
            filters = (SearchFilters(), SearchFilters(service="payments"))
            for query in QUERIES:  # warm up
                search_store(session=session, query=query)
            gc.collect()
            for _ in range(ROUNDS):
                for number, query in enumerate(QUERIES):
                    start = time.perf_counter()
                    search_store(session=session, query=query, filters=filters[number % 2])
                    times.append(time.perf_counter() - start)
    finally:
        engine.dispose()
    return _percentile(times, 0.5), _percentile(times, 0.99), len(times)


def _related_times(settings: Settings) -> list[float]:
    """Seconds of ``hindsight related REF`` (top 5) for each of ``RELATED_TARGETS``."""
    from hindsight.insights.related import find_related_in_store
    from hindsight.service import transaction

    times = []
    for n in RELATED_TARGETS:
        ref = make_postmortem(n, events=5, actions=4, seed=2).id
        assert ref is not None
        start = time.perf_counter()
        with transaction(settings) as session:
            find_related_in_store(session=session, ref=ref, limit=5)
        times.append(time.perf_counter() - start)
    return times


def _report_time(settings: Settings, fmt: str, month: str = MONTH) -> float:
    from hindsight.insights import report
    from hindsight.service import transaction

    today = report.parse_month(month)[1] + timedelta(days=3)
    start = time.perf_counter()
    with transaction(settings) as session:
        built = report.monthly_report_in_store(
            session=session, month=month, today=today, generated_at=NOW
        )
    if fmt == "html":
        report.render_html(built)
    else:
        report.render_pdf(built)
    return time.perf_counter() - start


def _backend_rows(name: str, url_for: Callable[[int], str], data_dir: Path) -> list[Row]:
    rows: list[Row] = []
    for count in SIZES:
        settings = Settings(data_dir=data_dir, database_url=url_for(count))
        started = time.perf_counter()
        _fill(settings, count)
        filled = time.perf_counter() - started
        p50, p99, samples = _search_latency(settings)
        rows.append(
            (
                f"search, {count:,} stored ({name})",
                f"p50 {p50 * 1000:.1f} ms",
                f"p99 {p99 * 1000:.1f} ms over {samples} queries; stored and indexed in "
                f"{filled:.0f} s",
            )
        )
        related = _related_times(settings)
        rows.append(
            (
                f"related, {count:,} stored ({name})",
                f"{statistics.median(related):.2f} s",
                f"median of {len(related)} targets, max {max(related):.2f} s; load and score",
            )
        )
        html = _report_time(settings, "html")
        pdf = _report_time(settings, "pdf")
        late = _report_time(settings, "html", LATE_MONTH)
        rows.append(
            (
                f"report monthly, {count:,} stored ({name})",
                f"{html:.2f} s html",
                f"{pdf:.2f} s pdf; load, compute, charts and render; {MONTH}",
            )
        )
        rows.append(
            (
                f"report monthly {LATE_MONTH}, {count:,} stored ({name})",
                f"{late:.2f} s html",
                "every postmortem's action items count",
            )
        )
    return rows


@contextmanager
def _postgres() -> Iterator[Callable[[int], str]]:
    """URLs of fresh databases on a throwaway server, all dropped at the end."""
    from pg import Databases, start_server

    server = start_server()
    try:
        databases = Databases(server.url())
        with ExitStack() as stack:
            stack.callback(databases.close)
            yield lambda _count: stack.enter_context(databases.fresh())
    finally:
        server.stop()


def rows() -> list[Row]:
    """Search p50/p99 and report time at each size, on SQLite and PostgreSQL."""
    result: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result += _backend_rows(
            "SQLite", lambda count: f"sqlite:///{folder / f'bench-{count}.db'}", folder
        )
        from pg import PostgresUnavailable

        try:
            with _postgres() as url_for:
                result += _backend_rows("PostgreSQL", url_for, folder)
        except PostgresUnavailable as exc:
            result.append(("search and report (PostgreSQL)", "skipped", str(exc)[:80]))
    return result


def main() -> None:
    table = rows()
    width = max(len(r[0]) for r in table)
    for name, value, notes in table:
        print(f"{name.ljust(width)}  {value:>18}  {notes}")


if __name__ == "__main__":
    main()
