"""Kept tallies: after every kind of write the 应报/已报/迟报 the dashboard reads are the full recompute's
(reporting/compliance.py), committed or read in the same transaction; and the dashboard never aggregates
the obligations itself."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import delete, select

from tracker.db import db
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.models import Period, Report
from tracker.supervision import tally_store
from tracker.supervision.models import KeptTally

from .test_light_store import (
    KEYS,
    _report,
    accept,
    apply,
    archive,
    assign,
    close,
    extend,
    move_due_date,
    random_history,
    reopen,
    replay,
    return_,
    save,
    submit,
)


def assert_tallies_current(session, plan_id: int) -> None:
    """Every quarter of the plan: the kept rows read as the full aggregate gives them."""
    for period in session.scalars(select(Period).where(Period.plan_id == plan_id)):
        assert tally_store.read(session, period.id) == tally_by_unit(session, period.id, plan_id=plan_id), period.key


def owe_from(world, number, unit, key, variant=0):
    """The plan's first owed quarter moved: a change of the plan itself."""
    from tracker.plans.models import Plan

    db.session.get(Plan, world.plan_id).first_owed_period = KEYS[variant % len(KEYS)]


def delete_report(world, number, unit, key, variant=0):
    report = _report(world, number, unit, key)
    if report is not None:
        db.session.delete(report)


def add_quarter(world, number, unit, key, variant=0):
    """Another quarter added to the plan (a period change): everybody owes it."""
    from datetime import date

    year = 2026 + variant
    if db.session.scalar(select(Period).where(Period.plan_id == world.plan_id, Period.key == f"{year}Q1")) is None:
        db.session.add(Period(plan_id=world.plan_id, key=f"{year}Q1", starts_on=date(year, 1, 1),
                              ends_on=date(year, 3, 31), due_on=date(year, 4, 10)))


WRITES = [save, submit, accept, return_, move_due_date, assign, close, reopen, extend, archive, owe_from,
          delete_report, add_quarter]

_plans = itertools.count()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@random_history(WRITES)
def test_after_any_writes_the_kept_tallies_are_the_full_recompute(ctx, writes, tasks, reported):
    replay(ctx, f"随机报送{next(_plans)}", writes, tasks, reported, assert_tallies_current)


# The lit plan before any write: in 2024Q3 甲局 owes 2 and has both in, 乙局 the same, 丙局 owes 3 with 1 in,
# none late; 2024Q4 (running on 2024-11-20) owed the same and nothing in yet.
BEFORE = {"2024Q3": {"甲局": (2, 2, 0), "乙局": (2, 2, 0), "丙局": (3, 1, 0)},
          "2024Q4": {"甲局": (2, 0, 0), "乙局": (2, 0, 0), "丙局": (3, 0, 0)}}
# (write, task, unit, quarter, variant, the units' figures in that quarter that change: owed, submitted, late)
EACH = [
    (submit, "4", "丙局", "2024Q3", 0, {"丙局": (3, 2, 1)}),      # 丙局's overdue report on task 4 is in, late
    (save, "3", "丙局", "2024Q3", 0, {}),                        # a draft counts for nothing
    (return_, "1", "甲局", "2024Q3", 0, {"甲局": (2, 1, 0)}),     # returned: no longer 已报
    (accept, "1", "甲局", "2024Q3", 0, {}),                      # accepted counts as submitted, as before
    # task 3's lead is 甲局 alone from the current quarter on (earlier ones keep who answered then)
    (assign, "3", "甲局", "2024Q4", 0, {"甲局": (3, 0, 0), "丙局": (2, 0, 0)}),
    (close, "2", "乙局", "2024Q3", 4, {"乙局": (1, 1, 0), "丙局": (2, 0, 0)}),   # closed in June: 2024Q3 not owed
    (delete_report, "2", "乙局", "2024Q3", 0, {"乙局": (2, 1, 0)}),
]


@pytest.mark.parametrize("write, number, unit, key, variant, changed", EACH, ids=[w[0].__name__ for w in EACH])
def test_the_units_figures_are_current_right_after_each_kind_of_write(app, lit, write, number, unit, key, variant,
                                                                      changed):
    with app.app_context():
        period_id = lit.period(key).id
        figures = lambda: {r.unit_name: (r.tally.owed, r.tally.submitted, r.tally.late)  # noqa: E731
                           for r in tally_store.read(db.session, period_id)}
        assert figures() == BEFORE[key]
        assert apply(lit, write, number, unit, key, variant)
        db.session.commit()
        assert figures() == BEFORE[key] | changed
        assert_tallies_current(db.session, lit.plan_id)


def test_the_dashboard_shows_what_the_full_recompute_gives_even_when_the_kept_rows_were_lost(app, lit, office):
    """The rows are derived: a refresh of the plan rebuilds them (what the migration and the bench builder do)."""
    with app.app_context():
        before = tally_store.read(db.session, lit.period("2024Q3").id)
        db.session.execute(delete(KeptTally))
        db.session.commit()
        assert tally_store.read(db.session, lit.period("2024Q3").id) == []
        tally_store.refresh(db.session, plan_ids=[lit.plan_id])
        db.session.commit()
        assert tally_store.read(db.session, lit.period("2024Q3").id) == before
        assert before == tally_by_unit(db.session, lit.period("2024Q3").id, plan_id=lit.plan_id)


def test_a_write_rewrites_only_the_figures_it_touched(app, lit):
    with app.app_context():
        rows = lambda: {(r.period_id, r.unit_id): (r.owed, r.submitted, r.late)  # noqa: E731
                        for r in db.session.scalars(select(KeptTally))}
        db.session.execute(KeptTally.__table__.update().values(owed=99))   # a mark on every row
        db.session.commit()
        marked = rows()
        assert apply(lit, submit, "4", "丙局", "2024Q3", 0)
        db.session.commit()
        after = rows()
        touched = {key for key in after if after[key] != marked[key]}
        assert touched == {(lit.period("2024Q3").id, lit.unit("丙局").id)}
        assert after[(lit.period("2024Q3").id, lit.unit("丙局").id)] == (3, 2, 1)


def test_a_rolled_back_write_leaves_the_figures_as_they_were(app, lit):
    with app.app_context():
        period_id = lit.period("2024Q3").id
        before = tally_store.read(db.session, period_id)
        assert apply(lit, submit, "4", "丙局", "2024Q3", 0)
        assert tally_store.read(db.session, period_id) != before      # read inside the transaction: current
        db.session.rollback()
        assert tally_store.read(db.session, period_id) == before
        assert db.session.scalar(select(Report).where(Report.task_id == lit.task("4").id,
                                                      Report.period_id == period_id,
                                                      Report.unit_id == lit.unit("丙局").id)) is None


def test_the_dashboard_reads_the_kept_figures_not_the_reports(office, lit, count_queries):
    """The home page's 报送情况 is one statement over the kept rows, whatever the plan's size:
    no statement of the page reads the reports (the obligations' aggregate is not run)."""
    office.get(f"/supervision?plan={lit.plan_id}")
    with count_queries() as statements:
        page = office.get(f"/supervision?plan={lit.plan_id}")
    assert page.status_code == 200
    assert "id=\"compliance-total\"" in page.text
    sql = [s.lower() for s in statements.statements]
    assert sum("from unit_tally" in s for s in sql) == 1
    assert not any("from report" in s or "join report" in s for s in sql)


def test_a_report_submitted_shows_on_the_dashboard_at_once(office, lit, app):
    """The 合计 row of the home page's 报送情况, before and right after a unit's report is submitted."""
    def total_row() -> list[str]:
        page = office.get(f"/supervision?plan={lit.plan_id}").text
        table = page.split('id="compliance-total"', 1)[1].split("</table>", 1)[0]
        return [cell.split("</td>", 1)[0] for cell in table.split('<td class="text-end">')[1:4]]

    assert total_row() == ["7", "5", "0"]          # 应报, 已报, 迟报
    with app.app_context():
        assert apply(lit, submit, "4", "丙局", "2024Q3", 0)
        db.session.commit()
    assert total_row() == ["7", "6", "1"]
