"""The whole benchmark matrix in one command: in-process and over HTTP, 1× and 4×, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/matrix.py [--sqlite DIR] [--postgresql URL-with-{scale}] [--budget 25]
        [--markdown FILE] [--parts inproc-sqlite-1,http-sqlite-1,…] [--build] [--dry-run]
        [--estimates FILE.json] [--slack 1.5] [--tasks N --units N] [--repeat N --warmup N --seconds N --messages N]

Runs run.py and over_http.py once per part, one after another (each in a process of its own, so
each peak memory figure is its own), each with the items chosen for it in PARTS, and writes ONE
markdown file: a summary (what ran, for how long, the load average before and after), then each
part's table with the header its tool writes (date, machine, versions, load average).

The databases are checked first, not timed: `DIR/bench.db` and `DIR/bench4.db`, and the
PostgreSQL URL with `{scale}` replaced by 1 and 4 (`postgresql://postgres@127.0.0.1/bench{scale}`:
bench1, bench4). A database built before newer migrations is migrated (the migrations fill
what they add); one that lacks the plan or holds another size is built only with --build
(4× takes ten minutes or more), otherwise its parts are skipped and the summary says why.

The wall-time budget: before starting, the estimate of every part (from --estimates, the JSON a
previous run wrote beside its markdown, else ESTIMATES below) is printed. Each part may take
its estimate × --slack (1.5; at least a minute) within what is left of --budget; a part over that is
stopped (Ctrl-C to its tool, which keeps what it measured and undoes its writes) and a part
with no time left is skipped; the summary says which. Figures are only comparable from a quiet
machine: the summary's load averages say what the run had.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import setting  # noqa: E402

from tracker.bench import builder  # noqa: E402
from tracker.bench.shape import Scale  # noqa: E402

SLACK = 1.5
NO_POSTGRESQL = "skipped: no --postgresql"
STOP_GRACE = 120  # seconds a stopped tool has to undo its writes and stop its server


@dataclass(frozen=True)
class Part:
    tool: str            # "inproc" (run.py) | "http" (over_http.py)
    database: str        # "sqlite" | "postgresql"
    scale: int           # 1 | 4
    args: tuple[str, ...]  # the tool's options: which items, how many runs

    @property
    def key(self) -> str:
        return f"{self.tool}-{self.database}-{self.scale}"

    @property
    def title(self) -> str:
        how = "In-process" if self.tool == "inproc" else "Over HTTP"
        return f"{how}, {'SQLite' if self.database == 'sqlite' else 'PostgreSQL'}, {self.scale}×"


# Every item at 1× (30 runs; the sweep and the three slowest small pages, 21, 23 and 25, 10 each).
# At 4× (four times the data, unit 0 with 800 tasks) the items the budgets name at 4× and the pages
# that grow with the data, 20 runs; the workspace, the full report page and the reminder sweep
# fewer (stated in each table's header); the exports take 5 runs warm and 5 cold at every scale.
# Delivery (item 8) sends 1,000 messages whatever the data: measured at 1× only.
INPROC_1 = ("--repeat", "30", "--runs", "7=10,21=10,23=10,25=10")
INPROC_4 = "1,2,3,4,6,9,13,10,11,12,14,15,16,5,7"
# Over HTTP: 5 s of wrk per list; at 4× the lists and the API reads only, 20 runs.
HTTP_4 = "dashboard,lagging,workspace,report-page,review-queue,api-tasks,api-lagging,api-history"
PARTS = [
    Part("inproc", "sqlite", 1, INPROC_1),
    Part("inproc", "postgresql", 1, INPROC_1),
    Part("http", "sqlite", 1, ("--repeat", "30", "--seconds", "5")),
    Part("http", "postgresql", 1, ("--repeat", "30", "--seconds", "5")),
    Part("inproc", "sqlite", 4, ("--repeat", "20", "--only", INPROC_4, "--runs", "3=10,10=10,7=5")),
    Part("inproc", "postgresql", 4, ("--repeat", "20", "--only", INPROC_4, "--runs", "3=10,10=10,7=5")),
    Part("http", "sqlite", 4, ("--repeat", "20", "--seconds", "5", "--only", HTTP_4)),
    Part("http", "postgresql", 4, ("--repeat", "20", "--seconds", "5", "--only", HTTP_4)),
]

# Seconds per part on a quiet machine, estimated from the CPU seconds of the run on main on
# 2026-12-02 (load average 4–11; README, Benchmarks) with these options; --estimates replaces them.
ESTIMATES = {
    "inproc-sqlite-1": 280, "inproc-postgresql-1": 330, "http-sqlite-1": 150, "http-postgresql-1": 170,
    "inproc-sqlite-4": 300, "inproc-postgresql-4": 380, "http-sqlite-4": 150, "http-postgresql-4": 180,
}


@dataclass
class Outcome:
    part: Part
    url: str = ""
    status: str = "not run"   # complete | stopped … | skipped … | failed …
    seconds: float | None = None
    cpu: float | None = None    # CPU seconds of the tool and the processes it waited for (gunicorn, the SMTP sink)
    allowance: float | None = None
    table: str = ""
    lines: list[tuple[float, str]] = field(default_factory=list)   # (seconds since start, line) of the tool


def urls(args: argparse.Namespace, part: Part) -> str | None:
    if part.database == "sqlite":
        return f"sqlite:///{Path(args.sqlite).resolve() / ('bench.db' if part.scale == 1 else 'bench4.db')}"
    if not args.postgresql:
        return None
    return args.postgresql.replace("{scale}", str(part.scale))


def scale_of(args: argparse.Namespace, part: Part) -> Scale:
    if args.tasks or args.units:
        base = Scale(tasks=args.tasks or Scale.tasks, units=args.units or Scale.units)
        return Scale(tasks=base.tasks * part.scale, units=base.units * part.scale)
    return setting.SCALES[part.scale]


def size_args(args: argparse.Namespace, part: Part) -> list[str]:
    if args.tasks or args.units:
        found = scale_of(args, part)
        return ["--tasks", str(found.tasks), "--units", str(found.units)]
    return ["--scale", str(part.scale)]


def tool_args(args: argparse.Namespace, part: Part) -> list[str]:
    """The part's options, with --repeat/--warmup/--seconds/--messages of the command line laid over."""
    out = list(part.args)

    def put(name: str, value) -> None:
        if value is None:
            return
        if name in out:
            out[out.index(name) + 1] = str(value)
        else:
            out.extend([name, str(value)])

    put("--repeat", args.repeat)
    put("--warmup", args.warmup)
    if part.tool == "http":
        put("--seconds", args.seconds)
    else:
        put("--messages", args.messages)
        if args.repeat is not None and "--runs" in out:   # a short run for all: no item runs longer
            runs = out[out.index("--runs") + 1].split(",")
            put("--runs", ",".join(f"{k}={min(int(v), args.repeat)}" for k, v in (r.split("=") for r in runs)))
    return out


def prepare(args: argparse.Namespace, chosen: list[Part], outcomes: dict[str, Outcome]) -> None:
    """Checks (migrates, with --build builds) each database once; a part whose data is not there is skipped."""
    checked: dict[str, str] = {}
    for part in chosen:
        outcome = outcomes[part.key]
        url = urls(args, part)
        if url is None:
            outcome.status = NO_POSTGRESQL
            continue
        outcome.url = url
        if url not in checked:
            print(f"data {part.database} {part.scale}×: {url.split('@')[-1]}", flush=True)
            try:
                setting.ensure_data(url, scale_of(args, part), echo=lambda line: print(f"  {line}", flush=True),
                                    build=args.build)
                checked[url] = ""
            except (setting.NotBuilt, builder.NotABenchDatabase) as why:
                checked[url] = f"skipped: {why}"
            except Exception as error:   # no server, say: the other databases' parts still run
                checked[url] = f"skipped: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
            if checked[url]:
                print(f"  {checked[url]}", flush=True)
        if checked[url]:
            outcome.status = checked[url]


def run_part(args: argparse.Namespace, outcome: Outcome, allowance: float, log: Path) -> None:
    """The part's tool in a process of its own; stopped like Ctrl-C once `allowance` seconds are spent."""
    part = outcome.part
    table = log.with_suffix(".md")
    table.unlink(missing_ok=True)
    script = HERE / ("run.py" if part.tool == "inproc" else "over_http.py")
    command = [sys.executable, str(script), "--database-url", outcome.url, *size_args(args, part),
               *tool_args(args, part), "--markdown", str(table)]
    env = {**os.environ, "TRACKER_LOG_LEVEL": "WARNING"}
    env.pop("TRACKER_BENCH_DATABASE_URL", None)   # run.py would follow it onto another database
    print(f"\n== {part.title}: {' '.join(command[1:])}", flush=True)
    started, cpu = time.monotonic(), _children_cpu()
    outcome.allowance = allowance
    with log.open("w") as written:
        tool = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                start_new_session=True)   # our Ctrl-C reaches it only through us

        def copy() -> None:
            for line in tool.stdout:
                at = time.monotonic() - started
                outcome.lines.append((at, line.rstrip("\n")))
                written.write(f"{at:8.1f} {line}")
                written.flush()
                print(f"  {at:6.0f}s {line}", end="", flush=True)

        reader = threading.Thread(target=copy, daemon=True)
        reader.start()
        stopped = ""
        try:
            tool.wait(timeout=allowance)
        except subprocess.TimeoutExpired:
            stopped = f"stopped at its allowance ({allowance:.0f} s)"
        except KeyboardInterrupt:
            stopped = "interrupted"
        if stopped:
            tool.send_signal(signal.SIGINT)   # the tool keeps what it measured, undoes its writes
            try:
                tool.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                os.killpg(tool.pid, signal.SIGKILL)
                tool.wait()
        reader.join(timeout=10)
    outcome.seconds, outcome.cpu = time.monotonic() - started, _children_cpu() - cpu
    outcome.table = table.read_text().rstrip() if table.exists() else ""
    if stopped:
        measured = [line.strip() for _, line in outcome.lines if line.rstrip().endswith(" done")]
        outcome.status = f"{stopped}; {len(measured)} item(s) measured"
        if stopped == "interrupted":
            raise KeyboardInterrupt
    elif tool.returncode == 0:
        outcome.status = "complete"
    else:
        outcome.status = f"failed (exit {tool.returncode}): see {log.name}"


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def summary(args: argparse.Namespace, outcomes: list[Outcome], started: datetime, load_before: str,
            wall: float | None) -> str:
    from measure import markdown

    rows = [(o.part.title, o.url.split("@")[-1].split("/")[-1] if o.url else "–", o.status,
             "–" if o.seconds is None else f"{o.seconds:,.0f}", "–" if o.cpu is None else f"{o.cpu:,.0f}",
             f"{estimate(args, o.part):,.0f}",
             " ".join(tool_args(args, o.part))) for o in outcomes]
    done = "" if wall is None else f" Wall time {wall / 60:,.1f} min (budget {args.budget:g} min)."
    return "\n".join([
        f"**Benchmark matrix** (`benchmarks/matrix.py`), started {started.isoformat(timespec='minutes')}: "
        f"{setting.machine()}.{done} Load average (1, 5, 15 min) before {load_before}, after {setting.load()}.",
        "",
        markdown(("part", "database", "status", "seconds", "CPU s", "estimate s", "options"), rows),
        "",
        "CPU s: the tool's processes (gunicorn's workers included, the PostgreSQL server not); what a part"
        " needs of the cores: its seconds on a quiet machine are about this plus the waits (wrk's fixed"
        " seconds, the database server).",
    ])


_estimates: dict[str, float] = {}


def estimate(args: argparse.Namespace, part: Part) -> float:
    return _estimates.get(part.key, ESTIMATES.get(part.key, 300))


def write(args: argparse.Namespace, outcomes: list[Outcome], started: datetime, load_before: str,
          wall: float | None = None) -> None:
    """The one markdown file (rewritten after each part: an interrupted run keeps what it has)."""
    sections = [summary(args, outcomes, started, load_before, wall)]
    for o in outcomes:
        if o.table:
            sections.append(f"#### {o.part.title}\n\n{o.table}")
        elif o.status != NO_POSTGRESQL:   # skipped for its data or the budget, failed: say so where its table would be
            sections.append(f"#### {o.part.title}\n\n{o.status}.")
    args.markdown.write_text("\n\n".join(sections) + "\n")
    times = {o.part.key: round(o.seconds) for o in outcomes if o.seconds is not None and o.status == "complete"}
    items = {o.part.key: item_seconds(o) for o in outcomes if o.lines}
    cpu = {o.part.key: round(o.cpu) for o in outcomes if o.cpu is not None}
    args.markdown.with_suffix(".json").write_text(json.dumps({"seconds": times, "cpu": cpu, "items": items},
                                                             ensure_ascii=False, indent=1))


def item_seconds(outcome: Outcome) -> dict[str, float]:
    """Each item's (page's) seconds, from the times its tool printed its lines: what to cut when over budget."""
    out, previous = {}, 0.0
    for at, line in outcome.lines:
        text = line.strip()
        if " req/s (" in text:
            text = text.split(":")[0] + " throughput"
        elif not (text.endswith(" done") or text.startswith(("data:", "gunicorn:"))):
            continue
        out[text.removesuffix(" done").removesuffix(" …").strip()] = round(at - previous, 1)
        previous = at
    return out


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)   # also when started with SIGINT ignored (a background job)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", default=str(Path.cwd() / "instance"),
                        help="folder of bench.db (1×) and bench4.db (4×); default instance/")
    parser.add_argument("--postgresql", help="URL with {scale}, e.g. postgresql://postgres@127.0.0.1/bench{scale} "
                                             "(bench1, bench4); without it the PostgreSQL parts are skipped")
    parser.add_argument("--budget", type=float, default=25, help="minutes for the whole matrix (default 25)")
    parser.add_argument("--markdown", type=Path, default=Path("matrix.md"),
                        help="the one file of all tables (default matrix.md); its timings go beside it as .json")
    parser.add_argument("--parts", help="comma-separated part keys, in that order (default: all): "
                                        + ",".join(p.key for p in PARTS))
    parser.add_argument("--build", action="store_true", help="build a database that lacks the plan or its size")
    parser.add_argument("--dry-run", action="store_true", help="check the data and print the plan, measure nothing")
    parser.add_argument("--slack", type=float, default=SLACK,
                        help=f"a part may take its estimate × this (default {SLACK:g}; more on a loaded machine)")
    parser.add_argument("--estimates", type=Path, help="the .json a previous run wrote: its seconds per part")
    parser.add_argument("--tasks", type=int, help="1× size instead of 2,000 tasks (4× parts: four times it)")
    parser.add_argument("--units", type=int, help="1× size instead of 300 units (4× parts: four times it)")
    parser.add_argument("--repeat", type=int, help="every part's --repeat (and no --runs above it)")
    parser.add_argument("--warmup", type=int, help="every part's --warmup")
    parser.add_argument("--seconds", type=int, help="the HTTP parts' --seconds of throughput per list")
    parser.add_argument("--messages", type=int, help="in-process parts: outbox messages per delivery run")
    args = parser.parse_args()
    if args.postgresql and "{scale}" not in args.postgresql:
        parser.error("--postgresql needs {scale} in it (the 1× and 4× databases differ)")
    known = {p.key: p for p in PARTS}
    try:
        chosen = [known[k] for k in args.parts.split(",")] if args.parts else list(PARTS)
    except KeyError as unknown:
        parser.error(f"no part {unknown}; the parts: {', '.join(known)}")
    if args.estimates:
        _estimates.update(json.loads(args.estimates.read_text()).get("seconds", {}))

    load_before = setting.load()
    started_at = datetime.now().astimezone()
    print(f"Benchmark matrix — {started_at.isoformat(timespec='minutes')} — {setting.machine()}; "
          f"load average {load_before}", flush=True)
    outcomes = {p.key: Outcome(p) for p in chosen}
    prepare(args, chosen, outcomes)
    runnable = [p for p in chosen if outcomes[p.key].status == "not run"]
    total = sum(estimate(args, p) for p in runnable)
    print(f"\nplan ({len(runnable)} of {len(chosen)} parts), budget {args.budget:g} min:")
    for part in chosen:
        o = outcomes[part.key]
        shown = f"~{estimate(args, part):4.0f} s" if o.status == "not run" else o.status
        print(f"  {part.key:22} {shown}")
    print(f"  estimate {total / 60:,.1f} min" + (" — over the budget: the last parts may be stopped or skipped"
                                                  if total > args.budget * 60 else ""), flush=True)
    if args.dry_run:
        return 0

    args.markdown.parent.mkdir(parents=True, exist_ok=True)
    logs = args.markdown.with_suffix("")
    deadline = time.monotonic() + args.budget * 60
    began = time.monotonic()
    ordered = [outcomes[p.key] for p in chosen]
    try:
        for part in runnable:
            outcome = outcomes[part.key]
            left = deadline - time.monotonic()
            if left < 5:
                outcome.status = "skipped: the budget was spent"
                continue
            allowance = min(max(estimate(args, part) * args.slack, 60), left)
            run_part(args, outcome, allowance, Path(f"{logs}-{part.key}.log"))
            print(f"== {part.title}: {outcome.status}, {outcome.seconds:,.0f} s", flush=True)
            write(args, ordered, started_at, load_before)
    except KeyboardInterrupt:
        for outcome in ordered:
            if outcome.status == "not run":
                outcome.status = "skipped: the matrix was interrupted"
        write(args, ordered, started_at, load_before, time.monotonic() - began)
        print(f"\ninterrupted; what was measured is in {args.markdown}")
        return 130
    write(args, ordered, started_at, load_before, time.monotonic() - began)
    print()
    print(summary(args, ordered, started_at, load_before, time.monotonic() - began))
    print(f"\nwritten: {args.markdown} (and {args.markdown.with_suffix('.json').name}, logs {logs.name}-*.log)")
    return 0 if all(o.status in ("complete", NO_POSTGRESQL) for o in ordered) else 1


if __name__ == "__main__":
    sys.exit(main())
