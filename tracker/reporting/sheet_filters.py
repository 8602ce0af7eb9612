"""Which rows of the quarterly report page to show: what the unit still owes, by default. Pure.

show: owed (missing, draft or returned), returned, submitted (submitted or accepted), all;
duty: lead or co; section: a section id. A bad value falls back to the default, never a 500.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.core.inputs import whole_number
from tracker.reporting.models import State

SHOWS = ("owed", "returned", "submitted", "all")
DUTIES = ("lead", "co")


@dataclass(frozen=True)
class SheetFilters:
    show: str = "owed"
    duty: str | None = None
    section_id: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query-string values (for links and redirects that keep them)."""
        values = {"show": None if self.show == "owed" else self.show, "duty": self.duty,
                  "section": self.section_id}
        return {k: str(v) for k, v in values.items() if v is not None}


def parse_sheet_filters(args: Mapping[str, str]) -> SheetFilters:
    show = (args.get("show") or "").strip()
    duty = (args.get("duty") or "").strip()
    section = (args.get("section") or "").strip()
    return SheetFilters(show=show if show in SHOWS else "owed", duty=duty if duty in DUTIES else None,
                        section_id=whole_number(section))


def row_stage(state_value: str | None) -> str:
    """owed, returned or submitted, from a report's state value (None: no report yet)."""
    if state_value is not None and State(state_value).counts_as_submitted:
        return "submitted"
    return "returned" if state_value == "returned" else "owed"


def is_shown(filters: SheetFilters, *, state_value: str | None, duty_value: str, section_id: int) -> bool:
    stage = row_stage(state_value)
    if filters.show == "owed" and stage == "submitted":
        return False
    if filters.show in ("returned", "submitted") and stage != filters.show:
        return False
    if filters.duty and duty_value != filters.duty:
        return False
    return filters.section_id is None or filters.section_id == section_id


def count_stages(states: Iterable[Any]) -> dict[str, int]:
    """How many rows each show filter would list: the numbers on the filter links."""
    counts = {name: 0 for name in SHOWS}
    for value in states:
        stage = row_stage(value)
        counts["all"] += 1
        counts[stage] += 1
        if stage == "returned":
            counts["owed"] += 1
    return counts
