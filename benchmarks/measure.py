"""Timing, the figures we print (median, p95, warm and cold) and the table."""
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
    times: list[float] = field(default_factory=list)          # seconds, one per measured run (warm)
    cpu_times: list[float] = field(default_factory=list)      # this process's CPU seconds, same runs
    cold_times: list[float] = field(default_factory=list)     # each right after a write behind the page
    cold_cpu_times: list[float] = field(default_factory=list)
    floor_times: list[float] = field(default_factory=list)    # the hand-written SQL, same runs
    rate: float | None = None                                  # messages per second (delivery)
    paged: bool | None = None                                  # a list API answered one page (None: not a list)
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
    def cold_median(self) -> float | None:
        return statistics.median(self.cold_times) if self.cold_times else None

    @property
    def cold_p95(self) -> float | None:
        return p95(self.cold_times) if self.cold_times else None

    @property
    def worst_p95(self) -> float | None:
        """The p95 a budget is held to: the cold one where there is one (both must pass)."""
        found = [v for v in (self.p95, self.cold_p95) if v is not None]
        return max(found) if found else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_times) if self.cpu_times else None

    @property
    def cold_cpu_median(self) -> float | None:
        return statistics.median(self.cold_cpu_times) if self.cold_cpu_times else None

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_times) if self.floor_times else None

    @property
    def ratio(self) -> float | None:
        """Application time / floor, on the cold path where measured: the floor caches nothing."""
        measured = self.cold_median if self.cold_times else self.median
        if measured is None or not self.floor_median:
            return None
        return measured / self.floor_median


def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value at least 95 % of the runs did not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def repeat(run: Callable[[], object], *, times: int, warmup: int, cpu: list[float] | None = None,
           before: Callable[[], object] | None = None, after: Callable[[], object] | None = None) -> list[float]:
    """Wall-clock seconds of each measured run; `cpu` collects this process's CPU seconds of each.

    `before` and `after` run around every run (warm-up too) and are not timed: the write that
    makes a run cold, and its undoing.
    CPU time hardly moves when other processes compete for the cores (wall time does): on a
    shared machine it is the steadier figure for in-process work (SQLite, templates, Python).
    """
    out = []
    for index in range(warmup + times):
        if before is not None:
            before()
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            took, took_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        finally:
            if after is not None:
                after()
        if index >= warmup:
            out.append(took)
            if cpu is not None:
                cpu.append(took_cpu)
    return out


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:,.1f}"


def pair(median: float | None, high: float | None) -> str:
    return "–" if median is None else f"{ms(median)} / {ms(high)}"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")


HEADER = ("#", "measured", "warm median / p95 ms", "cold median / p95 ms", "CPU ms warm / cold", "floor ms",
          "cold / floor", "budget", "met")


def row(r: Result) -> tuple[str, ...]:
    if r.missing or r.error:
        return (str(r.number), r.name, r.missing or f"error: {r.error}", "", "", "", "", r.budget, "")
    warm = f"{r.rate:,.0f} msg/s" if r.rate is not None else pair(r.median, r.p95)
    cpu = "–" if r.cpu_median is None else ms(r.cpu_median) + ("" if r.cold_cpu_median is None
                                                                else f" / {ms(r.cold_cpu_median)}")
    ratio = "–" if r.ratio is None else f"{r.ratio:.1f}"
    return (str(r.number), r.name, warm, pair(r.cold_median, r.cold_p95), cpu, ms(r.floor_median), ratio,
            r.budget, verdict(r.ok))


def markdown(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A GitHub table, columns padded so that it also reads in a terminal."""
    everything = [header, *rows]
    widths = [max(len(line[i]) for line in everything) for i in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) + " |" for line in everything]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    notes = [f"- {r.number}. {r.note}" for r in results if r.note]
    return markdown(HEADER, [row(r) for r in results]) + ("\n\nnotes:\n" + "\n".join(notes) if notes else "")
