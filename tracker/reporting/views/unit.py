"""A unit's pages: 我的任务 (its workspace) and one period's quarterly report."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import CombinedMultiDict

from tracker import clock
from tracker.accounts.permissions import is_supervisor, require
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.queries import get_default_plan
from tracker.reporting import queries
from tracker.reporting.forms import ReportRowForm
from tracker.reporting.queries import Sheet, SheetRow
from tracker.reporting.services import ReportInput, StaleReport, submission_open
from tracker.reporting.sheet import RowInput, RowOutcome, Storage, Upload, digest, save_sheet, stored_input
from tracker.reporting.views import bp


@bp.get("/workspace")
@login_required
def workspace():
    if is_supervisor(current_user):
        return redirect(url_for("plans.home"))  # the office starts from its dashboard
    require(current_user.unit_id is not None)
    plan = get_default_plan(db.session)
    if plan is None:
        return render_template("plans/empty.html")
    data = queries.get_workspace(db.session, plan, current_user.unit_id, today=clock.today())
    return render_template("reporting/workspace.html", ws=data)


@bp.get("/workspace/<period_key>")
@login_required
def sheet(period_key: str):
    plan, period = _unit_period(period_key)
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    return _render(sheet, {row.task.id: RowView(row, _stored_form(row)) for row in sheet.rows})


@bp.post("/workspace/<period_key>")
@login_required
def save(period_key: str):
    plan, period = _unit_period(period_key)
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    posted = _posted_forms(sheet)
    valid = {task_id: form.validate() for task_id, form in posted.items()}
    action = request.form.get("action", "save")
    submitted = whole_number(action[7:]) if action.startswith("submit-") else None
    submit = {submitted} if submitted is not None else None
    rows = [_row_input(form, sheet.row(task_id)) for task_id, form in posted.items() if valid[task_id]]
    try:
        outcomes = save_sheet(db.session, sheet, rows, unit=current_user.unit, submit=submit,
                              submit_all=action == "submit_all", storage=_storage(), actor=current_user,
                              now=clock.now(), today=clock.today())
    except StaleReport:
        db.session.rollback()
        outcomes = {task_id: RowOutcome(conflict=True) for task_id in posted}
    db.session.commit()
    if not all(valid.values()) or any(o.failed for o in outcomes.values()):
        return _again(plan, period, posted, outcomes)
    _flash_summary(sheet, outcomes)
    return redirect(url_for(".sheet", period_key=period.key))


@bp.errorhandler(413)
def too_large(error):
    """The whole upload exceeded the limit: say so plainly; the browser's back button keeps the text."""
    limit = current_app.config["TRACKER_UPLOAD_MAX_MB"]
    back = request.path if request.path.startswith("/workspace/") else url_for(".workspace")
    return render_template("reporting/too_large.html", limit=limit, back=back), 413


@dataclass
class RowView:
    """A row as the page shows it: its form (None once submitted), messages, a conflict."""

    row: SheetRow
    form: ReportRowForm | None
    messages: list[str] = field(default_factory=list)
    conflict: bool = False


def _unit_period(period_key: str):
    require(not is_supervisor(current_user) and current_user.unit_id is not None)
    plan = get_default_plan(db.session)
    period = queries.get_period(db.session, plan.id, period_key) if plan else None
    if period is None or period.starts_on > clock.today():
        abort(404)
    return plan, period


def _render(sheet: Sheet, views: dict[int, RowView], status: int = 200):
    today = clock.today()
    return render_template("reporting/sheet.html", sheet=sheet, views=[views[r.task.id] for r in sheet.rows],
                           days_left=(sheet.period.due_on - today).days, can_submit=submission_open(sheet.period, today),
                           max_bytes=_storage().max_bytes,
                           conflict=any(v.conflict for v in views.values())), status


def _stored_form(row: SheetRow) -> ReportRowForm | None:
    if not row.is_editable:
        return None
    report = row.report
    data = {"version": "0", "digest": digest(stored_input(report)) if report else _empty_digest()}
    if report is not None:
        data.update(status=report.status.value if report.status else "", progress=report.progress,
                    percent="" if report.percent is None else str(report.percent), problems=report.problems,
                    next_steps=report.next_steps, version=str(report.version))
    return ReportRowForm(prefix=f"r{row.task.id}", data=data)


def _empty_digest() -> str:
    return digest(ReportInput(status=None, percent=None))


def _posted_forms(sheet: Sheet) -> dict[int, ReportRowForm]:
    """The editable rows the page posted back (a row missing from the post is left alone)."""
    formdata = CombinedMultiDict([request.files, request.form])
    return {row.task.id: ReportRowForm(formdata, prefix=f"r{row.task.id}") for row in sheet.rows
            if row.is_editable and f"r{row.task.id}-version" in request.form}


def _row_input(form: ReportRowForm, row: SheetRow) -> RowInput:
    limit = _storage().max_bytes
    uploads = tuple(Upload(item.filename, item.read(limit + 1)) for item in (form.evidence.data or [])
                    if getattr(item, "filename", None))
    return RowInput(task_id=row.task.id, data=form.to_input(lead=row.is_lead), expected_version=form.expected_version(),
                    loaded_digest=(form.digest.data or None), uploads=uploads)


def _again(plan, period, posted: dict[int, ReportRowForm], outcomes: dict[int, RowOutcome]):
    """The page again after a failure: failed rows keep the typed text beside their messages."""
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    views = {}
    for row in sheet.rows:
        outcome, form = outcomes.get(row.task.id), posted.get(row.task.id)
        if form is None or not row.is_editable or not (form.errors or (outcome and outcome.failed)):
            views[row.task.id] = RowView(row, _stored_form(row))
            continue
        view = views[row.task.id] = RowView(row, form, conflict=bool(outcome and outcome.conflict))
        for name, note in (outcome.errors.items() if outcome else ()):
            target = form[name].errors if name in form._fields else view.messages
            target.append(note.text(_))
        if view.conflict:  # the next save overwrites what the other person wrote, knowingly
            form.version.data = str(row.report.version) if row.report else "0"
            form.digest.data = digest(stored_input(row.report)) if row.report else _empty_digest()
    return _render(sheet, views, 409 if any(v.conflict for v in views.values()) else 422)


def _flash_summary(sheet: Sheet, outcomes: dict[int, RowOutcome]) -> None:
    saved = sum(1 for o in outcomes.values() if o.saved and not o.submitted)
    submitted = sum(1 for o in outcomes.values() if o.submitted)
    if submitted:
        flash(_("已报送 %(n)s 项任务。", n=submitted), "success")
    if saved:
        flash(_("已保存 %(n)s 项草稿。", n=saved), "success")
    uploaded = sum(o.uploaded for o in outcomes.values())
    if uploaded:
        flash(_("已上传 %(n)s 个佐证材料。", n=uploaded), "success")
    for task_id, outcome in outcomes.items():
        if outcome.not_submitted:
            task = sheet.row(task_id).task
            reasons = "；".join(note.text(_) for note in outcome.not_submitted.values())
            flash(_("任务 %(number)s 未报送：%(reasons)s", number=task.number, reasons=reasons), "warning")
    untouched = [sheet.row(task_id).task.number for task_id, o in outcomes.items() if o.untouched]
    if untouched:
        flash(_("%(n)s 项任务尚未填写，未报送：%(numbers)s", n=len(untouched), numbers="、".join(untouched)), "warning")
    if not (saved or submitted or uploaded or untouched or any(o.not_submitted for o in outcomes.values())):
        flash(_("没有需要保存的修改。"), "info")


def _storage() -> Storage:
    config = current_app.config
    return Storage(config["TRACKER_UPLOAD_DIR"], int(config["TRACKER_UPLOAD_MAX_MB"]) * 1024 * 1024)
