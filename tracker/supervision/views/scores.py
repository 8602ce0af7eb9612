"""考核: the units ranked for a scope (ties shared), every point linked to its event; .xlsx; the point rules."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from tracker import clock
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.reporting.queries import get_current_period
from tracker.supervision import dashboard as reads
from tracker.supervision.bulletin import parse_scope
from tracker.supervision.exports import scores_xlsx
from tracker.supervision.score_rules import KINDS, NAMES, PRESETS, find_score_preset, parse_score_rules
from tracker.supervision.scores import current_score_rules, list_scores, save_score_rules
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, shown_plan
from tracker.supervision.views.downloads import send_named
from tracker.transaction import savepoint


def _scope(plan, key: str):
    return parse_scope(db.session, plan, key, today=clock.today()) if key else None


@bp.get("/scores")
@office_page
def scores():
    plan, today = shown_plan(), clock.today()
    current = get_current_period(db.session, plan.id, today=today)
    key = request.args.get("period", "").strip() or (current.key if current else "")
    scope = _scope(plan, key)
    options = reads.get_filter_options(db.session, plan, today=today)
    rows = list_scores(db.session, plan, scope, today=today) if scope else []
    page = render_template("supervision/scores.html", plan=plan, scope=scope, key=key, rows=rows, kinds=KINDS,
                           options=options, years=sorted({p.key[:4] for p in options.periods}, reverse=True),
                           rules=current_score_rules(db.session))
    return page, 200 if scope or not key else 404


@bp.get("/scores/<key>.xlsx")
@office_page
def scores_download(key: str):
    plan = shown_plan()
    scope = _scope(plan, key) or abort(404)
    rows = list_scores(db.session, plan, scope, today=clock.today())
    data = scores_xlsx(rows, title=_("%(plan)s %(scope)s 责任单位考核得分", plan=plan.title, scope=scope.label),
                       gettext=_)
    return send_named(data, f"{plan.title}-{_('考核得分')}-{scope.label}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/scores/rules", methods=["GET", "POST"])
@office_page
def score_rules():
    preset = find_score_preset(request.args.get("preset", ""))
    values, errors = (preset.rules if preset else current_score_rules(db.session)).as_dict(), {}
    if request.method == "POST":
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        values = {name: _number(request.form.get(name, "")) for name in NAMES}
        try:
            with savepoint():
                save_score_rules(db.session, parse_score_rules(values), actor=current_user, now=clock.now())
        except Invalid as invalid:
            errors = {name: _(message) for name, message in invalid.fields.items()}
        else:
            flash(_("考核规则已保存，得分立即按新规则计算。"), "success")
            return redirect(url_for(".score_rules"))
    page = render_template("supervision/score_rules.html", values=values, errors=errors, presets=PRESETS,
                           preset=preset, kinds=KINDS)
    return page, 400 if errors else 200


def _number(text: str):
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text
