"""list_lights and list_lagging over the small plan: the lights a supervisor expects, and filters."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.supervision.lights import Colour
from tracker.supervision.queries import list_lagging, list_lights

TODAY = date(2024, 11, 20)




def texts(light):
    return [reason.text(lambda s: s) for reason in light.reasons]


def test_each_task_gets_the_light_its_reports_call_for(ctx, lit):
    lights = list_lights(ctx, lit.plan_id, today=TODAY)
    by_number = {lit.task(n).id: n for n in "1234"}
    colours = {by_number[tid]: light.colour for tid, light in lights.items()}
    assert colours == {"1": Colour.GREEN, "2": Colour.RED, "3": Colour.RED, "4": Colour.YELLOW}
    assert texts(lights[lit.task("2").id]) == ["牵头单位乙局 2024Q3 报告进展为“滞后”"]
    assert texts(lights[lit.task("3").id]) == ["丙局 连续 2 个季度未报送（2024Q2、2024Q3），已逾期 39 天"]
    assert texts(lights[lit.task("4").id]) == ["2024Q3 丙局 报告未报送，已逾期 39 天"]


def test_the_lagging_list_is_reddest_and_most_overdue_first(ctx, lit):
    rows = list_lagging(ctx, lit.plan_id, today=TODAY)
    assert [r.task.number for r in rows] == ["3", "2", "4"]
    assert [r.days_overdue for r in rows] == [39, 0, 39]
    assert rows[0].lead.name == "丙局"


@pytest.mark.parametrize("filters, numbers", [
    ({"colour": Colour.YELLOW}, ["4"]),
    ({"colour": Colour.GREEN}, ["1"]),
    ({"section_key": "2"}, ["2", "4"]),
    ({"unit_id": "甲局"}, ["4"]),
    ({"unit_id": "丙局"}, ["3", "2", "4"]),
    ({"period_key": "2024Q2"}, ["3"]),
    ({"period_key": "2024Q3", "colour": Colour.RED}, ["3", "2"]),
    ({"section_key": "1", "colour": Colour.YELLOW}, []),
])
def test_the_lagging_list_filters_by_section_unit_light_and_period(ctx, lit, filters, numbers):
    if "unit_id" in filters:
        filters = {**filters, "unit_id": lit.unit(filters["unit_id"]).id}
    rows = list_lagging(ctx, lit.plan_id, today=TODAY, **filters)
    assert [r.task.number for r in rows] == numbers
