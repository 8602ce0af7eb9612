"""Reporting pages, by audience: a unit's workspace and quarterly report, evidence downloads,
status updates on the task page, and the administrator's period settings."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reporting", __name__)

from tracker.reporting.views import admin, extensions, files, task, unit  # noqa: E402,F401  (routes on bp)

blueprints = [bp]
