"""What an import yields: the plan, its sections, tasks, units and indicators, and the problems found."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .indicators import Indicator
from .problems import Problem
from .roster import Unit


@dataclass(frozen=True)
class PlanHeader:
    title: str
    start_year: int | None
    end_year: int | None


@dataclass(frozen=True)
class Section:
    key: str  # 三、（一） → "3.1"; a part without sections (保障措施) → "5"
    part: str
    title: str
    position: int
    line: int


@dataclass(frozen=True)
class Task:
    number: str  # "1".."50"; safeguard measures "S1".."S3"
    title: str
    text: str
    section: str
    section_key: str
    lead: str | None
    co: tuple[str, ...]
    units_text: str
    line: int
    leads: tuple[str, ...] = ()  # every lead, in order; `lead` is the first
    deadline: str = ""  # 完成时限 as written
    deadline_on: date | None = None  # the day it means, where it is one date


@dataclass
class ImportResult:
    plan: PlanHeader = PlanHeader("", None, None)
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)  # every unit a task names, with members and offices
    indicators: list[Indicator] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)  # annotation styles found, A–E and T (table)
    city: str = ""  # the city the title names
    new_names: list[str] = field(default_factory=list)  # units neither the database nor the roster knew

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def summary(self, translate=lambda text: text) -> str:
        """One line: N tasks, M units, K warnings, which styles were found."""
        from . import problems as P

        styles = "、".join(translate(P.STYLE_NAMES[s]) for s in self.styles) or translate(P.NO_STYLE)
        return translate(P.SUMMARY) % {"tasks": len(self.tasks), "units": len(self.units_named),
                                       "errors": len(self.errors), "warnings": len(self.warnings), "styles": styles}

    @property
    def units_named(self) -> list[str]:
        """Every unit some task names, leads first, in the order of the tasks."""
        return list(dict.fromkeys(n for t in self.tasks for n in (*t.leads, *t.co)))

    def to_seed(self) -> dict:
        from .seed import seed_of

        return seed_of(self)
