"""Timing, the figures we print (median, p95) and the table."""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    number: int
    name: str
    budget: str
    times: list[float] = field(default_factory=list)          # seconds, one per measured run
    cpu_times: list[float] = field(default_factory=list)      # this process's CPU seconds, same runs
    floor_times: list[float] = field(default_factory=list)    # the hand-written SQL, same runs
    rate: float | None = None                                  # messages per second (item 8)
    note: str = ""
    missing: str = ""                                          # "n/a (not implemented)" and why
    error: str = ""
    ok: bool | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        return p95(self.times) if self.times else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_times) if self.cpu_times else None

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_times) if self.floor_times else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median


def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value at least 95 % of the runs did not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def repeat(run: Callable[[], object], *, times: int, warmup: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock seconds of each measured run; `cpu` collects this process's CPU seconds of each.

    CPU time hardly moves when other processes compete for the cores (wall time does): on a
    shared machine it is the steadier figure for in-process work (SQLite, templates, Python).
    """
    for _ in range(warmup):
        run()
    out = []
    for _ in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        out.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - started_cpu)
    return out


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.1f}"


def table(results: list[Result]) -> str:
    header = ("#", "measurement", "median ms", "p95 ms", "cpu ms", "floor ms", "ratio", "budget", "")
    rows = [header]
    for r in results:
        if r.missing or r.error:
            rows.append((str(r.number), r.name, r.missing or f"error: {r.error}", "", "", "", "", r.budget, ""))
            continue
        figure = f"{r.rate:.0f} msg/s" if r.rate is not None else ms(r.median)
        ratio = "–" if r.ratio is None else f"{r.ratio:.1f}"
        verdict = "" if r.ok is None else ("ok" if r.ok else "OVER")
        rows.append((str(r.number), r.name, figure, ms(r.p95) if r.rate is None else "", ms(r.cpu_median),
                     ms(r.floor_median), ratio, r.budget, verdict))
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(header))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"  {r.number}. {r.note}" for r in results if r.note]
    return "\n".join(lines + (["notes:"] + notes if notes else []))
