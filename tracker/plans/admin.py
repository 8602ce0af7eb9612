"""Administrators keep the city's rosters (unit contacts, group members) and import plans."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import is_admin, require
from tracker.db import db
from tracker.plans import queries, services
from tracker.plans.forms import GroupForm, PlanUploadForm, UnitForm, lines
from tracker.plans.models import Unit, UnitKind

bp = Blueprint("admin_plans", __name__, url_prefix="/admin")

MAX_PLAN_BYTES = 2 * 1024 * 1024


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
        db.session.commit()
        flash(_("已保存 %(name)s。", name=unit.name), "success")
        return redirect(url_for(".unit", unit_id=unit.id))
    if group is not None and "group-office" in posted and group.validate_on_submit():
        members = list(db.session.scalars(select(Unit).where(Unit.id.in_(group.members.data or []))))
        services.set_group_members(db.session, unit, members, office=db.session.get(Unit, group.office.data),
                                   actor=current_user, now=clock.now())
        db.session.commit()
        flash(_("已更新 %(name)s 的成员，相关任务的承办单位已随之调整。", name=unit.name), "success")
        return redirect(url_for(".unit", unit_id=unit.id))
    return render_template("plans/admin_unit.html", unit=unit, form=form, group=group)


@bp.route("/plans/import", methods=["GET", "POST"])
def import_plan():
    from tracker.planimport import parse_plan
    from tracker.planimport.source import decode_plan
    from tracker.plans.cli import seed_plan

    form = PlanUploadForm()
    problems, loaded = [], None
    if form.validate_on_submit():
        data = form.plan_file.data.read(MAX_PLAN_BYTES + 1)
        if len(data) > MAX_PLAN_BYTES:
            form.plan_file.errors.append(_("文件太大：规划文本不应超过 2 MB。"))
        else:
            text, problems = decode_plan(data)
            result = parse_plan(text)
            result.problems[:0] = problems
            problems = result.problems
            if not result.errors:
                plan, changes = seed_plan(result.to_seed(), actor=current_user)
                db.session.commit()
                loaded = (plan, changes)
    return render_template("plans/admin_import.html", form=form, problems=problems, loaded=loaded)
