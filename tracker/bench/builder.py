"""Writes the benchmark plan into an empty schema with bulk inserts (executemany in chunks).

Ids are given explicitly (the schema is fresh), so versions and reviews can point at their
report without a round trip; PostgreSQL's sequences are moved past them at the end.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from tracker.accounts.models import Role, User
from tracker.bench import shape
from tracker.bench.shape import Scale
from tracker.core.workdays import WorkCalendar
from tracker.plans.models import (
    Assignment,
    Duty,
    GroupMember,
    Plan,
    Section,
    Task,
    TaskClosure,
    TaskUnit,
    Unit,
    UnitKind,
)
from tracker.reporting.models import Period, Report, ReportVersion, Review
from tracker.reporting.schedule import ensure_periods
from tracker.supervision import freshness, light_store, tally_store
from tracker.supervision.models import KeptTally

ZONE = ZoneInfo("Asia/Shanghai")
BUILT_AT = datetime(2025, 11, 20, 8, 0, tzinfo=ZONE)
CHUNK = 5000


@dataclass
class Built:
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    focus_username: str = ""


class NotABenchDatabase(Exception):
    """The database holds another plan: the builder wipes it only when forced."""


def foreign_plans(session: Session) -> list[str]:
    if not inspect(session.connection()).has_table("plan"):
        return []
    return [key for key in session.scalars(text("SELECT key FROM plan")) if key != shape.PLAN_KEY]


def drop_everything(session: Session) -> None:
    """Every table the database has, ours or not (alembic_version too)."""
    connection = session.connection()
    reflected = MetaData()
    reflected.reflect(connection)
    reflected.drop_all(connection)
    session.commit()


def build(session: Session, scale: Scale, *, workdays_after: int, calendar: WorkCalendar) -> Built:
    """Fills an empty schema; the caller commits. Same Scale, same rows."""
    rng = random.Random(scale.seed)
    built = Built()
    connection = session.connection()

    def insert(model, rows: list[dict]) -> None:
        for start in range(0, len(rows), CHUNK):
            connection.execute(model.__table__.insert(), rows[start:start + CHUNK])
        built.counts[model.__tablename__] = built.counts.get(model.__tablename__, 0) + len(rows)

    quarters = shape.quarters(scale)
    plan = Plan(key=shape.PLAN_KEY, title=shape.PLAN_KEY, start_year=quarters[0].year, end_year=quarters[-1].year,
                first_owed_period=None if quarters[0].quarter == 1 else quarters[0].key, imported_at=BUILT_AT)
    session.add(plan)
    session.flush()

    unit_specs = shape.units(scale)
    group_id = len(unit_specs) + 1
    insert(Unit, [{"id": i + 1, "name": u.name, "kind": u.kind, "aliases": [], "emails": [u.email], "office_id": None}
                  for i, u in enumerate(unit_specs)]
           + [{"id": group_id, "name": shape.GROUP_NAME, "kind": UnitKind.GROUP, "aliases": ["各区县（市）"],
               "emails": [], "office_id": None}])
    members = list(range(1, scale.group_size + 1))
    insert(GroupMember, [{"group_id": group_id, "member_id": m + 1} for m in members])

    insert(Section, [{"id": s + 1, "plan_id": plan.id, "key": f"S{s + 1:02d}", "part": "三、重点任务",
                      "title": f"基准板块{s + 1}", "position": s + 1} for s in range(scale.sections)])
    task_specs = shape.tasks(scale, rng)
    insert(Task, [{"id": t + 1, "plan_id": plan.id, "section_id": spec.section + 1, "number": spec.number,
                   "title": spec.title, "text": spec.text, "units_text": _units_text(spec, unit_specs),
                   "position": t + 1, "closed_on": spec.closed_on} for t, spec in enumerate(task_specs)])
    insert(TaskClosure, [{"task_id": t + 1, "closed_on": spec.closed_on, "note": ""}
                         for t, spec in enumerate(task_specs) if spec.closed_on is not None])
    insert(TaskUnit, [{"task_id": t + 1, "unit_id": group_id if u == shape.GROUP else u + 1, "position": p,
                       "duty": Duty.LEAD if p == 0 else Duty.CO}
                      for t, spec in enumerate(task_specs) for p, u in enumerate(spec.units)])
    answering = [shape.assignments(spec, members) for spec in task_specs]
    insert(Assignment, [{"task_id": t + 1, "unit_id": u + 1, "duty": duty,
                         "via_group_id": group_id if via else None, "position": p}
                        for t, rows in enumerate(answering) for u, duty, via, p in rows])

    periods = {p.key: p for p in ensure_periods(session, plan, workdays_after=workdays_after, calendar=calendar)}
    built.counts["period"] = len(quarters)
    _users(insert, unit_specs)
    built.focus_username = unit_user(0)
    _reports(insert, rng, scale, task_specs, answering, [periods[q.key] for q in quarters], built)
    built.notes.extend(_indicators(session, plan, scale, rng))
    _move_sequences(session)
    # The bulk inserts bypass the writes' listeners: light every task as a write would have.
    built.counts["task_light"] = light_store.refresh(session, plan_ids=[plan.id], today=shape.TODAY)
    tally_store.refresh(session, plan_ids=[plan.id])   # and tally every unit's quarters, as the writes would have
    built.counts["unit_tally"] = session.scalar(select(func.count()).select_from(KeptTally)) or 0
    freshness.take_pending(session)   # the plan's and periods' flushes: rewritten just now
    tally_store.take_pending(session)
    return built


def unit_user(index: int) -> str:
    return f"bench-u{index:03d}"


def _units_text(spec: shape.TaskSpec, unit_specs: list[shape.UnitSpec]) -> str:
    names = [shape.GROUP_NAME if u == shape.GROUP else unit_specs[u].name for u in spec.units]
    return "、".join(names)


def _users(insert, unit_specs: list[shape.UnitSpec]) -> None:
    # One scrypt hash for everyone: hashing 300 passwords would dominate the build.
    password_hash = generate_password_hash(shape.PASSWORD, method="scrypt")
    common = {"password_hash": password_hash, "active": True, "locale": None, "created_at": BUILT_AT}
    rows = [
        {"id": 1, "username": shape.ADMIN, "display_name": "基准管理员", "email": "admin@bench.test",
         "role": Role.ADMIN, "unit_id": None, **common},
        {"id": 2, "username": shape.SUPERVISOR, "display_name": "基准督查室", "email": "duchashi@bench.test",
         "role": Role.SUPERVISOR, "unit_id": None, **common},
    ]
    rows += [{"id": i + 3, "username": unit_user(i), "display_name": u.name, "email": u.email,
              "role": Role.UNIT, "unit_id": i + 1, **common} for i, u in enumerate(unit_specs)]
    insert(User, rows)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 30), tzinfo=ZONE).astimezone(UTC)


def _reports(insert, rng: random.Random, scale: Scale, task_specs, answering, periods: list[Period],
             built: Built) -> None:
    """Period by period, so memory stays flat: reports, then their versions and reviews."""
    habits = shape.Habits.draw(scale, rng)
    report_id = version_id = review_id = 0
    for period in periods:
        quarter = period.quarter
        elapsed = (quarter.year - periods[0].quarter.year) * 4 + quarter.quarter
        reports, versions, reviews = [], [], []
        for t, spec in enumerate(task_specs):
            if spec.closed_on is not None and spec.closed_on < period.starts_on:
                continue
            for u, duty, _via, _position in answering[t]:
                found = shape.report(rng, habits, task=t, unit=u, duty=duty, quarter=quarter,
                                     due_on=period.due_on, elapsed=elapsed)
                if found is None:
                    continue
                report_id += 1
                unit_user_id = u + 3
                submit = next((e for e in found.events if e.action == "submit"), None)
                reports.append({
                    "id": report_id, "task_id": t + 1, "unit_id": u + 1, "period_id": period.id,
                    "duty": found.duty, "state": found.state, "status": found.status, "percent": found.percent,
                    "progress": found.progress, "problems": found.problems, "next_steps": found.next_steps,
                    "version": len(found.events), "submitted_at": _at(submit.on) if submit else None,
                    "submitted_on": found.submitted_on, "is_late": found.is_late,
                    "updated_at": _at(found.events[-1].on), "updated_by_id": unit_user_id,
                })
                for number, event in enumerate(found.events, start=1):
                    by_office = event.action in ("return", "accept")
                    version_id += 1
                    versions.append({
                        "id": version_id, "report_id": report_id, "number": number, "action": event.action,
                        "state": event.state, "status": found.status, "percent": found.percent,
                        "progress": found.progress, "problems": found.problems, "next_steps": found.next_steps,
                        "saved_at": _at(event.on) + timedelta(minutes=number),
                        "saved_by_id": 2 if by_office else unit_user_id,
                    })
                    if by_office:
                        review_id += 1
                        reviews.append({
                            "id": review_id, "report_id": report_id, "decision": event.action,
                            "comment": "请补充具体进展数据。" if event.action == "return" else "",
                            "reviewed_at": _at(event.on) + timedelta(minutes=number), "reviewer_id": 2,
                        })
        insert(Report, reports)
        insert(ReportVersion, versions)
        insert(Review, reviews)


def _indicators(session: Session, plan: Plan, scale: Scale, rng: random.Random) -> list[str]:
    from tracker.bench import indicators

    return indicators.fill(session, plan, scale, rng)


def _move_sequences(session: Session) -> None:
    """PostgreSQL: the next id after the ones given explicitly."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (Unit, Section, Task, TaskUnit, Assignment, User, Report, ReportVersion, Review):
        table = model.__tablename__
        highest = session.scalar(select(func.max(model.id)))
        if highest:
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), :n)"), {"n": highest})
