"""The OpenAPI description, generated from the declared routes, and the page that shows it."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, url_for

from tracker.api.openapi import build_spec, conditional
from tracker.api.views import PREFIX, operations
from tracker.api.views import bp as api_bp

bp = Blueprint("api_docs", __name__)


@api_bp.get("/openapi.json")
def openapi():
    """Public, like the docs page: it describes the API and holds no data."""
    spec = current_app.extensions.get("tracker_openapi")
    if spec is None:
        spec = build_spec(operations, prefix=PREFIX, title="Plan Tracker API", version="1")
        current_app.extensions["tracker_openapi"] = spec
    return conditional(jsonify(spec))


@bp.get("/api/docs")
def docs():
    return render_template("api/docs.html", spec_url=url_for("api.openapi"))
