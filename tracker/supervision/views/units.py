"""One unit's record across quarters, for the office: owed, on time, late, missing; and its gaps."""
from __future__ import annotations

from flask import render_template

from tracker import clock
from tracker.db import db
from tracker.plans.models import Unit
from tracker.supervision import records
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, shown_plan


@bp.get("/units/<int:unit_id>")
@office_page
def unit(unit_id: int):
    plan, today = shown_plan(), clock.today()
    found = db.get_or_404(Unit, unit_id)
    return render_template("supervision/unit.html", plan=plan, unit=found,
                           record=records.list_unit_record(db.session, plan, found.id, today=today),
                           gaps=records.list_unit_gaps(db.session, plan, found.id, today=today))
