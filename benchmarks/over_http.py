"""The pages over real HTTP: gunicorn started here, a keep-alive client, and wrk where installed.

    .venv/bin/python benchmarks/over_http.py [--scale 1|4 | --tasks N --units N] [--database-url URL]
        [--repeat 30] [--warmup 3] [--workers 2] [--threads 1,4] [--seconds 10] [--connections 8]
        [--only dashboard,lagging] [--markdown FILE]

(Not named http.py: with benchmarks/ first on sys.path it would hide the standard library's http.)
gunicorn serves the benchmark database with `--workers` sync workers on a free loopback port;
the client logs in through the login form like a browser and keeps one connection open
(http.client). Each page is timed warm, then cold: right after unit 0 submits a report it owes
through the API over the same server (not timed), deleted again afterwards by this process.
The server's CPU per request is the workers' user+system time (/proc) over the warm runs: the
steadier figure when the machine is shared (on PostgreSQL the database server's CPU is not in it);
"CPU-bound req/s" is what that allows on min(workers, cores) cores with nothing else running.
Throughput of the HTML lists: wrk (2 threads, `--connections`, `--seconds`) with the session
cookie, else as many Python clients in threads. The server is stopped on exit, error or Ctrl-C.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import setting  # noqa: E402
from measure import markdown, ms, p95, pair, verdict  # noqa: E402

from tracker.bench import builder, shape  # noqa: E402
from tracker.bench.cli import BENCH_IDLE_MINUTES, BENCH_RATE_LIMIT, bench_app  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
LIST_THROUGHPUT = 100  # req/s on 2 sync workers (issue #21)


@dataclass(frozen=True)
class Page:
    key: str
    who: str          # office | unit | api (the office's bearer token)
    path: str         # may hold {plan}, {period}, {task}, {unit}
    budget: float     # p95 seconds, warm and cold
    is_list: bool = False   # an HTML list: its throughput is measured too


PAGES = [
    Page("dashboard", "office", "/supervision", 0.060, True),
    Page("lagging", "office", "/supervision/lagging", 0.060, True),
    Page("workspace", "unit", "/workspace", 0.150, True),
    Page("report-page", "unit", "/workspace/{period}", 0.100, True),
    Page("report-page-all", "unit", "/workspace/{period}?show=all", 0.150),
    Page("review-queue", "office", "/supervision/reviews?plan={plan}&period=all", 0.150, True),
    Page("compliance", "office", "/supervision/compliance?period={period}", 0.150),
    Page("task-page", "office", "/plans/{plan}/tasks/{task}", 0.150),
    Page("api-tasks", "api", "/api/v1/tasks?limit=100", 0.050),
    Page("api-lagging", "api", "/api/v1/lagging?limit=100", 0.050),
    Page("api-history", "api", "/api/v1/tasks/{task}?include=reports", 0.040),
    Page("api-task", "api", "/api/v1/tasks/{task}", 0.150),
    Page("api-compliance", "api", "/api/v1/compliance?period={period}", 0.150),
]


class Client:
    """One keep-alive connection with the cookies the server set, like one browser tab."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = self.cookie()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                if attempt == 2:
                    raise
                self.connection.close()  # the worker closed the idle connection: open a new one
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response.status, data

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def login(self, username: str) -> Client:
        status, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"username": username, "password": shape.PASSWORD, "csrf_token": token})
        status, _ = self.request("POST", "/login", form.encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"login as {username}: {status}")
        return self


class Server:
    """gunicorn in a process group of its own; stopped (and waited for) on leaving the block."""

    def __init__(self, url: str, *, workers: int, threads: int) -> None:
        self.url, self.workers, self.threads = url, workers, threads

    def __enter__(self) -> Server:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "TRACKER_DATABASE_URL": self.url, "TRACKER_TODAY": shape.TODAY.isoformat(),
               "TRACKER_SCHEDULER": "false", "TRACKER_API_RATE_LIMIT": BENCH_RATE_LIMIT, "TRACKER_LOG_LEVEL": "WARNING",
               "TRACKER_SESSION_IDLE_MINUTES": str(BENCH_IDLE_MINUTES)}
        env.pop("TRACKER_SMTP_HOST", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "--workers", str(self.workers), "--threads", str(self.threads), "--bind",
             f"127.0.0.1:{self.port}", "--timeout", "300", "--log-level", "warning", "tracker:create_app()"],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                status, _ = Client(self.port).request("GET", "/login")
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 120 s")

    def worker_pids(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    def cpu_seconds(self) -> float:
        """User + system time of the workers so far."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Figures:
    page: Page
    path: str = ""
    warm: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    cpu_per_request: float | None = None
    throughput: dict[int, float] = field(default_factory=dict)   # threads per worker → req/s
    paged: bool = True      # False: a list API that refused limit=100 (measured whole)
    note: str = ""
    missing: str = ""

    @property
    def ok(self) -> bool | None:
        if self.missing or not self.warm:
            return None
        fast = max(p95(self.warm), p95(self.cold) if self.cold else 0) < self.page.budget
        return fast and self.paged and all(rate >= LIST_THROUGHPUT for rate in self.throughput.values())


class Bench:
    """The data and accounts of one run: tokens, the write that makes a run cold, and its undoing."""

    def __init__(self, url: str) -> None:
        import items
        from sqlalchemy import select

        from tracker.accounts.models import User
        from tracker.db import db
        from tracker.plans.models import Plan
        from tracker.reporting.models import Period
        from tracker.reporting.periods import reporting_quarter

        self.items, self.app = items, bench_app(url)
        with self.app.app_context():
            self.before = items.snapshot()
            plan = db.session.scalar(select(Plan).where(Plan.key == shape.PLAN_KEY))
            self.plan_id = plan.id
            self.period = db.session.scalar(select(Period).where(
                Period.plan_id == plan.id, Period.key == reporting_quarter(shape.TODAY).key))
            self.unit_id = db.session.scalar(select(User.unit_id).where(User.username == builder.unit_user(0)))
            db.session.expunge_all()
        ctx = items.Context(self.app, 1, 0, self.plan_id, self.period, None, None, None, self.unit_id)
        self.tokens = {name: items.api_token(ctx, name) for name in (shape.SUPERVISOR, builder.unit_user(0))}
        self.owed = [o for o in items._unreported(ctx, 40, strict=False) if o[1] == self.period.key][:6]
        self.turn, self.mark = 0, {}

    def path(self, page: Page) -> str:
        return page.path.format(plan=self.plan_id, period=self.period.key, task="1", unit=self.unit_id)

    def write(self, client: Client) -> None:
        """Unit 0 submits a report it owes, through the server's API."""
        with self.app.app_context():
            self.mark = self.items.snapshot()
        number, key, duty = self.owed[self.turn % len(self.owed)]
        self.turn += 1
        body = {"status": "on_track", "percent": 50 if duty.value == "lead" else None,
                "progress": "按计划推进，完成阶段目标。", "problems": "", "next_steps": "继续推进。", "submit": True}
        status, answer = client.request("PUT", f"/api/v1/tasks/{number}/reports/{key}", json.dumps(body).encode(),
                                        {"Content-Type": "application/json", **self.bearer(builder.unit_user(0))})
        if status not in (200, 201):
            raise RuntimeError(f"PUT report {number} {key}: {status} {answer[:200]!r}")

    def undo(self) -> None:
        with self.app.app_context():
            self.items.restore(self.mark)

    def bearer(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def close(self) -> None:
        from tracker.db import db

        with self.app.app_context():
            self.items.restore(self.before)
            db.engine.dispose()


def timed(run, times: int, warmup: int, before=None, after=None) -> list[float]:
    out = []
    for index in range(warmup + times):
        if before:
            before()
        try:
            started = time.perf_counter()
            run()
            took = time.perf_counter() - started
        finally:
            if after:
                after()
        if index >= warmup:
            out.append(took)
    return out


def latency(server: Server, bench: Bench, page: Page, clients: dict[str, Client], *, repeat: int, warmup: int,
            cold: bool) -> Figures:
    figures = Figures(page, bench.path(page))
    client = clients["office" if page.who == "api" else page.who]
    headers = bench.bearer(shape.SUPERVISOR) if page.who == "api" else {}
    status, body = client.request("GET", figures.path, headers=headers)
    if status != 200 and "limit=100" in figures.path:
        # No paging yet: the whole list is what an integrator gets; measured, and not the budget's page.
        figures.path = figures.path.replace("?limit=100", "").replace("&limit=100", "")
        figures.paged = False
        status, body = client.request("GET", figures.path, headers=headers)
    if status != 200:
        figures.missing = f"n/a (not implemented: {status})"
        return figures

    def get():
        found, _ = client.request("GET", figures.path, headers=headers)
        if found != 200:
            raise RuntimeError(f"GET {figures.path}: {found}")

    cpu = server.cpu_seconds()
    figures.warm = timed(get, repeat, warmup)
    figures.cpu_per_request = (server.cpu_seconds() - cpu) / (repeat + warmup)
    if cold:
        writer = clients["unit"]
        figures.cold = timed(get, repeat, warmup, before=lambda: bench.write(writer), after=bench.undo)
    figures.note = f"{len(body) / 1024:,.0f} KB"
    return figures


def throughput(port: int, path: str, cookie: str, *, seconds: int, connections: int) -> tuple[float, str]:
    """Requests per second over `seconds`: wrk when installed, else Python clients in threads."""
    url = f"http://127.0.0.1:{port}{path}"

    def drain() -> None:
        Client(port).request("GET", path, headers={"Cookie": cookie})

    if shutil.which("wrk"):
        def wrk(duration: int) -> str:
            return subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s",
                                   "-H", f"Cookie: {cookie}", url], capture_output=True, text=True).stdout

        # Sync workers finish the requests wrk leaves open when it stops: one more request waits
        # for that backlog, so that the next run starts on an idle server.
        wrk(max(2, seconds // 4))  # not counted: every worker's first answer after the cold runs
        drain()
        out = wrk(seconds)
        drain()
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if bad:
            raise RuntimeError(f"wrk {path}: {bad.group(1)} answers not 2xx/3xx")
        return rate, "wrk"
    for _ in range(4):  # not counted: every worker's first answer after the cold runs
        Client(port).request("GET", path, headers={"Cookie": cookie})
    counts, stop = [0] * connections, time.monotonic() + seconds
    cookies = dict(part.split("=", 1) for part in cookie.split("; "))

    def hammer(index: int) -> None:
        client = Client(port)
        client.cookies = dict(cookies)
        while time.monotonic() < stop:
            status, _ = client.request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status}")
            counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started), "Python clients"


def run(url: str, pages: list[Page], args: argparse.Namespace, done=None) -> tuple[list[Figures], str]:
    """Every page's latency, then the lists' throughput, for each --threads; done(figures, tool) after each."""
    bench = Bench(url)
    tool = ""
    try:
        results: dict[str, Figures] = {}
        for threads in args.threads:
            with Server(url, workers=args.workers, threads=threads) as server:
                print(f"gunicorn: {args.workers} workers × {threads} threads on 127.0.0.1:{server.port}", flush=True)
                clients = {"office": Client(server.port).login(shape.SUPERVISOR),
                           "unit": Client(server.port).login(builder.unit_user(0))}
                for page in pages:
                    if threads == args.threads[0]:
                        print(f"  {page.key} …", end="", flush=True)
                        results[page.key] = latency(server, bench, page, clients, repeat=args.repeat,
                                                    warmup=args.warmup, cold=not args.warm_only)
                        print(f" {results[page.key].missing or 'done'}", flush=True)
                    if page.is_list and not results[page.key].missing and args.seconds:
                        rate, tool = throughput(server.port, results[page.key].path, clients[page.who].cookie(),
                                                seconds=args.seconds, connections=args.connections)
                        results[page.key].throughput[threads] = rate
                        print(f"  {page.key}: {rate:.1f} req/s ({tool}, {threads} threads per worker)", flush=True)
                    if done is not None:
                        done([results[p.key] for p in pages if p.key in results], tool)
        return [results[p.key] for p in pages], tool
    finally:
        bench.close()


def table(figures: list[Figures], args: argparse.Namespace) -> str:
    rates = [f"req/s, {args.workers} workers × {t} thread{'s' if t > 1 else ''}" for t in args.threads]
    header = ("page", "path", "warm p50 / p95 ms", "cold p50 / p95 ms", "server CPU ms/req", "CPU-bound req/s",
              *rates, "budget", "met")
    cores = min(args.workers, os.cpu_count() or 1)
    rows = []
    for f in figures:
        budget = f"p95<{f.page.budget * 1000:.0f}ms" + (f", ≥{LIST_THROUGHPUT} req/s" if f.page.is_list else "") + \
            ("" if f.paged else ", paged (not paged: whole list)")
        if f.missing:
            rows.append((f.page.key, f"`{f.path}`", f.missing, "", "", "", *["" for _ in rates], budget, ""))
            continue
        rows.append((f.page.key, f"`{f.path}`", pair(statistics.median(f.warm), p95(f.warm)),
                     pair(statistics.median(f.cold), p95(f.cold)) if f.cold else "–", ms(f.cpu_per_request),
                     f"{cores / f.cpu_per_request:.0f}" if f.cpu_per_request else "–",
                     *[f"{f.throughput[t]:.1f}" if t in f.throughput else "–" for t in args.threads],
                     budget, verdict(f.ok)))
    return markdown(header, rows)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    setting.add_arguments(parser)
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per page, warm and cold each")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--threads", default="1", help="threads per worker, one run each, e.g. 1,4 (default 1)")
    parser.add_argument("--seconds", type=int, default=10, help="throughput: seconds per list (0: none)")
    parser.add_argument("--connections", type=int, default=8, help="throughput: concurrent connections")
    parser.add_argument("--only", help="comma-separated page keys, e.g. dashboard,lagging")
    parser.add_argument("--warm-only", action="store_true", help="no cold runs")
    parser.add_argument("--markdown", type=Path, help="also write the table, with its header, to this file")
    args = parser.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]
    load_before = setting.load()
    url, scale = setting.chosen(args)
    pages = [p for p in PAGES if not args.only or p.key in args.only.split(",")]
    print(f"Plan Tracker over HTTP — {datetime.now().isoformat(timespec='minutes')} — {setting.machine()}; "
          f"load average {load_before}", flush=True)
    # SIGTERM ends the run like Ctrl-C: the finally blocks stop gunicorn and undo what was written.
    signal.signal(signal.SIGTERM, _interrupt)
    # And Ctrl-C even where it was ignored on start: a script's background job (as .ci/run starts
    # the tests) starts with SIGINT ignored, and Python then leaves it ignored.
    signal.signal(signal.SIGINT, _interrupt)
    def write(figures: list[Figures], tool: str) -> str:
        """The table so far (a long run interrupted still leaves what it measured)."""
        lines = setting.header(url, scale, f"Over HTTP (gunicorn {args.workers} sync workers, keep-alive client, "
                                           f"--repeat {args.repeat}; throughput {tool or '–'}, {args.connections} "
                                           f"connections, {args.seconds} s)", load_before)
        lines.append(table(figures, args))
        if args.markdown:
            args.markdown.write_text("\n".join(lines) + "\n")
        return "\n".join(lines)

    try:
        setting.ensure_data(url, scale)
        figures, tool = run(url, pages, args, done=write)
    except builder.NotABenchDatabase as refused:
        print(f"refused: {refused}")
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: server stopped, writes undone")
        return 130
    print()
    print(write(figures, tool))
    return 0


if __name__ == "__main__":
    sys.exit(main())
