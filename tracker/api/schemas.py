"""The API's shapes: marshmallow schemas that validate input, serialise output and,
through apispec, make the OpenAPI description. One definition serves all three.

Error messages are Chinese msgids (lazy), shown in the caller's language.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates_schema
from marshmallow import validate as validation  # `validate` is the fields' keyword

from tracker.accounts.models import Role
from tracker.api.paging import BAD_CURSOR, CURSOR_MAX, DEFAULT_LIMIT, MAX_LIMIT, Cursor, PageRequest
from tracker.core.errors import Invalid
from tracker.core.inputs import MAX_INT, whole_number
from tracker.plans.models import Duty
from tracker.reporting.models import State, Status
from tracker.reporting.services import MAX_TEXT

TASK_NUMBER = r"^[A-Za-z0-9.\-]{1,16}$"
PERIOD_KEY = r"^[0-9]{4}Q[1-4]$"
COLOURS = ("green", "yellow", "red", "done", "none")


def _messages(**extra) -> dict:
    return {"required": _l("必填。"), "null": _l("不能为空。"), "invalid": _l("类型不对。"), **extra}


# Text the databases can keep: no NUL or other control characters (tab and newlines are fine).
STORABLE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"


def _valid_unicode(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(str(_l("包含无效的字符。"))) from None


class Text(fields.String):
    """A string of storable text; `pattern` (which must exclude control characters) replaces STORABLE."""

    def __init__(self, *, max_length: int | None = None, pattern: str = STORABLE, validate=None,
                 **kwargs) -> None:
        error = _l("不能包含控制字符。") if pattern == STORABLE else _l("格式不对。")
        checks = [_valid_unicode, validation.Regexp(pattern, error=error), *([validate] if validate else [])]
        if max_length is not None:
            checks.append(validation.Length(max=max_length, error=_l("太长了。")))
        kwargs.setdefault("error_messages", _messages())
        super().__init__(validate=checks, **kwargs)


class WholeNumber(fields.Integer):
    """An integer as JSON writes it: not a string, a fraction or a boolean."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", _messages(invalid=_l("应为整数。"), not_integer=_l("应为整数。")))
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(fields.Boolean):
    """true or false, nothing else."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", _messages(invalid=_l("应为 true 或 false。")))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Input(Schema):
    """A request body: unknown fields are refused by name."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _l("不接受此字段。"), "type": _l("请求体应为 JSON 对象。")}


class Parameters(Schema):
    """Query parameters: an unknown one is refused by name (a misspelt filter must not pass unnoticed)."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": _l("不接受此参数。")}


class Query(Parameters):
    """The parameters of a call about one plan."""

    plan = fields.Integer(validate=validation.Range(1, 2**31 - 1, error=_l("规划编号不对。")),
                          error_messages=_messages(invalid=_l("应为整数。")),
                          metadata={"description": "plan id (see /plans); default: the active plan most recently "
                                                   "started; a write must name it while several plans are active"})


class Count(fields.Integer):
    """A whole number in a query string, through the one parser of them (`whole_number`)."""

    def __init__(self, low: int, high: int, error, **kwargs) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("error_messages", _messages(invalid=error))
        kwargs["metadata"] = {"minimum": low, "maximum": high, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = whole_number(value, low=self.low, high=self.high)
        if number is None:
            raise self.make_error("invalid")
        return number


class CursorField(fields.String):
    """The opaque cursor of a `next` link, decoded; one the API never handed out is 422."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            if not isinstance(value, str) or len(value) > CURSOR_MAX:
                raise Invalid(BAD_CURSOR)
            return Cursor.decode(value)
        except Invalid:
            raise ValidationError(str(_l(BAD_CURSOR))) from None


class Paging(Parameters):
    """A list's paging: `limit` items, after the `cursor` of the previous page's `next` or from `offset`."""

    limit = Count(1, MAX_LIMIT, _l("应为 1 到 500 之间的整数。"), load_default=DEFAULT_LIMIT,
                  metadata={"description": f"items per page, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT})"})
    cursor = CursorField(metadata={"description": "opaque: from the previous page's `next`; the page starts "
                                                  "right after the last item that page showed"})
    offset = Count(0, MAX_INT, _l("应为不小于 0 的整数。"),
                   metadata={"description": "skip this many items instead of a cursor (a write between pages "
                                            "may then show an item twice or skip one)"})

    @validates_schema
    def _one_way(self, data, **kwargs):
        if "cursor" in data and "offset" in data:
            raise ValidationError(str(_l("cursor 与 offset 只能用其一。")), "offset")

    @post_load
    def _page(self, data, **kwargs):
        data["page"] = PageRequest(limit=data.pop("limit"), cursor=data.pop("cursor", None),
                                   offset=data.pop("offset", None))
        return data


class Paged(Paging, Query):
    """A list of one plan, paged."""


class PagedList(Schema):
    """The paging fields every list answer carries beside its items."""

    total = fields.Integer(required=True, metadata={"description": "items in the whole list (every page)"})
    next = fields.String(allow_none=True, required=True, metadata={
        "description": "path and query of the next page (filters kept); null on the last page"})


# ---- path parameters (a value that cannot exist answers 404) ----

class TaskPath(Schema):
    number = Text(required=True, pattern=TASK_NUMBER,
                  metadata={"example": "1", "description": "task number (1–50, S1…)"})


class ReportPath(TaskPath):
    period = Text(required=True, pattern=PERIOD_KEY, metadata={"example": "2024Q3"})


# ---- query strings ----

class TaskQuery(Paged):
    light = Text(validate=validation.OneOf(COLOURS, error=_l("应为 green、yellow、red、done 或 none。")))
    unit = Text(max_length=120, metadata={"description": "a responsible unit's name"})
    section = Text(max_length=16, metadata={"description": "section key, e.g. 3.1"})


class LaggingQuery(Paged):
    light = Text(validate=validation.OneOf(("red", "yellow"), error=_l("应为 red 或 yellow。")))
    unit = Text(max_length=120)
    section = Text(max_length=16)
    period = Text(pattern=PERIOD_KEY)


class ComplianceQuery(Paged):
    period = Text(required=True, pattern=PERIOD_KEY, metadata={"example": "2024Q3"})


INCLUDES = ("reports",)


class TaskDetailQuery(Query):
    include = Text(validate=validation.OneOf(INCLUDES, error=_l("应为 reports。")), metadata={
        "description": "`reports`: the task's whole history in one call: every report of every period the "
                       "caller may read (as the per-period calls give them), with their versions and reviews"})


# ---- request bodies ----

class ReportInput(Input):
    status = Text(allow_none=True, validate=validation.OneOf(
        [s.value for s in Status], error=_l("应为 not_started、on_track、lagging 或 done。")))
    percent = WholeNumber(allow_none=True, validate=validation.Range(0, 100, error=_l("应为 0 到 100 之间的整数。")),
                          metadata={"description": "the lead unit's percent complete; co-units leave it out"})
    progress = Text(max_length=MAX_TEXT, load_default="")
    problems = Text(max_length=MAX_TEXT, load_default="")
    next_steps = Text(max_length=MAX_TEXT, load_default="")
    submit = Flag(load_default=False, metadata={"description": "submit (报送) after saving"})
    version = WholeNumber(allow_none=True, validate=validation.Range(0, 2**31 - 1, error=_l("版本号不对。")),
                          metadata={"description": "the report version you last read (0: none yet); "
                                                   "required once the report exists (428 without it); "
                                                   "a mismatch answers 409"})


# ---- responses ----

class ErrorDetail(Schema):
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    field_messages = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields",
                                 metadata={"description": "field name → what is wrong with it"})


class Error(Schema):
    error = fields.Nested(ErrorDetail, required=True)


class Me(Schema):
    username = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": [r.value for r in Role]})
    unit = fields.String(allow_none=True, required=True)


class Section(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)


class Task(Schema):
    number = fields.String(required=True)
    title = fields.String(required=True)
    section = fields.Nested(Section, required=True)
    lead = fields.String(allow_none=True, required=True,
                         metadata={"description": "the first 牵头单位 as the plan names it"})
    leads = fields.List(fields.String(), required=True,
                        metadata={"description": "every 牵头单位 as the plan names them, in order"})
    co = fields.List(fields.String(), required=True, metadata={"description": "配合单位 as the plan names them"})
    light = fields.String(required=True, metadata={"enum": list(COLOURS)})
    reasons = fields.List(fields.String(), required=True)
    status = fields.String(allow_none=True, required=True, metadata={"enum": [s.value for s in Status] + [None]})
    percent = fields.Integer(allow_none=True, required=True)
    period = fields.String(allow_none=True, required=True, metadata={
        "description": "period of the report `status` comes from: the most behind lead's latest"})


class Responsible(Schema):
    unit = fields.String(required=True)
    duty = fields.String(required=True, metadata={"enum": ["lead", "co"]})
    via = fields.String(allow_none=True, required=True, metadata={"description": "the group it answers through"})


class TaskDetail(Task):
    text = fields.String(required=True)
    units = fields.List(fields.Nested(Responsible), required=True)
    reports = fields.List(fields.Nested("ReportRecord"), metadata={
        "description": "only with include=reports: every report of every period the caller may read, "
                       "period by period in the order of the per-period calls, with versions and reviews"})


class TaskList(PagedList):
    tasks = fields.List(fields.Nested(Task), required=True)


class Period(Schema):
    key = fields.String(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    due = fields.Date(required=True)


class PeriodList(PagedList):
    periods = fields.List(fields.Nested(Period), required=True)


class Report(Schema):
    task = fields.String(required=True)
    period = fields.String(required=True)
    unit = fields.String(required=True)
    duty = fields.String(required=True, metadata={"enum": [d.value for d in Duty]})
    state = fields.String(required=True, metadata={"enum": [s.value for s in State]})
    status = fields.String(allow_none=True, required=True, metadata={"enum": [s.value for s in Status] + [None]})
    percent = fields.Integer(allow_none=True, required=True)
    progress = fields.String(required=True)
    problems = fields.String(required=True)
    next_steps = fields.String(required=True)
    version = fields.Integer(required=True)
    late = fields.Boolean(required=True)
    submitted_at = fields.DateTime(allow_none=True, required=True)
    updated_at = fields.DateTime(required=True)


class ReportVersion(Schema):
    number = fields.Integer(required=True)
    action = fields.String(required=True, metadata={"description": "what made it: save, submit, return, accept"})
    state = fields.String(required=True, metadata={"enum": [s.value for s in State]})
    status = fields.String(allow_none=True, required=True, metadata={"enum": [s.value for s in Status] + [None]})
    percent = fields.Integer(allow_none=True, required=True)
    progress = fields.String(required=True)
    problems = fields.String(required=True)
    next_steps = fields.String(required=True)
    saved_at = fields.DateTime(required=True)


class Review(Schema):
    decision = fields.String(required=True, metadata={"enum": ["accept", "return"]})
    comment = fields.String(required=True)
    reviewed_at = fields.DateTime(required=True)


class ReportRecord(Report):
    """A report as it is read: with every version kept and every review (审核 / 退回)."""

    versions = fields.List(fields.Nested(ReportVersion), required=True, metadata={"description": "oldest first"})
    reviews = fields.List(fields.Nested(Review), required=True, metadata={"description": "oldest first"})


class ReportList(PagedList):
    reports = fields.List(fields.Nested(ReportRecord), required=True)


class LaggingTask(Schema):
    number = fields.String(required=True)
    title = fields.String(required=True)
    section = fields.Nested(Section, required=True)
    lead = fields.String(allow_none=True, required=True)
    light = fields.String(required=True, metadata={"enum": ["red", "yellow"]})
    reasons = fields.List(fields.String(), required=True)
    days_overdue = fields.Integer(required=True)


class LaggingList(PagedList):
    tasks = fields.List(fields.Nested(LaggingTask), required=True)


class UnitCompliance(Schema):
    unit = fields.String(required=True)
    owed = fields.Integer(required=True)
    submitted = fields.Integer(required=True)
    late = fields.Integer(required=True)
    missing = fields.Integer(required=True)


class Compliance(PagedList):
    period = fields.String(required=True)
    units = fields.List(fields.Nested(UnitCompliance), required=True)


class IndicatorValue(Schema):
    year = fields.Integer(required=True)
    value = fields.Float(required=True)
    note = fields.String(required=True)
    state = fields.String(required=True, metadata={"enum": ["entered", "accepted", "queried"]})


class Indicator(Schema):
    number = fields.Integer(required=True)
    category = fields.String(required=True)
    name = fields.String(required=True)
    measure = fields.String(required=True)
    baseline = fields.String(required=True, metadata={"description": "as the plan writes it, e.g. 1.5 or -"})
    target = fields.String(required=True, metadata={"description": "as the plan writes it, e.g. 3-4"})
    kind = fields.String(required=True, metadata={"enum": ["annual", "cumulative"],
                                                  "description": "当年值 (the year's own) or 累计值"})
    attribute = fields.String(required=True)
    owner = fields.String(allow_none=True, required=True)
    latest = fields.Nested(IndicatorValue, allow_none=True, required=True)
    light = fields.String(required=True, metadata={"enum": ["on_path", "behind", "achieved", "no_data"]})
    reasons = fields.List(fields.String(), required=True)


class IndicatorList(PagedList):
    indicators = fields.List(fields.Nested(Indicator), required=True)


# ---- plans and status updates (issue 14) ----

class PlanItem(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"enum": ["active", "archived"]})
    archived_on = fields.Date(allow_none=True, required=True)
    first_period = fields.String(allow_none=True, required=True, metadata={"description": "the first owed quarter"})
    tasks = fields.Integer(required=True)


class PlanList(PagedList):
    plans = fields.List(fields.Nested(PlanItem), required=True)


class StatusUpdateInput(Input):
    status = Text(required=True, validate=validation.OneOf(
        [s.value for s in Status], error=_l("应为 not_started、on_track、lagging 或 done。")))
    note = Text(required=True, max_length=MAX_TEXT)


class StatusUpdate(Schema):
    task = fields.String(required=True)
    unit = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in Status]})
    note = fields.String(required=True)
    posted_on = fields.Date(required=True)


# ---- light rules (the office's thresholds, tracker.supervision.light_rules) ----

class LightRules(Schema):
    overdue_grace_days = WholeNumber(required=True, metadata={"description": "a report is overdue this many days after its due date"})
    behind_measure = Text(required=True, validate=validation.OneOf(("points", "share"), error=_l("应为 points 或 share。")),
                          metadata={"description": "gap to 序时进度 in percentage points, or as a share of the expected progress"})
    behind_by_points = WholeNumber(required=True, metadata={"description": "yellow when the gap is more than this"})
    red_behind_by_points = WholeNumber(required=True, allow_none=True,
                                       metadata={"description": "red when the gap is more than this; null: never red for progress"})
    missing_quarters_for_red = WholeNumber(required=True, metadata={"description": "red after this many missed quarters running"})
    red_when_reported_lagging = Flag(required=True)
    deadline_warning_days = WholeNumber(required=True, allow_none=True,
                                        metadata={"description": "yellow this many days before a milestone not reached; null: off"})
    return_is_warning = Flag(required=True, metadata={"description": "a returned report not yet resubmitted is yellow at once"})
    flag_colour = Text(required=True, validate=validation.OneOf(("red", "yellow"), error=_l("应为 red 或 yellow。")))
    escalation_colour = Text(required=True, validate=validation.OneOf(("red", "yellow", "none"),
                                                                      error=_l("应为 red、yellow 或 none。")))
    ignored_escalation_colour = Text(required=True, validate=validation.OneOf(("red", "yellow"),
                                                                              error=_l("应为 red 或 yellow。")))


class LightRulesInput(Input, LightRules):
    """Every field; send GET's answer back with your changes."""


# ---- the 督查通报's figures ----

class BulletinQuery(Query):
    period = Text(required=True, pattern=r"^[0-9]{4}(Q[1-4]|H[12]|Y)$",
                  metadata={"example": "2024Q3", "description": "a quarter, a half-year (2024H1) or a year (2024Y)"})


class ScoresQuery(Paged, BulletinQuery):
    pass


class BulletinLagging(Schema):
    unit = fields.String(required=True)
    tasks = fields.List(fields.String(), required=True, metadata={"description": "task numbers, red and yellow"})


class BulletinLate(Schema):
    unit = fields.String(required=True)
    missing = fields.Integer(required=True)
    late = fields.Integer(required=True)


class Bulletin(Schema):
    period = fields.String(required=True)
    periods = fields.List(fields.String(), required=True)
    on = fields.Date(required=True, metadata={"description": "the lights as of this day"})
    tasks = fields.Integer(required=True)
    done = fields.Integer(required=True)
    done_share = fields.Float(required=True, allow_none=True)
    lights = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    owed = fields.Integer(required=True)
    submitted = fields.Integer(required=True)
    late = fields.Integer(required=True)
    missing = fields.Integer(required=True)
    rate = fields.Float(required=True, allow_none=True)
    on_time_rate = fields.Float(required=True, allow_none=True)
    lagging = fields.List(fields.Nested(BulletinLagging), required=True)
    late_units = fields.List(fields.Nested(BulletinLate), required=True)


# ---- 考核 unit scores ----

class ScorePoint(Schema):
    kind = fields.String(required=True, metadata={"enum": ["missing", "late", "empty", "returned", "red_light",
                                                            "escalation_ignored"]})
    task = fields.String(required=True)
    period = fields.String(required=True, metadata={"description": "the quarter, or the 督办's deadline"})
    ref = fields.Integer(required=True, allow_none=True, metadata={"description": "the report's, task's or escalation's id"})
    points = fields.Float(required=True)


class UnitScore(Schema):
    unit = fields.String(required=True)
    rank = fields.Integer(required=True)
    tied = fields.Boolean(required=True, metadata={"description": "并列: another unit has the same score"})
    score = fields.Float(required=True)
    base = fields.Float(required=True)
    points = fields.List(fields.Nested(ScorePoint), required=True)


class Scores(PagedList):
    period = fields.String(required=True)
    units = fields.List(fields.Nested(UnitScore), required=True)
