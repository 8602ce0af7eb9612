"""A 分工方案 written as a table: 序号 / 重点任务 / 牵头单位 / 配合（责任）单位 / 完成时限.

Rows come as tab-separated lines (pasted text, a .docx table, an .xlsx sheet). A row
with a single cell, or a short line between rows, is a heading that opens a section
(一、… / （一）…); a longer line without tabs continues the task above it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .blocks import Block, WrittenName, names_with_markers
from .outline import APPENDIX, PART, SECTION

NUMBER_HEAD = re.compile(r"^(?:序号|编号|序)$")
TASK_HEAD = re.compile(r"任务|事项|内容|措施|举措|工作")
LEAD_HEAD = re.compile(r"牵头")
CO_HEAD = re.compile(r"配合|协同|参与|协办")
RESPONSIBLE_HEAD = re.compile(r"责任")
DEADLINE_HEAD = re.compile(r"时限|完成时间|时间节点|进度安排")
NUMBER = re.compile(r"^[（(]?(?P<n>[0-9０-９]{1,3})[）)]?[.．、]?$")
HEADING_MAX = 30


@dataclass
class Columns:
    number: int | None = None
    task: int | None = None
    lead: int | None = None
    co: int | None = None
    responsible: int | None = None
    deadline: int | None = None


@dataclass
class TableTask:
    number: str | None
    line: int
    text: str
    block: Block
    section: str


@dataclass
class TaskTable:
    header_line: int
    tasks: list[TableTask] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)


def read_task_tables(lines: list[str]) -> list[TaskTable]:
    """Every task table in the text, with the lines it takes up."""
    tables: list[TaskTable] = []
    index = 0
    while index < len(lines):
        columns = _header(lines[index])
        if columns is None:
            index += 1
            continue
        table = TaskTable(index + 1)
        index = _read_rows(lines, index + 1, columns, table, _title_before(lines, index))
        tables.append(table)
    return tables


def _header(line: str) -> Columns | None:
    if "\t" not in line:
        return None
    columns = Columns()
    for position, raw in enumerate(line.split("\t")):
        cell = re.sub(r"\s+", "", raw)
        if NUMBER_HEAD.match(cell):
            columns.number = position
        elif LEAD_HEAD.search(cell):
            columns.lead = position
        elif CO_HEAD.search(cell):
            columns.co = position
        elif RESPONSIBLE_HEAD.search(cell) and ("单位" in cell or "部门" in cell):
            columns.responsible = position
        elif DEADLINE_HEAD.search(cell):
            columns.deadline = position
        elif TASK_HEAD.search(cell) and columns.task is None:
            columns.task = position
    if columns.task is None or (columns.lead is None and columns.responsible is None):
        return None
    if columns.lead is not None and columns.co is None:  # 牵头单位 / 责任单位: the second are co-responsible
        columns.co, columns.responsible = columns.responsible, None
    return columns


def _title_before(lines: list[str], index: int) -> str:
    for back in range(index - 1, max(index - 4, -1), -1):
        text = lines[back].strip()
        if text:
            return text if len(text) <= HEADING_MAX and "\t" not in text else ""
    return ""


def _read_rows(lines: list[str], start: int, columns: Columns, table: TaskTable, section: str) -> int:
    section = section or ""
    index = start
    while index < len(lines):
        raw, number = lines[index], index + 1
        text = raw.strip()
        if APPENDIX.match(text):
            break
        if _header(raw):  # the header repeated on a new page
            table.lines.add(number)
        elif "\t" in raw and len([c for c in raw.split("\t") if c.strip()]) > 1:
            cells = raw.split("\t")
            task = _task(cells, columns, number, section)
            if task is not None:
                table.tasks.append(task)
            table.lines.add(number)
        elif text:
            heading = text.strip("\t ")
            if PART.match(heading) or SECTION.match(heading) or (len(heading) <= HEADING_MAX and "。" not in heading):
                section = _heading_title(heading)
            elif table.tasks and len(table.tasks[-1].text) < 2000:
                table.tasks[-1].text += heading  # a task cell continued on the next line
            else:
                break
            table.lines.add(number)
        index += 1
    return index


def _heading_title(heading: str) -> str:
    for pattern in (PART, SECTION):
        if match := pattern.match(heading):
            return match["title"].strip()
    return heading


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position].strip() if position is not None and position < len(cells) else ""


def _task(cells: list[str], columns: Columns, line: int, section: str) -> TableTask | None:
    text = _cell(cells, columns.task)
    if not text:
        return None
    number = None
    if match := NUMBER.match(_cell(cells, columns.number)):
        number = unicodedata.normalize("NFKC", match["n"])
    lead_text, co_text = _cell(cells, columns.lead), _cell(cells, columns.co)
    responsible_text = _cell(cells, columns.responsible)
    leads: list[WrittenName] = []
    co: list[WrittenName] = []
    if columns.lead is not None:
        marked, others = names_with_markers(lead_text, 0)
        leads = [*marked, *others]
        marked, co = names_with_markers(co_text, 0)
        leads += marked
    else:
        marked, others = names_with_markers(responsible_text, 0)
        leads, co = (marked, others) if marked else (others[:1], others[1:])
    units_text = "；".join(t for t in (lead_text, co_text, responsible_text) if t)
    deadline = _cell(cells, columns.deadline)
    block = Block(0, 0, units_text, tuple(leads + co), True, len(leads), "T", deadline)
    return TableTask(number, line, text, block, section)
