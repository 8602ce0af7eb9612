"""Writes to the plan: loading seed data in place, expanding groups into assignments.

Responsibility has history: a change (a roster, a task's units) ends today's rows at the
previous period and starts new ones from the current period, so what earlier periods
owed never changes. The current period is the quarter `today` falls in.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.core.quarters import Quarter
from tracker.plans.lifecycle import require_active
from tracker.plans.models import Assignment, Duty, GroupMember, Plan, Section, Task, TaskUnit, Unit, UnitKind


@dataclass
class SeedChanges:
    """What a seed run did, for the CLI to print and the audit log to keep."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def load_seed(session: Session, seed: dict[str, Any], *, actor: Any, now: datetime) -> tuple[Plan, SeedChanges]:
    """Creates or updates one plan from seed data; running it twice changes nothing.

    Units are the city's, shared by every plan; a second plan never touches the first's
    sections or tasks. Raises KeyError/ValueError on seed data without the required fields.
    """
    changes = SeedChanges()
    units, regrouped = _load_units(session, seed.get("units", []), changes, actor=actor, now=now)
    info = seed["plan"]
    plan = session.scalar(select(Plan).where(Plan.key == info["title"]))
    if plan is None:
        plan = Plan(key=info["title"], title=info["title"], start_year=int(info["start_year"]),
                    end_year=int(info["end_year"]), imported_at=now)
        session.add(plan)
        changes.created.append(f"plan {plan.title}")
        audit.record(session, actor=actor, action="plan.create", obj=plan, new=info, at=now)
    else:
        apply_seed_values(session, plan, {"start_year": int(info["start_year"]), "end_year": int(info["end_year"])},
                          changes, label=f"plan {plan.title}", actor=actor, now=now)
    sections = _load_sections(session, plan, seed.get("sections", []), changes, actor=actor, now=now)
    changed_tasks = _load_tasks(session, plan, sections, units, seed["tasks"], changes, actor=actor, now=now)
    for group in regrouped:
        changed_tasks.extend(t for t in tasks_of_group(session, group) if t not in changed_tasks)
    if changed_tasks:
        expand_assignments(session, changed_tasks, today=now.date())
    return plan, changes


def apply_seed_values(session: Session, obj: Any, values: dict[str, Any], changes: SeedChanges, *,
                      label: str, actor: Any, now: datetime) -> bool:
    """Sets the seed's values that differ on a row, notes them in `changes` and the audit log; False if none did."""
    old = {k: getattr(obj, k) for k, v in values.items() if getattr(obj, k) != v}
    if not old:
        return False
    for key in old:
        setattr(obj, key, values[key])
    changes.updated.append(f"{label}: {', '.join(sorted(old))}")
    audit.record(session, actor=actor, action="seed.update", obj=obj, old=old,
                 new={k: values[k] for k in old}, at=now)
    return True


def _load_units(session: Session, records: Iterable[dict[str, Any]], changes: SeedChanges, *,
                actor: Any, now: datetime) -> tuple[dict[str, Unit], list[Unit]]:
    """The seed's units; returns them by name and the groups that gained members."""
    records = list(records)
    existing = {u.name: u for u in session.scalars(select(Unit))}
    for record in records:
        unit = existing.get(record["name"])
        kind = UnitKind(record.get("kind", "department"))
        if unit is None:
            unit = Unit(name=record["name"], kind=kind, aliases=list(record.get("aliases", [])), emails=[],
                        removed_aliases=[])
            session.add(unit)
            existing[unit.name] = unit
            changes.created.append(f"unit {unit.name}")
        else:
            # An alias an administrator removed stays removed.
            removed = set(unit.removed_aliases or [])
            aliases = list(dict.fromkeys([*unit.aliases, *(a for a in record.get("aliases", []) if a not in removed)]))
            apply_seed_values(session, unit, {"kind": kind, "aliases": aliases}, changes,
                              label=f"unit {unit.name}", actor=actor, now=now)
    session.flush()
    rows: dict[int, dict[int, GroupMember]] = {}
    for row in session.scalars(select(GroupMember)):
        rows.setdefault(row.group_id, {})[row.member_id] = row
    start = Quarter.containing(now.date()).key
    regrouped = []
    for record in records:
        unit = existing[record["name"]]
        office = record.get("office")
        if office and unit.office_id is None:
            unit.office = existing.get(office) or _new_unit(session, existing, office, changes)
        # Members from the seed are added; members an administrator added, or removed
        # (an ended row), are left as they are.
        known = rows.get(unit.id, {})
        added = False
        for name in record.get("members", []):
            member = existing.get(name) or _new_unit(session, existing, name, changes)
            session.flush()
            if member.id not in known:
                session.add(GroupMember(group_id=unit.id, member_id=member.id, from_period=start if known else None))
                changes.updated.append(f"unit {unit.name}: member {name}")
                added = True
        if added:
            regrouped.append(unit)
            session.flush()
            session.expire(unit, ["members"])
    session.flush()
    return existing, regrouped


def _new_unit(session: Session, existing: dict[str, Unit], name: str, changes: SeedChanges) -> Unit:
    unit = Unit(name=name, kind=UnitKind.DEPARTMENT, aliases=[], emails=[])
    session.add(unit)
    existing[name] = unit
    changes.created.append(f"unit {name}")
    return unit


def _load_sections(session: Session, plan: Plan, records: list[dict[str, Any]], changes: SeedChanges, *,
                   actor: Any, now: datetime) -> dict[str, Section]:
    existing = {s.key: s for s in session.scalars(select(Section).where(Section.plan_id == plan.id))} if plan.id else {}
    for position, record in enumerate(records, start=1):
        values = {"title": record["title"], "part": record.get("part", ""), "position": record.get("position", position)}
        section = existing.get(record["key"])
        if section is None:
            section = Section(plan=plan, key=record["key"], **values)
            session.add(section)
            existing[section.key] = section
            changes.created.append(f"section {section.key}")
        else:
            apply_seed_values(session, section, values, changes, label=f"section {section.key}", actor=actor, now=now)
    session.flush()
    return existing


def _load_tasks(session: Session, plan: Plan, sections: dict[str, Section], units: dict[str, Unit],
                records: list[dict[str, Any]], changes: SeedChanges, *, actor: Any, now: datetime) -> list[Task]:
    existing = {
        t.number: t
        for t in session.scalars(
            select(Task).where(Task.plan_id == plan.id).options(selectinload(Task.written_units))
        )
    }
    changed: list[Task] = []
    for position, record in enumerate(records, start=1):
        section = sections[record["section_key"]]
        values = {"title": record["title"], "text": record["text"], "units_text": record.get("units_text", ""),
                  "position": position, "section_id": section.id}
        leads = record.get("leads") or [record["lead"]]
        names = [*leads, *(name for name in record.get("co", []) if name not in leads)]
        duties = [Duty.LEAD] * len(leads) + [Duty.CO] * (len(names) - len(leads))
        task = existing.get(record["number"])
        if task is None:
            task = Task(plan=plan, number=record["number"], **values)
            session.add(task)
            changes.created.append(f"task {task.number}")
            changed.append(task)
        elif apply_seed_values(session, task, values, changes, label=f"task {task.number}", actor=actor, now=now):
            changed.append(task)
        written = [(tu.unit.name, tu.duty) for tu in task.written_units]
        if written != list(zip(names, duties)):
            if task.id is not None and written:
                changes.updated.append(f"task {task.number}: units")
                audit.record(session, actor=actor, action="task.units", obj=task,
                             old={"units": [name for name, _ in written],
                                  "leads": [name for name, duty in written if duty is Duty.LEAD]},
                             new={"units": names, "leads": leads}, at=now)
                if task not in changed:
                    changed.append(task)
            task.written_units.clear()
            session.flush()
            for index, (name, duty) in enumerate(zip(names, duties)):
                unit = units.get(name) or _new_unit(session, units, name, changes)
                task.written_units.append(TaskUnit(unit=unit, position=index, duty=duty))
    session.flush()
    return changed


def expand_assignments(session: Session, tasks: Iterable[Task], *, today: date) -> None:
    """Recomputes who answers for each task from its written units and today's rosters.

    A group counts through its members; while it has none, its office acts for it.
    When a group with an office leads, the office leads and the members assist.
    A task's first assignments hold from the plan's start; a later change holds from the
    current period on and ends the rows it replaces at the previous period.
    """
    tasks = list(tasks)
    if not tasks:
        return
    session.flush()
    ids = [t.id for t in tasks]
    written = session.scalars(
        select(TaskUnit).where(TaskUnit.task_id.in_(ids)).order_by(TaskUnit.task_id, TaskUnit.position)
        .options(selectinload(TaskUnit.unit).selectinload(Unit.members))
    ).all()
    rows = session.scalars(select(Assignment).where(Assignment.task_id.in_(ids))).all()
    ever = {a.task_id for a in rows}
    by_task: dict[int, dict[int, Assignment]] = {}
    for a in rows:
        if a.until_period is None:
            by_task.setdefault(a.task_id, {})[a.unit_id] = a
    wanted: dict[int, dict[int, tuple[Duty, int | None, int]]] = {tid: {} for tid in ids}
    for tu in written:
        target = wanted[tu.task_id]
        for unit_id, duty, via in _expand(tu.unit, tu.duty):
            target.setdefault(unit_id, (duty, via, tu.position))
    current = Quarter.containing(today)
    for task_id, target in wanted.items():
        have = by_task.get(task_id, {})
        start = current.key if task_id in ever else None
        for unit_id, assignment in have.items():
            if unit_id not in target:
                _end(session, assignment, current)
        for unit_id, (duty, via, position) in target.items():
            assignment = have.get(unit_id)
            if assignment is not None and (assignment.duty, assignment.via_group_id) == (duty, via):
                assignment.position = position
                continue
            if assignment is not None:
                _end(session, assignment, current)
            session.add(Assignment(task_id=task_id, unit_id=unit_id, duty=duty, via_group_id=via, position=position,
                                   from_period=start))
    session.flush()


def _end(session: Session, row: Assignment | GroupMember, current: Quarter) -> None:
    """The row no longer holds from the current period; one that began in it is simply dropped."""
    if row.from_period is not None and row.from_period >= current.key:
        session.delete(row)
    else:
        row.until_period = current.previous().key


def _expand(unit: Unit, duty: Duty) -> list[tuple[int, Duty, int | None]]:
    if not unit.is_group:
        return [(unit.id, duty, None)]
    out: list[tuple[int, Duty, int | None]] = []
    if unit.office_id is not None and (duty is Duty.LEAD or not unit.members):
        out.append((unit.office_id, duty, unit.id))
        duty = Duty.CO
    out.extend((member.id, duty, unit.id) for member in unit.members)
    return out


def tasks_of_group(session: Session, group: Unit) -> list[Task]:
    """Tasks whose written units name the group: their assignments change with its roster."""
    return list(session.scalars(select(Task).join(TaskUnit).where(TaskUnit.unit_id == group.id)))


def set_group_members(session: Session, group: Unit, members: list[Unit], *, office: Unit | None = None,
                      actor: Any, now: datetime) -> None:
    """Replaces a group's members (and its acting office) from the current period on and
    re-expands every task that names it; earlier periods keep the roster they had."""
    old = {"members": [m.name for m in group.members], "office": group.office.name if group.office else None}
    current = Quarter.containing(now.date())
    wanted = {m.id for m in members if not m.is_group}
    rows = {r.member_id: r for r in session.scalars(select(GroupMember).where(GroupMember.group_id == group.id))}
    for member_id, row in rows.items():
        if row.until_period is None and member_id not in wanted:
            _end(session, row, current)
        elif row.until_period is not None and member_id in wanted:
            row.from_period, row.until_period = current.key, None  # back again from now on
    for member_id in wanted - rows.keys():
        session.add(GroupMember(group_id=group.id, member_id=member_id, from_period=current.key if rows else None))
    if office is not None:
        group.office = office
    session.flush()
    session.expire(group, ["members"])
    audit.record(session, actor=actor, action="group.members", obj=group, old=old,
                 new={"members": [m.name for m in group.members],
                      "office": group.office.name if group.office else None}, at=now)
    session.flush()
    expand_assignments(session, tasks_of_group(session, group), today=now.date())


def set_task_units(session: Session, task: Task, leads: list[Unit], co: list[Unit], *, actor: Any,
                   now: datetime) -> bool:
    """The task's 责任单位 as an administrator sets them (its leads in order, then the co-units), from
    the current period on; earlier periods keep who answered then. Returns False if nothing changed.

    Raises Invalid without a lead, Conflict if the plan is archived.
    """
    require_active(task.plan)
    leads = list(dict.fromkeys(leads))
    co = [unit for unit in dict.fromkeys(co) if unit not in leads]
    if not leads:
        raise Invalid(N_("请选择牵头单位。"), fields={"lead": N_("请选择牵头单位。")})
    old = [(tu.unit.name, tu.duty) for tu in task.written_units]
    new = [(u.name, Duty.LEAD) for u in leads] + [(u.name, Duty.CO) for u in co]
    if old == new:
        return False
    task.written_units.clear()
    session.flush()
    for position, unit in enumerate([*leads, *co]):
        task.written_units.append(TaskUnit(unit=unit, position=position,
                                           duty=Duty.LEAD if position < len(leads) else Duty.CO))
    audit.record(session, actor=actor, action="task.units", obj=task,
                 old={"units": [n for n, _ in old], "leads": [n for n, d in old if d is Duty.LEAD]},
                 new={"units": [n for n, _ in new], "leads": [u.name for u in leads]}, at=now)
    session.flush()
    expand_assignments(session, [task], today=now.date())
    return True


def update_unit(session: Session, unit: Unit, *, emails: list[str], aliases: list[str], actor: Any,
                now: datetime) -> None:
    """A unit's contact addresses (reminders go there) and the other names plans use for it."""
    old = {"emails": list(unit.emails or []), "aliases": list(unit.aliases or [])}
    new = {"emails": list(dict.fromkeys(emails)), "aliases": list(dict.fromkeys(aliases))}
    if old == new:
        return
    unit.emails, unit.aliases = new["emails"], new["aliases"]
    # Remembered so that a re-seed does not bring a removed alias back.
    removed = [a for a in dict.fromkeys([*(unit.removed_aliases or []), *old["aliases"]]) if a not in new["aliases"]]
    unit.removed_aliases = removed
    audit.record(session, actor=actor, action="unit.update", obj=unit, old=old, new=new, at=now)


__all__ = ["GroupMember", "SeedChanges", "expand_assignments", "load_seed", "set_group_members"]
