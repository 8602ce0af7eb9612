"""Notices (通知) the office's actions send: a report returned or accepted after a return, a 督办 opened
or its deadline passed unanswered, an extension decided.

Each is decided once per (kind, subject, recipient) — the Notice row's UNIQUE key — and goes through
the outbox like every reminder: one e-mail and one message per configured robot channel, sent on an
official working day (one decided on a day off waits for the next). The office switches a kind off on
/admin/outbox/settings. Never commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.core.workdays import CHINA
from tracker.reminders import mail, queries
from tracker.reminders.models import Notice, NoticeSetting
from tracker.reminders.rules import NoticeKind, Outcome, header_text, period_label, send_at
from tracker.reminders.services import channel_rows, insert_once, outbox_row, queue_messages
from tracker.reporting.models import ExtensionState

OFFICE = "office"


@dataclass(frozen=True)
class Recipient:
    key: str                 # "unit:5" or "office"
    unit_id: int | None
    name: str
    addresses: list[str]


def is_enabled(session: Session, kind: NoticeKind) -> bool:
    return session.scalar(select(NoticeSetting.enabled).where(NoticeSetting.kind == kind)) is not False


def set_enabled(session: Session, kind: NoticeKind, enabled: bool, *, actor: Any, now: datetime) -> None:
    from tracker.core import audit

    setting = session.get(NoticeSetting, kind) or NoticeSetting(kind=kind)
    old = setting.enabled if setting.enabled is not None else True
    setting.enabled = enabled
    session.add(setting)
    session.flush()
    audit.record(session, actor=actor, action="notice.setting", object_type="NoticeSetting", object_id=kind.value,
                 old={"enabled": old},
                 new={"kind": kind.value, "enabled": enabled}, at=now)


def list_settings(session: Session) -> dict[NoticeKind, bool]:
    stored = dict(session.execute(select(NoticeSetting.kind, NoticeSetting.enabled)).all())
    return {kind: stored.get(kind, True) for kind in NoticeKind}


def notify(session: Session, kind: NoticeKind, subject_key: str, *, unit_ids: Iterable[int], office: bool,
           subject: str, lines: list[str], link: str, now: datetime, base_url: str) -> list[Notice]:
    """Decides the notice for each recipient no run has told yet, and queues its messages."""
    if not is_enabled(session, kind):
        return []
    recipients = _recipients(session, unit_ids, office)
    values = []
    for recipient in recipients:
        valid = mail.check_addresses(recipient.addresses)[0]
        values.append(dict(kind=kind, subject_key=subject_key, recipient=recipient.key, unit_id=recipient.unit_id,
                           decided_at=now, outcome=Outcome.QUEUED if valid else Outcome.NO_ADDRESS,
                           subject=header_text(subject, 300),
                           message_key=mail.new_message_id(base_url) if valid else None))
    by_key = {r.key: r for r in recipients}
    decided = insert_once(session, Notice, values, ["kind", "subject_key", "recipient"])
    endpoints = queries.list_endpoints(session, [n.unit_id for n in decided if n.unit_id],
                                       office=any(n.unit_id is None for n in decided))
    rows = []
    for notice in decided:
        recipient = by_key[notice.recipient]
        letter = mail.notice_letter(recipient.name, subject=subject, lines=lines, link=link)
        if notice.message_key:
            rows.append(outbox_row(letter, recipient_name=recipient.name,
                                   to=mail.check_addresses(recipient.addresses)[0], cc=[],
                                   message_id=notice.message_key, now=now, link=link))
        rows += channel_rows(endpoints[recipient.unit_id], letter, now=now, base_url=base_url, link=link)
    due = send_at(now, CHINA)      # official working days only
    for row in rows:
        row["next_attempt_at"] = due
    queue_messages(session, rows)
    return decided


def _recipients(session: Session, unit_ids: Iterable[int], office: bool) -> list[Recipient]:
    ids = sorted(set(unit_ids))
    found = queries.list_unit_addresses(session, ids)
    out = [Recipient(f"unit:{i}", i, found[i].name, found[i].addresses) for i in ids if i in found]
    if office:
        out.append(Recipient(OFFICE, None, mail.OFFICE_NAME, queries.list_office_addresses(session)))
    return out


# The notices, as the office's actions call them (the entry point commits).

def report_returned(session: Session, review, *, now: datetime, base_url: str) -> list[Notice]:
    report = review.report
    return notify(session, NoticeKind.REPORT_RETURNED, f"review:{review.id}", unit_ids=[report.unit_id], office=False,
                  subject=f"【退回】任务{report.task.number} {period_label(report.period.key)}进展报告已退回，请修改后重新报送",
                  lines=[f"贵单位报送的任务{report.task.number}《{report.task.title}》{period_label(report.period.key)}"
                         f"进展报告已被督查室退回。", f"退回意见：{review.comment}", "请按退回意见修改后重新报送。"],
                  link=mail.workspace_link(base_url, report.period.key, report.period.plan_id), now=now, base_url=base_url)


def report_accepted(session: Session, review, *, now: datetime, base_url: str) -> list[Notice]:
    """Only a report accepted after a return is worth a notice."""
    report = review.report
    if not any(r.decision == "return" for r in report.reviews if r.id != review.id):
        return []
    return notify(session, NoticeKind.REPORT_ACCEPTED, f"review:{review.id}", unit_ids=[report.unit_id], office=False,
                  subject=f"【审核通过】任务{report.task.number} {period_label(report.period.key)}进展报告已审核通过",
                  lines=[f"贵单位修改后重新报送的任务{report.task.number}《{report.task.title}》"
                         f"{period_label(report.period.key)}进展报告已审核通过。"]
                  + ([f"审核意见：{review.comment}"] if review.comment else []),
                  link=mail.workspace_link(base_url, report.period.key, report.period.plan_id), now=now, base_url=base_url)


def escalation_opened(session: Session, escalation, *, colour: str, now: datetime, base_url: str) -> list[Notice]:
    task = escalation.task
    return notify(session, NoticeKind.ESCALATION_OPENED, f"escalation:{escalation.id}:{escalation.level}",
                  unit_ids=[u.unit_id for u in escalation.units], office=False,
                  subject=f"【督办】任务{task.number}：请于{_day(escalation.respond_by)}前签收并反馈（{colour}）",
                  lines=[f"督查室就任务{task.number}《{task.title}》发出{colour}，请签收并于 "
                         f"{escalation.respond_by.isoformat()} 前书面反馈。", f"督办事由：{escalation.reason}"],
                  link=task_link(base_url, task), now=now, base_url=base_url)


def escalation_overdue(session: Session, escalation, unit_ids: list[int], *, colour: str, now: datetime,
                       base_url: str) -> list[Notice]:
    task = escalation.task
    return notify(session, NoticeKind.ESCALATION_OVERDUE, f"escalation:{escalation.id}:{escalation.level}",
                  unit_ids=unit_ids, office=True,
                  subject=f"【督办逾期】任务{task.number}：督办反馈期限 {_day(escalation.respond_by)} 已过，尚未反馈",
                  lines=[f"任务{task.number}《{task.title}》的督办反馈期限 {escalation.respond_by.isoformat()} "
                         f"已过，尚未收到书面反馈。", f"督办已升级为{colour}，请尽快签收并反馈。",
                         f"督办事由：{escalation.reason}"],
                  link=task_link(base_url, task), now=now, base_url=base_url)


def extension_decided(session: Session, extension, *, now: datetime, base_url: str) -> list[Notice]:
    approved = extension.state is ExtensionState.APPROVED
    what = f"任务{extension.task.number} {period_label(extension.period.key)}进展报告"
    lines = [f"贵单位关于{what}的延期申请（申请截止日期 {extension.due_on.isoformat()}）"
             + ("已获批准，截止日期顺延至该日。" if approved else "未获批准，原截止日期不变。")]
    if extension.comment:
        lines.append(f"审批意见：{extension.comment}")
    return notify(session, NoticeKind.EXTENSION_DECIDED, f"extension:{extension.id}", unit_ids=[extension.unit_id],
                  office=False, subject=f"【延期申请{'已批准' if approved else '未批准'}】{what}",
                  lines=lines, link=mail.workspace_link(base_url, extension.period.key, extension.period.plan_id), now=now, base_url=base_url)


def task_link(base_url: str, task) -> str:
    return f"{base_url.rstrip('/')}/plans/{task.plan_id}/tasks/{task.number}"


def _day(day: date) -> str:
    return f"{day.month}月{day.day}日"
