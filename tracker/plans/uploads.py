"""An uploaded plan kept between the preview and the commit: signed and compressed in a form field.

Not in the cookie session (a plan is far larger than a cookie); the signature means the
commit imports exactly the bytes that were previewed, and nothing a browser made up.
"""
from __future__ import annotations

import base64
import zlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "tracker.plans.upload"
MAX_AGE_SECONDS = 6 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def sign(data: bytes) -> str:
    return _serializer().dumps(base64.b64encode(zlib.compress(data, 9)).decode("ascii"))


def unsign(token: str | None) -> bytes | None:
    """The previewed bytes, or None if the field is missing, altered or too old."""
    try:
        return zlib.decompress(base64.b64decode(_serializer().loads(token or "", max_age=MAX_AGE_SECONDS)))
    except (BadSignature, ValueError, zlib.error):
        return None
