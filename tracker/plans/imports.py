"""Importing a plan in two steps: preview what the file says, map the names no one knows, commit; undo.

The preview is the same `parse_plan` that `tracker import-plan` runs, given the units
the database already has. A person's mapping of an unknown name is saved as data
(an alias of the unit meant, or a new unit or group), so the next import knows it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.core.inputs import whole_number
from tracker.planimport import ImportResult, Problem, import_document, parse_plan
from tracker.planimport.units import normalise_unit_name
from tracker.plans import queries, signals
from tracker.plans.models import Plan, Task, Unit, UnitKind

NEW_UNIT, GROUP = "new", "group"


@dataclass(frozen=True)
class Unknown:
    """A name the preview could not resolve to a unit the database has, and what it was taken for."""

    name: str
    is_group: bool
    suggestions: tuple[str, ...]


def preview_import(session: Session, data: bytes) -> ImportResult:
    """The file read and parsed against the database's units (and their cities)."""
    return import_document(data, known=queries.list_known_units(session))


def preview_text(session: Session, text: str, reading_problems: list[Problem] | tuple = ()) -> ImportResult:
    """A file's text (read once, at upload) parsed against the database's units; again after the mapping."""
    if any(p.code == "wrong_kind" for p in reading_problems):
        return ImportResult(problems=list(reading_problems))
    result = parse_plan(text, known=queries.list_known_units(session))
    result.problems[:0] = reading_problems
    return result


def unknown_names(result: ImportResult) -> list[Unknown]:
    """Each unit neither the database nor the roster knew, once, in the order the plan names them."""
    suggestions = {p.params["name"]: tuple(p.params["suggestions"].split("”“"))
                   for p in result.problems if p.code == "unit_suggestion"}
    kinds = {unit.name: unit.is_group for unit in result.units}
    return [Unknown(name, kinds.get(name, False), suggestions.get(name, ())) for name in result.new_names]


def map_unknown_names(session: Session, mapping: dict[str, str], *, actor: Any, now: datetime) -> None:
    """name → "unit:<id>" (the name becomes that unit's alias), "new" (a department) or "group" (no members yet)."""
    for name, target in mapping.items():
        name = normalise_unit_name(name)
        if session.scalar(select(Unit).where(Unit.name == name)) is not None:
            continue
        if target.startswith("unit:"):
            unit_id = target.removeprefix("unit:")
            unit = session.get(Unit, wanted) if (wanted := whole_number(unit_id)) is not None else None
            if unit is None:
                raise Invalid(N_("所选单位不存在。"))
            old = list(unit.aliases or [])
            if name not in old:
                unit.aliases = [*old, name]
                audit.record(session, actor=actor, action="unit.update", obj=unit,
                             old={"aliases": old}, new={"aliases": unit.aliases}, at=now)
        elif target in (NEW_UNIT, GROUP):
            unit = Unit(name=name, kind=UnitKind.GROUP if target == GROUP else UnitKind.DEPARTMENT,
                        aliases=[], emails=[])
            session.add(unit)
            session.flush()
            audit.record(session, actor=actor, action="unit.create", obj=unit, new={"name": name}, at=now)
        else:
            raise Invalid(N_("请为每个未识别的单位选择对应单位。"))
    session.flush()


def commit_import(session: Session, result: ImportResult, *, start_year: int, end_year: int,
                  first_period: str, actor: Any, now: datetime):
    """Loads the previewed plan with the years and first owed quarter the person set. Raises Invalid."""
    from tracker.plans.cli import seed_plan

    if result.errors:
        raise Invalid(N_("规划还有错误，改正文件后重新上传。"))
    if not 1990 <= start_year <= end_year <= start_year + 15:
        raise Invalid(N_("规划起止年份无效。"))
    if not (str(start_year) <= first_period[:4] <= str(end_year)):
        raise Invalid(N_("首个报送季度应在规划期内。"))
    seed = result.to_seed()
    seed["plan"].update(start_year=start_year, end_year=end_year)
    plan, changes = seed_plan(seed, actor=actor)
    if plan.first_owed_period != first_period:
        audit.record(session, actor=actor, action="plan.first_owed_period", obj=plan,
                     old={"first_owed_period": plan.first_owed_period}, new={"first_owed_period": first_period},
                     at=now)
        plan.first_owed_period = first_period
    session.flush()
    return plan, changes


def can_undo_import(session: Session, plan: Plan) -> bool:
    """An import can be undone while nobody has saved a report on it (the domains above answer: signals.py)."""
    return not any(has_work for _, has_work in signals.plan_has_work.send(session, plan=plan))


def undo_import(session: Session, plan: Plan, *, actor: Any, now: datetime) -> None:
    """Deletes the plan, its sections, tasks and periods. Raises Conflict once anyone has reported on it.

    The units stay: they are the city's, and the aliases a person mapped are worth keeping.
    """
    if not can_undo_import(session, plan):
        raise Conflict(N_("已有单位报送了该规划的进展，不能撤销导入。"))
    audit.record(session, actor=actor, action="plan.undo_import", obj=plan, old={"title": plan.title}, at=now)
    plan_id = plan.id
    session.expunge(plan)
    session.execute(delete(Task).where(Task.plan_id == plan_id))
    session.execute(delete(Plan).where(Plan.id == plan_id))
    session.flush()


def first_owed_default(today: date, start_year: int | None) -> str:
    """The current quarter: nothing before it is owed; a plan that has not begun yet, from its first quarter."""
    current = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    return max(current, f"{start_year}Q1") if start_year else current
