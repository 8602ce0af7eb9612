"""A wheel built from the checkout installs offline from a wheelhouse and serves the demo.

This is the intranet recipe of the README: wheels are gathered on a connected machine
(`pip wheel` / `pip download` against requirements.lock), then installed with
`pip install --no-index --find-links`, and `tracker demo` serves from outside any checkout.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_free

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
    """The connected machine's step: our wheel plus every runtime dependency at its locked version."""
    house = tmp_path_factory.mktemp("wheelhouse")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(house), str(ROOT))
    wheel = next(house.glob("plan_tracker-*.whl"))
    _run(sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(house),
         "-c", str(LOCK), f"{wheel}[prod]")
    return house


def test_the_wheel_carries_templates_static_files_seed_and_migrations(wheelhouse):
    import zipfile

    wheel = next(wheelhouse.glob("plan_tracker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("tracker/templates/base.html", "tracker/seed_tasks.json", "tracker/migrations/env.py",
                   "tracker/migrations/alembic.ini"):
        assert needed in names, f"{needed} is not in the wheel"
    assert any(name.startswith("tracker/static/vendor/") for name in names)
    assert any(name.endswith("translations/en/LC_MESSAGES/messages.mo") for name in names)


def test_an_offline_install_from_the_wheelhouse_serves_the_demo(wheelhouse, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "TRACKER_", "VIRTUAL_ENV", "PYTHON"))}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index, no find-links but ours
    _run(str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", str(wheelhouse),
         "plan-tracker[prod]", env=env)

    elsewhere = tmp_path / "elsewhere"  # not the checkout: the package must carry everything
    elsewhere.mkdir()
    port = _free_port()
    server = subprocess.Popen([str(venv / "bin" / "tracker"), "demo", "--port", str(port)], cwd=elsewhere,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = _wait_for(f"http://127.0.0.1:{port}/login", server)
        assert "登录" in page and "/static/" in page
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/tracker.css", timeout=10)
        assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


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
