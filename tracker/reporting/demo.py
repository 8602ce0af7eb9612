"""Realistic progress history for the demo, written through the reporting services.

Most units report, some late, some silent; the office accepts most reports and returns a
few, most of which come back revised. Every report therefore has real versions, reviews
and audit entries. Deterministic (seeded random): every demo shows the same picture.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import Role, User
from tracker.core.audit import AuditEntry
from tracker.plans.models import Duty, Plan, Task, Unit
from tracker.reporting.models import Period, Report, ReportVersion, Review, Status
from tracker.reporting.obligations import owed
from tracker.reporting.services import ReportInput, accept_report, return_report, save_report, submit_report

ZONE = ZoneInfo("Asia/Shanghai")
PROGRESS = [
    "已制定年度工作方案，明确责任分工和时间节点，各项工作按计划推进。",
    "召开专题推进会 2 次，完成阶段性目标，相关政策文件已进入征求意见阶段。",
    "组织开展专项行动，累计检查企业 %d 家，受理相关事项 %d 件。",
    "联合相关单位开展培训和宣传活动 %d 场，覆盖企业和群众 %d 人次。",
    "推进平台建设，完成需求调研和方案设计，正在进行系统开发。",
]
PROBLEMS = ["", "", "部分配套资金尚未到位。", "跨部门数据共享机制有待完善。", "专业人才不足。"]
NEXT = ["继续按计划推进，加强督促检查。", "完善工作机制，做好年度总结。", "加快项目实施进度，确保按期完成。"]
RETURNS = ["请补充本季度具体工作量和数据。", "工作进展过于笼统，请对照任务分解逐项说明。",
           "请补充存在问题及下一步的具体措施和时间节点。"]
REVISED = "（修改后）本季度完成专项检查 %d 次，出台配套文件 %d 件，相关数据已按要求补充。"


def fill(session: Session, plan: Plan, *, today: date, seed: int = 2024) -> int:
    """Creates the history of every owed period that has started; returns how many reports."""
    rng = random.Random(seed)
    people = _people(session)
    periods = {p.id: p for p in session.scalars(select(Period).where(Period.plan_id == plan.id))}
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    units = {u.id: u for u in session.scalars(select(Unit))}
    rows = session.execute(owed(plan_id=plan.id).order_by(Period.key, "task_id", "unit_id")).all()
    # Some units are habitually silent or late: the picture a supervision office knows.
    unit_ids, task_ids = sorted({row.unit_id for row in rows}), sorted({row.task_id for row in rows})
    silent_units = {uid for uid in unit_ids if rng.random() < 0.04}
    late_units = {uid for uid in unit_ids if rng.random() < 0.15}
    lagging_tasks = {tid for tid in task_ids if rng.random() < 0.08}
    created = 0
    for row in rows:
        period = periods[row.period_id]
        if period.starts_on > today:
            continue
        in_progress = period.ends_on >= today
        recent = period.due_on >= today - timedelta(days=45)
        chance = 0.25 if in_progress else (0.5 if row.unit_id in silent_units else 0.98)
        if recent and not in_progress:
            chance -= 0.04  # the latest quarter: a few still coming in
        if rng.random() > chance:
            continue
        created += 1
        story = _Story(session, rng, people, tasks[row.task_id], units[row.unit_id], period, today)
        data = _data(rng, period, Duty(row.duty), lagging=row.task_id in lagging_tasks)
        if in_progress:
            story.draft(data, today)
        else:
            story.report(data, late=row.unit_id in late_units, recent=recent)
        if created % 200 == 0:
            _forget_written(session)
    session.flush()
    return created


def _forget_written(session: Session) -> None:
    """Thousands of written reports make every flush slower: flush them, then let them go."""
    session.flush()
    for obj in list(session.identity_map.values()):
        if isinstance(obj, (Report, ReportVersion, Review, AuditEntry)):
            session.expunge(obj)


def _people(session: Session) -> dict[Any, Any]:
    """The demo's clerks by unit id, and the supervision office under the key "office"."""
    people: dict[Any, Any] = {u.unit_id: u for u in session.scalars(select(User).where(User.role == Role.UNIT))}
    people["office"] = session.scalar(select(User).where(User.role == Role.SUPERVISOR).order_by(User.id).limit(1))
    return people


class _Story:
    """One unit's report for one task and period, told through the services."""

    def __init__(self, session, rng, people, task, unit, period, today) -> None:
        self.session, self.rng, self.task, self.unit, self.period, self.today = session, rng, task, unit, period, today
        self.clerk = people.get(unit.id) or "demo"
        self.office = people.get("office") or "demo"

    def draft(self, data: ReportInput, day: date) -> Report:
        report, _ = save_report(self.session, task=self.task, unit=self.unit, period=self.period, data=data,
                                expected_version=None, actor=self.clerk, now=_at(day, 9), today=day)
        return report

    def report(self, data: ReportInput, *, late: bool, recent: bool) -> None:
        rng, period = self.rng, self.period
        if late:
            submit_on = min(self.today, period.due_on + timedelta(days=rng.randint(2, 25)))
        else:
            submit_on = max(period.ends_on + timedelta(days=1), period.due_on - timedelta(days=rng.randint(0, 4)))
        report = self.draft(data, max(period.ends_on, submit_on - timedelta(days=rng.randint(0, 3))))
        submit_report(self.session, report, actor=self.clerk, now=_at(submit_on, 10), today=submit_on)
        review_on = submit_on + timedelta(days=3)
        if review_on > self.today - timedelta(days=2) or rng.random() > (0.5 if recent else 0.9):
            return  # not reviewed yet
        if rng.random() < 0.12:
            self._return_and_revise(report, review_on, recent=recent)
        else:
            accept_report(self.session, report, actor=self.office, now=_at(review_on, 15))

    def _return_and_revise(self, report: Report, review_on: date, *, recent: bool) -> None:
        rng = self.rng
        return_report(self.session, report, comment=rng.choice(RETURNS), actor=self.office, now=_at(review_on, 15))
        again_on = review_on + timedelta(days=rng.randint(1, 6))
        if again_on > self.today or (recent and rng.random() < 0.5):
            return  # still with the unit
        revised = ReportInput(status=report.status, percent=report.percent,
                              progress=REVISED % (rng.randint(2, 12), rng.randint(1, 4)),
                              problems=report.problems or "部分数据统计口径需进一步统一。", next_steps=report.next_steps)
        save_report(self.session, task=self.task, unit=self.unit, period=self.period, data=revised,
                    expected_version=report.version, actor=self.clerk, now=_at(again_on, 9), today=again_on)
        submit_report(self.session, report, actor=self.clerk, now=_at(again_on, 11), today=again_on)
        if again_on + timedelta(days=3) <= self.today - timedelta(days=2):
            accept_report(self.session, report, actor=self.office, now=_at(again_on + timedelta(days=3), 15))


def _data(rng: random.Random, period: Period, duty: Duty, *, lagging: bool) -> ReportInput:
    elapsed = (period.ends_on.year - 2021) * 4 + period.quarter.quarter
    percent = min(100, max(5, int(elapsed * 5 + rng.randint(-10, 10))))
    status = Status.LAGGING if lagging else (Status.DONE if percent >= 100 else Status.ON_TRACK)
    progress = rng.choice(PROGRESS)
    if "%d" in progress:
        progress = progress % (rng.randint(10, 200), rng.randint(100, 3000))
    return ReportInput(status=status, percent=percent if duty is Duty.LEAD else None, progress=progress,
                       problems=rng.choice(PROBLEMS) if lagging else "", next_steps=rng.choice(NEXT))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), tzinfo=ZONE)
