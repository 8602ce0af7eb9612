"""The request's unit of work (issue #20): views never commit; the end of the request does, here.

- A request whose view (or a before_request hook) raised, an HTTPException from abort() included,
  keeps nothing: the session is rolled back as the exception reaches Flask (so the error page is
  rendered on a clean session) and the boundary commits nothing.
- A response the view *returned* is committed, whatever its 2xx–4xx status: a form shown again
  with its errors keeps what the view meant to keep (a failed login's audit entry, which the throttle
  counts; the rows of a sheet that were valid). Two exceptions: a 403 (a refusal leaves only the
  audit log's note of it) and a 5xx keep nothing; `doom()` makes any request keep nothing.
- A view that catches a refusal to show it on its page runs that write in `savepoint()`: the
  refusal undoes that write alone, not what the request did before it.
- A commit that fails (a unique key taken meanwhile, a stale version, PostgreSQL's serialization
  failure), or a flush in the view that does, keeps nothing of the request; the person gets the 409 page (or the API's error JSON)
  in their language instead of the page or redirect the view chose, and the request's own flashes
  ("saved") are dropped. What earlier requests saved is untouched.
- `on_commit(fn)`: fn runs once the commit succeeded (files the saved data no longer refers to).
- After the boundary, what records the request itself is written in a fresh transaction committed
  at teardown: the audit log's note of a denial or a download (tracker/audit/views.py) and
  `afterwards(fn)` writes (a token's last use), kept whatever became of the view's changes.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g, session
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.core.errors import DomainError
from tracker.db import db

log = logging.getLogger(__name__)

RETRY_STATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock — another writer won


def doom() -> None:
    """This request keeps nothing it wrote, whatever its response."""
    g.tracker_doomed = True


def on_commit(callback: Callable[[], object]) -> None:
    """Runs `callback` after the request's commit succeeded; never if it rolled back."""
    g.setdefault("tracker_on_commit", []).append(callback)


def afterwards(callback: Callable[[], object]) -> None:
    """Runs `callback` once the request's own transaction ended (either way); what it writes is kept."""
    g.setdefault("tracker_afterwards", []).append(callback)


@contextmanager
def savepoint() -> Iterator[None]:
    """A SAVEPOINT around one write: an exception leaving the block undoes that write alone.

    pysqlite opens its transaction only before a write, and a SAVEPOINT outside one is released by
    committing: so on SQLite the request's transaction is begun first."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN")
    with db.session.begin_nested():
        yield


def init_app(app: Flask) -> None:
    """Wired by create_app after every other hook: Flask runs after_request hooks last-registered
    first, so the boundary ends the transaction before the audit log's hook, the remember cookie's
    and the security headers' run, and those see (and dress) the response it may have replaced."""
    handle = app.handle_user_exception

    def handle_user_exception(error: Exception):
        _discard()
        if _lost_a_race(error):  # a flush in the view met the same race as a commit can
            return _refused(error)
        return handle(error)

    app.handle_user_exception = handle_user_exception  # type: ignore[method-assign,assignment]
    app.before_request_funcs.setdefault(None, []).insert(0, _count_flashes)
    app.after_request(_end_of_request)
    app.teardown_request(_settle)


def _discard() -> None:
    g.tracker_doomed = True
    db.session.rollback()


def _count_flashes() -> None:
    g.tracker_flashes = len(session.get("_flashes", ()))


def _end_of_request(response: Response) -> Response:
    if g.get("tracker_ended"):  # Flask runs the hooks again for the 500 page of a hook that raised
        return response
    g.tracker_ended = True
    if g.get("tracker_doomed") or response.status_code == 403 or response.status_code >= 500:
        db.session.rollback()
    else:
        try:
            db.session.commit()
        except Exception as error:  # whatever refused the commit, the person gets a page
            db.session.rollback()
            g.tracker_on_commit = []
            response = _refused(error)
        _run(g.pop("tracker_on_commit", ()))
    _run(g.pop("tracker_afterwards", ()))
    return response


def _run(callbacks) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the data is saved: the person still gets their page
            log.exception("after the commit: %r failed", callback)


def _refused(error: Exception) -> Response:
    from tracker.errors import render_error

    flashes = session.get("_flashes")
    if flashes:  # "saved" was not true after all
        session["_flashes"] = flashes[:g.get("tracker_flashes", 0)]
    if isinstance(error, DomainError):
        from flask_babel import gettext

        body = render_error(error.status, gettext(error.template, **error.params))
    elif _lost_a_race(error):
        log.warning("commit refused: %s", type(getattr(error, "orig", None) or error).__name__)
        body = render_error(409)
    else:
        log.error("commit failed", exc_info=error)
        body = render_error(500)
    return current_app.make_response(body)


def _lost_a_race(error: Exception) -> bool:
    """Another writer got there first: a unique key, a row's version, a serialization failure, a lock."""
    if isinstance(error, (IntegrityError, StaleDataError)):
        return True
    if isinstance(error, DBAPIError):
        if getattr(error.orig, "sqlstate", None) in RETRY_STATES:
            return True
        return isinstance(error, OperationalError) and "database is locked" in str(error.orig)
    return False


def _settle(error: BaseException | None = None) -> None:
    """Commits what was recorded after the boundary; a failure is logged, the response already sent."""
    if error is not None or not g.get("tracker_ended"):
        return  # Flask-SQLAlchemy's teardown rolls back
    try:
        db.session.commit()
    except Exception:
        log.exception("the request's record could not be saved")
        db.session.rollback()
