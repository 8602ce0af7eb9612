"""An uploaded plan's text kept between the preview and the commit: signed and compressed in a form field.

Not in the cookie session (a plan is far larger than a cookie); the signature means the
commit imports exactly the text that was previewed, and nothing a browser made up. The
text, not the file: a Word file's words compress to a few dozen kilobytes, well inside
a form field's limit, whatever the images in the file weigh.
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


def sign(text: str) -> str:
    return _serializer().dumps(base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii"))


def unsign(token: str | None) -> str | None:
    """The previewed text, or None if the field is missing, altered or too old."""
    try:
        data = base64.b64decode(_serializer().loads(token or "", max_age=MAX_AGE_SECONDS))
        return zlib.decompress(data).decode("utf-8")
    except (BadSignature, ValueError, zlib.error):
        return None
