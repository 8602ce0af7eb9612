"""Which unit a written name means: resolved from what is known, never guessed.

In order: the units and aliases already in the database (an administrator's aliases
count), then the roster, when it is this city's; then only rules that hold in every
city (市发改委 → 市发展和改革委员会). A collective word (各镇办, 市级相关部门) becomes a
group with no members; anything else unknown stays as written, with near names offered
as suggestions, never merged. A database unit that only another city's plans name is
never taken for this city's: the new one is qualified with this city's name.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .roster import Roster
from .units import expand_generic, is_collective, normalise_unit_name

CITY = re.compile(r"^(?P<city>[^\s“”\"《》（）()]{1,10}?(?:市|自治州|地区|盟))")
MAX_SUGGESTIONS = 3
NEAR = 0.75


@dataclass(frozen=True)
class KnownUnit:
    """A unit the database already has, and the cities of the plans that name it (empty: any city)."""

    name: str
    kind: str = "department"
    aliases: tuple[str, ...] = ()
    cities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Resolved:
    name: str
    how: str  # known | roster | rule | new | group | other_city
    kind: str = "department"
    suggestions: tuple[str, ...] = ()


def city_of(title: str) -> str:
    """郑州市“十四五”知识产权发展规划 → 郑州市; "" when the title names no city."""
    match = CITY.match(title.strip())
    return match["city"] if match else ""


def roster_applies(roster: Roster, city: str) -> bool:
    """A roster made for one city (roster.json says whose) applies to that city's plans only."""
    return roster.city is None or roster.city == city


class UnitBook:
    """Everything a name can resolve to for one plan of one city."""

    def __init__(self, city: str, known: list[KnownUnit], roster: Roster | None):
        self.city = city
        self.roster = roster
        self._known: dict[str, KnownUnit] = {}
        for unit in known:
            for written in (unit.name, *unit.aliases):
                self._known.setdefault(normalise_unit_name(written), unit)
        self._names = list(dict.fromkeys([u.name for u in known] + (list(roster.units) if roster else [])))

    def resolve(self, written: str) -> Resolved:
        name = normalise_unit_name(written)
        for candidate in dict.fromkeys((name, expand_generic(name))):
            found = self._lookup(candidate)
            if found is not None:
                return found
        expanded = expand_generic(name)
        if is_collective(expanded):
            return Resolved(expanded, "group", "group")
        how = "rule" if expanded != name else "new"
        return Resolved(expanded, how, suggestions=self._near(name) if how == "new" else ())

    def _lookup(self, name: str) -> Resolved | None:
        unit = self._known.get(name)
        if unit is not None:
            if not unit.cities or not self.city or self.city in unit.cities:
                return Resolved(unit.name, "known", unit.kind)
            qualified = self._qualified(unit.name)
            return self._lookup(qualified) if qualified in self._known else Resolved(
                qualified, "other_city", "group" if is_collective(unit.name) else unit.kind)
        if self.roster is not None and (canonical := self.roster.resolve(name)):
            return Resolved(canonical, "roster", self.roster.units[canonical].kind)
        return None

    def _qualified(self, name: str) -> str:
        return normalise_unit_name(self.city + name.removeprefix("市"))

    def _near(self, name: str) -> tuple[str, ...]:
        """经信局 ~ 市经信局: names a person may have meant; offered, never applied."""
        scored = []
        for candidate in self._names:
            if candidate == name:
                continue
            if candidate in (f"市{name}", expand_generic(f"市{name}")) or (len(name) >= 3 and name in candidate):
                scored.append((1.0, candidate))
            elif (ratio := difflib.SequenceMatcher(None, name, candidate).ratio()) >= NEAR:
                scored.append((ratio, candidate))
        return tuple(c for _, c in sorted(scored, key=lambda s: -s[0])[:MAX_SUGGESTIONS])
