"""The office's light rules: the settings page, with the published presets filling the form."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.supervision.forms import LightRulesForm
from tracker.supervision.light_rules import PRESETS, describe_rules, find_preset, parse_rules, preset_of
from tracker.supervision.settings import current_rules, save_rules
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page
from tracker.transaction import savepoint


@bp.route("/light-rules", methods=["GET", "POST"])
@office_page
def light_rules():
    form, in_force = LightRulesForm(), current_rules(db.session)
    preset = find_preset(request.args.get("preset", ""))
    if request.method == "GET":
        form.fill(preset.rules if preset else in_force)
    elif form.validate_on_submit():
        try:
            with savepoint():
                save_rules(db.session, parse_rules(form.values()), actor=current_user, now=clock.now())
        except Invalid as invalid:
            for name, message in invalid.fields.items():
                getattr(form, name).errors.append(_(message))
        else:
            flash(_("亮灯规则已保存，所有任务的亮灯立即按新规则计算。"), "success")
            return redirect(url_for(".light_rules"))
    page = render_template("supervision/light_rules.html", form=form, presets=PRESETS, preset=preset,
                           in_force=preset_of(in_force), written=describe_rules(in_force))
    return page, 400 if form.errors else 200
