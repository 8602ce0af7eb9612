"""Kept lights: after every kind of write, in another process, and when midnight passes a due date, the
lights the pages read are the ones the full recompute gives."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tracker import clock
from tracker.core.errors import DomainError
from tracker.db import db
from tracker.plans import lifecycle
from tracker.plans import services as plan_services
from tracker.reporting import extensions, schedule
from tracker.reporting import services as reporting
from tracker.reporting.models import Extension, Report, Status
from tracker.supervision import milestones
from tracker.supervision import services as office
from tracker.supervision.jobs import relight_job
from tracker.supervision.light_record import load_facts, load_light, rules_key
from tracker.supervision.lights import Colour, LightRules
from tracker.supervision.models import Escalation, Flag, TaskLight
from tracker.supervision.queries import _evaluate, evaluate
from tracker.supervision.settings import current_rules, save_rules

from .conftest import UNITS, World, small_seed

TODAY = date(2024, 11, 20)
OFFICE = "督查室"
NUMBERS = ["1", "2", "3", "4"]
KEYS = ["2024Q2", "2024Q3", "2024Q4"]


def recomputed(session, plan_id: int, today: date) -> dict:
    """Every task's (facts, light) from the full recompute, the rules in force."""
    evaluated = _evaluate(session, plan_id, today=today, rules=current_rules(session), task_ids=None)
    return {task_id: (e.facts, e.light) for task_id, e in evaluated.items()}


def kept(session, plan_id: int, today: date) -> dict:
    """Every task's (facts, light) as stored, only where the row holds on `today` with the rules in force."""
    from tracker.plans.models import Plan, Task

    plan = session.get(Plan, plan_id)
    day = min(today, plan.archived_on) if plan.archived_on else today
    key = rules_key(current_rules(session))
    rows = session.scalars(select(TaskLight).join(Task, Task.id == TaskLight.task_id).where(Task.plan_id == plan_id))
    return {row.task_id: (load_facts(row.facts), load_light(row.light)) for row in rows
            if row.rules_key == key and row.computed_on <= day and (row.valid_until is None or day < row.valid_until)}


def assert_kept_current(session, plan_id: int, today: date = TODAY) -> None:
    evaluate(session, plan_id, today=today)        # a read in the same transaction rewrites its pending writes first
    assert kept(session, plan_id, today) == recomputed(session, plan_id, today)


# ---- the writes, each through the service the office or a unit uses ------------------------

def _report(world: World, number: str, unit: str, key: str) -> Report | None:
    task, unit_row, period = world.task(number), world.unit(unit), world.period(key)
    return db.session.scalar(select(Report).where(Report.task_id == task.id, Report.unit_id == unit_row.id,
                                                  Report.period_id == period.id))


def save(world, number, unit, key, variant=0):
    from tracker.plans.models import Assignment, Duty, current_assignment

    task, unit_row = world.task(number), world.unit(unit)
    lead = db.session.scalar(select(Assignment.id).where(Assignment.task_id == task.id, Assignment.unit_id == unit_row.id,
                                                         Assignment.duty == Duty.LEAD, current_assignment()))
    status = [Status.ON_TRACK, Status.LAGGING, Status.DONE, Status.NOT_STARTED][variant % 4]
    percent = 15 + 30 * (variant % 3) if lead else None       # only a lead reports the percent
    return reporting.save_report(db.session, task=task, unit=unit_row, period=world.period(key),
                                 data=reporting.ReportInput(status, percent, "进展", "", "下一步"),
                                 expected_version=None, actor=unit, now=clock.now(), today=TODAY)[0]


def submit(world, number, unit, key, variant=0):
    report = save(world, number, unit, key, variant)
    reporting.submit_report(db.session, report, actor=unit, now=clock.now(), today=TODAY)


def accept(world, number, unit, key, variant=0):
    report = _report(world, number, unit, key)
    if report is not None:
        office.accept_report(db.session, report, actor=OFFICE, now=clock.now())


def return_(world, number, unit, key, variant=0):
    report = _report(world, number, unit, key)
    if report is not None:
        office.return_report(db.session, report, comment="请补充", actor=OFFICE, now=clock.now())


def move_due_date(world, number, unit, key, variant=0):
    period = world.period(key)
    schedule.override_due_date(db.session, period, period.ends_on + timedelta(days=1 + 30 * variant), actor=OFFICE,
                               now=clock.now())


def assign(world, number, unit, key, variant=0):
    others = [world.unit(name) for name in UNITS if name != unit][: variant % 3]
    plan_services.set_task_units(db.session, world.task(number), [world.unit(unit)], others, actor=OFFICE,
                                 now=clock.now())


def close(world, number, unit, key, variant=0):
    lifecycle.close_task(db.session, world.task(number), note="已办结", closed_on=TODAY - timedelta(days=40 * variant),
                         actor=OFFICE, now=clock.now())


def reopen(world, number, unit, key, variant=0):
    lifecycle.reopen_task(db.session, world.task(number), actor=OFFICE, today=TODAY, now=clock.now())


def flag(world, number, unit, key, variant=0):
    office.flag_task(db.session, world.task(number), reason="领导批示", actor=OFFICE, now=clock.now())


def clear_flag(world, number, unit, key, variant=0):
    found = db.session.scalar(select(Flag).where(Flag.task_id == world.task(number).id, Flag.cleared_at.is_(None)))
    if found is not None:
        office.clear_flag(db.session, found, actor=OFFICE, now=clock.now())


def escalate(world, number, unit, key, variant=0):
    opened = TODAY - timedelta(days=10)        # answered by a day already past, or still ahead
    office.open_escalation(db.session, world.task(number), reason="督办", respond_by=opened + timedelta(days=7 * variant),
                           actor=OFFICE, now=clock.now(), today=opened)


def _open_escalation(world, number):
    return db.session.scalar(select(Escalation).where(Escalation.task_id == world.task(number).id,
                                                      Escalation.closed_at.is_(None)))


def respond(world, number, unit, key, variant=0):
    escalation = _open_escalation(world, number)
    if escalation is not None:
        office.respond_to_escalation(db.session, escalation, text="已整改", unit=world.unit(unit), actor=unit,
                                     now=clock.now(), today=TODAY)


def close_escalation(world, number, unit, key, variant=0):
    escalation = _open_escalation(world, number)
    if escalation is not None:
        office.close_escalation(db.session, escalation, actor=OFFICE, now=clock.now())


def extend(world, number, unit, key, variant=0):
    period = world.period(key)
    asked = extensions.request_extension(db.session, task=world.task(number), unit=world.unit(unit), period=period,
                                         due_on=period.due_on + timedelta(days=20 + 20 * variant), reason="数据未出",
                                         actor=unit, now=clock.now(), today=period.due_on - timedelta(days=1))
    db.session.flush()
    extensions.decide_extension(db.session, asked, approve=variant != 2, comment="不同意" if variant == 2 else "",
                                actor=OFFICE, now=clock.now())


def post_status(world, number, unit, key, variant=0):
    reporting.post_status_update(db.session, task=world.task(number), unit=world.unit(unit),
                                 status=[Status.LAGGING, Status.DONE, Status.ON_TRACK][variant % 3], note="进展动态",
                                 actor=unit, now=clock.now(), today=TODAY)


def add_milestone(world, number, unit, key, variant=0):
    milestones.add_milestone(db.session, world.task(number), due_on=date(2024, 9, 30) + timedelta(days=30 * variant),
                             percent=40 + 25 * variant, what="节点", actor=OFFICE, now=clock.now())


def set_rules(world, number, unit, key, variant=0):
    save_rules(db.session, LightRules(missing_quarters_for_red=2 + variant % 2, return_is_warning=variant == 1,
                                      deadline_warning_days=(None, 30, 90)[variant % 3],
                                      overdue_grace_days=(0, 10, 40)[variant % 3]),
               actor=OFFICE, now=clock.now())


def archive(world, number, unit, key, variant=0):
    from tracker.plans.models import Plan

    lifecycle.archive_plan(db.session, db.session.get(Plan, world.plan_id), actor=OFFICE,
                           today=TODAY - timedelta(days=25 * variant), now=clock.now())


WRITES = [save, submit, accept, return_, move_due_date, assign, close, reopen, flag, clear_flag, escalate, respond,
          close_escalation, extend, post_status, add_milestone, set_rules, archive]


def apply(world, write, number, unit, key, variant) -> bool:
    """The write as its entry point would do it; False if the service refused it (nothing written)."""
    try:
        write(world, number, unit, key, variant)
        db.session.flush()
    except DomainError:
        db.session.rollback()
        return False
    return True


# ---- (1) a randomised plan, random writes of every kind ----------------------------------------

_plans = itertools.count()


def random_history(writes):
    """Hypothesis's draw: a plan of 1–6 tasks, some reports already in, then up to 12 of `writes`."""
    return given(writes=st.lists(st.tuples(st.sampled_from(writes), st.sampled_from(NUMBERS), st.sampled_from(UNITS),
                                           st.sampled_from(KEYS), st.integers(0, 2), st.booleans()),
                                 min_size=1, max_size=12),
                 tasks=st.integers(1, 6),
                 reported=st.sets(st.tuples(st.sampled_from(NUMBERS), st.sampled_from(UNITS), st.sampled_from(KEYS[:2])),
                                  max_size=6))


def replay(ctx, title: str, writes, tasks: int, reported, check) -> None:
    """Seeds the plan, files `reported`, then applies `writes`, calling check(ctx, plan_id) before the first
    and after each write (committed, or read inside the same transaction) and at the end."""
    from tracker.plans.cli import seed_plan

    plan, _ = seed_plan(small_seed(title, tasks=tasks), actor="test")
    plan.first_owed_period = "2024Q2"
    ctx.commit()
    world = World(plan.id)
    for number, unit, key in sorted(reported):
        if world.task(number) is not None:
            apply(world, submit, number, unit, key, 0)
    ctx.commit()
    check(ctx, plan.id)
    for write, number, unit, key, variant, commit in writes:
        if world.task(number) is None:
            continue
        if apply(world, write, number, unit, key, variant) and commit:
            ctx.commit()
        check(ctx, plan.id)
    ctx.commit()
    check(ctx, plan.id)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@random_history(WRITES)
def test_after_any_writes_the_kept_lights_are_the_full_recompute(ctx, writes, tasks, reported):
    replay(ctx, f"随机规划{next(_plans)}", writes, tasks, reported, assert_kept_current)
    save_rules(ctx, LightRules(), actor=OFFICE, now=clock.now())  # the next example starts from the defaults
    ctx.commit()


# ---- (2) right after each kind of write ---------------------------------------------------------

# (write, task, unit, period, variant, changes): each kind of write on the lit plan; most change the task's facts
EACH = [
    (submit, "4", "丙局", "2024Q3", 0, True),         # 4 yellow → green: the overdue report is in
    (save, "3", "丙局", "2024Q3", 1, False),          # a draft: still missing
    (return_, "2", "乙局", "2024Q3", 0, True),        # 2's lead report returned: its 滞后 no longer counts
    (accept, "1", "甲局", "2024Q3", 0, False),        # accepted counts as submitted, as before
    (move_due_date, "3", "丙局", "2024Q3", 2, True),  # 2024Q3 due again later: every task of the plan
    (assign, "1", "乙局", "2024Q3", 0, True),         # a new lead, whose reports carry no percent
    (close, "2", "乙局", "2024Q3", 0, True),          # done
    (flag, "1", "甲局", "2024Q3", 0, True),           # red
    (escalate, "1", "甲局", "2024Q3", 0, True),       # red, the response overdue
    (extend, "4", "丙局", "2024Q3", 1, True),         # no longer overdue
    (post_status, "1", "甲局", "2024Q3", 0, True),    # the lead says 滞后: red
    (add_milestone, "1", "甲局", "2024Q3", 1, True),  # behind its milestone
    (set_rules, "3", "丙局", "2024Q3", 1, True),      # red only after three quarters: every task, every plan
    (archive, "4", "丙局", "2024Q3", 2, True),        # lit as on the archive day, before 2024Q3 was due
]


@pytest.mark.parametrize("write, number, unit, key, variant, changes", EACH, ids=[w[0].__name__ for w in EACH])
def test_a_light_is_current_right_after_each_kind_of_write(app, lit, write, number, unit, key, variant, changes):
    with app.app_context():
        before = evaluate(db.session, lit.plan_id, today=TODAY)
        assert apply(lit, write, number, unit, key, variant)
        db.session.commit()
        assert_kept_current(db.session, lit.plan_id)
        after = evaluate(db.session, lit.plan_id, today=TODAY)
        assert (after[lit.task(number).id] != before[lit.task(number).id]) is changes    # its facts or its light


@pytest.mark.parametrize("then", [respond, close_escalation, clear_flag, reopen])
def test_a_light_is_current_after_the_answer_to_an_office_mark(app, lit, then):
    first = {respond: escalate, close_escalation: escalate, clear_flag: flag, reopen: close}[then]
    with app.app_context():
        assert apply(lit, first, "1", "甲局", "2024Q3", 0)
        db.session.commit()
        before = evaluate(db.session, lit.plan_id, today=TODAY)[lit.task("1").id]
        assert apply(lit, then, "1", "甲局", "2024Q3", 0)
        db.session.commit()
        assert_kept_current(db.session, lit.plan_id)
        assert evaluate(db.session, lit.plan_id, today=TODAY)[lit.task("1").id] != before


def test_a_renamed_unit_is_named_in_the_lights_at_once(app, lit):
    with app.app_context():
        lit.unit("丙局").name = "丙局（新）"
        db.session.commit()
        assert_kept_current(db.session, lit.plan_id)
        texts = evaluate(db.session, lit.plan_id, today=TODAY)[lit.task("4").id].light.texts(lambda s: s)
        assert any("丙局（新）" in text for text in texts)


def test_a_write_lights_only_its_own_tasks(app, lit):
    with app.app_context():
        rows = {row.task_id: row.computed_on for row in db.session.scalars(select(TaskLight))}
        assert len(rows) == 4
        db.session.execute(TaskLight.__table__.update().values(computed_on=date(2024, 11, 1)))
        db.session.commit()
        assert apply(lit, flag, "1", "甲局", "2024Q3", 0)
        db.session.commit()
        relit = {row.task_id for row in db.session.scalars(select(TaskLight).where(TaskLight.computed_on == TODAY))}
        assert relit == {lit.task("1").id}


# ---- (3) across two processes -------------------------------------------------------------------

READER = textwrap.dedent("""
    import json, sys
    from datetime import date
    from tracker import create_app, clock
    from tracker.db import db
    from tracker.supervision.models import Flag
    from tracker.supervision.queries import evaluate

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "TRACKER_TODAY": date(2024, 11, 20),
                      "SECRET_KEY": "x", "TESTING": True})
    for line in sys.stdin:
        command, plan_id, task_id = line.split()
        with app.app_context():
            if command == "flag":
                db.session.add(Flag(task_id=int(task_id), reason="另一进程标记", flagged_at=clock.now()))
                db.session.commit()
                print("done", flush=True)
                continue
            e = evaluate(db.session, int(plan_id), today=clock.today())[int(task_id)]
            print(json.dumps([e.light.colour.value, [r.code for r in e.light.reasons]]), flush=True)
            db.session.remove()
""")


@pytest.mark.real_commits  # the other process reads what this one commits
def test_a_write_in_one_process_is_seen_by_the_other_s_next_read(app, lit):
    from tracker.config import normalise_database_url

    url = normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    other = subprocess.Popen([sys.executable, "-c", READER, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)

    def ask(command: str, task_id: int):
        other.stdin.write(f"{command} {lit.plan_id} {task_id}\n")
        other.stdin.flush()
        return json.loads(other.stdout.readline()) if command == "read" else other.stdout.readline().strip()

    try:
        with app.app_context():
            one, three = lit.task("1").id, lit.task("3").id
        assert ask("read", one) == ["green", ["on_schedule"]]
        with app.app_context():                     # this process writes …
            assert apply(lit, flag, "1", "甲局", "2024Q3", 0)
            db.session.commit()
        assert ask("read", one)[0] == "red"          # … the other one's next read sees it
        assert "flagged" in ask("read", one)[1]
        assert ask("flag", three) == "done"          # and the other way round
        with app.app_context():
            lit_three = evaluate(db.session, lit.plan_id, today=TODAY)[three].light
            assert [r.code for r in lit_three.reasons][0] == "flagged"
            assert_kept_current(db.session, lit.plan_id)
    finally:
        other.stdin.close()
        other.wait(timeout=30)


# ---- (4) midnight after a due date ----------------------------------------------------------------

def test_at_midnight_after_a_due_date_the_lights_turn_without_any_write(app, lit, monkeypatch):
    with app.app_context():
        due = lit.period("2024Q4").due_on
        one = lit.task("1").id
        for day in (due - timedelta(days=1), due, due + timedelta(days=1), due + timedelta(days=2)):
            monkeypatch.setitem(app.config, "TRACKER_TODAY", day)
            lights = evaluate(db.session, lit.plan_id, today=clock.today())
            assert {t: (e.facts, e.light) for t, e in lights.items()} == recomputed(db.session, lit.plan_id, day)
        monkeypatch.setitem(app.config, "TRACKER_TODAY", due)
        assert evaluate(db.session, lit.plan_id, today=clock.today())[one].light.colour is Colour.GREEN
        monkeypatch.setitem(app.config, "TRACKER_TODAY", due + timedelta(days=1))
        turned = evaluate(db.session, lit.plan_id, today=clock.today())[one].light
        assert turned.colour is Colour.YELLOW
        assert {r.code for r in turned.reasons} == {"report_overdue"}      # 甲局's and 乙局's 2024Q4
        assert kept(db.session, lit.plan_id, clock.today()) == {}     # no write: nothing stored holds that day
        assert relight_job() == 4                                      # the nightly job stores the day's lights
        assert_kept_current(db.session, lit.plan_id, clock.today())
        assert relight_job() == 0


def test_the_days_overdue_count_up_each_day(app, lit, monkeypatch):
    with app.app_context():
        four = lit.task("4").id
        first = evaluate(db.session, lit.plan_id, today=clock.today())[four].light
        monkeypatch.setitem(app.config, "TRACKER_TODAY", TODAY + timedelta(days=1))
        assert four not in kept(db.session, lit.plan_id, clock.today())   # its row said so: "已逾期 N 天" changes
        second = evaluate(db.session, lit.plan_id, today=clock.today())[four].light
        assert second == recomputed(db.session, lit.plan_id, clock.today())[four][1]
        assert second.days_overdue == first.days_overdue + 1


def test_an_extension_running_out_at_midnight_turns_the_light(app, lit, monkeypatch):
    with app.app_context():
        period = lit.period("2024Q3")
        asked = extensions.request_extension(db.session, task=lit.task("4"), unit=lit.unit("丙局"), period=period,
                                             due_on=TODAY + timedelta(days=3), reason="数据未出", actor="丙局",
                                             now=clock.now(), today=period.due_on)
        extensions.decide_extension(db.session, asked, approve=True, comment="", actor=OFFICE, now=clock.now())
        db.session.commit()
        assert db.session.scalar(select(Extension.due_on)) == TODAY + timedelta(days=3)
        four = lit.task("4").id
        assert evaluate(db.session, lit.plan_id, today=TODAY)[four].light.colour is Colour.GREEN
        for day in (TODAY + timedelta(days=3), TODAY + timedelta(days=4)):
            monkeypatch.setitem(app.config, "TRACKER_TODAY", day)
            lights = evaluate(db.session, lit.plan_id, today=clock.today())
            assert {t: (e.facts, e.light) for t, e in lights.items()} == recomputed(db.session, lit.plan_id, day)
        assert lights[four].light.colour is Colour.YELLOW
