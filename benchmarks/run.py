"""Scale benchmark: times the pages and jobs of Plan Tracker on the benchmark database.

    .venv/bin/python benchmarks/run.py [--database-url URL] [--repeat N] [--warmup N] [--json FILE]

Default database: instance/bench.db (SQLite), built with `tracker bench-data` when it holds
no benchmark plan. With TRACKER_BENCH_DATABASE_URL set (PostgreSQL), the same run follows
on that database, in a process of its own so each peak memory figure is its own.
Requests go through the Flask test client in-process: the application without the network.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import subprocess
import sys
import traceback
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import batch  # noqa: E402
import items  # noqa: E402
import review  # noqa: E402
from measure import Result, table  # noqa: E402

from tracker.bench import builder, schema, shape  # noqa: E402
from tracker.bench.cli import bench_app, build_database, default_url  # noqa: E402
from tracker.bench.shape import Scale  # noqa: E402

FAST = 0.150
# number, name, budget text, measurement, verdict
PLAN = [
    (1, "supervision dashboard GET /supervision", "p95<150ms, ratio<3", items.dashboard,
     lambda r: r.p95 < FAST and r.ratio is not None and r.ratio < 3),
    (2, "lagging list GET /supervision/lagging", "p95<150ms, ratio<3", items.lagging,
     lambda r: r.p95 < FAST and r.ratio is not None and r.ratio < 3),
    (3, "unit workspace GET /workspace (200 tasks)", "p95<150ms", items.workspace, lambda r: r.p95 < FAST),
    (4, "quarterly report page GET /workspace/<period> (what is owed)", "p95<100ms", items.report_page,
     lambda r: r.p95 < 0.100),
    (5, "submit one report (API PUT, submit)", "p95<150ms", items.submit, lambda r: r.p95 < FAST),
    (6, "GET /api/v1/compliance?period=", "p95<150ms, ratio<3", items.compliance,
     lambda r: r.p95 < FAST and r.ratio is not None and r.ratio < 3),
    (7, "reminder decision sweep, one overdue period", "p95<1s", items.sweep, lambda r: r.p95 < 1.0),
    (8, "outbox delivery, 1,000 messages over SMTP", ">=200 msg/s", batch.outbox, lambda r: r.rate >= 200),
    (9, "ledger .xlsx export", "<5s", batch.ledger, lambda r: r.p95 < 5.0),
    (10, "quarterly report page, every task (?show=all)", "p95<150ms", review.report_page_all,
     lambda r: r.p95 < FAST),
    (11, "review queue, 10,000 waiting GET /supervision/reviews?period=all", "p95<150ms", review.review_queue,
     lambda r: r.p95 < FAST),
    (12, "batch accept 500 reports POST /supervision/reviews/accept", "<2s", review.batch_accept,
     lambda r: r.p95 < 2.0),
]


def machine() -> str:
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()
    total = memory[1].split()[1] if len(memory) > 1 else "?"
    return (f"{os.cpu_count()} CPUs (nproc {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}),"
            f" {total} RAM, {platform.python_implementation()} {platform.python_version()}, {platform.system()}")


def ensure_data(url: str) -> None:
    from sqlalchemy import func, inspect, select

    from tracker.db import db
    from tracker.plans.models import Plan
    from tracker.reporting.models import Report

    app = bench_app(url)
    with app.app_context():
        found = inspect(db.engine).has_table("plan") and db.session.scalar(
            select(func.count(Plan.id)).where(Plan.key == shape.PLAN_KEY))
        reports = db.session.scalar(select(func.count(Report.id))) if found else 0
        lagging = schema.missing_in_database() if found else []
        db.engine.dispose()
    if found and lagging:
        print(f"data: the models have changed since the build ({', '.join(lagging[:4])}…); rebuilding")
        found = False
    if found:
        print(f"data: {reports:,} reports (rebuild: tracker bench-data --database-url URL)")
        return
    print("data: no benchmark plan here; building it (tracker bench-data, default scale) …", flush=True)
    built = build_database(url, Scale(), echo=print)
    print(f"data: built in {built.counts['seconds']} s: {built.counts['report']:,} reports")


def measure(url: str, *, repeat: int, warmup: int, only: set[int] | None) -> list[Result]:
    from tracker.db import db

    app = bench_app(url)
    logging.getLogger("tracker").setLevel(logging.WARNING)
    with app.app_context():
        before = items.snapshot()
    results = []
    try:
        ctx = items.prepare(app, repeat_count=repeat, warmup=warmup)
        for number, name, budget, run, verdict in PLAN:
            if only and number not in only:
                continue
            result = Result(number, name, budget)
            print(f"  {number}. {name} …", end="", flush=True)
            try:
                run(ctx, result)
                result.ok = bool(verdict(result))
            except items.Missing as missing:
                result.missing = f"{items.NOT_IMPLEMENTED}: {missing}"
            except Exception as error:  # a broken page must not stop the other measurements
                result.error = f"{type(error).__name__}: {error}".splitlines()[0][:160]
                traceback.print_exc(limit=3, file=sys.stderr)
            finally:
                with app.app_context():
                    db.session.rollback()
                    items.restore(before)
            print(" done" if not (result.missing or result.error) else f" {result.missing or result.error}")
            results.append(result)
    finally:
        with app.app_context():
            items.restore(before)
            db.engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: instance/bench.db (SQLite)")
    parser.add_argument("--repeat", type=int, default=30, help="measured runs per item (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs first (default 3)")
    parser.add_argument("--only", help="comma-separated item numbers, e.g. 1,2,6")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-follow", action="store_true", help="ignore TRACKER_BENCH_DATABASE_URL")
    args = parser.parse_args()
    url = args.database_url or default_url()
    only = {int(n) for n in args.only.split(",")} if args.only else None
    print(f"Plan Tracker benchmark — {datetime.now().isoformat(timespec='minutes')} — {machine()}")
    print(f"database: {url.split('@')[-1]}; today {shape.TODAY}; repeat {args.repeat}, warm-up {args.warmup}")
    try:
        ensure_data(url)
    except builder.NotABenchDatabase as refused:
        print(f"refused: {refused}")
        return 2
    results = measure(url, repeat=args.repeat, warmup=args.warmup, only=only)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(table(results))
    print(f"peak memory of this process (ru_maxrss): {peak:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps({"database": url.split("@")[-1], "machine": machine(), "peak_mb": round(peak),
                                         "results": [_plain(r) for r in results]}, ensure_ascii=False, indent=2))
    follow = os.environ.get("TRACKER_BENCH_DATABASE_URL")
    if follow and not args.database_url and not args.no_follow:
        print()
        command = [sys.executable, __file__, "--database-url", follow, "--repeat", str(args.repeat),
                   "--warmup", str(args.warmup)] + (["--only", args.only] if args.only else [])
        return subprocess.call(command)
    return 0


def _plain(r: Result) -> dict:
    return {"number": r.number, "name": r.name, "budget": r.budget, "median_ms": _ms(r.median), "p95_ms": _ms(r.p95), "cpu_ms": _ms(r.cpu_median),
            "floor_ms": _ms(r.floor_median), "ratio": None if r.ratio is None else round(r.ratio, 2),
            "rate": None if r.rate is None else round(r.rate), "ok": r.ok, "note": r.note,
            "missing": r.missing, "error": r.error}


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


if __name__ == "__main__":
    sys.exit(main())
