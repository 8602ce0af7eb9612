"""The outbox and the reminder log (/admin/outbox): what was decided, sent, failed, and to whom."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import require
from tracker.core.errors import DomainError
from tracker.db import db
from tracker.reminders import queries, services
from tracker.reminders.models import OutboxMessage
from tracker.reminders.permissions import can_read_outbox, can_retry_message
from tracker.transaction import savepoint

bp = Blueprint("reminders", __name__, url_prefix="/admin/outbox")


@bp.get("")
@login_required
def outbox():
    require(can_read_outbox(current_user))
    return render_template("reminders/outbox.html", messages=queries.list_messages(db.session),
                           reminders=queries.list_reminders(db.session), digests=queries.list_digests(db.session),
                           without_address=queries.list_units_without_address(db.session),
                           office_has_address=queries.office_has_address(db.session))


@bp.get("/<int:message_id>")
@login_required
def message(message_id: int):
    require(can_read_outbox(current_user))
    found = db.get_or_404(OutboxMessage, message_id)
    return render_template("reminders/message.html", message=found,
                           reminders=queries.list_reminders_of(db.session, found))


@bp.post("/<int:message_id>/retry")
@login_required
def retry(message_id: int):
    require(can_retry_message(current_user))
    found = db.get_or_404(OutboxMessage, message_id)
    try:
        with savepoint():
            services.retry_message(db.session, found, actor=current_user, now=clock.now())
    except DomainError as error:
        flash(_(error.template, **error.params), "warning")
        return redirect(url_for(".message", message_id=message_id))
    flash(_("已重新排队，将在下一次发送时投递。"), "success")
    return redirect(url_for(".message", message_id=message_id))


from tracker.reminders import settings_views  # noqa: E402,F401  (its routes join this blueprint)
from tracker.reminders.remind_views import bp as remind_bp  # noqa: E402
from tracker.reminders.todo_views import bp as todos_bp  # noqa: E402

blueprints = [bp, todos_bp, remind_bp]
