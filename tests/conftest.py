"""Shared fixtures: one app per run, a clean database per test, users, CSRF tokens, query counts.

TRACKER_TEST_DATABASE_URL runs the suite on another database (CI: PostgreSQL);
by default it runs on a SQLite file in a temporary folder.
"""
from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, text

from tracker import create_app
from tracker.db import Base, db

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed_tasks.json"
TODAY = date(2024, 11, 20)
PASSWORD = "correct-horse-9"


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run of .ci/run skips tests that never touch the database under test."""
    if not os.environ.get("TRACKER_TEST_SKIP_DATABASE_FREE"):
        return
    skip = pytest.mark.skip(reason="database_free: already run against SQLite in the same CI run")
    for item in items:
        if item.get_closest_marker("database_free"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from tracker.config import normalise_database_url

    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "TRACKER_TODAY": TODAY,
        "TRACKER_UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
    })
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        _drop_alembic_version()
        Base.metadata.create_all(db.engine)
    return app


def _drop_alembic_version() -> None:
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test starts from empty tables (faster than re-creating the schema)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = list(reversed(Base.metadata.sorted_tables))
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(table.delete())


@pytest.fixture
def ctx(app):
    """An application context with the database session, for service-level tests."""
    with app.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def seed_data() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture
def plan(app, seed_data):
    """The Zhengzhou plan, seeded with its periods; returns the plan's id and task count."""
    from tracker.plans.cli import seed_plan

    with app.app_context():
        plan, _ = seed_plan(seed_data, actor="test")
        db.session.commit()
        return plan.id


LATER_TODAY = date(2026, 1, 5)  # the 14th plan's 2025Q4 is being reported; the 15th plan has started


@pytest.fixture
def later_plan(app, plan, seed_data, monkeypatch):
    """Two active plans on 2026-01-05: the seeded 2021–2025 plan and a 2026–2030 one with the same
    units and task numbers (the 15th plan loaded while the 14th's last quarter is reported).
    Returns (old plan id, new plan id)."""
    from tracker.plans.cli import seed_plan

    monkeypatch.setitem(app.config, "TRACKER_TODAY", LATER_TODAY)
    later = json.loads(json.dumps(seed_data))
    later["plan"].update(title="郑州市“十五五”知识产权发展规划", start_year=2026, end_year=2030)
    with app.app_context():
        new, _ = seed_plan(later, actor="test")
        db.session.commit()
        return plan, new.id


@pytest.fixture
def make_user(app):
    from tracker import clock
    from tracker.accounts.models import Role
    from tracker.accounts.services import create_user

    def make(username: str, role: str = "unit", unit: str | None = None, email: str = "") -> int:
        with app.app_context():
            user = create_user(db.session, username=username, role=Role(role), password=PASSWORD,
                               unit_name=unit, email=email or f"{username}@example.test", actor="test",
                               now=clock.now())
            db.session.commit()
            return user.id

    return make


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def token():
    """The CSRF token a page hands its forms: what a browser would post back."""

    def read(client, path: str = "/login") -> str:
        return csrf_from(client.get(path).get_data(as_text=True))

    return read


@pytest.fixture
def login(token):
    def do(client, username: str, password: str = PASSWORD):
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": token(client, "/login")})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the `with` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port in a thread, for the browser tests."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """The machine's Chromium under Playwright; skipped only where Chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies); `page.base` is the live server's address."""
    context = browser.new_context(locale="zh-CN", base_url=live_server)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.base = live_server
    yield tab
    context.close()


@pytest.fixture
def browser_login():
    def do(tab, username: str, password: str = PASSWORD) -> None:
        tab.goto("/login")
        tab.fill("input[name=username]", username)
        tab.fill("input[name=password]", password)
        tab.click("main form button[type=submit]")
        tab.wait_for_url(lambda url: "/login" not in url)

    return do
