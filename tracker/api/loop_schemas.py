"""Shapes of the office's actions and the to-do list (/todos, review, 督办, 延期申请): marshmallow schemas
for input, output and the OpenAPI description, as in schemas.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from marshmallow import validate as validation

from tracker.api.schemas import TASK_NUMBER, Input, PagedList, ReportPath, TaskPath, Text, _messages
from tracker.reporting.models import ExtensionState
from tracker.supervision.ladder import EscalationState

MAX_TEXT = 2000
UNIT_NAME = {"max_length": 120, "metadata": {"description": "a responsible unit's name (or alias)"}}


class Day(fields.Date):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", _messages(invalid=_l("日期格式应为 YYYY-MM-DD。")))
        super().__init__(**kwargs)


class IdPath(Schema):
    id = fields.Integer(required=True, validate=validation.Range(1, 2**31 - 1), metadata={"example": 1})


class EscalationPath(IdPath):
    pass


class ExtensionPath(IdPath):
    pass


class ReviewInput(Input):
    unit = Text(required=True, **UNIT_NAME)
    comment = Text(load_default="", max_length=MAX_TEXT)


class EscalationInput(Input):
    units = fields.List(Text(**UNIT_NAME), load_default=list,
                        metadata={"description": "the units concerned; default the task's lead units"})
    deadline = Day(required=True, metadata={"description": "respond by (YYYY-MM-DD)"})
    note = Text(required=True, max_length=MAX_TEXT, metadata={"description": "督办事由"})


class RespondInput(Input):
    text = Text(required=True, max_length=MAX_TEXT)


class NoteInput(Input):
    note = Text(load_default="", max_length=MAX_TEXT)


class ExtensionInput(Input):
    due = Day(required=True, metadata={"description": "the due date asked for"})
    reason = Text(required=True, max_length=MAX_TEXT)


class DecisionInput(Input):
    comment = Text(load_default="", max_length=MAX_TEXT)


class EscalationUnit(Schema):
    unit = fields.String(required=True)
    state = fields.String(required=True, metadata={"enum": [s.value for s in EscalationState]})
    acknowledged_at = fields.DateTime(allow_none=True, required=True)


class EscalationResponse(Schema):
    unit = fields.String(allow_none=True, required=True)
    text = fields.String(required=True)
    responded_at = fields.DateTime(required=True)


class Escalation(Schema):
    id = fields.Integer(required=True)
    task = fields.String(required=True)
    plan = fields.Integer(required=True)
    note = fields.String(required=True)
    deadline = fields.Date(required=True)
    state = fields.String(required=True, metadata={"enum": [s.value for s in EscalationState]})
    level = fields.Integer(required=True, metadata={"description": "step on the 督办单 ladder, 0 = first"})
    colour = fields.String(required=True, metadata={"description": "e.g. 蓝, 黄, 红"})
    units = fields.List(fields.Nested(EscalationUnit), required=True)
    responses = fields.List(fields.Nested(EscalationResponse), required=True)
    opened_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(allow_none=True, required=True)


class Extension(Schema):
    id = fields.Integer(required=True)
    plan = fields.Integer(required=True)
    task = fields.String(required=True)
    period = fields.String(required=True)
    unit = fields.String(required=True)
    due = fields.Date(required=True)
    reason = fields.String(required=True)
    state = fields.String(required=True, metadata={"enum": [s.value for s in ExtensionState]})
    comment = fields.String(required=True)


class Todo(Schema):
    kind = fields.String(required=True, metadata={"enum": ["report", "returned", "escalation", "extension"]})
    plan = fields.Integer(required=True)
    task = fields.String(required=True)
    period = fields.String(allow_none=True, required=True)
    due = fields.Date(allow_none=True, required=True)
    url = fields.String(required=True)
    title = fields.String(required=True)
    days_overdue = fields.Integer(required=True)
    comment = fields.String(required=True)
    state = fields.String(required=True)
    escalation = fields.Integer(allow_none=True, required=True)
    extension = fields.Integer(allow_none=True, required=True)


class TodoList(PagedList):
    todos = fields.List(fields.Nested(Todo), required=True)


__all__ = ["ReportPath", "TaskPath", "TASK_NUMBER"]
