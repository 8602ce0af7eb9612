"""The indicators' part of the office's pages and of the weekly digest (the signals of supervision and reminders)."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from tracker.indicators.queries import list_behind
from tracker.reminders.signals import digest_facts
from tracker.supervision.signals import dashboard_panels


@dashboard_panels.connect
def _behind_panel(session, *, plan, today) -> Markup:
    return Markup(render_template("indicators/_behind.html", indicators_behind=list_behind(session, plan.id, today=today)))


@digest_facts.connect
def _behind_in_digest(session, *, plan, today) -> dict:
    return {"indicators_behind": [dict(number=row.indicator.number, name=row.indicator.name,
                                       owner=row.indicator.owner.name if row.indicator.owner else "",
                                       reasons="；".join(reason.text() for reason in row.light.reasons))
                                  for row in list_behind(session, plan.id, today=today)]}
