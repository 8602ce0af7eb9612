"""Plan Tracker (规划任务督办平台): a government plan turned into accountable work."""
from __future__ import annotations

from typing import Any


def create_app(config: dict[str, Any] | None = None):
    """The Flask application; imported lazily so pure modules never pull in Flask."""
    from tracker.app import create_app as _create_app

    return _create_app(config)


__all__ = ["create_app"]
