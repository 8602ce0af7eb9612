"""The audit log people can read and trust: events with address and agent, the page, exports, the chain."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, text

from tests.conftest import PASSWORD
from tracker.audit.cli import audit as audit_cli
from tracker.core.audit import AuditEntry
from tracker.db import db

AGENT = {"User-Agent": "Assessor-Browser/1.0"}


def actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def auditor(client, plan, make_user, login):
    make_user("eye", role="auditor")
    login(client, "eye")
    return client


def test_logins_failures_logouts_and_denials_are_recorded_with_address_and_agent(app, plan, make_user, token):
    make_user("clerk", unit="市林业局")
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=AGENT["User-Agent"], REMOTE_ADDR="10.1.2.3")
    client.post("/login", data={"username": "clerk", "password": "wrong-Pass-1", "csrf_token": token(client)})
    client.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token(client)})
    assert client.get("/admin/users").status_code == 403
    client.post("/logout", data={"csrf_token": token(client, "/settings")})
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ["login.failure", "login.success", "access.denied", "logout"])).order_by(AuditEntry.id)).all()
        assert [r.action for r in rows] == ["login.failure", "login.success", "access.denied", "logout"]
        assert {(r.address, r.agent) for r in rows} == {("10.1.2.3", "Assessor-Browser/1.0")}
        assert rows[1].role == "unit" and rows[1].unit_label == "市林业局" and rows[1].actor_label == "clerk"
        assert rows[2].new["path"] == "/admin/users"


def test_a_lockout_and_its_unlock_are_recorded(app, client, plan, make_user, login, token):
    make_user("clerk", unit="市林业局")
    make_user("guard", role="security")
    for _ in range(6):
        client.post("/login", data={"username": "clerk", "password": "nope-Nope-1", "csrf_token": token(client)})
    assert "login.locked" in actions(app)
    login(client, "guard")
    page = client.get("/admin/security").get_data(as_text=True)
    assert "clerk" in page
    client.post("/admin/security/unlock", data={"username": "clerk", "csrf_token": token(client, "/admin/security")})
    assert "login.unlock" in actions(app)
    other = app.test_client()
    assert other.post("/login", data={"username": "clerk", "password": PASSWORD,
                                      "csrf_token": token(other)}).status_code == 302


def test_a_download_names_the_file_and_the_period(app, auditor):
    response = auditor.get("/audit/export.csv?action=login")
    assert response.status_code == 200
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).one()
        assert entry.new["file"].startswith("审计日志_") and entry.new["query"] == {"action": "login"}


def test_the_page_filters_by_actor_and_action_and_shows_an_intact_chain(app, auditor, make_user, token):
    make_user("clerk", unit="市林业局")
    other = app.test_client()
    other.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token(other)})
    page = auditor.get("/audit?actor=clerk&action=login.success").get_data(as_text=True)
    assert "哈希链完整" in page
    assert "共 1 条" in page and "市林业局" in page


def test_the_page_is_paged_in_a_fixed_number_of_queries(app, auditor, count_queries):
    with app.app_context():
        from tracker import clock
        from tracker.core import audit
        for n in range(120):
            audit.record(db.session, actor="cli", action="seed.update", object_type="x", object_id=n, at=clock.now())
        db.session.commit()
    with count_queries() as first:
        assert "1 / 3" in auditor.get("/audit").get_data(as_text=True)
    with count_queries() as third:
        assert "3 / 3" in auditor.get("/audit?page=3").get_data(as_text=True)
    assert len(first) == len(third) <= 12


def test_exports_are_formula_safe_in_csv_and_xlsx(app, plan, make_user, token, auditor):
    make_user("clerk", unit="市林业局")
    evil = app.test_client()
    evil.environ_base.update(HTTP_USER_AGENT="=HYPERLINK(\"http://x\")")
    evil.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token(evil)})
    rows = list(csv.reader(io.StringIO(auditor.get("/audit/export.csv?actor=clerk").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0][0] == "编号" and rows[1][11] == "'=HYPERLINK(\"http://x\")"
    book = load_workbook(io.BytesIO(auditor.get("/audit/export.xlsx?actor=clerk").data))
    sheet = book.worksheets[0]
    assert sheet.cell(2, 12).value == "'=HYPERLINK(\"http://x\")" and sheet.cell(2, 12).data_type == "s"


def _seed_chain(app, count=5):
    from tracker import clock
    from tracker.core import audit
    with app.app_context():
        for n in range(count):
            audit.record(db.session, actor="cli", action="seed.update", object_type="Task", object_id=n,
                         new={"n": n}, at=clock.now())
        db.session.commit()
        return [e.id for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_verify_passes_an_untouched_chain(app):
    _seed_chain(app)
    result = app.test_cli_runner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 0 and "chain intact: 5 entries" in result.output


def test_verify_finds_an_edited_row(app):
    ids = _seed_chain(app)
    with app.app_context():
        db.session.execute(text("UPDATE audit_entry SET actor_label = 'someone-else' WHERE id = :id"), {"id": ids[2]})
        db.session.commit()
    result = app.test_cli_runner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 1 and f"chain broken at entry {ids[2]}: it was changed" in result.output


def test_verify_finds_a_deleted_row(app):
    ids = _seed_chain(app)
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": ids[1]})
        db.session.commit()
    result = app.test_cli_runner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 1 and f"chain broken at entry {ids[2]}: it follows a deleted entry" in result.output


def test_verify_finds_a_forged_row_inserted_out_of_order(app):
    from tracker.core.auditchain import entry_hash
    ids = _seed_chain(app)
    with app.app_context():
        first = db.session.get(AuditEntry, ids[0])
        forged = AuditEntry(at=first.at, actor_label="intruder", action="user.create", object_type="User",
                            object_id="9", role="", unit_label="", address="", agent="", prev_hash=first.hash)
        forged.hash = entry_hash(forged.content(), first.hash)  # a well-made hash, but in the wrong place
        db.session.add(forged)
        db.session.commit()
        forged_id = forged.id
    result = app.test_cli_runner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 1 and f"chain broken at entry {forged_id}: it was inserted out of order" in result.output


def test_the_page_warns_when_the_chain_is_broken(app, auditor):
    ids = _seed_chain(app)
    with app.app_context():
        db.session.execute(text("UPDATE audit_entry SET new = NULL WHERE id = :id"), {"id": ids[3]})
        db.session.commit()
    assert f"哈希链断裂：第 {ids[3]} 号记录" in auditor.get("/audit").get_data(as_text=True)


def test_prune_refuses_entries_younger_than_the_minimum(app):
    _seed_chain(app)
    result = app.test_cli_runner().invoke(audit_cli, ["prune", "--before", "2024-11-01"])
    assert result.exit_code == 1 and "至少保留 180 天" in result.output
    assert len(actions(app)) == 5


def test_prune_removes_old_entries_records_itself_and_the_chain_still_verifies(app):
    from tracker.core import audit
    with app.app_context():
        for days in (400, 300, 200, 10):
            audit.record(db.session, actor="cli", action="seed.update", object_type="x", object_id=days,
                         at=datetime(2024, 11, 20, 9, 0).astimezone() - timedelta(days=days))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(audit_cli, ["prune", "--before", "2024-03-01"])
    assert result.exit_code == 0 and "removed 2 entries" in result.output
    assert actions(app) == ["seed.update", "seed.update", "audit.prune"]
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0
    with app.app_context():
        from tracker import clock
        audit.record(db.session, actor="cli", action="seed.update", object_type="x", object_id=1, at=clock.now())
        db.session.commit()
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0


def test_audit_list_and_export_on_the_command_line(app, tmp_path):
    _seed_chain(app, 3)
    runner = app.test_cli_runner()
    listed = runner.invoke(audit_cli, ["list", "--action", "seed"])
    assert listed.exit_code == 0 and listed.output.count("seed.update") == 3
    out = tmp_path / "audit.xlsx"
    assert runner.invoke(audit_cli, ["export", "--format", "xlsx", "-o", str(out)]).exit_code == 0
    assert load_workbook(out).worksheets[0].max_row == 4


def test_a_changed_security_setting_is_recorded(app):
    from tracker import clock
    from tracker.accounts.settings import note_changes
    with app.app_context():
        config = dict(app.config)
        assert note_changes(db.session, config, now=clock.now()) is True
        assert note_changes(db.session, config, now=clock.now()) is False
        config["TRACKER_SESSION_IDLE_MINUTES"] = 30
        assert note_changes(db.session, config, now=clock.now()) is True
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.old == {"TRACKER_SESSION_IDLE_MINUTES": 15} and last.new["TRACKER_SESSION_IDLE_MINUTES"] == 30


def test_the_page_shows_the_last_full_verification_and_checks_the_newest_entries(app, auditor):
    _seed_chain(app, 3)
    assert "尚未运行完整校验" in auditor.get("/audit").get_data(as_text=True)
    assert app.test_cli_runner().invoke(audit_cli, ["verify"]).exit_code == 0
    page = auditor.get("/audit").get_data(as_text=True)
    assert "最近一次完整校验" in page and "完整，共" in page
    from tracker.audit.queries import check_chain
    with app.app_context():
        tail = check_chain(db.session, newest=2)
        assert tail.intact and tail.checked == 2


def test_entries_appended_in_one_transaction_around_a_rolled_back_savepoint_still_chain(app):
    """The head is remembered within a transaction; an entry undone with its savepoint is not chained to."""
    from tracker import clock
    from tracker.core import audit

    with app.app_context():
        now = clock.now()
        audit.record(db.session, actor="cli", action="one", at=now)
        savepoint = db.session.begin_nested()
        audit.record(db.session, actor="cli", action="undone", at=now)
        savepoint.rollback()
        audit.record(db.session, actor="cli", action="two", at=now)
        audit.record(db.session, actor="cli", action="three", at=now)
        db.session.commit()
        audit.record(db.session, actor="cli", action="four", at=now)   # a new transaction reads the head again
        db.session.commit()
    assert actions(app) == ["one", "two", "three", "four"]
    result = app.test_cli_runner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 0 and "chain intact: 4 entries" in result.output
