"""One transaction boundary per request (issue #20, tracker/transaction.py): what a person notices.

A saved form is there on the next request; a request that failed after writing leaves nothing;
a clash found only at commit gives the friendly page (or the API's JSON) and loses nothing saved
before; a 403 still leaves its audit entry. Most of these go through a small blueprint of probe
views on an app of its own (the shared test app has served requests: no blueprint can join it),
on the test's database; a few go through the application's real pages.
"""
from __future__ import annotations

import pytest
from flask import Blueprint, abort, flash, get_flashed_messages, redirect, request
from sqlalchemy import func, select

from tracker import create_app
from tracker.accounts.units import Unit, UnitKind
from tracker.core import audit
from tracker.core.audit import AuditEntry
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.transaction import doom, on_commit, savepoint

from .conftest import TODAY

probe = Blueprint("probe", __name__, url_prefix="/probe")
api_probe = Blueprint("api_probe", __name__, url_prefix="/api/v1/probe")
AFTER_COMMIT: list[str] = []


def _add(name: str) -> Unit:
    unit = Unit(name=name, kind=UnitKind.DEPARTMENT)
    db.session.add(unit)
    return unit


@probe.post("/units/<name>")
def add_unit(name: str):
    """Adds a unit and flushes it; `then` says how the request ends after that."""
    _add(name)
    db.session.flush()
    on_commit(lambda: AFTER_COMMIT.append(name))
    then = request.args.get("then", "")
    if then == "abort":
        abort(409)
    if then == "deny":
        abort(403)
    if then == "crash":
        raise RuntimeError("a bug after the write")
    if then == "doom":
        doom()
    if then == "form":
        return "shown again with its errors", 422
    flash("已保存")
    return redirect("/probe/units")


@probe.post("/clash/<name>")
def clash(name: str):
    """Adds a unit whose name may be taken; nothing flushes it before the boundary's commit."""
    _add(name)
    on_commit(lambda: AFTER_COMMIT.append(name))
    flash("已保存")
    return redirect("/probe/units")


@probe.post("/flush-clash/<name>")
def flush_clash(name: str):
    """The clash met by a flush inside the view (a query autoflushes) rather than at commit."""
    _add(name)
    db.session.flush()
    return "not reached"


@probe.post("/refused/<kept>/<undone>")
def refused(kept: str, undone: str):
    """A write kept, then a refusal shown on the page: the refused write alone is undone."""
    _add(kept)
    try:
        with savepoint():
            _add(undone)
            db.session.flush()
            raise Invalid("名称不可用。")
    except Invalid:
        return "refused, shown on the form", 422
    return "not reached"


@probe.post("/savepoint-then-abort/<name>")
def savepoint_then_abort(name: str):
    """A savepoint as the request's first write, released, then the view fails: nothing is kept."""
    with savepoint():
        _add(name)
    abort(409)


@probe.get("/units")
def units():
    names = db.session.scalars(select(Unit.name).order_by(Unit.name)).all()
    return {"units": names, "flashes": get_flashed_messages()}


@api_probe.post("/clash/<name>")
def api_clash(name: str):
    _add(name)
    return {"created": name}, 201


@probe.get("/audited")
def audited():
    """A download-like answer whose audit note comes after the boundary."""
    audit.record(db.session, actor=None, action="probe.read", object_type="path", object_id="probe", at=_now())
    return "ok"


def _now():
    from tracker import clock

    return clock.now()


@pytest.fixture(scope="module")
def probe_app(_empty_app, _uploads):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _empty_app.config["SQLALCHEMY_DATABASE_URI"],
        "TRACKER_TODAY": TODAY,
        "TRACKER_UPLOAD_DIR": str(_uploads),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
        "WTF_CSRF_ENABLED": False,
    })
    app.register_blueprint(probe)
    app.register_blueprint(api_probe)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def web(app, probe_app):
    """A client of the probe app; `app` binds its sessions to the test's transaction."""
    AFTER_COMMIT.clear()
    return probe_app.test_client()


def _names(client) -> list[str]:
    return client.get("/probe/units").get_json()["units"]


def test_a_saved_form_is_there_on_the_next_request_and_its_flash_says_so(web):
    response = web.post("/probe/units/市科技局")
    assert response.status_code == 302
    page = web.get("/probe/units").get_json()
    assert page == {"units": ["市科技局"], "flashes": ["已保存"]}
    assert AFTER_COMMIT == ["市科技局"]


@pytest.mark.parametrize("then, status", [("abort", 409), ("deny", 403), ("crash", 500), ("doom", 302)])
def test_a_request_that_fails_after_writing_leaves_nothing_behind(web, then, status):
    response = web.post(f"/probe/units/市科技局?then={then}")
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)
    assert _names(web) == []
    assert AFTER_COMMIT == []  # what waits for the commit never ran


def test_a_form_shown_again_with_its_errors_keeps_what_the_view_wrote(web):
    """A returned 4xx commits: how a failed login keeps the entry the throttle counts."""
    assert web.post("/probe/units/市科技局?then=form").status_code == 422
    assert _names(web) == ["市科技局"]


def test_a_refusal_shown_on_the_page_undoes_the_refused_write_alone(web):
    assert web.post("/probe/refused/市科技局/市商务局").status_code == 422
    assert _names(web) == ["市科技局"]


def test_a_name_taken_at_commit_gives_the_friendly_page_and_loses_nothing_saved(web):
    web.post("/probe/units/市科技局")
    web.get("/probe/units")  # the first save's flash is shown and gone
    AFTER_COMMIT.clear()
    response = web.post("/probe/clash/市科技局")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "数据已被他人修改，请刷新后重试。" in page and "Traceback" not in page
    assert web.get("/probe/units").get_json() == {"units": ["市科技局"], "flashes": []}  # no "saved"
    assert AFTER_COMMIT == []


def test_a_name_taken_met_by_a_flush_in_the_view_gives_the_same_page(web):
    web.post("/probe/units/市科技局")
    response = web.post("/probe/flush-clash/市科技局")
    assert response.status_code == 409
    assert "数据已被他人修改，请刷新后重试。" in response.get_data(as_text=True)
    assert _names(web) == ["市科技局"]


def test_the_api_answers_a_clash_at_commit_with_its_error_json_in_the_callers_language(web):
    assert web.post("/api/v1/probe/clash/市科技局").status_code == 201
    response = web.post("/api/v1/probe/clash/市科技局", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert response.get_json() == {"error": {"code": 409, "message":
                                             "Someone else changed this in the meantime; reload and try again."}}
    assert _names(web) == ["市科技局"]


def test_a_refused_request_keeps_its_audit_entry_but_not_what_it_wrote(web):
    assert web.post("/probe/units/市科技局?then=deny").status_code == 403
    assert _names(web) == []
    with web.application.app_context():
        denied = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert [(e.object_id, e.new["path"]) for e in denied] == [("/probe/units/市科技局", "/probe/units/市科技局")]


def test_what_a_request_records_about_itself_is_kept(web):
    assert web.get("/probe/audited").status_code == 200
    with web.application.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "probe.read")) == 1


@pytest.mark.real_commits
def test_with_real_commits_only_what_succeeded_is_in_the_database(web):
    """Real commits on the database itself (on SQLite without the tests' transaction recipe, as in
    production): a savepoint released as the first write of a failed request is not kept."""
    assert web.post("/probe/units/市科技局").status_code == 302
    assert web.post("/probe/savepoint-then-abort/市商务局").status_code == 409
    assert _names(web) == ["市科技局"]
    assert web.post("/probe/clash/市科技局").status_code == 409
    assert web.post("/probe/refused/市发改委/市商务局").status_code == 422
    assert _names(web) == ["市发改委", "市科技局"]


def test_a_user_the_administrator_created_is_listed_on_the_next_request(app, client, make_user, login, token):
    make_user("sysadmin", role="admin")
    login(client, "sysadmin")
    form = {"username": "newclerk", "role": "supervisor", "password": "A-good-password", "email": "c@example.com",
            "display_name": "", "unit": "", "csrf_token": token(client, "/admin/users")}
    assert client.post("/admin/users", data=form).status_code == 302
    assert "newclerk" in client.get("/admin/users").get_data(as_text=True)
    again = client.post("/admin/users", data={**form, "email": "d@example.com"})  # the name is taken
    assert again.status_code == 200 and "Traceback" not in again.get_data(as_text=True)
    with app.app_context():
        from tracker.accounts.models import User

        assert db.session.scalars(select(User.email).where(User.username == "newclerk")).all() == ["c@example.com"]


def test_a_unit_clerk_refused_the_audit_log_leaves_an_audit_entry(app, client, make_user, login):
    make_user("clerk", role="supervisor")
    login(client, "clerk")
    assert client.get("/audit").status_code == 403
    with app.app_context():
        paths = db.session.scalars(select(AuditEntry.object_id).where(AuditEntry.action == "access.denied")).all()
    assert paths == ["/audit"]
