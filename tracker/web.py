"""What every page shares: language switch, demo banner, template filters, security headers."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, abort, redirect, request, session, url_for
from flask_babel import gettext
from werkzeug.routing import IntegerConverter

from tracker import clock
from tracker.core.inputs import MAX_INT, safe_next
from tracker.extensions import LANGUAGES

bp = Blueprint("web", __name__)


class IdConverter(IntegerConverter):
    """<int:…> in every route stops at the database's INTEGER: a larger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


@bp.post("/lang/<code>")
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("plans.home"))


def _local(value: datetime) -> datetime:
    return value.astimezone(clock.zone())


def format_datetime(value: datetime | None) -> str:
    return _local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_percent, "percent")

    @app.context_processor
    def shared():
        from flask_babel import get_locale

        return {
            "demo_today": clock.fixed_today(),
            "today": clock.today(),
            "languages": LANGUAGES,
            "locale": str(get_locale() or "zh"),
            "tr": gettext,
        }

    @app.before_request
    def refuse_nul_characters():
        """A NUL in a form or query value cannot be stored (PostgreSQL refuses it): 400, not 500."""
        if request.path.startswith("/api/"):
            return  # the API answers 422 with the field named
        values = [*request.args.values(), *(request.form.values() if request.method != "GET" else ())]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'",
        )
        return response
