"""/admin/outbox/settings: which notices go out, and the robot channels of units and of the office."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import clock
from tracker.accounts.permissions import require
from tracker.core.errors import DomainError
from tracker.core.inputs import whole_number
from tracker.db import db
from tracker.plans.models import Unit
from tracker.reminders import endpoints, notices
from tracker.reminders.models import ChannelEndpoint
from tracker.reminders.permissions import can_configure_notices
from tracker.reminders.rules import Channel, NoticeKind
from tracker.reminders.views import bp
from tracker.transaction import savepoint


@bp.get("/settings")
@login_required
def settings():
    require(can_configure_notices(current_user))
    return _page()


@bp.post("/settings/notices")
@login_required
def save_notices():
    require(can_configure_notices(current_user))
    chosen = set(request.form.getlist("enabled"))
    for kind in NoticeKind:
        notices.set_enabled(db.session, kind, kind.value in chosen, actor=current_user, now=clock.now())
    flash(_("通知设置已保存。"), "success")
    return redirect(url_for(".settings"))


@bp.post("/settings/channels")
@login_required
def add_channel():
    require(can_configure_notices(current_user))
    unit = request.form.get("unit", "")
    try:
        with savepoint():
            endpoints.add_endpoint(db.session, unit_id=whole_number(unit),
                                   channel=next((c for c in Channel if c.value == request.form.get("channel")), None),
                                   url=request.form.get("url", ""), secret=request.form.get("secret", ""),
                                   actor=current_user, now=clock.now())
    except DomainError as error:
        flash(_(error.template, **error.params), "danger")
        return _page(), error.status
    flash(_("渠道已添加：此后的通知和提醒也发往该渠道。"), "success")
    return redirect(url_for(".settings"))


@bp.post("/settings/channels/<int:endpoint_id>/remove")
@login_required
def remove_channel(endpoint_id: int):
    require(can_configure_notices(current_user))
    found = db.get_or_404(ChannelEndpoint, endpoint_id)
    try:
        with savepoint():
            endpoints.remove_endpoint(db.session, found, actor=current_user, now=clock.now())
    except DomainError as error:
        flash(_(error.template, **error.params), "warning")
    else:
        flash(_("渠道已停用。"), "success")
    return redirect(url_for(".settings"))


def _page():
    return render_template("reminders/settings.html", settings=notices.list_settings(db.session),
                           endpoints=db.session.scalars(select(ChannelEndpoint).where(ChannelEndpoint.active)
                                                        .order_by(ChannelEndpoint.id)).all(),
                           units=db.session.scalars(select(Unit).order_by(Unit.name)).all(),
                           robots=endpoints.ROBOTS)
