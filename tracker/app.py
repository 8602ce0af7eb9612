"""create_app: configuration, extensions, blueprints, error pages, CLI — wiring only."""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from flask import Flask

from tracker import config as tracker_config
from tracker.assets import PACKAGE, asset_path


def create_app(config: dict[str, Any] | None = None, *, lean: bool = False, job: bool = False,
               signals: bool = True) -> Flask:
    """The application. `lean`: the app one of our CLI commands runs in, which serves no page: without
    the domains' views (so without the exports, the API, SSO and their libraries) and without Alembic
    until a command migrates (`extensions.bind_migrations`). `job`: leaner still, the app of a job
    run from cron (`tracker remind`, `digest`, `deliver`): nobody logs in and no page is rendered,
    so only the configuration, the database and the listeners — no sessions, CSRF, Babel or error
    pages (and not their libraries), and only the models the job's own code imports. `signals=False`:
    a job that sends no signal (`tracker deliver`) does without the listeners and what they import."""
    app = Flask(
        "tracker",
        template_folder=str(asset_path("templates")),
        static_folder=str(asset_path("static")),
        instance_relative_config=True,
    )
    settings = tracker_config.read(tracker_config.environment(), app.instance_path)
    app.config.update(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=str(settings["TRACKER_BASE_URL"]).startswith("https://"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=str(settings["TRACKER_BASE_URL"]).startswith("https://"),
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_DEFAULT_TIMEZONE=settings["TRACKER_TIMEZONE"],
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE / "translations"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
    )
    if config:
        app.config.update(config)
    _logging(app)
    _behind_proxies(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if job:
        from tracker.db import db

        db.init_app(app)
        if signals:
            _listeners()   # remind's escalations send the signals these answer (notices)
        return app

    from tracker import errors, extensions, models, transaction, web  # noqa: F401  (models: every table registered)

    app.url_map.converters["int"] = web.IdConverter   # before any route is added
    extensions.init_app(app, migrations=not lean)
    _listeners()  # the lean CLI app too: its jobs send the signals these answer
    if not lean:
        _blueprints(app)

    errors.init_app(app)
    web.init_app(app)
    transaction.init_app(app)  # last: its after_request runs before the others (Flask runs them in reverse)
    return app


def _listeners() -> None:
    """Each domain's `listeners` module answers the signals of the domains below it (connected on import)."""
    from tracker.domains import DOMAINS, optional_module

    for name in DOMAINS:
        optional_module(name, "listeners")


def _blueprints(app: Flask) -> None:
    """Each domain's `views` module offers `bp` (or `blueprints`); registered in DOMAINS order."""
    from tracker.domains import DOMAINS, optional_module

    for name in DOMAINS:
        views = optional_module(name, "views")
        if views is None:
            continue
        for blueprint in getattr(views, "blueprints", None) or [views.bp]:
            app.register_blueprint(blueprint)


def _behind_proxies(app: Flask) -> None:
    """Behind N trusted reverse proxies, the client's address and scheme are theirs to tell (ProxyFix)."""
    proxies = int(app.config.get("TRACKER_TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def _logging(app: Flask) -> None:
    """Logs go to stderr, one formatted line each; stdout carries command output only.

    `app.logger` is the `tracker` logger itself (the app is named tracker): its handler is
    the one added here, added once however many apps a process creates.
    """
    from flask.logging import default_handler

    logger = logging.getLogger("tracker")
    if not any(getattr(h, "tracker_stderr", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.tracker_stderr = True
        logger.addHandler(handler)
    logger.removeHandler(default_handler)   # Flask's own, unformatted
    logger.setLevel(str(app.config.get("TRACKER_LOG_LEVEL") or "INFO").upper())
