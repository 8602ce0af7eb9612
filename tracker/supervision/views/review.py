"""Review (审核): the queue of submitted reports, one report's page, accept or return it."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.core.errors import DomainError
from tracker.db import db
from tracker.reporting.models import State
from tracker.supervision import dashboard as reads
from tracker.supervision import services
from tracker.supervision import records
from tracker.supervision.views import bp
from tracker.supervision.views.common import find_period, office_page, refusal, shown_plan


@bp.get("/reviews")
@office_page
def reviews():
    plan, key, today = shown_plan(), request.args.get("period", "").strip(), clock.today()
    period = find_period(plan, key) if key else reads.current_period(db.session, plan, today=today)
    options = reads.get_filter_options(db.session, plan, today=today)
    if period is None:
        message = _("本规划没有这个季度：%(value)s", value=key[:40]) if key else _("当前没有报送季度。")
        return render_template("supervision/reviews.html", plan=plan, period=None, message=message,
                               options=options), 400 if key else 200
    return render_template("supervision/reviews.html", plan=plan, period=period, message=None, options=options,
                           waiting=records.list_review_queue(db.session, plan.id, period.id),
                           returned=records.list_review_queue(db.session, plan.id, period.id, state=State.RETURNED))


@bp.get("/reports/<int:report_id>")
@office_page
def report(report_id: int):
    return _report_page(_get(report_id))


@bp.post("/reports/<int:report_id>/accept")
@office_page
def accept(report_id: int):
    return _decide(_get(report_id), services.accept_report, _("报告已审核通过。"))


@bp.post("/reports/<int:report_id>/return")
@office_page
def return_(report_id: int):
    return _decide(_get(report_id), services.return_report, _("报告已退回，责任单位将看到退回意见并收到通知。"))


def _get(report_id: int):
    found = records.get_report(db.session, report_id)
    if found is None:
        abort(404)
    return found


def _decide(found, decide, done: str):
    comment = request.form.get("comment", "")
    try:
        decide(db.session, found, comment=comment, actor=current_user, now=clock.now(),
               base_url=current_app.config["TRACKER_BASE_URL"])
    except DomainError as error:
        db.session.rollback()
        return _report_page(records.get_report(db.session, found.id), error=error, comment=comment)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".report", report_id=found.id))


def _report_page(found, *, error: DomainError | None = None, comment: str = ""):
    reviewers = records.user_labels(db.session, [r.reviewer_id for r in found.reviews]
                                    + [v.saved_by_id for v in found.versions])
    page = render_template("supervision/report.html", report=found, task=found.task, plan=found.task.plan,
                           others=records.list_other_reports(db.session, found), reviewers=reviewers,
                           error=refusal(error) if error else None, comment=comment)
    return page, error.status if error else 200
