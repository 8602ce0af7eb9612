"""Review (审核): the filtered queue of submitted reports, one report's page, accept or return it,
accept many at once, and "and next" through the queue."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.core.errors import DomainError
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.reporting.models import State
from tracker.reporting.queries import get_current_period
from tracker.supervision import dashboard as reads
from tracker.supervision import records, services
from tracker.supervision.filters import ReviewFilters, parse_review_filters
from tracker.supervision.light_rules import Colour
from tracker.supervision.queries import list_lights
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, refusal, shown_plan
from tracker.transaction import savepoint

PAGE_SIZE = 100
BATCH_MAX = 1000


@bp.get("/reviews")
@office_page
def reviews():
    plan, today = shown_plan(), clock.today()
    options = reads.get_filter_options(db.session, plan, today=today)
    filters, problems = _filters(plan, options)
    rows, total = records.page_review_queue(db.session, plan.id, **_queue_args(plan, filters), today=today,
                                            page=filters.page, per_page=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("supervision/reviews.html", plan=plan, options=options, filters=filters, rows=rows,
                           total=total, pages=pages, messages=[problem.text(_) for problem in problems],
                           period_key=filters.period_key, colours=list(Colour)), 400 if problems else 200


@bp.post("/reviews/accept")
@office_page
def accept_many():
    plan = shown_plan()
    ids = {n for v in request.form.getlist("report") if (n := whole_number(v)) is not None}
    back = url_for(".reviews", plan=plan.id, **_posted_filters())
    if not ids:
        flash(_("请先勾选要审核通过的报告。"), "warning")
        return redirect(back)
    if len(ids) > BATCH_MAX:
        flash(_("一次最多审核通过 %(n)s 份报告。", n=BATCH_MAX), "warning")
        return redirect(back)
    reports = records.get_reports(db.session, ids, plan.id)
    accepted, refused = services.accept_reports(db.session, reports, actor=current_user, now=clock.now(),
                                                base_url=current_app.config["TRACKER_BASE_URL"])
    if accepted:
        flash(_("已审核通过 %(n)s 份报告。", n=len(accepted)), "success")
    if refused:
        flash(_("%(n)s 份报告不在待审核状态，未处理（可能已被他人审核）。", n=len(refused)), "warning")
    return redirect(back)


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


def _filters(plan, options) -> tuple[ReviewFilters, list]:
    current = get_current_period(db.session, plan.id, today=clock.today())
    return parse_review_filters(request.args, section_keys={s.key for s in options.sections},
                                unit_ids={u.id for u in options.units}, period_keys={p.key for p in options.periods},
                                default_period=current.key if current else None)


def _queue_args(plan, filters: ReviewFilters) -> dict:
    task_ids = None
    if filters.colour is not None:
        lights = list_lights(db.session, plan.id, today=clock.today())
        task_ids = {task_id for task_id, lit in lights.items() if lit.colour is filters.colour}
    return dict(state=State(filters.state), period_key=filters.period_key, section_key=filters.section_key,
                unit_id=filters.unit_id, task_ids=task_ids)


def _posted_filters() -> dict[str, str]:
    """The queue's filters, carried as query arguments through the report page and its forms."""
    return {k: v for k, v in request.args.items() if k in ("period", "state", "section", "unit", "light", "page")}


def _queue_filters(plan) -> ReviewFilters:
    options = reads.get_filter_options(db.session, plan, today=clock.today())
    return _filters(plan, options)[0]


def _decide(found, decide, done: str):
    comment = request.form.get("comment", "")
    try:
        with savepoint():
            decide(db.session, found, comment=comment, actor=current_user, now=clock.now(),
                   base_url=current_app.config["TRACKER_BASE_URL"])
    except DomainError as error:
        return _report_page(records.get_report(db.session, found.id), error=error, comment=comment)
    flash(done, "success")
    if request.form.get("next"):
        plan = found.task.plan
        following = records.get_next_in_queue(db.session, plan.id, found, **_queue_args(plan, _queue_filters(plan)))
        if following is None:
            flash(_("筛选范围内的报告已全部审核。"), "info")
            return redirect(url_for(".reviews", plan=plan.id, **_posted_filters()))
        return redirect(url_for(".report", report_id=following, **_posted_filters()))
    return redirect(url_for(".report", report_id=found.id, **_posted_filters()))


def _report_page(found, *, error: DomainError | None = None, comment: str = ""):
    plan = found.task.plan
    reviewers = records.user_labels(db.session, [r.reviewer_id for r in found.reviews]
                                    + [v.saved_by_id for v in found.versions])
    following = records.get_next_in_queue(db.session, plan.id, found, **_queue_args(plan, _queue_filters(plan)))
    page = render_template("supervision/report.html", report=found, task=found.task, plan=plan,
                           others=records.list_other_reports(db.session, found), reviewers=reviewers,
                           error=refusal(error) if error else None, comment=comment, next_id=following,
                           queue_args=_posted_filters(), back_args={"period": found.period.key, **_posted_filters()})
    return page, error.status if error else 200
