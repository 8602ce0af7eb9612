"""Who reads and writes reports: the predicates every view and the API share."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tracker.plans.models import Duty
from tracker.reporting.permissions import can_edit_report, can_post_status_update, can_read_report

LEAD, CO_A, CO_B, STRANGER = 1, 2, 3, 4
TASK = {LEAD: Duty.LEAD, CO_A: Duty.CO, CO_B: Duty.CO}


def user(unit_id=None, supervisor=False):
    return SimpleNamespace(is_authenticated=True, is_supervisor=supervisor, unit_id=unit_id)


def report(unit_id):
    return SimpleNamespace(unit_id=unit_id)


@pytest.mark.parametrize("reader, owner, allowed", [
    (user(LEAD), LEAD, True),
    (user(LEAD), CO_A, True),              # the lead reads its co-units' contributions
    (user(CO_A), CO_A, True),
    (user(CO_A), CO_B, False),             # co-units do not read each other
    (user(CO_A), LEAD, False),
    (user(STRANGER), LEAD, False),
    (user(supervisor=True), CO_B, True),
    (SimpleNamespace(is_authenticated=False), LEAD, False),
])
def test_who_reads_a_report(reader, owner, allowed):
    assert can_read_report(reader, report(owner), TASK) is allowed


def test_plain_unit_ids_name_no_lead_so_nobody_reads_beyond_their_own():
    assert can_read_report(user(LEAD), report(CO_A), [LEAD, CO_A, CO_B]) is False
    assert can_read_report(user(CO_A), report(CO_A), [LEAD, CO_A, CO_B]) is True


def test_assignment_rows_name_the_lead_too():
    rows = [SimpleNamespace(unit_id=uid, duty=duty) for uid, duty in TASK.items()]
    assert can_read_report(user(LEAD), report(CO_B), rows) is True


@pytest.mark.parametrize("writer, owner, allowed", [
    (user(LEAD), LEAD, True),
    (user(LEAD), CO_A, False),             # reading is not writing
    (user(supervisor=True), LEAD, False),  # the office reviews; it does not write a unit's report
])
def test_only_the_reports_own_unit_writes_it(writer, owner, allowed):
    assert can_edit_report(writer, report(owner)) is allowed
    assert can_edit_report(writer, owner) is allowed


@pytest.mark.parametrize("poster, allowed", [(user(LEAD), True), (user(CO_A), False), (user(supervisor=True), False)])
def test_only_the_lead_posts_status_updates(poster, allowed):
    assert can_post_status_update(poster, TASK) is allowed
