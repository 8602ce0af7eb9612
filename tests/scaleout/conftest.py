"""Several hosts on one machine: real gunicorn processes on loopback ports, sharing the suite's database
(and Redis where a test asks for it), as web hosts behind a proxy would."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

# Each xdist worker counts in its own Redis database (gw0: 2, gw1: 3, …), so their limits never add up.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_URL = os.environ.get("TRACKER_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{2 + _WORKER}")
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis the hosts share (TRACKER_TEST_REDIS_URL); the test is skipped when none answers."""
    redis = pytest.importorskip("redis", reason="the redis package is not installed (pip install '.[prod]')")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def hosts(app, database_url, tmp_path) -> Iterator:
    """hosts(n, **environment) → n base URLs, each its own gunicorn process on the suite's database."""
    pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install '.[prod]')")
    started: list[subprocess.Popen] = []

    def start(count: int, **settings: str) -> list[str]:
        environment = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "test-secret",
                       "TRACKER_TODAY": app.config["TRACKER_TODAY"].isoformat(),
                       "TRACKER_UPLOAD_DIR": str(tmp_path / "uploads"), **settings}
        logs = [tmp_path / f"host{len(started) + n}.log" for n in range(count)]
        for log in logs:
            with log.open("w") as stderr:     # a file, not a pipe: a full pipe would stall the host
                started.append(subprocess.Popen([sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "1",
                                                 "-b", "127.0.0.1:0", "tracker:create_app()"],
                                                env=environment, cwd=tmp_path, stderr=stderr))
        return [_ready(process, log) for process, log in zip(started[-count:], logs)]

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready(process: subprocess.Popen, log: Path, timeout: float = 120) -> str:
    """The process's address once it answers a page (gunicorn names its port in its log)."""
    deadline = time.monotonic() + timeout
    while not (match := LISTENING.search(log.read_text())):
        assert process.poll() is None, f"gunicorn ended before listening:\n{log.read_text()}"
        assert time.monotonic() < deadline, "gunicorn did not start listening"
        time.sleep(0.1)
    url = match.group(1)
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/login", timeout=30).status_code == 200:
                return url
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered:\n{log.read_text()}")

