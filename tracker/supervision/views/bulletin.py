"""The 督查通报: a page where the office sets the 期数 and 工作要求, and the .docx download."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.core import audit
from tracker.db import db
from tracker.reporting.queries import get_current_period
from tracker.supervision import dashboard as reads
from tracker.supervision.bulletin import REQUIREMENTS, get_bulletin, parse_scope
from tracker.supervision.bulletin_docx import bulletin_docx
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, parse_day, shown_plan
from tracker.supervision.views.downloads import send_named

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIMIT = 2000


@bp.get("/bulletin")
@office_page
def bulletin():
    plan, today = shown_plan(), clock.today()
    current = get_current_period(db.session, plan.id, today=today)
    options = reads.get_filter_options(db.session, plan, today=today)
    return render_template("supervision/bulletin.html", plan=plan, options=options, requirements=_(REQUIREMENTS),
                           chosen=current.key if current else "", issuer=_("督查室"),
                           years=sorted({p.key[:4] for p in options.periods}, reverse=True))


@bp.get("/bulletin/go")
@office_page
def bulletin_go():
    """The form's submit: on to /bulletin/<scope>.docx with the office's 期数 and 工作要求."""
    args = request.args.to_dict()
    key = args.pop("scope", "").strip()
    if not key or "/" in key:
        abort(404)
    return redirect(url_for(".bulletin_download", key=key, **args))


@bp.get("/bulletin/<key>.docx")
@office_page
def bulletin_download(key: str):
    """?number= 期数, ?requirements= 工作要求, ?issuer= 发文单位; key "range" takes ?from= and ?to=."""
    plan, today = shown_plan(), clock.today()
    scope = parse_scope(db.session, plan, key, today=today, starts_on=parse_day(request.args.get("from")),
                        ends_on=parse_day(request.args.get("to")))
    if scope is None:
        abort(404)
    figures = get_bulletin(db.session, plan, scope, today=today)
    template = current_app.config.get("TRACKER_BULLETIN_TEMPLATE")
    data = bulletin_docx(figures, number=request.args.get("number", "")[:40].strip() or "1",
                         requirements=request.args.get("requirements", _(REQUIREMENTS))[:LIMIT],
                         issuer=request.args.get("issuer", "")[:80].strip() or _("督查室"), gettext=_,
                         template=Path(template).read_bytes() if template else None)
    audit.record(db.session, actor=current_user, action="bulletin.download", object_type="Plan", object_id=plan.id,
                 new={"scope": scope.label}, at=clock.now())
    return send_named(data, f"{plan.title}-{_('督查通报')}-{scope.label}.docx", DOCX)
