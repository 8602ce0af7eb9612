"""Plan import: a plan's text (UTF-8) → sections, tasks, units and indicators, with problems as data.

No web or database here; the tracker loads the result (seed_tasks.json) elsewhere.
"""
from __future__ import annotations

from pathlib import Path

from .parser import parse_plan
from .problems import Problem
from .result import ImportResult
from .roster import Roster, RosterError, Unit, load_roster
from .source import read_plan_text

__all__ = ["ImportResult", "Problem", "Roster", "RosterError", "Unit", "load_roster", "parse_plan", "read_plan"]


def read_plan(path: str | Path, roster: Roster | None = None) -> ImportResult:
    """Reads and parses a plan file; bytes that are not UTF-8 are reported, and parsing goes on."""
    text, problems = read_plan_text(path)
    result = parse_plan(text, roster)
    result.problems[:0] = problems
    return result
