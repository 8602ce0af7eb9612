"""A unit's pages: 我的任务 (its workspace) and one period's quarterly report."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import CombinedMultiDict

from tracker import clock
from tracker.accounts.permissions import is_supervisor, is_unit_user, require
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.choice import requested_plan, shown_plan
from tracker.plans.queries import list_active_plans
from tracker.reporting import queries
from tracker.reporting.evidence_changes import delete_files
from tracker.reporting.forms import ReportRowForm, status_choices
from tracker.reporting.queries import Sheet, SheetRow
from tracker.reporting.services import MAX_TEXT, ReportInput, StaleReport, submission_open
from tracker.reporting.sheet import RowInput, RowOutcome, Storage, Upload, digest, save_sheet, stored_input
from tracker.reporting.sheet_filters import SheetFilters, count_stages, is_shown, parse_sheet_filters
from tracker.reporting.views import bp
from tracker.transaction import on_commit, savepoint


@bp.get("/workspace")
@login_required
def workspace():
    if is_supervisor(current_user):
        return redirect(url_for("plans.home"))  # the office starts from its dashboard
    require(is_unit_user(current_user))
    active = list_active_plans(db.session)
    chosen = requested_plan()
    shown = [chosen] if chosen is not None else active
    if not shown:
        return render_template("plans/empty.html")
    spaces = [queries.get_workspace(db.session, plan, current_user.unit_id, today=clock.today()) for plan in shown]
    # Every active plan the unit answers for, grouped by plan; a plan named by ?plan= even if empty.
    spaces = [ws for ws in spaces if chosen is not None or ws.tasks or ws.past] or spaces[:1]
    choices = list(dict.fromkeys([*active, *([chosen] if chosen else [])]))
    return render_template("reporting/workspace.html", spaces=spaces, ws=spaces[0], chosen=chosen, choices=choices)


@bp.get("/workspace/<period_key>")
@login_required
def sheet(period_key: str):
    plan, period = _unit_period(period_key)
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    filters, kept = parse_sheet_filters(request.args), _task_arg("saved")
    views = {row.task.id: RowView(row, _stored_form(row)) for row in _shown(sheet, filters, kept)}
    if kept in views:
        views[kept].done = request.args.get("did") if request.args.get("did") in ("saved", "submitted") else "saved"
    prefill = _task_arg("prefill")
    if prefill in views and views[prefill].form is not None:
        _prefill(views[prefill], period)
    return _render(sheet, views, filters)


@bp.post("/workspace/<period_key>")
@login_required
def save(period_key: str):
    plan, period = _unit_period(period_key)
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    filters = parse_sheet_filters(request.args)
    posted = _posted_forms(sheet)
    valid = {task_id: form.validate() for task_id, form in posted.items()}
    action = request.form.get("action", "save")
    verb, _sep, target = action.partition("-")
    row_id = whole_number(target)
    submit = {row_id} if verb == "submit" and row_id is not None else None
    rows = [_row_input(form, sheet.row(task_id)) for task_id, form in posted.items() if valid[task_id]]
    try:
        with savepoint():
            outcomes = save_sheet(db.session, sheet, rows, unit=current_user.unit, submit=submit,
                                  submit_all=action == "submit_all", storage=_storage(), actor=current_user,
                                  now=clock.now(), today=clock.today())
    except StaleReport:
        outcomes = {task_id: RowOutcome(conflict=True) for task_id in posted}
    discarded = [path for outcome in outcomes.values() for path in outcome.discarded]
    on_commit(lambda: delete_files(discarded))  # the old files go once the rows no longer name them
    if not all(valid.values()) or any(o.failed for o in outcomes.values()):
        return _again(plan, period, posted, outcomes, filters)
    _flash_summary(sheet, outcomes)
    named = {"plan": plan.id} if "plan" in request.args else {}  # the plan stays named if the page named it
    if row_id is None:
        return redirect(url_for(".sheet", period_key=period.key, **named, **filters.as_query()))
    did = "submitted" if outcomes.get(row_id) and outcomes[row_id].submitted else "saved"
    return redirect(url_for(".sheet", period_key=period.key, **named, **filters.as_query(), saved=row_id, did=did,
                            _anchor=f"task-{row_id}"))


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
    done: str | None = None       # "saved" / "submitted": this row was the one just saved
    prefill_missing: bool = False  # asked for last quarter's text, and there was none


def _unit_period(period_key: str):
    require(is_unit_user(current_user))
    plan = shown_plan(period_key=period_key, remember=False, switcher=False)
    period = queries.get_period(db.session, plan.id, period_key)
    if period is None or period.starts_on > clock.today():
        abort(404)
    return plan, period


def _render(sheet: Sheet, views: dict[int, RowView], filters: SheetFilters, status: int = 200):
    today = clock.today()
    return render_template("reporting/sheet.html", sheet=sheet, views=[views[r.task.id] for r in sheet.rows
                                                                       if r.task.id in views],
                           days_left=(sheet.period.due_on - today).days, can_submit=submission_open(sheet.period, today),
                           max_bytes=_storage().max_bytes, filters=filters, max_text=MAX_TEXT,
                           counts=count_stages(r.report.state.value if r.report else None for r in sheet.rows),
                           sections=_sections(sheet), status_choices=[(v, str(label)) for v, label in status_choices()],
                           labels=_field_labels(),
                           conflict=any(v.conflict for v in views.values())), status


def _field_labels() -> dict[str, str]:
    """The report form's labels, translated once for all the page's cards."""
    return {field.short_name: str(field.label.text) for field in ReportRowForm(prefix="labels")}


def _shown(sheet: Sheet, filters: SheetFilters, kept: int | None = None) -> list[SheetRow]:
    """The rows the filters let through, and the row just saved (so the clerk stays beside it)."""
    return [row for row in sheet.rows if row.task.id == kept or is_shown(
        filters, state_value=row.report.state.value if row.report else None, duty_value=row.duty.value,
        section_id=row.task.section_id)]


def _sections(sheet: Sheet) -> list:
    seen = {}
    for row in sheet.rows:
        seen.setdefault(row.task.section_id, row.task.section)
    return list(seen.values())


def _task_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return whole_number(value)


def _prefill(view: RowView, period) -> None:
    """Last quarter's text in this row's form, on request: a starting point, never sent as it is."""
    previous = queries.get_previous_report(db.session, period, current_user.unit_id, view.row.task.id)
    if previous is None:
        view.prefill_missing = True
        return
    form, data = view.form, stored_input(previous)
    form.status.data = data.status.value if data.status else ""
    form.percent.data = "" if data.percent is None or not view.row.is_lead else str(data.percent)
    form.progress.data, form.problems.data, form.next_steps.data = data.progress, data.problems, data.next_steps
    form.prefilled.data = digest(form.to_input(lead=view.row.is_lead))


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
    prefix = f"r{row.task.id}"
    removals = tuple(n for v in request.form.getlist(f"{prefix}-remove") if (n := whole_number(v)) is not None)
    replacements = tuple((item.id, Upload(upload.filename, upload.read(limit + 1))) for item in row.evidence
                         for upload in [request.files.get(f"{prefix}-replace-{item.id}")]
                         if upload is not None and upload.filename)
    return RowInput(task_id=row.task.id, data=form.to_input(lead=row.is_lead), expected_version=form.expected_version(),
                    loaded_digest=(form.digest.data or None), uploads=uploads,
                    prefilled_digest=(form.prefilled.data or None), removals=removals, replacements=replacements)


def _again(plan, period, posted: dict[int, ReportRowForm], outcomes: dict[int, RowOutcome], filters: SheetFilters):
    """The page again after a failure: failed rows keep the typed text beside their messages,
    carry the version this request saved (so the next save is not a false conflict) and name
    the chosen files the browser could not keep."""
    sheet = queries.get_sheet(db.session, plan, period, current_user.unit_id)
    failed = {task_id for task_id, form in posted.items()
              if form.errors or (outcomes.get(task_id) and outcomes[task_id].failed)}
    views = {}
    for row in _shown(sheet, filters) + [r for r in sheet.rows if r.task.id in failed]:
        outcome, form = outcomes.get(row.task.id), posted.get(row.task.id)
        if row.task.id not in failed or not row.is_editable:
            views[row.task.id] = RowView(row, _stored_form(row))
            continue
        view = views[row.task.id] = RowView(row, form, conflict=bool(outcome and outcome.conflict))
        for name, note in (outcome.errors.items() if outcome else ()):
            target = form[name].errors if name in form._fields else view.messages
            target.append(note.text(_))
        unsent = outcome.unsent_files if outcome else tuple(
            item.filename for item in (form.evidence.data or []) if getattr(item, "filename", None))
        if unsent:
            view.messages.append(_("以下文件未保存，请重新选择：%(names)s", names="、".join(unsent)))
        if view.conflict:  # the next save overwrites what the other person wrote, knowingly
            form.version.data = str(row.report.version) if row.report else "0"
            form.digest.data = digest(stored_input(row.report)) if row.report else _empty_digest()
        elif outcome and outcome.saved_version is not None and row.report is not None:
            form.version.data = str(row.report.version)   # what this request did save counts
            if outcome.saved:
                form.digest.data = digest(stored_input(row.report))
    return _render(sheet, views, filters, 409 if any(v.conflict for v in views.values()) else 422)


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
    removed = sum(o.removed for o in outcomes.values())
    if removed:
        flash(_("已删除 %(n)s 个佐证材料。", n=removed), "success")
    for task_id, outcome in outcomes.items():
        if outcome.not_submitted:
            task = sheet.row(task_id).task
            reasons = "；".join(note.text(_) for note in outcome.not_submitted.values())
            flash(_("任务 %(number)s 未报送：%(reasons)s", number=task.number, reasons=reasons), "warning")
    unedited = [sheet.row(task_id).task.number for task_id, o in outcomes.items() if o.unedited_return]
    if unedited:
        flash(_("%(n)s 项被退回的任务退回后未修改，未重新报送：%(numbers)s", n=len(unedited),
                numbers="、".join(unedited)), "warning")
    untouched = [sheet.row(task_id).task.number for task_id, o in outcomes.items() if o.untouched]
    if untouched:
        flash(_("%(n)s 项任务尚未填写，未报送：%(numbers)s", n=len(untouched), numbers="、".join(untouched)), "warning")
    if not (saved or submitted or uploaded or removed or untouched or unedited
            or any(o.not_submitted for o in outcomes.values())):
        flash(_("没有需要保存的修改。"), "info")


def _storage() -> Storage:
    config = current_app.config
    return Storage(config["TRACKER_UPLOAD_DIR"], int(config["TRACKER_UPLOAD_MAX_MB"]) * 1024 * 1024)
