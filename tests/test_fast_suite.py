"""The suite's own isolation (tests/conftest.py): what a test writes, the next test never sees.

The tests come in pairs that run in file order: the first writes, the second looks.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, delete, func, select

from tracker.accounts.models import User
from tracker.db import db
from tracker.plans.models import Plan, Task

from .conftest import SEED


def test_a_commit_is_seen_by_the_next_session_of_the_same_test(app, make_user):
    user_id = make_user("firstwriter", role="supervisor")
    with app.app_context():  # a new session, as the next request would have
        assert db.session.get(User, user_id).username == "firstwriter"


def test_the_next_test_does_not_see_that_commit(ctx):
    assert ctx.scalar(select(func.count(User.id)).where(User.username == "firstwriter")) == 0


def test_a_test_may_delete_from_the_shared_plan(ctx, plan):
    ctx.execute(delete(Task).where(Task.plan_id == plan, Task.number != "1"))
    ctx.commit()
    assert ctx.scalar(select(func.count(Task.id)).where(Task.plan_id == plan)) == 1


def test_the_next_test_gets_the_shared_plan_whole(ctx, plan):
    seeded = len(json.loads(SEED.read_text(encoding="utf-8"))["tasks"])
    assert ctx.scalar(select(func.count(Task.id)).where(Task.plan_id == plan)) == seeded


def test_a_test_that_does_not_ask_for_the_plan_sees_no_plan(ctx):
    assert ctx.scalar(select(func.count(Plan.id))) == 0


def test_count_queries_counts_the_code_s_statements_not_the_test_s_savepoints(ctx, count_queries):
    with count_queries() as counted:
        ctx.scalar(select(func.count(User.id)))
        ctx.commit()                              # releases a savepoint; the next query opens another
        ctx.scalar(select(func.count(User.id)))
    assert len(counted) == 2, counted.statements


@pytest.mark.real_commits
def test_a_real_commits_test_writes_what_another_connection_reads(app, make_user):
    make_user("seenelsewhere", role="supervisor")
    with app.app_context():
        url = db.engine.url
    elsewhere = create_engine(url)  # its own connection, as another process would have
    try:
        with elsewhere.connect() as connection:
            assert connection.scalar(select(User.username).where(User.username == "seenelsewhere"))
    finally:
        elsewhere.dispose()


def test_after_a_real_commits_test_the_tables_are_empty_again(ctx):
    assert ctx.scalar(select(func.count(User.id))) == 0
