"""Two writers at once never fork the chain (PostgreSQL: the append takes an advisory lock)."""
from __future__ import annotations

import threading

import pytest

from tracker.audit.queries import check_chain
from tracker.db import db

# Threads with their own connections must see each other's commits.
pytestmark = [pytest.mark.postgres_only, pytest.mark.real_commits]


def test_two_writers_at_once_keep_one_chain(app, database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("needs PostgreSQL")
    from tracker import clock
    from tracker.core import audit

    start = threading.Barrier(2)

    def write(name: str) -> None:
        with app.app_context():
            start.wait()
            for n in range(20):
                audit.record(db.session, actor=name, action="seed.update", object_type="x", object_id=n,
                             at=clock.now())
                db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        verdict = check_chain(db.session)
        assert verdict.intact and verdict.checked == 40
