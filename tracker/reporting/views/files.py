"""Evidence downloads: only for those who may read the report, always as an attachment."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, send_file, url_for
from flask_login import current_user, login_required

from tracker.accounts.permissions import require
from tracker.db import db
from tracker.reporting import filetypes, queries
from tracker.reporting.evidence import path_of
from tracker.reporting.models import Evidence
from tracker.reporting.permissions import can_read_report
from tracker.reporting.views import bp


@bp.get("/evidence/<int:evidence_id>")
@login_required
def download(evidence_id: int):
    item = db.get_or_404(Evidence, evidence_id)
    require(can_read_report(current_user, item.report, queries.task_duties(db.session, item.report.task_id)))
    path = path_of(item, current_app.config["TRACKER_UPLOAD_DIR"])
    if not path.is_file():
        abort(404)
    # send_file writes filename*=UTF-8''… (RFC 5987) for Chinese names.
    response = send_file(path, mimetype=item.content_type, as_attachment=True,
                         download_name=filetypes.download_name(item.filename, Path(item.storage_name).suffix),
                         max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/evidence/<int:evidence_id>/inline")
@login_required
def inline(evidence_id: int):
    """A PDF or image shown inside the review page. Only content detected as PDF, PNG or JPEG
    is served inline, with that type and nosniff; anything else goes to the download."""
    item = db.get_or_404(Evidence, evidence_id)
    require(can_read_report(current_user, item.report, queries.task_duties(db.session, item.report.task_id)))
    path = path_of(item, current_app.config["TRACKER_UPLOAD_DIR"])
    if not path.is_file():
        abort(404)
    with path.open("rb") as stored:
        kind = filetypes.inline_kind(stored.read(filetypes.HEAD_BYTES))
    if kind is None:
        return redirect(url_for(".download", evidence_id=evidence_id))
    response = send_file(path, mimetype=kind.content_type, as_attachment=False, download_name=item.filename,
                         max_age=0, conditional=False, etag=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; frame-ancestors 'self'"
    return response
