"""The lagging list's filters from a query string: typed values, or messages saying what was wrong.

Pure: the caller passes the plan's sections, units and quarters to check against.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from tracker.core.i18n import N_
from tracker.core.inputs import whole_number
from tracker.core.messages import Message
from tracker.reporting.periods import Quarter
from tracker.supervision.light_rules import Colour

MAX_PAGE = 100_000

Problem = Message                              # what was wrong with a value, in words


@dataclass(frozen=True)
class LaggingFilters:
    section_key: str | None = None
    unit_id: int | None = None
    colour: Colour | None = None
    period_key: str | None = None
    page: int = 1

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for links that keep them)."""
        values = {"section": self.section_key, "unit": self.unit_id, "light": self.colour and self.colour.value,
                  "period": self.period_key}
        return {k: str(v) for k, v in values.items() if v is not None}


def parse_lagging_filters(args: Mapping[str, str], *, section_keys: Collection[str], unit_ids: Collection[int],
                          period_keys: Collection[str]) -> tuple[LaggingFilters, list[Problem]]:
    """Blank values mean "any"; a bad value is dropped and named in a problem."""
    problems: list[Problem] = []

    def value(name: str) -> str:
        return (args.get(name) or "").strip()

    section = value("section") or None
    if section and section not in section_keys:
        problems.append(Message("unknown_section", N_("没有这个规划部分：%(value)s"), {"value": section[:40]}))
        section = None
    unit_id = None
    if value("unit"):
        if whole_number(value("unit")) in unit_ids:
            unit_id = whole_number(value("unit"))
        else:
            problems.append(Message("unknown_unit", N_("没有这个责任单位：%(value)s"), {"value": value("unit")[:40]}))
    colour = None
    if value("light"):
        try:
            colour = Colour(value("light").lower())
        except ValueError:
            problems.append(Message("bad_light", N_("亮灯应为 red、yellow、green、done 或 none：%(value)s"), {"value": value("light")[:40]}))
    period = None
    if value("period"):
        try:
            period = Quarter.parse(value("period")).key
        except ValueError:
            problems.append(Message("bad_period", N_("季度格式应为 2024Q3：%(value)s"), {"value": value("period")[:40]}))
        else:
            if period not in period_keys:
                problems.append(Message("unknown_period", N_("本规划没有这个季度：%(value)s"), {"value": period}))
                period = None
    page = 1
    if value("page"):
        wanted = whole_number(value("page"), low=1, high=MAX_PAGE)
        if wanted is not None:
            page = wanted
        else:
            problems.append(Message("bad_page", N_("页码应为正整数：%(value)s"), {"value": value("page")[:40]}))
    return LaggingFilters(section, unit_id, colour, period, page), problems


REVIEW_STATES = ("submitted", "returned", "accepted")


@dataclass(frozen=True)
class ReviewFilters:
    """The review queue's filters: the quarter (None: every quarter), state, section, unit, light."""

    period_key: str | None = None
    state: str = "submitted"
    section_key: str | None = None
    unit_id: int | None = None
    colour: Colour | None = None
    page: int = 1

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for links and redirects that keep them)."""
        values = {"period": self.period_key or "all", "state": None if self.state == "submitted" else self.state,
                  "section": self.section_key, "unit": self.unit_id, "light": self.colour and self.colour.value}
        return {k: str(v) for k, v in values.items() if v is not None}


def parse_review_filters(args: Mapping[str, str], *, section_keys: Collection[str], unit_ids: Collection[int],
                         period_keys: Collection[str], default_period: str | None) -> tuple[ReviewFilters, list[Problem]]:
    """Like the lagging list's filters, plus the state; `period=all` spans every quarter and a
    missing period means the quarter being reported on."""
    period_arg = (args.get("period") or "").strip()
    lagging_args = {k: v for k, v in args.items() if k != "period"}
    if period_arg.lower() != "all":
        lagging_args["period"] = period_arg or (default_period or "")
    base, problems = parse_lagging_filters(lagging_args, section_keys=section_keys, unit_ids=unit_ids,
                                           period_keys=period_keys)
    state = (args.get("state") or "").strip() or "submitted"
    if state not in REVIEW_STATES:
        problems.append(Message("bad_state", N_("状态应为 submitted、returned 或 accepted：%(value)s"), {"value": state[:40]}))
        state = "submitted"
    period = base.period_key if period_arg.lower() != "all" else None
    return ReviewFilters(period, state, base.section_key, base.unit_id, base.colour, base.page), problems
