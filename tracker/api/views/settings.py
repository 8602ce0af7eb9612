"""The user's API tokens on /settings/tokens: create (shown once), list, revoke; admins see all."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.accounts.permissions import require
from tracker.api import tokens
from tracker.api.forms import RevokeForm, TokenForm
from tracker.api.models import ApiToken
from tracker.api.permissions import can_revoke_token, can_see_all_tokens
from tracker.core.errors import Invalid
from tracker.db import db
from tracker.transaction import savepoint

bp = Blueprint("api_tokens", __name__)


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def index():
    form, secret = TokenForm(), None
    if form.validate_on_submit():
        try:
            with savepoint():
                token, secret = tokens.create_token(db.session, user=current_user, name=form.name.data or "",
                                                    actor=current_user, now=clock.now())
        except Invalid as invalid:
            form.name.errors.append(_(invalid.template))
        else:
            form = TokenForm(formdata=None)
    page = render_template("api/tokens.html", form=form, revoke=RevokeForm(), secret=secret,
                           mine=tokens.list_tokens(db.session, user_id=current_user.id),
                           everyone=tokens.list_tokens(db.session) if can_see_all_tokens(current_user) else None)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"  # the new secret is on this page once
    return response


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    require(can_revoke_token(current_user, token))
    if not RevokeForm().validate_on_submit():
        abort(400)
    tokens.revoke_token(db.session, token, actor=current_user, now=clock.now())
    flash(_("令牌 %(prefix)s… 已吊销，立即失效。", prefix=token.prefix), "success")
    return redirect(url_for(".index"))
