"""Realistic progress history for the demo: most units report, some late, some silent.

Deterministic (seeded random), so every demo shows the same picture.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.plans.models import Duty, Plan
from tracker.reporting.models import Period, Report, ReportVersion, Review, State, Status
from tracker.reporting.obligations import owed

PROGRESS = [
    "已制定年度工作方案，明确责任分工和时间节点，各项工作按计划推进。",
    "召开专题推进会 2 次，完成阶段性目标，相关政策文件已进入征求意见阶段。",
    "组织开展专项行动，累计检查企业 %d 家，受理相关事项 %d 件。",
    "联合相关单位开展培训和宣传活动 %d 场，覆盖企业和群众 %d 人次。",
    "推进平台建设，完成需求调研和方案设计，正在进行系统开发。",
]
PROBLEMS = ["", "", "部分配套资金尚未到位。", "跨部门数据共享机制有待完善。", "专业人才不足。"]
NEXT = ["继续按计划推进，加强督促检查。", "完善工作机制，做好年度总结。", "加快项目实施进度，确保按期完成。"]


def fill(session: Session, plan: Plan, *, today: date, seed: int = 2024) -> int:
    """Creates reports for every owed period that has started; returns how many."""
    rng = random.Random(seed)
    periods = {p.id: p for p in session.scalars(select(Period).where(Period.plan_id == plan.id))}
    rows = session.execute(owed(plan_id=plan.id).order_by(Period.key, "task_id", "unit_id")).all()
    # Some units are habitually silent or late: the picture a supervision office knows.
    silent_units = {row.unit_id for row in rows if rng.random() < 0.06}
    late_units = {row.unit_id for row in rows if rng.random() < 0.12}
    lagging_tasks = {row.task_id for row in rows if rng.random() < 0.08}
    created = 0
    for row in rows:
        period = periods[row.period_id]
        if period.starts_on > today:
            continue
        in_progress = period.ends_on >= today
        chance = 0.25 if in_progress else (0.35 if row.unit_id in silent_units else 0.95)
        if period.due_on >= today - timedelta(days=45) and not in_progress:
            chance -= 0.2  # the latest quarter: still coming in
        if rng.random() > chance:
            continue
        created += 1
        _report(session, rng, row, period, today, in_progress=in_progress,
                late=row.unit_id in late_units, lagging=row.task_id in lagging_tasks)
    session.flush()
    return created


def _report(session: Session, rng: random.Random, row, period: Period, today: date, *,
            in_progress: bool, late: bool, lagging: bool) -> None:
    elapsed = (period.ends_on.year - 2021) * 4 + period.quarter.quarter
    percent = min(100, max(5, int(elapsed * 5 + rng.randint(-10, 10))))
    status = Status.LAGGING if lagging else (Status.DONE if percent >= 100 else Status.ON_TRACK)
    progress = rng.choice(PROGRESS)
    if "%d" in progress:
        progress = progress % (rng.randint(10, 200), rng.randint(100, 3000))
    if in_progress:
        submitted_on = None
    elif late:
        submitted_on = min(today, period.due_on + timedelta(days=rng.randint(2, 25)))
    else:
        submitted_on = period.due_on - timedelta(days=rng.randint(0, 4))
    at = _at(submitted_on or today)
    report = Report(task_id=row.task_id, unit_id=row.unit_id, period_id=period.id,
                    duty=Duty(row.duty) if not isinstance(row.duty, Duty) else row.duty,
                    state=State.DRAFT if in_progress else State.SUBMITTED,
                    status=status, percent=percent if row.duty == Duty.LEAD else None,
                    progress=progress, problems=rng.choice(PROBLEMS) if lagging else "",
                    next_steps=rng.choice(NEXT), submitted_at=None if in_progress else at,
                    submitted_on=submitted_on, is_late=bool(submitted_on and submitted_on > period.due_on),
                    updated_at=at)
    session.add(report)
    session.flush()
    report.versions.append(_version(report, 1, "save" if in_progress else "submit", at))
    if not in_progress and period.due_on < today - timedelta(days=20) and rng.random() < 0.85:
        report.state = State.ACCEPTED
        report.reviews.append(Review(decision="accept", comment="", reviewed_at=at + timedelta(days=3)))
        report.versions.append(_version(report, 2, "accept", at + timedelta(days=3)))


def _version(report: Report, number: int, action: str, at: datetime) -> ReportVersion:
    return ReportVersion(number=number, action=action, state=report.state, status=report.status,
                         percent=report.percent, progress=report.progress, problems=report.problems,
                         next_steps=report.next_steps, saved_at=at)


def _at(day: date) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(10, 30), tzinfo=ZoneInfo("Asia/Shanghai"))
