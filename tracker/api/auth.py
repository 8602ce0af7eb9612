"""Bearer tokens: `Authorization: Bearer <token>` on every /api/v1 call. No cookies.

The session cookie is never read here: a browser that is logged in gets nothing from
the API without a token, so no page of another site can use the API in its name.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import g, request
from flask_babel import force_locale, get_translations
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from tracker import clock
from tracker.accounts.models import User
from tracker.api import tokens
from tracker.db import db
from tracker.transaction import afterwards

LANGUAGES = ("zh", "en")


def bearer_secret() -> str | None:
    """The token the request presents, if it presents one."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate() -> User:
    """The token's user, kept in g for the request; 401 with WWW-Authenticate otherwise."""
    secret = bearer_secret()
    token = tokens.find_usable_token(db.session, secret) if secret else None
    if token is None:
        challenge = WWWAuthenticate("bearer", {"realm": "tracker"})
        if secret:
            challenge["error"] = "invalid_token"
        raise Unauthorized(www_authenticate=challenge)
    now = clock.now()
    afterwards(lambda: tokens.touch_token(token, now=now))  # a refused call used the token too
    g.api_user = token.user
    return token.user


def api_user() -> User:
    return g.api_user


def use_callers_language() -> None:
    """Chinese unless the caller asks for English with Accept-Language; the session is not consulted."""
    best = request.accept_languages.best_match(LANGUAGES, default="zh")
    forced = force_locale(best)
    forced.__enter__()
    g.api_language = forced


def restore_language() -> None:
    forced = g.pop("api_language", None)
    if forced is not None:
        forced.__exit__(None, None, None)


def callers_gettext() -> Callable[[str], str]:
    """The caller's catalogue, looked up once: a page's hundreds of light reasons then skip
    Flask-Babel's context lookups on every string."""
    return get_translations().gettext
