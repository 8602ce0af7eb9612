"""The demo's supervision history: escalations (one closed, one answered, one open) and a flag.

Runs after the reporting demo, through the same services the office uses, dated before
`today` so the dashboard shows red tasks for reasons a supervisor recognises.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import Role, User
from tracker.plans.models import Assignment, Duty, Plan, Task
from tracker.supervision import services

# (task number, reason, opened days ago, respond within days, answer and days ago, closing note and days ago)
ESCALATIONS = [
    ("23", "知识产权质押融资登记金额低于年度目标进度，请说明原因并提出整改措施。", 100, 15,
     ("已联合市地方金融监管局召开银企对接会 2 场，新增质押登记 12 笔，预计四季度完成年度目标。", 90),
     ("整改措施可行，转入日常跟踪。", 80)),
    ("10", "植物新品种培育进度慢于年度计划，请说明原因和下一步措施。", 20, 10,
     ("受品种审定周期影响，2 个新品种尚在区域试验阶段；已与省农科院对接，年底前提交审定申请。", 12), None),
    ("9", "版权示范单位创建进度缓慢，请于期限前报送推进方案。", 5, 14, None, None),
]
FLAG = ("31", "市委督查反馈：知识产权人才引进配套政策未按期出台。", 7)


def fill(session: Session, plan: Plan, *, today: date) -> None:
    office = session.scalar(select(User).where(User.role == Role.SUPERVISOR).order_by(User.id).limit(1))
    tasks = {t.number: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    for number, reason, opened, within, answer, closing in ESCALATIONS:
        task = tasks.get(number)
        if task is None:
            continue
        opened_on = today - timedelta(days=opened)
        escalation = services.open_escalation(session, task, reason=reason, respond_by=opened_on + timedelta(days=within),
                                              actor=office or "demo", now=_at(opened_on), today=opened_on)
        if answer:
            text, ago = answer
            unit, clerk = _lead(session, task)
            services.respond_to_escalation(session, escalation, text=text, unit=unit, actor=clerk or "demo",
                                           now=_at(today - timedelta(days=ago)), today=today - timedelta(days=ago))
        if closing:
            note, ago = closing
            services.close_escalation(session, escalation, note=note, actor=office or "demo",
                                      now=_at(today - timedelta(days=ago)))
    number, reason, ago = FLAG
    if number in tasks:
        services.flag_task(session, tasks[number], reason=reason, actor=office or "demo",
                           now=_at(today - timedelta(days=ago)))
    session.flush()


def _lead(session: Session, task: Task):
    """The task's (first) lead unit and one of its clerks, if the demo has one."""
    assignment = session.scalar(select(Assignment).where(Assignment.task_id == task.id, Assignment.duty == Duty.LEAD)
                                .order_by(Assignment.position, Assignment.id).limit(1))
    if assignment is None:
        return None, None
    clerk = session.scalar(select(User).where(User.unit_id == assignment.unit_id).order_by(User.id).limit(1))
    return assignment.unit, clerk


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=ZoneInfo("Asia/Shanghai"))
