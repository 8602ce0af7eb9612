"""A wheel built from the checkout installs offline from a wheelhouse and serves the demo.

This is the intranet recipe of the README: wheels are gathered on a connected machine
(`pip wheel` / `pip download` against requirements.lock), then installed with
`pip install --no-index --find-links`, and `tracker demo --reuse` serves the suite's demo database
from outside any checkout.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tracker.demo.accounts import PASSWORD

from .conftest import ON_THE_DEMO, built_once

pytestmark = [pytest.mark.database_free, ON_THE_DEMO]  # the wheelhouse too: gathered once

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def _run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """The connected machine's step: our wheel plus every runtime dependency at its locked version
    (gathered once per run, for all xdist workers)."""

    def gather(house: Path) -> None:
        house.mkdir()
        _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(house), str(ROOT))
        wheel = next(house.glob("plan_tracker-*.whl"))
        _run(sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(house),
             "-c", str(LOCK), f"{wheel}[prod]")

    return built_once(tmp_path_factory, "wheelhouse", gather)


def test_the_wheel_carries_templates_static_files_seed_and_migrations(wheelhouse):
    import zipfile

    wheel = next(wheelhouse.glob("plan_tracker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("tracker/templates/base.html", "tracker/seed_tasks.json", "tracker/migrations/env.py",
                   "tracker/migrations/alembic.ini"):
        assert needed in names, f"{needed} is not in the wheel"
    assert any(name.startswith("tracker/static/vendor/") for name in names)
    assert any(name.endswith("translations/en/LC_MESSAGES/messages.mo") for name in names)


def test_an_offline_install_from_the_wheelhouse_serves_the_demo(wheelhouse, demo_database, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "TRACKER_", "VIRTUAL_ENV", "PYTHON"))}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index, no find-links but ours
    _run(str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", str(wheelhouse),
         "plan-tracker[prod]", env=env)

    elsewhere = tmp_path / "elsewhere"  # not the checkout: the package must carry everything
    elsewhere.mkdir()
    # The demo's build is the suite's (tests/demo cover it); the installed `tracker demo --reuse`
    # serves the same database from the installed package's own instance folder.
    instance = _run(str(venv / "bin" / "python"), "-c", "from tracker import create_app; print(create_app().instance_path)",
                    cwd=elsewhere, env=env).stdout.strip()
    assert Path(instance).is_relative_to(venv), instance
    shutil.copy(demo_database, Path(instance) / "demo.db")
    port = _free_port()
    server = subprocess.Popen([str(venv / "bin" / "tracker"), "demo", "--reuse", "--port", str(port)], cwd=elsewhere,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/login", server)
        assert "登录" in page and "/static/" in page
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/tracker.css", timeout=10)
        assert css.status == 200
        _login_lands_on_the_plan(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=20)
    assert "(reused)" in out, out


def _login_lands_on_the_plan(base: str) -> None:
    """The supervision office's demo account logs in and its dashboard shows the seeded plan."""
    import http.cookiejar
    import re
    import urllib.parse

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{base}/login", timeout=30).read().decode("utf-8")
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"username": "duchashi", "password": PASSWORD, "csrf_token": csrf}).encode()
    landed = opener.open(f"{base}/login", data=data, timeout=60)
    page = landed.read().decode("utf-8")
    assert "/login" not in landed.url and "知识产权" in page, page[:1000]


def _wait_for(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"tracker demo exited {server.returncode}:\n{server.stderr.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(1)
    pytest.fail("tracker demo did not serve within 240 s")
