"""Shared fixtures: the apps, a database that forgets each test, users, CSRF tokens, query counts.

TRACKER_TEST_DATABASE_URL runs the suite on another database (CI: PostgreSQL);
by default it runs on a SQLite file in a temporary folder.

How a test gets its database (the fast suite, issue #20):
- Three databases, each built once per run: the *empty* one (`database_url`) and, beside it, two
  seeded ones (`<name>__plan`, `<name>__later_plan` on PostgreSQL; files on SQLite) where the
  Zhengzhou plan (and, in the second, the 2026–2030 plan of `later_plan`) is seeded and committed
  once. `app` is the app on the seeded database for a test that asks (directly or through another
  fixture) for `later_plan` or `plan`, and the app on the empty one otherwise: a test that does not
  ask for the plan never sees it, and nothing else differs between them.
- Each test runs in one transaction that is rolled back at its end. Every session the code opens
  (in the test, a fixture or a request) is bound to the test's one connection and joins its
  transaction with a SAVEPOINT (`join_transaction_mode="create_savepoint"`), so the code's own
  `commit()` releases a savepoint and its `rollback()` returns to one; the next test never sees
  what this one wrote. SQLite gets the pysqlite recipe (BEGIN emitted by us) so that its
  savepoints nest inside the outer transaction.
- Tests whose data must be seen by other connections (threads of a live server, other
  processes, concurrent sessions) are marked `real_commits` (browser tests, `live_server` and
  `database_url` imply it): they run on the empty database with real commits, seed the plan
  themselves if they ask for it, and every table is wiped after them, as every test used to be.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event, select, text

from tracker import create_app
from tracker.db import Base, db

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed_tasks.json"
TODAY = date(2024, 11, 20)
PASSWORD = "correct-horse-9"


@pytest.fixture(scope="session", autouse=True)
def _cheaper_scrypt():
    """Passwords stay scrypt hashes, at n=2**10 instead of werkzeug's 2**15: every make_user and
    login hashes once, and at full cost those hashes were minutes of the suite's time."""
    from werkzeug.security import generate_password_hash

    from tracker.accounts import models

    def cheaper(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
        return generate_password_hash(password, method="scrypt:1024:8:1" if method == "scrypt" else method,
                                      salt_length=salt_length)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(models, "generate_password_hash", cheaper)
        yield


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run of .ci/run skips tests that never touch the database under test."""
    if not os.environ.get("TRACKER_TEST_SKIP_DATABASE_FREE"):
        return
    skip = pytest.mark.skip(reason="database_free: already run against SQLite in the same CI run")
    for item in items:
        if item.get_closest_marker("database_free"):
            item.add_marker(skip)


WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1"… under `pytest -n N`; None in one process


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The file `name`, built once per run by `build(path)` and shared by every xdist worker: the
    first worker to ask builds it under a lock, the others wait and take it (pytest-xdist's
    documented pattern). Built to a temporary name and renamed, so a half-built file is never taken."""
    if WORKER is None:
        path = tmp_path_factory.mktemp(name) / name
        build(path)
        return path
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above every worker's own
    path = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = shared / f"{name}.building"
            shutil.rmtree(building, ignore_errors=True)
            building.unlink(missing_ok=True)
            build(building)
            building.rename(path)
    return path


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The empty database: what `app` runs on for a test that does not ask for the plan.

    On PostgreSQL each xdist worker gets its own, `<database>_gwN`, made here and dropped at the end
    (its `__plan` and `__later_plan` companions follow its name)."""
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    if WORKER is None:
        yield url
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from tracker.config import normalise_database_url

    base = make_url(normalise_database_url(url))
    database = f"{base.database}_{WORKER}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    yield make_url(url).set(database=database).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


def _build_app(url: str, uploads: Path):
    """An app on `url` with a fresh schema, its SQLite connections made able to nest savepoints."""
    from tracker.config import normalise_database_url

    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "TRACKER_TODAY": TODAY,
        "TRACKER_UPLOAD_DIR": str(uploads),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": None,
    })
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _let_sqlite_nest_savepoints(engine)
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        Base.metadata.create_all(engine)
    return app


def _let_sqlite_nest_savepoints(engine) -> None:
    """pysqlite begins transactions late and on its own; the SQLAlchemy recipe takes that over,
    so that BEGIN comes first and a SAVEPOINT nests in it instead of starting (and committing) one."""

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")

    engine.dispose()  # connections made before the recipe go


@pytest.fixture(scope="session")
def _uploads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def _empty_app(database_url, _uploads):
    return _build_app(database_url, _uploads)


class SharedPlans:
    """A database where plans were seeded and committed once: its app and the plans' ids."""

    def __init__(self, app, plan_ids: list[int]) -> None:
        self.app = app
        self.plan_ids = plan_ids


def _later_seed(seed: dict) -> dict:
    """The 2026–2030 plan: the seeded plan's units and task numbers, the next five years."""
    later = json.loads(json.dumps(seed))
    later["plan"].update(title="郑州市“十五五”知识产权发展规划", start_year=2026, end_year=2030)
    return later


def _shared_database(database_url: str, uploads: Path, folder: Path, name: str, seeds: list[dict]):
    """Seeds `seeds` once into the database `name` beside the empty one; yields SharedPlans, drops it after."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from tracker.config import normalise_database_url
    from tracker.plans.cli import seed_plan

    admin = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{folder / f'{name}.db'}"
    else:
        main = make_url(normalise_database_url(database_url))
        database = f"{main.database}__{name}"
        admin = create_engine(main, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        url = main.set(database=database).render_as_string(hide_password=False)
    app = _build_app(url, uploads)
    with app.app_context():
        ids = []
        for seed in seeds:
            plan, _ = seed_plan(seed, actor="test")
            db.session.commit()
            ids.append(plan.id)
        db.session.remove()
    yield SharedPlans(app, ids)
    if admin is not None:
        with app.app_context():
            db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _shared_plan(database_url, _uploads, tmp_path_factory):
    """The Zhengzhou plan, seeded once."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    yield from _shared_database(database_url, _uploads, tmp_path_factory.mktemp("plan"), "plan", [seed])


@pytest.fixture(scope="session")
def _shared_later_plan(database_url, _uploads, tmp_path_factory):
    """The Zhengzhou plan and the 2026–2030 one after it (`later_plan`), seeded once."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    yield from _shared_database(database_url, _uploads, tmp_path_factory.mktemp("later"), "later_plan",
                                [seed, _later_seed(seed)])


def _real_commits(item) -> bool:
    """Whether the test needs real commits (see the module docstring)."""
    return (item.get_closest_marker("real_commits") is not None or item.get_closest_marker("browser") is not None
            or "live_server" in item.fixturenames or "database_url" in item.fixturenames)


def _shared(request) -> SharedPlans | None:
    """The seeded database a test runs on: the one with both plans for `later_plan`, with the one
    plan for `plan`; none for a test that asks for neither, or that needs real commits."""
    item = request.node
    if _real_commits(item):
        return None
    for fixture in ("later_plan", "plan"):
        if fixture in item.fixturenames:
            return request.getfixturevalue(f"_shared_{fixture}")
    return None


@pytest.fixture
def app(request):
    """The application: on a seeded database if the test asks for `plan` or `later_plan`, else on the empty one."""
    shared = _shared(request)
    return shared.app if shared else request.getfixturevalue("_empty_app")


@pytest.fixture(autouse=True)
def _isolated_database(request):
    """Each test in a transaction rolled back at its end; `real_commits` tests: tables wiped after."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    if _real_commits(request.node):
        yield
        _wipe(app)
        return
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    sessions = db.session.session_factory
    sessions.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        for option in ("bind", "join_transaction_mode"):
            sessions.kw.pop(option, None)
        with app.app_context():
            db.session.remove()
        outer.rollback()
        connection.close()


def _wipe(app) -> None:
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


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, except that a connection it is bound to wins over the app's engine
    (its own get_bind always answers the engine), so that sessions can join the test's transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db.session.session_factory.class_ = _ConnectionBoundSession


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
def plan(request, app, seed_data):
    """The Zhengzhou plan, seeded with its periods; returns the plan's id.

    Shared: seeded once per run (see the module docstring); a `real_commits` test seeds its own."""
    shared = _shared(request)
    if shared:
        return shared.plan_ids[0]
    from tracker.plans.cli import seed_plan

    with app.app_context():
        plan, _ = seed_plan(seed_data, actor="test")
        db.session.commit()
        return plan.id


LATER_TODAY = date(2026, 1, 5)  # the 14th plan's 2025Q4 is being reported; the 15th plan has started


@pytest.fixture
def later_plan(request, app, plan, seed_data, monkeypatch):
    """Two active plans on 2026-01-05: the seeded 2021–2025 plan and a 2026–2030 one with the same
    units and task numbers (the 15th plan loaded while the 14th's last quarter is reported).
    Returns (old plan id, new plan id). Shared like `plan`."""
    from tracker.plans.cli import seed_plan

    monkeypatch.setitem(app.config, "TRACKER_TODAY", LATER_TODAY)
    shared = _shared(request)
    if shared:
        return plan, shared.plan_ids[1]
    with app.app_context():
        new, _ = seed_plan(_later_seed(seed_data), actor="test")
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


# The test's own transaction shows as savepoints (and SQLite's BEGIN): not the code's queries.
_TRANSACTION_CONTROL = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN)\b", re.IGNORECASE)


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
            if not _TRANSACTION_CONTROL.match(statement):
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


# The tests of the demo database, on one xdist worker: it builds the demo while the other worker goes on
# with the rest (in separate groups, a second worker would wait on built_once's lock).
ON_THE_DEMO = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """The demo's SQLite database (`build_demo`, what `tracker demo` serves), built once per run
    (once for all xdist workers).
    Shared: copy the file before writing to it."""
    from tracker.demo.cli import build_demo

    def build(path: Path) -> None:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "TRACKER_TODAY": TODAY,
                          "SECRET_KEY": "demo-test", "TESTING": True})
        build_demo(app)
        with app.app_context():
            db.engine.dispose()  # the last connection closing writes the WAL into the file: a copy is whole

    return built_once(tmp_path_factory, "demo.db", build)


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


@pytest.fixture
def bearer(app, make_user):
    """bearer(username, role, unit) → headers carrying a fresh token of a new user."""
    from tracker import clock
    from tracker.accounts.models import User
    from tracker.api.tokens import create_token
    from tracker.db import db

    def make(username: str, role: str = "unit", unit: str | None = None) -> dict[str, str]:
        make_user(username, role=role, unit=unit)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            _, secret = create_token(db.session, user=user, name="test", actor="test", now=clock.now())
            db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return make
