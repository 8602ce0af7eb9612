"""Downloads: the ledger (台账) and a quarter's compilation, as .xlsx or .csv, with Chinese names."""
from __future__ import annotations

from io import BytesIO
from typing import IO

from flask import abort, request, send_file
from flask_babel import gettext as _

from tracker import clock
from tracker.db import db
from tracker.reporting.compliance import tally_by_unit
from tracker.reporting.queries import get_current_period, get_period
from tracker.supervision import exports
from tracker.supervision.ledger import list_compilation, list_ledger
from tracker.supervision.views import bp
from tracker.supervision.views.common import office_page, shown_plan

TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


@bp.get("/ledger.<any(xlsx, csv):kind>")
@office_page
def ledger(kind: str):
    """The 台账 for ?period= (default: the quarter being reported on), plan and period in its name."""
    plan, today = shown_plan(), clock.today()
    key = request.args.get("period", "").strip()
    period = get_period(db.session, plan.id, key) if key else get_current_period(db.session, plan.id, today=today)
    if key and period is None:
        abort(404)
    rows = list_ledger(db.session, plan, today=today, period=period)
    stamp = period.key if period else today.isoformat()
    data: bytes | IO[bytes]
    if kind == "xlsx":
        title = _("%(plan)s %(period)s 重点任务推进台账（截至 %(day)s）", plan=plan.title, period=stamp,
                  day=today.isoformat())
        data = exports.ledger_xlsx(rows, title=title, gettext=_)
    else:
        data = exports.to_csv(exports.LEDGER, exports.ledger_values(rows, _), _)
    return _send(data, f"{plan.title}-{_('台账')}-{stamp}.{kind}", kind)


@bp.get("/compilation/<key>.<any(xlsx, csv):kind>")
@office_page
def compilation(key: str, kind: str):
    plan = shown_plan()
    period = get_period(db.session, plan.id, key)
    if period is None:
        abort(404)
    rows = list_compilation(db.session, plan, period)
    data: bytes | IO[bytes]
    if kind == "xlsx":
        title = _("%(plan)s %(period)s 季度进展汇编", plan=plan.title, period=period.key)
        tallies = tally_by_unit(db.session, period.id, plan_id=plan.id)
        data = exports.compilation_xlsx(rows, tallies, title=title, gettext=_)
    else:
        data = exports.to_csv(exports.COMPILATION, exports.compilation_values(rows, _), _)
    return _send(data, f"{_('季度汇编')}-{period.key}.{kind}", kind)


@bp.get("/compliance/<key>.csv")
@office_page
def compliance_csv(key: str):
    plan = shown_plan()
    period = get_period(db.session, plan.id, key)
    if period is None:
        abort(404)
    tallies = tally_by_unit(db.session, period.id, plan_id=plan.id)
    data = exports.to_csv(exports.COMPLIANCE, exports.compliance_values(tallies, _), _)
    return _send(data, f"{_('报送情况')}-{period.key}.csv", "csv")


def _send(data: bytes | IO[bytes], name: str, kind: str):
    return send_named(data, name, TYPES[kind])


def send_named(data: bytes | IO[bytes], name: str, mimetype: str):
    """Flask writes the name RFC 5987-encoded (filename*=UTF-8''…) beside an ASCII fallback;
    characters no file system takes (a plan title's slash) become underscores."""
    safe = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in name)
    file = BytesIO(data) if isinstance(data, bytes) else data   # a file is streamed from where it lies
    return send_file(file, mimetype=mimetype, as_attachment=True, download_name=safe)
