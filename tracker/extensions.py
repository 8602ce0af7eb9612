"""Flask extensions, created once and bound in create_app."""
from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

from tracker.app import PACKAGE
from tracker.core.i18n import N_
from tracker.core.inputs import whole_number
from tracker.db import db

LANGUAGES = {"zh": "中文", "en": "English"}

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return "zh"


def init_app(app: Flask, *, migrations: bool = True) -> None:
    db.init_app(app)
    if migrations:
        bind_migrations(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = N_("请先登录。")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from tracker.accounts.models import User

        # "id:epoch": a session or remember cookie from before "log out everywhere" loads nobody
        number, _, epoch = user_id.partition(":")
        if (wanted := whole_number(number)) is None:
            return None
        user = db.session.get(User, wanted)
        if user is None or str(user.session_epoch or 0) != (epoch or "0"):
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import abort, flash, redirect, url_for
        from flask_babel import gettext

        if request.blueprint == "api" or request.path.startswith("/api/"):
            abort(401)
        flash(gettext(login_manager.login_message), "warning")
        return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))


def bind_migrations(app: Flask) -> None:
    """Flask-Migrate (`tracker db …`, `tracker init`): Alembic costs a third of a second to import,
    so an app for a command that does not migrate goes without it."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(PACKAGE / "migrations"), render_as_batch=True)
