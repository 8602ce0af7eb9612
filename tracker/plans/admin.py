"""Administrators keep the city's rosters (unit contacts, group members) and import plans."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import is_admin, require
from tracker.core.errors import DomainError
from tracker.db import db
from tracker.planimport.source import read_document
from tracker.plans import imports, queries, services, uploads
from tracker.plans.forms import GroupForm, ImportConfirmForm, PlanUploadForm, UndoImportForm, UnitForm, lines
from tracker.plans.models import Plan, Unit, UnitKind
from tracker.transaction import savepoint

bp = Blueprint("admin_plans", __name__, url_prefix="/admin")

MAX_PLAN_BYTES = 5 * 1024 * 1024


@bp.before_request
@login_required
def _admins_only():
    require(is_admin(current_user))


@bp.get("/units")
def units():
    return render_template("plans/admin_units.html", units=queries.list_units(db.session))


def _group_form(unit: Unit) -> GroupForm:
    form = GroupForm(prefix="group", members=[m.id for m in unit.members], office=unit.office_id or 0)
    choices = [(u.id, u.name) for u in db.session.scalars(
        select(Unit).where(Unit.kind != UnitKind.GROUP).order_by(Unit.kind, Unit.name))]
    form.members.choices = choices
    form.office.choices = [(0, "—")] + choices
    return form


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(prefix="unit", emails="\n".join(unit.emails or []), aliases="\n".join(unit.aliases or []))
    group = _group_form(unit) if unit.is_group else None
    posted = request.form if request.method == "POST" else {}
    if "unit-emails" in posted and form.validate_on_submit():
        services.update_unit(db.session, unit, emails=lines(form.emails.data), aliases=lines(form.aliases.data),
                             actor=current_user, now=clock.now())
        flash(_("已保存 %(name)s。", name=unit.name), "success")
        return redirect(url_for(".unit", unit_id=unit.id))
    if group is not None and "group-office" in posted and group.validate_on_submit():
        members = list(db.session.scalars(select(Unit).where(Unit.id.in_(group.members.data or []))))
        services.set_group_members(db.session, unit, members, office=db.session.get(Unit, group.office.data),
                                   actor=current_user, now=clock.now())
        flash(_("已更新 %(name)s 的成员，相关任务的承办单位已随之调整。", name=unit.name), "success")
        return redirect(url_for(".unit", unit_id=unit.id))
    return render_template("plans/admin_unit.html", unit=unit, form=form, group=group)


@bp.route("/plans/import", methods=["GET", "POST"])
def import_plan():
    """Step 1: the upload; a readable file goes straight to its preview."""
    form = PlanUploadForm()
    if form.validate_on_submit():
        data = form.plan_file.data.read(MAX_PLAN_BYTES + 1)
        if len(data) > MAX_PLAN_BYTES:
            form.plan_file.errors.append(_("文件太大：规划文件不应超过 5 MB。"))
        else:
            text, problems = read_document(data)
            return _preview(text, ImportConfirmForm(formdata=None), problems)
    plans = [(plan, imports.can_undo_import(db.session, plan)) for plan in queries.list_plans(db.session)]
    return render_template("plans/admin_import.html", form=form, plans=plans)


@bp.post("/plans/import/confirm")
def confirm_import():
    """Step 2: the person's mapping of unknown names, the years and the first quarter; then commit."""
    form = ImportConfirmForm()
    text = uploads.unsign(form.upload.data)
    if text is None:
        flash(_("上传的内容已失效，请重新上传文件。"), "warning")
        return redirect(url_for(".import_plan"))
    if not form.validate_on_submit():
        return _preview(text, form)
    unknown = imports.unknown_names(imports.preview_text(db.session, text))
    mapping = {u.name: request.form.get(f"map-{i}") or (imports.GROUP if u.is_group else imports.NEW_UNIT)
               for i, u in enumerate(unknown)}
    try:
        with savepoint():
            imports.map_unknown_names(db.session, mapping, actor=current_user, now=clock.now())
            result = imports.preview_text(db.session, text)
            plan, changes = imports.commit_import(db.session, result, start_year=form.start_year.data,
                                                  end_year=form.end_year.data, first_period=form.first_period.data,
                                                  actor=current_user, now=clock.now())
    except DomainError as error:
        flash(_(error.template, **error.params), "danger")
        return _preview(text, form)
    flash(_("已导入《%(title)s》：%(summary)s", title=plan.title, summary=result.summary(_)), "success")
    return redirect(url_for("plans.overview", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/undo-import")
def undo_import(plan_id: int):
    plan = db.get_or_404(Plan, plan_id)
    form = UndoImportForm()
    if form.validate_on_submit():
        title = plan.title
        try:
            with savepoint():
                imports.undo_import(db.session, plan, actor=current_user, now=clock.now())
        except DomainError as error:
            flash(_(error.template, **error.params), "danger")
            return redirect(url_for(".import_plan"))
        flash(_("已撤销导入《%(title)s》。", title=title), "success")
    return redirect(url_for(".import_plan"))


def _preview(text: str, form: ImportConfirmForm, reading_problems=()):
    """The preview page; a file that could not be read is shown with its problems and cannot be committed."""
    result = imports.preview_text(db.session, text, reading_problems)
    unknown = imports.unknown_names(result)
    form.upload.data = "" if any(p.severity == "error" for p in reading_problems) else uploads.sign(text)
    if form.start_year.data is None:
        form.start_year.data, form.end_year.data = result.plan.start_year, result.plan.end_year
    if not form.first_period.data:  # a plan imported again keeps its first owed quarter
        existing = db.session.scalar(select(Plan).where(Plan.key == result.plan.title)) if result.plan.title else None
        form.first_period.data = (existing.first_owed_period if existing and existing.first_owed_period
                                  else imports.first_owed_default(clock.today(), result.plan.start_year))
    units = list(db.session.scalars(select(Unit).order_by(Unit.kind, Unit.name)))
    return render_template("plans/admin_import_preview.html", result=result, form=form, unknown=unknown,
                           summary=result.summary(_),
                           unknown_names={u.name for u in unknown}, units=units,
                           groups={u.name for u in result.units if u.is_group})
