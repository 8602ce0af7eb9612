"""The benchmark tools run end to end at a tiny scale, on their own SQLite file.

What is checked is what someone running them relies on: every item and page gets a row
(a figure, "n/a" or a verdict, never a crash), the runs leave the data as they found it,
and the gunicorn that over_http.py starts is gone when it ends — also when interrupted.
No timing is asserted: the figures of a tiny plan mean nothing.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.database_free, pytest.mark.xdist_group("bench")]  # one worker builds its database

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--tasks", "60", "--units", "8"]


def _tool(name: str, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_LOG_LEVEL": "WARNING"}
    env.pop("TRACKER_BENCH_DATABASE_URL", None)
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _rows(path: Path) -> dict[str, int]:
    """Rows per table: what a benchmark adds must be gone when it ends."""
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _gunicorns(path: Path) -> list[str]:
    """gunicorn processes serving this database (the tool passes it in their environment)."""
    found = []
    for pid in subprocess.run(["pgrep", "-f", "gunicorn"], capture_output=True, text=True).stdout.split():
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except (FileNotFoundError, PermissionError):
            continue
        if str(path).encode() in environ:
            found.append(pid)
    return found


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """The tiny benchmark plan, built once with `tracker bench-data`."""
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    tracker = Path(sys.executable).with_name("tracker")
    built = subprocess.run([str(tracker), "bench-data", *TINY, "--sections", "4", "--database-url", f"sqlite:///{path}"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    return path


def test_run_gives_every_item_a_row_with_a_verdict_and_leaves_the_data_as_it_was(database, tmp_path):
    before = _rows(database)
    table = tmp_path / "table.md"
    done = _tool("run.py", "--database-url", f"sqlite:///{database}", *TINY, "--repeat", "2", "--warmup", "0",
                 "--messages", "40", "--markdown", str(table))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pasted = table.read_text()
    assert "Load average (1, 5, 15 min) before" in pasted and "nproc" in pasted
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\| (\d+) +\|.*$", pasted, re.M)}
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.pop(0)
    assert sorted(rows) == [number for number, *_ in run.PLAN]
    assert not [row for row in rows.values() if "error:" in row]
    # Every item has either its verdict or says why there is no figure.
    assert all(row.rstrip(" |").endswith(("yes", "**no**")) or "n/a (not implemented)" in row
               for row in rows.values())
    assert _rows(database) == before


def test_over_http_measures_every_page_and_stops_its_server(database, tmp_path):
    before = _rows(database)
    table = tmp_path / "http.md"
    done = _tool("over_http.py", "--database-url", f"sqlite:///{database}", *TINY, "--repeat", "2", "--warmup", "0",
                 "--seconds", "1", "--connections", "2", "--markdown", str(table))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pasted = table.read_text()
    for path in ("`/supervision`", "`/supervision/lagging`", "`/workspace`", "`/api/v1/tasks"):  # paged or not
        assert path in pasted
    lines = [line for line in pasted.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].split("|")]
    rate = next(i for i, name in enumerate(header) if name.startswith("req/s"))
    lists = [[cell.strip() for cell in line.split("|")] for line in lines if "≥100 req/s" in line]
    assert lists and all(re.fullmatch(r"[\d,]+\.\d", row[rate]) for row in lists)  # a throughput figure each
    assert not _gunicorns(database)
    assert _rows(database) == before


def test_over_http_interrupted_stops_its_server_and_undoes_its_writes(database):
    before = _rows(database)
    env = {**os.environ, "TRACKER_LOG_LEVEL": "WARNING"}
    tool = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "over_http.py"), "--database-url",
                             f"sqlite:///{database}", *TINY, "--repeat", "200", "--seconds", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in tool.stdout:
            if "dashboard" in line:  # the server is up and measuring
                break
        time.sleep(1)
        assert _gunicorns(database)
        tool.send_signal(signal.SIGINT)
        out, _ = tool.communicate(timeout=120)
    finally:
        if tool.poll() is None:
            tool.kill()
    assert tool.returncode == 130, out[-2000:]
    assert "interrupted" in out
    assert not _gunicorns(database)
    assert _rows(database) == before


def _matrix_dir(database: Path, tmp_path: Path) -> Path:
    """A folder as matrix.py expects it: the tiny plan as its 1× bench.db (a copy: the module's stays as built)."""
    folder = tmp_path / "bench"
    folder.mkdir()
    with sqlite3.connect(database) as source, sqlite3.connect(folder / "bench.db") as copy:
        source.backup(copy)
    return folder


def _summary(pasted: str) -> dict[str, str]:
    """The matrix's summary table: part → status."""
    found = {}
    for line in pasted.split("####")[0].splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and cells[0] != "part":
            found[cells[0]] = cells[2]
    return found


def test_matrix_runs_its_parts_into_one_file_builds_what_is_missing_and_leaves_the_data(database, tmp_path):
    folder = _matrix_dir(database, tmp_path)
    before = _rows(folder / "bench.db")
    out = tmp_path / "out" / "matrix.md"
    done = _tool("matrix.py", "--sqlite", str(folder), *TINY, "--build", "--parts", "inproc-sqlite-4,http-sqlite-1",
                 "--repeat", "2", "--warmup", "0", "--seconds", "1", "--messages", "40", "--markdown", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "estimate" in done.stdout.split("== ")[0]   # the plan is printed before anything runs
    pasted = out.read_text()
    assert _summary(pasted) == {"In-process, SQLite, 4×": "complete", "Over HTTP, SQLite, 1×": "complete"}
    assert "Load average (1, 5, 15 min) before" in pasted.split("####")[0]
    inproc = pasted.split("#### In-process, SQLite, 4×")[1].split("####")[0]
    http = pasted.split("#### Over HTTP, SQLite, 1×")[1]
    for section in (inproc, http):
        assert "Load average (1, 5, 15 min) before" in section and "nproc" in section
    # 4× is four times the given size, built by --build; its fewer runs are stated in the header.
    assert "240 tasks, 32 units" in inproc and "(item 3: 2 runs" in inproc
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import matrix
    finally:
        sys.path.pop(0)
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\| (\d+) +\|.*$", inproc, re.M)}
    assert sorted(rows) == sorted(int(n) for n in matrix.INPROC_4.split(","))
    assert all(row.rstrip(" |").endswith(("yes", "**no**")) or "n/a (not implemented)" in row
               for row in rows.values())
    assert "`/supervision/lagging`" in http and "≥100 req/s" in http
    timings = json.loads(out.with_suffix(".json").read_text())
    assert set(timings["seconds"]) == {"inproc-sqlite-4", "http-sqlite-1"}
    assert not _gunicorns(folder / "bench.db")
    assert _rows(folder / "bench.db") == before


def test_matrix_stops_a_part_at_the_budget_and_skips_what_has_no_time_left(database, tmp_path):
    folder = _matrix_dir(database, tmp_path)
    before = _rows(folder / "bench.db")
    out = tmp_path / "matrix.md"
    done = _tool("matrix.py", "--sqlite", str(folder), *TINY, "--parts", "http-sqlite-1,inproc-sqlite-1",
                 "--budget", "0.25", "--repeat", "5000", "--seconds", "0", "--markdown", str(out))
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    statuses = _summary(out.read_text())
    assert statuses["Over HTTP, SQLite, 1×"].startswith("stopped at its allowance (15 s)")
    assert statuses["In-process, SQLite, 1×"] == "skipped: the budget was spent"
    assert not _gunicorns(folder / "bench.db")
    assert _rows(folder / "bench.db") == before


def test_matrix_migrates_an_older_bench_database_instead_of_rebuilding_it(database, tmp_path):
    folder = _matrix_dir(database, tmp_path)
    path = folder / "bench.db"
    before = _rows(path)
    head = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{path}"}
    tracker = Path(sys.executable).with_name("tracker")
    downgraded = subprocess.run([str(tracker), "db", "downgrade", "--", "-1"], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)
    assert downgraded.returncode == 0, downgraded.stderr[-3000:]
    older = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert older != head
    done = _tool("matrix.py", "--sqlite", str(folder), *TINY, "--dry-run", "--parts", "inproc-sqlite-1,inproc-sqlite-4",
                 "--markdown", str(tmp_path / "matrix.md"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"data: migrated {older} → {head}" in done.stdout
    assert "building" not in done.stdout
    # What the newest migration adds, it fills: every table holds what the build put there.
    assert _rows(path) == before
    # No 4× data and no --build: that part is skipped, saying how to build it.
    assert re.search(r"inproc-sqlite-4 +skipped: no benchmark plan here \(build: tracker bench-data --tasks 240", done.stdout)
    assert not (tmp_path / "matrix.md").exists()   # a dry run measures and writes nothing
