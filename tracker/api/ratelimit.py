"""Requests per token: TRACKER_API_RATE_LIMIT (default 120 per minute) → 429.

Counted by the token's hash (the address when no token is presented), in memory by
default or in TRACKER_RATELIMIT_STORAGE_URI (e.g. redis://) when several processes serve:
every gunicorn worker and host then counts into the one bucket. If that store cannot be
reached, each process counts alone in memory until it answers again (the API keeps
answering, never a 500 for the store's sake).
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, request
from flask_limiter import Limiter

from tracker.api.auth import bearer_secret
from tracker.api.tokens import hash_secret


def rate_key() -> str:
    secret = bearer_secret()
    return f"token:{hash_secret(secret)}" if secret else f"address:{request.remote_addr or '-'}"


def current_limit() -> str:
    return current_app.config["TRACKER_API_RATE_LIMIT"]


limiter = Limiter(key_func=rate_key, headers_enabled=True, key_prefix="tracker-api")


def limit(bp: Blueprint) -> None:
    """One bucket per token across every endpoint of the blueprint; bound to the app on registration."""
    limiter.shared_limit(current_limit, scope="api")(bp)
    bp.record_once(lambda state: _init(state.app))


def _init(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("TRACKER_RATELIMIT_STORAGE_URI") or "memory://")
    app.config.setdefault("TRACKER_API_RATE_LIMIT", "120 per minute")
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
