"""Plan import: a plan file (text, .docx, .xlsx) → sections, tasks, units and indicators, with problems as data.

No web or database here; the tracker loads the result (seed_tasks.json) elsewhere.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .parser import parse_plan
from .problems import Problem
from .resolve import KnownUnit
from .result import ImportResult
from .roster import Roster, RosterError, Unit, load_roster
from .source import read_document

__all__ = ["ImportResult", "KnownUnit", "Problem", "Roster", "RosterError", "Unit", "import_document",
           "load_roster", "parse_plan", "read_plan"]


def import_document(data: bytes, roster: Roster | None = None, known: Sequence[KnownUnit] = ()) -> ImportResult:
    """The one path from a file's bytes to a result, for `tracker import-plan` and the web preview alike."""
    text, problems = read_document(data)
    if any(p.code == "wrong_kind" for p in problems):
        return ImportResult(problems=problems)
    result = parse_plan(text, roster, known)
    result.problems[:0] = problems
    return result


def read_plan(path: str | Path, roster: Roster | None = None) -> ImportResult:
    """Reads and parses a plan file; what cannot be read is reported, and parsing goes on."""
    return import_document(Path(path).read_bytes(), roster)
