"""Errors of /api/v1 beyond tracker/errors.py: invalid input (422 per field), bad bodies.

tracker/errors.py already answers every /api/ error as {"error": {"code", "message",
"fields"}}; here marshmallow's ValidationError joins it.
"""
from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext
from marshmallow import ValidationError

from tracker.core.errors import DomainError
from tracker.errors import MESSAGES, render_error


class UnsupportedMediaType(DomainError):
    status = 415


class BadRequest(DomainError):
    status = 400


def field_messages(messages) -> dict[str, str]:
    """marshmallow's {"field": ["msg", …]} → {"field": "msg …"}; `_schema` names the whole body."""
    if not isinstance(messages, dict):
        return {"_schema": _joined(messages)}
    return {str(name): _joined(value) for name, value in messages.items()}


def _joined(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k}: {_joined(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(_joined(v) for v in value)
    return str(value)


def register(bp: Blueprint) -> None:
    @bp.errorhandler(ValidationError)
    def invalid(error: ValidationError):  # the request's changes are already rolled back (tracker/transaction.py)
        return render_error(422, gettext(MESSAGES[422]), field_messages(error.messages))
