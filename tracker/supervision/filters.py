"""The lagging list's filters from a query string: typed values, or messages saying what was wrong.

Pure: the caller passes the plan's sections, units and quarters to check against.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Mapping

from tracker.core.i18n import N_
from tracker.core.inputs import whole_number
from tracker.reporting.periods import Quarter
from tracker.supervision.lights import Colour

MAX_PAGE = 100_000

Problem = tuple[str, dict[str, str]]          # (msgid, params)


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
        problems.append((N_("没有这个规划部分：%(value)s"), {"value": section[:40]}))
        section = None
    unit_id = None
    if value("unit"):
        if whole_number(value("unit")) in unit_ids:
            unit_id = whole_number(value("unit"))
        else:
            problems.append((N_("没有这个责任单位：%(value)s"), {"value": value("unit")[:40]}))
    colour = None
    if value("light"):
        try:
            colour = Colour(value("light").lower())
        except ValueError:
            problems.append((N_("亮灯应为 red、yellow、green、done 或 none：%(value)s"), {"value": value("light")[:40]}))
    period = None
    if value("period"):
        try:
            period = Quarter.parse(value("period")).key
        except ValueError:
            problems.append((N_("季度格式应为 2024Q3：%(value)s"), {"value": value("period")[:40]}))
        else:
            if period not in period_keys:
                problems.append((N_("本规划没有这个季度：%(value)s"), {"value": period}))
                period = None
    page = 1
    if value("page"):
        if whole_number(value("page"), low=1, high=MAX_PAGE) is not None:
            page = whole_number(value("page"))
        else:
            problems.append((N_("页码应为正整数：%(value)s"), {"value": value("page")[:40]}))
    return LaggingFilters(section, unit_id, colour, period, page), problems
