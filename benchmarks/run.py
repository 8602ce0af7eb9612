"""Scale benchmark: times the pages and jobs of Plan Tracker on the benchmark database.

    .venv/bin/python benchmarks/run.py [--scale 1|4 | --tasks N --units N] [--database-url URL]
        [--repeat 30] [--warmup 3] [--only 1,2,6] [--runs 7=10] [--json FILE] [--markdown FILE]

Default database: instance/bench.db (SQLite; instance/bench4.db at --scale 4), built with
`tracker bench-data` when it does not hold the benchmark plan at that scale. With
TRACKER_BENCH_DATABASE_URL set (PostgreSQL), the same run follows on that database, in a
process of its own so each peak memory figure is its own.
Requests go through the Flask test client in-process: the application without the network.
Each page is timed warm and cold (right after a unit's report is submitted, not timed, and
deleted again afterwards); the verdict of every budget is computed from the figures.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import resource
import signal
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
import setting  # noqa: E402
from measure import Result, table  # noqa: E402

from tracker.bench import builder, shape  # noqa: E402
from tracker.bench.cli import bench_app  # noqa: E402

MS = 0.001
LIGHTS, FAST, PAGE_OF_100, HISTORY = 60 * MS, 150 * MS, 50 * MS, 40 * MS


def under(limit: float):
    """The budget of a timed read: p95 below `limit` warm and, where measured, cold."""
    return lambda r: r.worst_p95 < limit


def page_under(limit: float):
    """A list API's budget: one page (of 100) answered, p95 below `limit` warm and cold."""
    return lambda r: bool(r.paged) and r.worst_p95 < limit


def ratio_under(limit: float):
    return lambda r: r.ratio is not None and r.ratio < limit


# number, name, budget text, measurement, verdict (from the figures). Budgets: issue #21 (lights
# p95 < 60 ms, every other page and API read < 150 ms, a page of 100 < 50 ms, one task's
# history < 40 ms, reminder decision < 3× floor, delivery ≥ 300/s, ledger < 2 s, compilation
# < 5 s at 4×) and issue #17 (report page < 100 ms, review queue, batch accept 500 < 2 s).
PLAN = [
    (1, "supervision dashboard GET /supervision", "p95<60ms", items.dashboard, under(LIGHTS)),
    (2, "lagging list GET /supervision/lagging", "p95<60ms", items.lagging, under(LIGHTS)),
    (3, "unit workspace GET /workspace (200 tasks)", "p95<150ms", items.workspace, under(FAST)),
    (4, "quarterly report page GET /workspace/<period> (what is owed)", "p95<100ms", items.report_page,
     under(100 * MS)),
    (5, "submit one report (API PUT, submit)", "p95<150ms", items.submit, under(FAST)),
    (6, "GET /api/v1/compliance?period=", "p95<150ms", items.compliance, under(FAST)),
    (7, "reminder decision sweep, one overdue period", "ratio<3", items.sweep, ratio_under(3)),
    (8, "outbox delivery, 1,000 messages over SMTP", ">=300 msg/s", batch.outbox, lambda r: r.rate >= 300),
    (9, "ledger .xlsx export GET /supervision/ledger.xlsx", "<2s", batch.ledger, under(2.0)),
    (10, "quarterly report page, every task (?show=all)", "p95<150ms", review.report_page_all, under(FAST)),
    (11, "review queue, 10,000 waiting GET /supervision/reviews?period=all", "p95<150ms", review.review_queue,
     under(FAST)),
    (12, "batch accept 500 reports POST /supervision/reviews/accept", "<2s", review.batch_accept, under(2.0)),
    (13, "quarter's compilation .xlsx GET /supervision/compilation/<period>.xlsx", "<5s", batch.compilation,
     under(5.0)),
    (14, "page of 100 GET /api/v1/tasks?limit=100", "p95<50ms, paged", items.api_list("/api/v1/tasks"),
     page_under(PAGE_OF_100)),
    (15, "page of 100 GET /api/v1/lagging?limit=100", "p95<50ms, paged", items.api_list("/api/v1/lagging"),
     page_under(PAGE_OF_100)),
    (16, "one task's history GET /api/v1/tasks/<n>?include=reports", "p95<40ms", items.history, under(HISTORY)),
    (17, "one task GET /api/v1/tasks/<n>", "p95<150ms", items.api_read(lambda c: f"/api/v1/tasks/{c.task_number}"),
     under(FAST)),
    (18, "a task's reports GET /api/v1/tasks/<n>/reports/<period>", "p95<150ms",
     items.api_read(lambda c: f"/api/v1/tasks/{c.task_number}/reports/{c.period.key}"), under(FAST)),
    (19, "periods GET /api/v1/periods", "p95<150ms", items.api_read("/api/v1/periods"), under(FAST)),
    (20, "task page GET /plans/<id>/tasks/<n>", "p95<150ms",
     items.view("office", lambda c: f"/plans/{c.plan_id}/tasks/{c.task_number}"), under(FAST)),
    (21, "plan overview GET /plans/<id>", "p95<150ms", items.view("office", lambda c: f"/plans/{c.plan_id}"),
     under(FAST)),
    (22, "compliance page GET /supervision/compliance", "p95<150ms",
     items.view("office", lambda c: f"/supervision/compliance?period={c.period.key}"), under(FAST)),
    (23, "one unit's page GET /supervision/units/<id>", "p95<150ms",
     items.view("office", lambda c: f"/supervision/units/{c.unit_id}"), under(FAST)),
    (24, "escalations GET /supervision/escalations", "p95<150ms", items.view("office", "/supervision/escalations"),
     under(FAST)),
    (25, "unit scores GET /supervision/scores", "p95<150ms", items.view("office", "/supervision/scores"),
     under(FAST)),
    (26, "indicators GET /indicators", "p95<150ms", items.view("office", "/indicators"), under(FAST)),
    (27, "unit's to-dos GET /todos", "p95<150ms", items.view("unit", "/todos"), under(FAST)),
]

def measure(url: str, *, repeat: int, warmup: int, only: list[int] | None, done=None,
            runs: dict[int, int] | None = None) -> list[Result]:
    """Every item of PLAN (or those of `only`, in that order); done(results) after each.
    `runs`: item number → measured runs instead of `repeat` (the slow ones at 4×)."""
    from tracker.db import db

    app = bench_app(url)
    logging.getLogger("tracker").setLevel(logging.WARNING)
    with app.app_context():
        before = items.snapshot()
    results = []
    try:
        ctx = items.prepare(app, repeat_count=repeat, warmup=warmup)
        with app.app_context():
            prepared = items.snapshot()  # the tokens prepare() made stay until the end
        chosen = [item for item in PLAN if not only or item[0] in only]
        chosen.sort(key=lambda item: only.index(item[0]) if only else 0)
        for number, name, budget, run, verdict in chosen:
            result = Result(number, name, budget)
            print(f"  {number}. {name} …", end="", flush=True)
            try:
                run(dataclasses.replace(ctx, repeat=runs[number]) if runs and number in runs else ctx, result)
                result.ok = bool(verdict(result))
            except items.Missing as missing:
                result.missing = f"{items.NOT_IMPLEMENTED}: {missing}"
            except Exception as error:  # a broken page must not stop the other measurements
                result.error = f"{type(error).__name__}: {error}".splitlines()[0][:160]
                traceback.print_exc(limit=3, file=sys.stderr)
            finally:
                with app.app_context():
                    db.session.rollback()
                    items.restore(prepared)
            print(" done" if not (result.missing or result.error) else f" {result.missing or result.error}")
            results.append(result)
            if done is not None:
                done(results)
    finally:
        with app.app_context():
            items.restore(before)
            db.engine.dispose()
    return results


def item_runs(text: str) -> dict[int, int]:
    """--runs 7=10,12=5: item number → measured runs."""
    try:
        found = {int(k): int(v) for k, v in (pair.split("=") for pair in text.split(","))}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: item=runs, comma-separated, e.g. 7=10,12=5") from None
    if min(found.values()) < 1:
        raise argparse.ArgumentTypeError("runs must be at least 1")
    return found


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # SIGTERM ends the run like Ctrl-C: the finally blocks delete what the measurements wrote.
    signal.signal(signal.SIGTERM, _interrupt)
    # And Ctrl-C even where it was ignored on start: a script's background job (as .ci/run starts
    # the tests) starts with SIGINT ignored, and Python then leaves it ignored.
    signal.signal(signal.SIGINT, _interrupt)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    setting.add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=30, help="measured runs per item, warm and cold each (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs first (default 3)")
    parser.add_argument("--only", help="comma-separated item numbers, measured in that order, e.g. 1,2,6")
    parser.add_argument("--runs", type=item_runs, default={},
                        help="measured runs of some items instead of --repeat, e.g. 7=10,12=5")
    parser.add_argument("--messages", type=int, default=batch.MESSAGES, help="outbox messages per delivery run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--markdown", type=Path, help="also write the README's table, with its header, to this file")
    parser.add_argument("--no-follow", action="store_true", help="ignore TRACKER_BENCH_DATABASE_URL")
    args = parser.parse_args()
    load_before = setting.load()
    url, scale = setting.chosen(args)
    batch.MESSAGES = args.messages
    only = [int(n) for n in args.only.split(",")] if args.only else None
    runs = args.runs
    repeats = f"--repeat {args.repeat}" + (f" ({', '.join(f'item {k}: {v} runs' for k, v in runs.items())})"
                                           if runs else "")
    print(f"Plan Tracker benchmark (in-process) — {datetime.now().isoformat(timespec='minutes')} — {setting.machine()}")
    print(f"database: {url.split('@')[-1]}; today {shape.TODAY}; repeat {args.repeat}, warm-up {args.warmup}; "
          f"load average {load_before}")
    try:
        setting.ensure_data(url, scale)
    except builder.NotABenchDatabase as refused:
        print(f"refused: {refused}")
        return 2

    def write(results: list[Result]) -> str:
        """The table so far (a long run interrupted still leaves what it measured)."""
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines = setting.header(url, scale, f"In-process (Flask test client), {repeats}", load_before)
        lines += [table(results), "", f"Peak memory of the measuring process (ru_maxrss): {peak:.0f} MB."]
        if args.markdown:
            args.markdown.write_text("\n".join(lines) + "\n")
        if args.json:
            args.json.write_text(json.dumps({"database": url.split("@")[-1], "machine": setting.machine(),
                                             "tasks": scale.tasks, "units": scale.units, "peak_mb": round(peak),
                                             "load_before": load_before, "load_after": setting.load(),
                                             "results": [_plain(r) for r in results]}, ensure_ascii=False, indent=2))
        return "\n".join(lines)

    results = measure(url, repeat=args.repeat, warmup=args.warmup, only=only, done=write, runs=runs)
    print()
    print(write(results))
    follow = os.environ.get("TRACKER_BENCH_DATABASE_URL")
    if follow and not args.database_url and not args.no_follow:
        print()
        command = [sys.executable, __file__, "--database-url", follow, "--repeat", str(args.repeat),
                   "--warmup", str(args.warmup), "--scale", str(args.scale)] + (["--only", args.only] if args.only else []) \
            + (["--runs", ",".join(f"{k}={v}" for k, v in runs.items())] if runs else [])
        return subprocess.call(command)
    return 0


def _plain(r: Result) -> dict:
    return {"number": r.number, "name": r.name, "budget": r.budget, "median_ms": _ms(r.median), "p95_ms": _ms(r.p95),
            "cpu_ms": _ms(r.cpu_median), "cold_median_ms": _ms(r.cold_median), "cold_p95_ms": _ms(r.cold_p95),
            "cold_cpu_ms": _ms(r.cold_cpu_median), "paged": r.paged, "floor_ms": _ms(r.floor_median), "ratio": None if r.ratio is None else round(r.ratio, 2),
            "rate": None if r.rate is None else round(r.rate), "ok": r.ok, "note": r.note,
            "missing": r.missing, "error": r.error}


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


if __name__ == "__main__":
    sys.exit(main())
