"""The rules a clerk would recognise live in plain modules: no Flask, no database session."""
from __future__ import annotations

import subprocess
import sys

import pytest

PURE = [
    "tracker.planimport",
    "tracker.planimport.cli",
    "tracker.reporting.periods",
    "tracker.core.quarters",
    "tracker.core.figures",
    "tracker.core.messages",
    "tracker.core.workdays",
    "tracker.core.errors",
    "tracker.accounts.throttle",
    "tracker.core.inputs",
    "tracker.supervision.lights",
    "tracker.supervision.ladder",
    "tracker.supervision.light_rules",
    "tracker.supervision.light_record",
    "tracker.supervision.score_rules",
    "tracker.core.cells",
    "tracker.reminders.rules",
    "tracker.indicators.rules",
]


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_import_neither_flask_nor_sqlalchemy(module):
    code = (f"import sys, {module}; "
            "bad = sorted(m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy') if m in sys.modules); "
            "print(','.join(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


# ---- one way to refuse: require(<predicate>) -----------------------------------------------------

def refusals_outside_require(source: str, filename: str = "<string>") -> list[str]:
    """Where a module refuses with 403 itself: abort(403) (or flask.abort), or werkzeug's Forbidden,
    anywhere except the body of tracker.accounts.permissions.require."""
    import ast

    tree = ast.parse(source, filename)
    allowed: set[int] = set()
    if filename.endswith("tracker/accounts/permissions.py"):
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "require":
                allowed |= {id(inner) for inner in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in allowed:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        first = node.args[0] if node.args else None
        if (name == "abort" and isinstance(first, ast.Constant) and first.value == 403) or name == "Forbidden":
            found.append(f"{filename}:{node.lineno}")
    return found


def test_the_refusal_scanner_finds_a_planted_abort_403_and_spares_require():
    planted = "from flask import abort\n\ndef view(user):\n    if user.role == 'unit':\n        abort(403)\n"
    assert refusals_outside_require(planted, "tracker/plans/views.py") == ["tracker/plans/views.py:5"]
    assert refusals_outside_require("import flask\nflask.abort(403)\n", "x.py") == ["x.py:2"]
    assert refusals_outside_require("from werkzeug.exceptions import Forbidden\nraise Forbidden()\n", "x.py") == ["x.py:2"]
    assert refusals_outside_require("abort(404)\n", "x.py") == []
    require = "def require(allowed):\n    if not allowed:\n        abort(403)\n"
    assert refusals_outside_require(require, "tracker/accounts/permissions.py") == []
    assert refusals_outside_require(require, "tracker/plans/permissions.py") == ["tracker/plans/permissions.py:3"]


def test_entry_points_refuse_only_through_permissions_require():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = [hit for path in sorted((root / "tracker").rglob("*.py"))
             for hit in refusals_outside_require(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())]
    assert found == [], "refuse with require(can_…(user, …)) from a permissions module instead"
