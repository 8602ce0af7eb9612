"""The unit roster (单位名册): canonical names, aliases, kinds and the members of collective units.

The roster is a fact of the city, not of the plan, so it lives in roster.json
beside this module and an administrator can swap it for another city's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .units import normalise_unit_name

DEFAULT_ROSTER = Path(__file__).with_name("roster.json")
KINDS = ("department", "district", "zone", "group")


class RosterError(ValueError):
    """The roster file cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str = "department"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    office: str | None = None  # acts for a group whose members are not set yet

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


class Roster:
    """Units by canonical name, in the file's order, and every spelling that leads to them."""

    def __init__(self, units: dict[str, Unit], lookup: dict[str, str], city: str | None = None):
        self.units = units
        self._lookup = lookup
        self.city = city  # the city whose units these are; None: any city's plan may use it

    @classmethod
    def of(cls, units: list[Unit], city: str | None = None) -> Roster:
        """Raises RosterError if a spelling leads to two units, a member is missing or a kind is unknown."""
        lookup: dict[str, str] = {}
        for unit in units:
            for written in (unit.name, *unit.aliases):
                other = lookup.setdefault(normalise_unit_name(written), unit.name)
                if other != unit.name:
                    raise RosterError(f"名册中“{written}”同时指向“{other}”和“{unit.name}”")
        roster = cls({unit.name: unit for unit in units}, lookup, city)
        roster._check_references()
        return roster

    def resolve(self, written: str) -> str | None:
        """The canonical name for a name as written (市发改委 → 市发展和改革委员会), or None."""
        return self._lookup.get(normalise_unit_name(written))

    def with_units_of(self, unit: Unit) -> list[Unit]:
        """The unit followed by everything it stands for: members (recursively) and its office."""
        found: dict[str, Unit] = {}
        pending = [unit.name]
        while pending:
            name = pending.pop(0)
            if name in found or name not in self.units:
                continue
            current = found[name] = self.units[name]
            pending.extend(current.members)
            pending.extend([current.office] if current.office else [])
        return list(found.values())

    def _check_references(self) -> None:
        for unit in self.units.values():
            if unit.kind not in KINDS:
                raise RosterError(f"名册中“{unit.name}”的类别“{unit.kind}”无效，应为 {'/'.join(KINDS)}")
            for member in (*unit.members, *([unit.office] if unit.office else [])):
                if member not in self.units:
                    raise RosterError(f"名册中“{unit.name}”引用了名册里没有的单位“{member}”")


def load_roster(path: str | Path | None = None) -> Roster:
    """Reads a roster file (default: the Zhengzhou roster); raises RosterError if it is unusable."""
    path = Path(path) if path else DEFAULT_ROSTER
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return Roster.of([_unit_from(entry) for entry in data["units"]], data.get("city"))
    except RosterError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RosterError(f"无法读取单位名册 {path}：{exc}") from exc


def _unit_from(entry: dict) -> Unit:
    return Unit(
        name=entry["name"],
        kind=entry.get("kind", "department"),
        aliases=tuple(entry.get("aliases", ())),
        members=tuple(entry.get("members", ())),
        office=entry.get("office"),
    )
