"""Who may read and write reports: predicates shared by views, the API and templates.

A unit reads its own reports; the task's lead unit also reads its co-units' reports of
that task (their contributions); co-units never read each other's. The supervision
office reads everything. Only a unit's own users write its reports.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.accounts.permissions import can_act_for_unit, can_see_unit, is_authenticated, is_supervisor, is_unit_user
from tracker.plans.models import Duty


def lead_unit_ids(task_units: Mapping[int, Any] | Iterable[Any]) -> set[int]:
    """The lead units among a task's units: from {unit_id: Duty} or Assignment-like objects.

    Plain unit ids carry no duty, so they name no lead (the safe reading).
    """
    if isinstance(task_units, Mapping):
        return {uid for uid, duty in task_units.items() if _is_lead(duty)}
    rows: Iterable[Any] = task_units               # Assignment-like objects, or plain ids (no lead)
    return {item.unit_id for item in rows if hasattr(item, "unit_id") and _is_lead(item.duty)}


def _is_lead(duty: Any) -> bool:
    return duty is Duty.LEAD or duty == Duty.LEAD.value


def can_read_report(user, report, task_unit_ids) -> bool:
    """Supervisors; the report's own unit; the task's lead unit (for the co-units' reports).

    `task_unit_ids` describes the task's responsible units with their duty: a mapping
    {unit_id: Duty} (see queries.task_duties) or the task's Assignment rows.
    """
    if not is_authenticated(user):
        return False
    if is_supervisor(user):
        return True
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        return False
    if unit_id == report.unit_id:
        return True
    return unit_id in lead_unit_ids(task_unit_ids)


def can_edit_report(user, report_or_unit_id) -> bool:
    """Only the users of the report's unit write it (never the supervision office)."""
    unit_id = report_or_unit_id if isinstance(report_or_unit_id, int) else report_or_unit_id.unit_id
    return can_act_for_unit(user, unit_id)


def can_report_on_task(user, task_unit_ids: Iterable[int]) -> bool:
    """Writing a task's report: a unit user whose unit answers for the task."""
    return is_unit_user(user) and user.unit_id in set(task_unit_ids)


def can_see_extension(user, extension) -> bool:
    """A 延期申请: the office, and the unit that asked."""
    return can_see_unit(user, extension.unit_id)


def can_post_status_update(user, task_units: Mapping[int, Any] | Iterable[Any]) -> bool:
    """Between quarters, the lead unit's users post a dated status on the task."""
    if not is_authenticated(user) or is_supervisor(user):
        return False
    return getattr(user, "unit_id", None) in lead_unit_ids(task_units)
