"""我的待办 (/todos) and the menu's count; the unit's home page shows the same list."""
from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_login import current_user, login_required

from tracker import clock
from tracker.db import db
from tracker.reminders import todos

bp = Blueprint("reminders_todos", __name__)


@bp.get("/todos")
@login_required
def todos_page():
    return render_template("reminders/todos.html", todos=_mine())


@bp.app_context_processor
def todo_helpers():
    """todo_count() for the menu, my_todos() for the home page: computed at most once per request."""
    return {"todo_count": _count, "my_todos": _mine}


# Pages that show the whole list: the menu's count is its length (no second query).
LISTING = {"reminders_todos.todos_page", "reporting.workspace"}


def _count() -> int:
    if not current_user.is_authenticated:
        return 0
    if "todo_count" not in g:
        g.todo_count = len(_mine()) if request.endpoint in LISTING else todos.count_todos(
            db.session, current_user, today=clock.today())
    return g.todo_count


def _mine() -> list[todos.Todo]:
    if "todos" not in g:
        g.todos = todos.list_todos(db.session, current_user, today=clock.today())
    return g.todos
