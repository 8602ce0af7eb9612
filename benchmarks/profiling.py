"""Where one page's time goes: every SQL statement, replayed alone to time it with its rows, and cProfile.

    .venv/bin/python benchmarks/profiling.py /supervision [--user bench-duchashi] [--database-url URL]
        [--cold] [--explain] [--top 25]

--cold profiles the request right after a write behind it (unit 0 submits a report it owes, as
run.py's cold runs do; deleted again afterwards); without it the page is profiled warm.
--explain prints each statement's plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import items  # noqa: E402
from sqlalchemy import event  # noqa: E402

from tracker.bench import shape  # noqa: E402
from tracker.bench.cli import bench_app, default_url  # noqa: E402
from tracker.db import db  # noqa: E402


class Statements:
    """Records every statement the page runs."""

    def __init__(self, engine) -> None:
        self.engine, self.rows = engine, []

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.rows.append((statement, parameters))


def replay(app, statement: str, parameters) -> tuple[float, int]:
    """The statement alone, all rows fetched (SQLite computes rows while they are fetched)."""
    if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0, 0
    with app.app_context(), db.engine.connect() as connection:
        connection.exec_driver_sql(statement, parameters).fetchall()
        started = time.perf_counter()
        rows = connection.exec_driver_sql(statement, parameters).fetchall()
        return time.perf_counter() - started, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--user", default=shape.SUPERVISOR)
    parser.add_argument("--database-url")
    parser.add_argument("--cold", action="store_true", help="profile the request right after a write")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    app = bench_app(args.database_url or default_url())
    client = items.logged_in(app, args.user)
    client.get(args.path)  # warm: templates compiled, caches filled
    with app.app_context():
        engine, before = db.engine, items.snapshot()
    try:
        if args.cold:
            items.prepare(app, repeat_count=1, warmup=0).write.apply()
        return profile(app, client, engine, args)
    finally:
        with app.app_context():
            items.restore(before)


def profile(app, client, engine, args) -> int:
    profiler = cProfile.Profile()
    with Statements(engine) as statements:
        started = time.perf_counter()
        profiler.enable()
        response = client.get(args.path)
        response.get_data()
        profiler.disable()
        total = time.perf_counter() - started
    print(f"GET {args.path} as {args.user}{' after a write (cold)' if args.cold else ''}: {response.status_code}, "
          f"{total * 1000:.0f} ms (under cProfile), "
          f"{len(statements.rows)} statements")
    spent = 0.0
    for statement, parameters in statements.rows:
        seconds, count = replay(app, statement, parameters)
        spent += seconds
        print(f"  {seconds * 1000:7.1f} ms {count:6d} rows  {' '.join(statement.split())[:140]}")
        if args.explain and statement.lstrip().upper().startswith("SELECT"):
            _explain(app, statement, parameters)
    print(f"  SQL replayed alone: {spent * 1000:.0f} ms in all")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


def _explain(app, statement: str, parameters) -> None:
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters):
                print(f"             {row[-1]}")
        else:
            for row in connection.exec_driver_sql("EXPLAIN ANALYZE " + statement, parameters):
                print(f"             {row[0]}")


if __name__ == "__main__":
    sys.exit(main())
