"""The notices the reminders send when a domain below announces an action (their signals.py)."""
from __future__ import annotations

from tracker.reminders import notices
from tracker.reporting import signals as reporting
from tracker.supervision import signals as supervision


@supervision.escalation_opened.connect
def _escalation_opened(session, *, escalation, colour, now, base_url):
    return notices.escalation_opened(session, escalation, colour=colour, now=now, base_url=base_url)


@supervision.escalation_overdue.connect
def _escalation_overdue(session, *, escalation, unit_ids, colour, now, base_url):
    return notices.escalation_overdue(session, escalation, unit_ids, colour=colour, now=now, base_url=base_url)


@supervision.report_returned.connect
def _report_returned(session, *, review, now, base_url):
    return notices.report_returned(session, review, now=now, base_url=base_url)


@supervision.report_accepted.connect
def _report_accepted(session, *, review, now, base_url):
    return notices.report_accepted(session, review, now=now, base_url=base_url)


@reporting.extension_decided.connect
def _extension_decided(session, *, extension, now, base_url):
    return notices.extension_decided(session, extension, now=now, base_url=base_url)
