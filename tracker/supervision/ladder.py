"""The 督办 life cycle as rules: its states, and the ladder of 督办单 colours it climbs when ignored. Pure.

open (待签收) → acknowledged (已签收, every unit concerned has signed) → responded (已反馈, every unit
has answered in writing) → closed (已办结, by the office). An escalation whose deadline passes while a
unit has not answered is *ignored*: it climbs one step of the ladder (e.g. 蓝 → 黄 → 红) with a new
deadline N working days on; at the top it stays, and the office is told once per step.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tracker.core.i18n import N_
from tracker.core.workdays import WorkCalendar


class EscalationState(enum.Enum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {EscalationState.OPEN: N_("待签收"), EscalationState.ACKNOWLEDGED: N_("已签收"),
                EscalationState.RESPONDED: N_("已反馈"), EscalationState.CLOSED: N_("已办结")}[self]


def state_of(*, closed: bool, acknowledged: list[bool], responded: list[bool]) -> EscalationState:
    """The state of an escalation (or of one unit's part, with one-element lists)."""
    if closed:
        return EscalationState.CLOSED
    if responded and all(responded):
        return EscalationState.RESPONDED
    if acknowledged and all(a or r for a, r in zip(acknowledged, responded)):
        return EscalationState.ACKNOWLEDGED
    return EscalationState.OPEN


def is_ignored(respond_by: date, today: date, *, closed: bool, all_responded: bool) -> bool:
    """The deadline has passed and someone concerned has not answered."""
    return not closed and not all_responded and today > respond_by


@dataclass(frozen=True)
class Ladder:
    colours: tuple[str, ...] = ("蓝", "黄", "红")
    raise_workdays: int = 3     # the new deadline after a step up, in working days

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> Ladder:
        return cls(tuple(config.get("TRACKER_ESCALATION_LADDER") or cls.colours),
                   int(config.get("TRACKER_ESCALATION_RAISE_WORKDAYS") or cls.raise_workdays))

    def colour(self, level: int) -> str:
        return self.colours[min(max(level, 0), len(self.colours) - 1)]

    def sheet(self, level: int) -> str:
        """'蓝色督办单' …: what the letter calls the step."""
        return f"{self.colour(level)}色督办单"

    def can_raise(self, level: int) -> bool:
        return level + 1 < len(self.colours)

    def raised_deadline(self, today: date, calendar: WorkCalendar) -> date:
        return calendar.add_workdays(today, self.raise_workdays)
