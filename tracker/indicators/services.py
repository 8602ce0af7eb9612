"""Writes: entering a year's value, the supervision office's verdict, assigning the owner unit.

Each checks, mutates, flushes and records the audit entry; none commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid, NotAllowed
from tracker.core.i18n import N_
from tracker.indicators import evidence, permissions, queries, rules
from tracker.indicators.models import Indicator, IndicatorValue, ValueState
from tracker.plans.models import Unit

NOTE_MAX = 1000
COMMENT_MAX = 1000


@dataclass(frozen=True)
class ValueInput:
    year: int | None
    value: str
    note: str = ""
    evidence: bytes | None = None
    evidence_name: str = ""


def enter_value(session: Session, indicator: Indicator, data: ValueInput, *, upload_dir: str | Path,
                max_bytes: int, actor: Any, now: datetime, today: date) -> IndicatorValue:
    """Adds a new entry for the year (earlier entries are kept; the newest counts).

    Raises NotAllowed unless the actor belongs to the owner unit, Invalid(fields=...) on bad input.
    """
    if not permissions.can_enter_value(actor, indicator):
        raise NotAllowed(N_("只有该指标的责任单位可以填报数值。"))
    number, problems = _check_input(indicator, data, max_bytes=max_bytes, today=today)
    if problems:
        raise Invalid(N_("填报内容有误，请按提示修改。"), fields=problems)
    stored = None
    if data.evidence is not None:
        stored = evidence.store(upload_dir, data.evidence, data.evidence_name, max_bytes=max_bytes)
    value = IndicatorValue(
        indicator_id=indicator.id, year=data.year, value=number, note=data.note.strip(),
        unit_id=indicator.owner_unit_id, entered_at=now, entered_by_id=actor.id, state=ValueState.ENTERED,
        evidence_name=stored.name if stored else None, evidence_path=stored.path if stored else None,
        evidence_type=stored.kind if stored else None,
    )
    session.add(value)
    session.flush()
    audit.record(session, actor=actor, action="indicator_value.enter", obj=value,
                 new={"indicator": indicator.number, "year": value.year, "value": number, "note": value.note,
                      "evidence": value.evidence_name}, at=now)
    return value


def _check_input(indicator: Indicator, data: ValueInput, *, max_bytes: int,
                 today: date) -> tuple[float | None, dict[str, str]]:
    """Every field's problem at once, so the form shows them all beside their fields."""
    problems: dict[str, str] = {}
    number = None
    first = indicator.baseline_year + 1
    try:
        rules.check_year(data.year, first=first, last=indicator.target_year, current_year=today.year)
    except Invalid as invalid:
        problems.update(invalid.fields)
    try:
        number = rules.parse_value(data.value, percent=indicator.spec.percent)
    except Invalid as invalid:
        problems.update(invalid.fields)
    note = data.note.strip()
    if not note:
        problems["note"] = N_("请注明数据来源。")
    elif len(note) > NOTE_MAX:
        problems["note"] = N_("数据来源说明不能超过 1000 字。")
    if data.evidence is not None:
        try:
            evidence.check(data.evidence, max_bytes=max_bytes)
        except Invalid as invalid:
            problems.update(invalid.fields)
    return number, problems


def accept_value(session: Session, value: IndicatorValue, *, comment: str = "", actor: Any,
                 now: datetime) -> IndicatorValue:
    """The supervision office confirms the year's current value. Raises NotAllowed, Conflict."""
    _check_review(session, value, actor)
    if value.state is ValueState.ACCEPTED:
        raise Conflict(N_("该数值已确认。"))
    return _review(session, value, ValueState.ACCEPTED, comment.strip()[:COMMENT_MAX], actor=actor, now=now)


def query_value(session: Session, value: IndicatorValue, *, comment: str, actor: Any, now: datetime) -> IndicatorValue:
    """The supervision office questions (质疑) the value; the owner unit re-enters it.

    Raises NotAllowed, Conflict, Invalid when the comment is missing.
    """
    _check_review(session, value, actor)
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(N_("质疑时请写明意见。"), fields={"comment": N_("质疑时请写明意见。")})
    if len(comment) > COMMENT_MAX:
        raise Invalid(N_("意见不能超过 1000 字。"), fields={"comment": N_("意见不能超过 1000 字。")})
    if value.state is ValueState.QUERIED:
        raise Conflict(N_("该数值已被质疑，正等待责任单位重新填报。"))
    return _review(session, value, ValueState.QUERIED, comment, actor=actor, now=now)


def _check_review(session: Session, value: IndicatorValue, actor: Any) -> None:
    if not permissions.can_review_value(actor):
        raise NotAllowed(N_("只有督查室可以审核指标数值。"))
    if not queries.is_current(session, value):
        raise Conflict(N_("该年份已有更新的填报，请审核最新数值。"))


def _review(session: Session, value: IndicatorValue, state: ValueState, comment: str, *, actor: Any,
            now: datetime) -> IndicatorValue:
    old = {"state": value.state, "comment": value.review_comment}
    value.state, value.review_comment = state, comment
    value.reviewed_at, value.reviewed_by_id = now, actor.id
    session.flush()
    audit.record(session, actor=actor, action=f"indicator_value.{'accept' if state is ValueState.ACCEPTED else 'query'}",
                 obj=value, old=old, new={"state": state, "comment": comment}, at=now)
    return value


def assign_owner(session: Session, indicator: Indicator, unit: Unit, *, actor: Any, now: datetime) -> Indicator:
    """An administrator confirms or changes the owner unit; later seeds leave it alone.

    Raises NotAllowed for anyone but an administrator, Invalid for a collective unit (it has no users).
    """
    if not permissions.can_assign_owner(actor):
        raise NotAllowed(N_("只有系统管理员可以指定指标责任单位。"))
    if unit.is_group:
        raise Invalid(N_("请选择具体单位，不能选择集合单位。"), fields={"unit": N_("请选择具体单位，不能选择集合单位。")})
    old = {"owner": indicator.owner.name if indicator.owner else None, "proposed": indicator.owner_proposed}
    indicator.owner, indicator.owner_proposed = unit, False
    session.flush()
    audit.record(session, actor=actor, action="indicator.owner", obj=indicator, old=old,
                 new={"owner": unit.name, "proposed": False}, at=now)
    return indicator
