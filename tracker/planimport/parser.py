"""Plan text → sections, tasks with their lead and co units, indicators, and problems. Pure.

Which numbered items are tasks: those of the parts that carry responsibility blocks
(三、重点任务, 四、重大工程, 五、保障措施), so that the numbered 基本原则 of 二、总体思路
are not. Safeguard measures are numbered apart (S1, S2, …).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import outline
from . import problems as P
from .assignment import PlacedBlock, assign_blocks
from .blocks import find_blocks
from .deadlines import deadline_on
from .indicators import read_indicators
from .outline import Item, Part, read_outline
from .problems import Problem
from .resolve import KnownUnit, UnitBook, city_of, roster_applies
from .result import ImportResult, PlanHeader, Section, Task
from .roster import Roster, Unit, load_roster
from .tables import read_layout
from .tasktable import TaskTable, read_task_tables
from .titles import plan_title, plan_years, task_title
from .units import normalise_unit_name

SAFEGUARD_PREFIX = "S"
TASK_PART_WORDS = re.compile("任务|工程|措施|行动")  # used only when no part carries any block
NEW_UNIT_WAYS = ("new", "group", "rule", "other_city")
STYLE_ORDER = ("A", "B", "C", "D", "E", "T")


@dataclass
class _Draft:
    """A task before its units are resolved."""

    number: str | None  # None until safeguard measures are numbered
    item: Item
    section_key: str
    section_title: str
    section_line: int
    part_title: str
    title: str
    blocks: list[PlacedBlock]


def parse_plan(text: str, roster: Roster | None = None, known: Sequence[KnownUnit] = ()) -> ImportResult:
    """Never raises on any text: whatever is wrong comes back as problems beside what was found.

    `known`: the units the database already has (matched first); `roster` (default: the
    packaged Zhengzhou roster) is used only for the city it was made for.
    """
    roster = roster or load_roster()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ImportResult(problems=[P.error("empty_text", None, P.EMPTY_TEXT)])
    lines = text.split("\n")
    problems: list[Problem] = []
    plan = _plan_header(lines, text, problems)
    indicators, indicator_problems, tables = read_indicators(lines)
    skip = frozenset(n for table in tables if read_layout(table) for n in table.lines)
    task_tables = [table for table in read_task_tables(lines) if table.tasks]
    if task_tables:
        drafts = _table_drafts(task_tables)
    else:
        drafts = _drafts(read_outline(lines, skip), problems)
    city = city_of(plan.title)
    book = UnitBook(city, list(known), roster if roster_applies(roster, city) else None)
    tasks, units, styles = _tasks(drafts, book, problems)
    _check_numbers(tasks, problems)
    if not tasks:
        problems.append(P.error("no_tasks", None, P.NO_TASKS))
    problems.extend(indicator_problems)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    new_names = [unit.name for unit in units if unit.name not in (book.roster.units if book.roster else {})]
    return ImportResult(plan, _sections(drafts), tasks, units, indicators, problems, styles, city, new_names)


def _plan_header(lines: list[str], text: str, problems: list[Problem]) -> PlanHeader:
    title, line = plan_title(lines)
    if not title:
        problems.append(P.warning("no_title", 1, P.NO_TITLE))
    start, end = plan_years(title, text)
    if start is None:
        problems.append(P.warning("no_years", line, P.NO_YEARS))
    return PlanHeader(title, start, end)


def _drafts(parts: list[Part], problems: list[Problem]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for part in _task_parts(parts):
        if part.items:
            drafts += _numbered_drafts(part, problems)
        else:
            drafts += _paragraph_drafts(part)
    if not any(d.number for d in drafts):  # 分工方案 whose tasks are （一）（二）…: numbered in order
        for position, draft in enumerate((d for d in drafts if "保障" not in d.part_title), start=1):
            draft.number = str(position)
    safeguards = [d for d in drafts if d.number is None or "保障" in d.part_title]
    for position, draft in enumerate(safeguards, start=1):  # numbered apart from the tasks
        draft.number = f"{SAFEGUARD_PREFIX}{position}"
    return drafts


def _task_parts(parts: list[Part]) -> list[Part]:
    """The parts that carry responsibility blocks; if none does, those whose title speaks of tasks."""
    with_blocks = [part for part in parts if _has_blocks(part)]
    return with_blocks or [part for part in parts if TASK_PART_WORDS.search(part.title)]


def _numbered_drafts(part: Part, problems: list[Problem]) -> list[_Draft]:
    drafts = []
    for section in part.sections:
        _warn_blocks_before_tasks(section.inline, problems)
        for item, blocks in assign_blocks(section.items):
            title = task_title(_clean(item, blocks), section.title, len(section.items) == 1)
            drafts.append(_Draft(item.number, item, section.key, section.title, section.line,
                                 part.title, title, blocks))
    return drafts


def _paragraph_drafts(part: Part) -> list[_Draft]:
    """（一）加强组织领导。…[责任单位：…]: each section is one paragraph and one item (保障措施)."""
    drafts = []
    for section in part.sections:
        if section.inline and section.inline.text.strip():
            for item, blocks in assign_blocks([section.inline]):
                drafts.append(_Draft(None, item, str(part.ordinal), part.title, part.line,
                                     part.title, section.title, blocks))
    return drafts


def _table_drafts(tables: list[TaskTable]) -> list[_Draft]:
    """One draft per table row; each heading row opens a section, numbered 1, 2, … in order."""
    drafts: list[_Draft] = []
    part = outline.Part(0, "", tables[0].header_line)
    sections: dict[str, outline.Section] = {}
    for table in tables:
        for row in table.tasks:
            title = row.section or "重点任务"
            if title not in sections:
                sections[title] = outline.Section(part, len(sections) + 1, title, row.line)
            section = sections[title]
            item = Item(row.number, row.line, row.text, section)
            number = row.number or str(len(drafts) + 1)
            drafts.append(_Draft(number, item, str(section.ordinal), title, section.line, "",
                                 task_title(row.text, title, False), [PlacedBlock(row.block, item)]))
    return drafts


def _has_blocks(part: Part) -> bool:
    paragraphs = [*part.items, *(s.inline for s in part.sections if s.inline)]
    return any(find_blocks(item.text) for item in paragraphs)


def _warn_blocks_before_tasks(intro: Item | None, problems: list[Problem]) -> None:
    for block in find_blocks(intro.text) if intro else []:
        problems.append(P.warning("orphan_block", intro.line_of(block.start), P.ORPHAN_BLOCK))


def _tasks(drafts: list[_Draft], book: UnitBook, problems: list[Problem]) -> tuple[list[Task], list[Unit], list[str]]:
    new_units: dict[str, Unit] = {}
    names_in: dict[int, list[tuple[str, bool]]] = {}  # per block, resolved once: a shared block warns once
    styles: list[str] = []
    for draft in drafts:
        for placed in draft.blocks:
            if id(placed.block) not in names_in:
                covered = "、".join(d.number for d in drafts if any(p.block is placed.block for p in d.blocks))
                names_in[id(placed.block)] = _units_of(placed, book, new_units, problems, covered)
                styles.append(placed.block.style)
    tasks = []
    for draft in drafts:
        named = [pair for placed in draft.blocks for pair in names_in[id(placed.block)]]
        leads = list(dict.fromkeys(name for name, lead in named if lead))
        co = [name for name in dict.fromkeys(name for name, _ in named) if name not in leads]
        if not draft.blocks:
            problems.append(P.error("task_without_units", draft.item.line, P.TASK_WITHOUT_UNITS, number=draft.number))
        elif len(draft.blocks) > 1:
            problems.append(P.warning("several_blocks", draft.item.line, P.SEVERAL_BLOCKS, number=draft.number))
        if named and not leads:
            problems.append(P.error("no_lead", draft.item.line, P.NO_LEAD, number=draft.number))
        deadline = next((placed.block.deadline for placed in draft.blocks if placed.block.deadline), "")
        tasks.append(Task(
            number=draft.number, title=draft.title, text=_clean(draft.item, draft.blocks),
            section=draft.section_title, section_key=draft.section_key,
            lead=leads[0] if leads else None, co=tuple(co),
            units_text="、".join(placed.block.units_text for placed in draft.blocks if not placed.block.unread),
            line=draft.item.line, leads=tuple(leads), deadline=deadline,
            deadline_on=deadline_on(deadline) if deadline else None,
        ))
    found = tuple(style for style in STYLE_ORDER if style in styles)
    return tasks, _units_named(tasks, book.roster, new_units), list(found)


def _units_of(placed: PlacedBlock, book: UnitBook, new_units: dict[str, Unit],
              problems: list[Problem], tasks_text: str) -> list[tuple[str, bool]]:
    block, line = placed.block, placed.line_of(placed.block.start)
    if block.unread:
        problems.append(P.error("unread_annotation", line, P.UNREAD_ANNOTATION, text=block.units_text,
                                number=tasks_text))
        return []
    if not block.closed:
        problems.append(P.error("unclosed_block", line, P.UNCLOSED_BLOCK))
    if not block.names:
        problems.append(P.error("empty_block", line, P.EMPTY_BLOCK))
    names = []
    for position, written in enumerate(block.names):
        found = book.resolve(written.text)
        where = placed.line_of(written.offset)
        if found.how in NEW_UNIT_WAYS:  # kept as a new unit: dropping it would lose a responsible unit
            new_units.setdefault(found.name, Unit(found.name, found.kind))
        if found.how == "new":
            problems.append(P.warning("unknown_unit", where, P.UNKNOWN_UNIT, name=normalise_unit_name(written.text),
                                      tasks=tasks_text))
            if found.suggestions:
                problems.append(P.warning("unit_suggestion", where, P.UNIT_SUGGESTION,
                                          name=normalise_unit_name(written.text),
                                          suggestions="”“".join(found.suggestions)))
        elif found.how == "group":
            problems.append(P.warning("collective_unit", where, P.COLLECTIVE_UNIT, name=found.name, tasks=tasks_text))
        elif found.how == "other_city":
            problems.append(P.warning("other_city_unit", where, P.OTHER_CITY_UNIT,
                                      name=normalise_unit_name(written.text), qualified=found.name))
        names.append((found.name, position < block.leads))
    return names


def _units_named(tasks: list[Task], roster: Roster | None, new_units: dict[str, Unit]) -> list[Unit]:
    """Roster units the tasks name, with their members and offices, in roster order; then new ones."""
    named = {name for task in tasks for name in (*task.leads, *task.co) if name}
    units = roster.units if roster else {}
    wanted = {unit.name for name in named if name in units for unit in roster.with_units_of(units[name])}
    return [unit for unit in units.values() if unit.name in wanted] + [
        unit for unit in new_units.values() if unit.name in named
    ]


def _clean(item: Item, blocks: list[PlacedBlock]) -> str:
    """The task's words without the blocks written in its paragraph, one line per paragraph."""
    text = item.text
    for placed in sorted(blocks, key=lambda p: p.block.start, reverse=True):
        if placed.owner is item:
            text = text[: placed.block.start] + text[placed.block.end :]
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _check_numbers(tasks: list[Task], problems: list[Problem]) -> None:
    first_line: dict[str, int] = {}
    previous: int | None = None
    for task in tasks:
        if task.number in first_line:
            problems.append(P.error("duplicate_task", task.line, P.DUPLICATE_TASK,
                                    number=task.number, first_line=first_line[task.number]))
            continue
        first_line[task.number] = task.line
        if task.number.isdigit():
            if previous is None and task.number != "1":
                problems.append(P.warning("first_number", task.line, P.FIRST_NUMBER, number=task.number))
            elif previous is not None and int(task.number) != previous + 1:
                problems.append(P.warning("number_gap", task.line, P.NUMBER_GAP, previous=previous, number=task.number))
            previous = int(task.number)


def _sections(drafts: list[_Draft]) -> list[Section]:
    sections: dict[str, Section] = {}
    for draft in drafts:
        if draft.section_key not in sections:
            sections[draft.section_key] = Section(draft.section_key, draft.part_title, draft.section_title,
                                                  len(sections) + 1, draft.section_line)
    return list(sections.values())
