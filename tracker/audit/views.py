"""The 审计管理员's audit log page and exports; the request hook that records denials and downloads."""
from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.http import parse_options_header

from tracker import clock
from tracker.accounts.permissions import can_read_audit, require
from tracker.audit import exports, queries
from tracker.audit.actions import LABELS, label
from tracker.core import audit
from tracker.core.inputs import whole_number
from tracker.db import db

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_CHECK = 5000  # entries the page re-checks on each load; `tracker audit verify` checks them all


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def _filters() -> queries.AuditFilter:
    args = request.args
    return queries.AuditFilter(actor=args.get("actor", "").strip()[:120], unit=args.get("unit", "").strip()[:200],
                               action=args.get("action", "").strip()[:60], object=args.get("object", "").strip()[:100],
                               since=_day("since"), until=_day("until"))


@bp.before_request
@login_required
def _auditors_only():
    require(can_read_audit(current_user))


@bp.get("")
def index():
    filters = _filters()
    page = request.args.get("page", "1")
    result = queries.list_entries(db.session, filters, zone=clock.zone(), page=whole_number(page, low=1) or 1)
    return render_template("audit/index.html", result=result, filters=filters,
                           chain=queries.check_chain(db.session, newest=PAGE_CHECK),
                           full_check=queries.last_full_check(db.session),
                           label=label, actions=sorted(LABELS), args={k: v for k, v in request.args.items()
                                                                      if k != "page"})


@bp.get("/export.<kind>")
def export(kind: str):
    if kind not in ("xlsx", "csv"):
        return render_template("errors/error.html", status=404, message=_("页面不存在。")), 404
    filters = _filters()
    build = exports.audit_xlsx if kind == "xlsx" else exports.audit_csv
    data = build(queries.iter_entries(db.session, filters, zone=clock.zone()), _, clock.zone())
    name = f"审计日志_{clock.today():%Y%m%d}.{kind}"
    return send_file(BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="text/csv" if kind == "csv" else
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.after_app_request
def note_denials_and_downloads(response):
    """Every 403 and every file sent as an attachment goes into the audit log (which file, which query).

    Runs after the request's boundary (tracker/transaction.py) rolled back the refused request or
    committed the download: the entry is written in a fresh transaction, committed at teardown."""
    denied = response.status_code == 403
    disposition = response.headers.get("Content-Disposition", "")
    if not denied and not (response.status_code == 200 and disposition.startswith("attachment")):
        return response
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    details = {"method": request.method, "path": request.path[:300],
               "query": {k: v[:100] for k, v in list(request.args.items())[:20]}}
    if denied:
        action = "access.denied"
    else:
        action = "download"
        details["file"] = parse_options_header(disposition)[1].get("filename", "")[:200]
    audit.record(db.session, actor=actor, action=action, object_type="path", object_id=request.path[:60],
                 new=details, at=clock.now())
    return response
