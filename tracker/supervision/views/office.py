"""The office's overview pages: dashboard, lagging list, compliance table, open escalations, the rules."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from tracker import clock
from tracker.db import db
from tracker.reporting.queries import get_current_period, get_period
from tracker.supervision import dashboard as reads
from tracker.supervision import signals
from tracker.supervision.filters import parse_lagging_filters
from tracker.supervision.light_rules import Colour, describe_rules
from tracker.supervision.queries import list_lights, page_lagging
from tracker.supervision.records import list_escalations
from tracker.supervision.settings import current_rules
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, shown_plan

PAGE_SIZE = 50   # rows per page of the lagging list: a screen or two, and half the rendering of 100


@bp.get("")
@office_page
def dashboard():
    plan, today = shown_plan(), clock.today()
    board = reads.get_dashboard(db.session, plan, today=today)
    panels = [panel for _, panel in signals.dashboard_panels.send(db.session, plan=plan, today=today)]
    return render_template("supervision/dashboard.html", plan=plan, board=board, charts=_charts(board),
                           panels=panels)


@bp.get("/lagging")
@office_page
def lagging():
    plan, today = shown_plan(), clock.today()
    options = reads.get_filter_options(db.session, plan, today=today)
    filters, problems = parse_lagging_filters(
        request.args, section_keys={s.key for s in options.sections}, unit_ids={u.id for u in options.units},
        period_keys={p.key for p in options.periods})
    lights = list_lights(db.session, plan.id, today=today)
    rows, total = page_lagging(db.session, plan.id, lights, section_key=filters.section_key, unit_id=filters.unit_id,
                               colour=filters.colour, period_key=filters.period_key,
                               offset=(filters.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    page = render_template("supervision/lagging.html", plan=plan, rows=rows, total=total, options=options,
                           pages=max(1, -(-total // PAGE_SIZE)), filters=filters, colours=list(Colour),
                           problems=[problem.text(_) for problem in problems])
    return page, 400 if problems else 200


@bp.get("/compliance")
@office_page
def compliance():
    plan, today = shown_plan(), clock.today()
    key = request.args.get("period", "").strip()
    period = get_period(db.session, plan.id, key) if key else get_current_period(db.session, plan.id, today=today)
    if period is None:
        message = _("本规划没有这个季度：%(value)s", value=key[:40]) if key else _("当前没有报送季度。")
        return render_template("supervision/compliance.html", plan=plan, figures=None, message=message,
                               options=reads.get_filter_options(db.session, plan, today=today)), 400 if key else 200
    figures = reads.get_compliance(db.session, plan, period)
    return render_template("supervision/compliance.html", plan=plan, figures=figures, message=None,
                           options=reads.get_filter_options(db.session, plan, today=today))


@bp.get("/escalations")
@office_page
def escalations():
    plan = shown_plan()
    open_only = request.args.get("all") != "1"
    return render_template("supervision/escalations.html", plan=plan, open_only=open_only,
                           escalations=list_escalations(db.session, plan.id, open_only=open_only))


@bp.get("/help")
@office_page
def help_page():
    rules = current_rules(db.session)
    return render_template("supervision/help.html", rules=rules, written=describe_rules(rules))


def _charts(board: reads.Dashboard) -> dict:
    """What static/js/supervision.js draws, already translated."""
    colours = list(board.counts)
    ranked = board.compliance.ranked[:20]
    return {
        "lights": [{"key": c.value, "name": _(c.label), "value": board.counts[c]} for c in colours],
        "sections": {
            "names": [s.section.title for s in board.sections],
            "series": [{"key": c.value, "name": _(c.label), "data": [s.counts[c] for s in board.sections]}
                       for c in colours],
            "percent": [round(s.mean_percent, 1) if s.mean_percent is not None else None for s in board.sections],
            "percentName": _("平均完成进度（%）"),
        },
        "compliance": {
            "names": [r.unit_name for r in ranked],
            "rate": [round((r.tally.rate or 0) * 100, 1) for r in ranked],
            "onTime": [round((r.tally.on_time_rate or 0) * 100, 1) for r in ranked],
            "rateName": _("报送率（%）"), "onTimeName": _("按时报送率（%）"),
        },
    }
