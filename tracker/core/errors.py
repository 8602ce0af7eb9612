"""The domain's refusals. Entry points turn them into flashed messages, 4xx pages or JSON errors."""
from __future__ import annotations

from collections.abc import Mapping

from tracker.core.messages import Message


class DomainError(Exception):
    """A rule refused the action, in words: `message` (its code is the refusal's class name)."""

    status = 400

    def __init__(self, template: str, **params: object) -> None:
        self.message = Message(type(self).__name__, template, params)
        super().__init__(self.message.text())

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def params(self) -> Mapping[str, object]:
        return self.message.params


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """Someone else changed the object since the user loaded it, or its state forbids the change."""

    status = 409


class PreconditionRequired(DomainError):
    """A write that must say which version it read (HTTP 428), so it cannot silently overwrite another's."""

    status = 428


class Invalid(DomainError):
    """Input that breaks a rule; `fields` maps field names to messages (msgids)."""

    status = 422

    def __init__(self, template: str, fields: dict[str, str] | None = None, **params: object) -> None:
        super().__init__(template, **params)
        self.fields = fields or {}
