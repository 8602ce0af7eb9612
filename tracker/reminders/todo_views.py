"""我的待办 (/todos) and the menu's count; the unit's home page shows the most urgent of the same list."""
from __future__ import annotations

from typing import cast

from flask import Blueprint, g, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from tracker import clock
from tracker.accounts.permissions import is_supervisor
from tracker.db import db
from tracker.reminders import todos

bp = Blueprint("reminders_todos", __name__)


@bp.get("/todos")
@login_required
def todos_page():
    return render_template("reminders/todos.html", todos=_mine())


@bp.app_context_processor
def todo_helpers():
    """todo_count() for the menu, my_todos() for /todos, urgent_todos(plan_id) for the home page:
    each computed at most once per request."""
    return {"todo_count": _count, "my_todos": _mine, "urgent_todos": _urgent}


def _count() -> int:
    if not current_user.is_authenticated:
        return 0
    if "todo_count" not in g:
        if request.endpoint == "reminders_todos.todos_page":
            g.todo_count = len(_mine())          # the page lists them all: no second query
        elif request.endpoint == "reporting.workspace" and (known := _waiting()) is not None:
            g.todo_count = known.count           # counted already for the home page's shortlist
        else:
            g.todo_count = todos.count_todos(db.session, current_user, today=clock.today())
    return g.todo_count


def _mine() -> list[todos.Todo]:
    if "todos" not in g:
        g.todos = todos.list_todos(db.session, current_user, today=clock.today())
    return g.todos


def _waiting() -> todos.Waiting | None:
    """A unit's 督办, extensions and per-quarter counts, read once for both the badge and the shortlist."""
    if getattr(current_user, "unit_id", None) is None or is_supervisor(current_user):
        return None
    if "todo_waiting" not in g:
        g.todo_waiting = todos.waiting(cast(Session, db.session), current_user.unit_id, today=clock.today())
    return g.todo_waiting


def _urgent(plan_id: int | None = None) -> todos.Shortlist:
    cache = g.setdefault("todo_shortlists", {})
    if plan_id not in cache:
        cache[plan_id] = todos.shortlist(cast(Session, db.session), current_user, today=clock.today(), plan_id=plan_id,
                                         known=_waiting())
    return cache[plan_id]
