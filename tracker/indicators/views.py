"""Indicator pages: the table, one indicator (values, path, peers), entering and reviewing values,
the owner units (administrators) and the Excel export (supervision office)."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import require
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.db import db
from tracker.indicators import evidence, exports, permissions, queries, services
from tracker.indicators.charts import chart_data
from tracker.indicators.forms import OwnerForm, ReviewForm, ValueForm
from tracker.indicators.models import Indicator
from tracker.indicators.rules import format_number
from tracker.plans.choice import shown_plan
from tracker.plans.models import Plan, Unit, UnitKind
from tracker.reporting import filetypes
from tracker.transaction import savepoint

bp = Blueprint("indicators", __name__)
bp.add_app_template_filter(format_number, "figure")
bp.add_app_template_filter(lambda reason: reason.text(_), "reason_text")


def _plan() -> Plan:
    return shown_plan()


def _page(plan: Plan, number: int) -> queries.IndicatorPage:
    page = queries.get_indicator_page(db.session, plan.id, number, today=clock.today())
    if page is None:
        abort(404)
    return page


@bp.get("/indicators")
@login_required
def index():
    plan = _plan()
    rows = queries.list_indicator_rows(db.session, plan.id, today=clock.today())
    return render_template("indicators/index.html", plan=plan, rows=rows)


@bp.get("/indicators/<int:number>")
@login_required
def detail(number: int):
    plan = _plan()
    return _render_detail(plan, _page(plan, number), _value_form(plan))


@bp.post("/indicators/<int:number>/values")
@login_required
def enter(number: int):
    plan = _plan()
    page = _page(plan, number)
    indicator = page.row.indicator
    require(permissions.can_enter_value(current_user, indicator))
    form = _value_form(plan)
    if form.validate_on_submit():
        try:
            with savepoint():
                services.enter_value(db.session, indicator, _value_input(form), upload_dir=_upload_dir(),
                                     max_bytes=current_app.config["TRACKER_UPLOAD_MAX_MB"] * 1024 * 1024,
                                     actor=current_user, now=clock.now(), today=clock.today())
        except Invalid as invalid:
            _show_errors(form, invalid)
        else:
            flash(_("%(year)s年数值已填报。", year=form.year.data), "success")
            return redirect(url_for(".detail", number=number, plan=plan.id))
    return _render_detail(plan, page, form, status=422)


@bp.post("/indicators/values/<int:value_id>/<any(accept, query):verdict>")
@login_required
def review(value_id: int, verdict: str):
    value = queries.get_value(db.session, value_id) or abort(404)
    require(permissions.can_review_value(current_user))
    form = ReviewForm()
    target = url_for(".detail", number=value.indicator.number, plan=value.indicator.plan_id)
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(target)
    act = services.accept_value if verdict == "accept" else services.query_value
    try:
        with savepoint():
            act(db.session, value, comment=form.comment.data or "", actor=current_user, now=clock.now())
    except (Invalid, Conflict) as refused:
        flash(_(refused.template, **refused.params), "danger")
        return redirect(target)
    flash(_("已确认该数值。") if verdict == "accept" else _("已质疑该数值，责任单位将看到意见并重新填报。"), "success")
    return redirect(target)


@bp.get("/indicators/values/<int:value_id>/evidence")
@login_required
def download_evidence(value_id: int):
    value = queries.get_value(db.session, value_id)
    if value is None or not value.evidence_path:
        abort(404)
    require(permissions.can_read_evidence(current_user, value))
    try:
        path = evidence.open_path(_upload_dir(), value.evidence_path)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=evidence.MIME[value.evidence_type], as_attachment=True,
                         download_name=filetypes.download_name(value.evidence_name, path.suffix))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/indicators/export.xlsx")
@login_required
def export():
    require(permissions.can_export(current_user))
    plan = _plan()
    rows = queries.list_indicator_rows(db.session, plan.id, today=clock.today())
    data = exports.indicators_xlsx(rows, title=plan.title, years=range(plan.start_year, plan.end_year + 1))
    return send_file(BytesIO(data), as_attachment=True, download_name=f"主要指标_{clock.today():%Y%m%d}.xlsx",
                     mimetype=evidence.MIME["xlsx"])


@bp.get("/indicators/owners")
@login_required
def owners():
    require(permissions.can_assign_owner(current_user))
    plan = _plan()
    rows = queries.list_indicator_rows(db.session, plan.id, today=clock.today())
    return render_template("indicators/owners.html", plan=plan, rows=rows, units=_owner_units(), form=OwnerForm())


@bp.post("/indicators/<int:number>/owner")
@login_required
def assign_owner(number: int):
    require(permissions.can_assign_owner(current_user))
    plan = _plan()
    indicator = db.session.scalar(select(Indicator).where(Indicator.plan_id == plan.id, Indicator.number == number))
    form = OwnerForm()
    form.unit.choices = [(u.id, u.name) for u in _owner_units()]
    unit = db.session.get(Unit, form.unit.data) if form.validate_on_submit() and form.unit.data else None
    if indicator is None:
        abort(404)
    try:
        if unit is None:
            raise Invalid(N_("请选择具体单位，不能选择集合单位。"))
        with savepoint():
            services.assign_owner(db.session, indicator, unit, actor=current_user, now=clock.now())
    except Invalid as invalid:
        flash(_(invalid.template, **invalid.params), "danger")
    else:
        flash(_("指标 %(number)s 的责任单位已设为 %(unit)s。", number=number, unit=unit.name), "success")
    return redirect(url_for(".owners", plan=plan.id))


def _render_detail(plan: Plan, page: queries.IndicatorPage, form: ValueForm, status: int = 200):
    indicator = page.row.indicator
    return render_template(
        "indicators/detail.html", plan=plan, page=page, indicator=indicator, form=form, review_form=ReviewForm(),
        can_enter=permissions.can_enter_value(current_user, indicator),
        can_review=permissions.can_review_value(current_user),
        can_read_evidence=permissions.can_read_evidence,
        chart=chart_data(page, gettext=_),
    ), status


def _value_form(plan: Plan) -> ValueForm:
    form = ValueForm()
    last = min(plan.end_year, clock.today().year)
    form.year.choices = [(year, _("%(year)s年", year=year)) for year in range(last, plan.start_year - 1, -1)]
    if form.year.data is None and not form.is_submitted():
        form.year.data = max(plan.start_year, min(last, clock.today().year - 1))
    return form


def _value_input(form: ValueForm) -> services.ValueInput:
    upload = form.evidence.data
    data = upload.read() if upload and getattr(upload, "filename", "") else None
    return services.ValueInput(year=form.year.data, value=form.value.data or "", note=form.note.data or "",
                               evidence=data, evidence_name=getattr(upload, "filename", "") or "")


def _show_errors(form: ValueForm, invalid: Invalid) -> None:
    for name, message in invalid.fields.items():
        getattr(form, name).errors = [*getattr(form, name).errors, _(message)]


def _upload_dir() -> str:
    return current_app.config["TRACKER_UPLOAD_DIR"]


def _owner_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind != UnitKind.GROUP).order_by(Unit.kind, Unit.name)))
