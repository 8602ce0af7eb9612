"""Tab-laid tables as they come out of a word processor: one cell per tab-led line.

A cell's text may run on over following lines without a tab ("40000/" ⏎⏎ "90000",
"制定" ⏎⏎ "依据"); blank lines mean nothing. Rows are found by counting cells from each
row's number, never by trusting blank lines, because some rows lose their empty cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .outline import APPENDIX, PART, SECTION

TABLE_TITLE = re.compile(r"^表\s*[0-9０-９]+")
MAX_CONTINUATION = 12  # a longer line without a tab is prose: the table has ended
MAX_TITLE_DISTANCE = 3
MAX_TITLE = 40


@dataclass(frozen=True)
class Cell:
    line: int
    text: str


@dataclass
class Table:
    title: str
    title_line: int | None
    last_line: int = 0
    cells: list[Cell] = field(default_factory=list)
    note_line: int | None = None  # 注：带*指标为当年值…

    @property
    def lines(self) -> set[int]:
        """The lines the table takes up: cells, note, and its title unless that looks like prose."""
        lines = set(range(self.cells[0].line, self.last_line + 1))
        if self.title_line and len(self.title) <= MAX_TITLE and "。" not in self.title:
            lines.add(self.title_line)
        return lines | ({self.note_line} if self.note_line else set())


@dataclass(frozen=True)
class Layout:
    """What the header says: columns after 编号, the peer cities, whether rows open with a 分类 cell."""

    columns: tuple[str, ...]
    cities: tuple[str, ...]
    category_cells: int
    first_row: int  # index of the first row's number cell

    @property
    def width(self) -> int:
        return len(self.columns) + len(self.cities)


@dataclass(frozen=True)
class Row:
    number: int
    line: int
    category: str
    cells: tuple[str, ...]


def find_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    table: Table | None = None
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if raw.startswith("\t"):
            if table is None:
                table = Table(*_title_before(lines, number))
                tables.append(table)
            table.cells.append(Cell(number, text))
            table.last_line = number
        elif table is not None and text:
            if _ends_table(text):
                table.note_line = number if text.startswith("注") else None
                table = None
            else:
                last = table.cells[-1]
                table.cells[-1] = Cell(last.line, last.text + text)
                table.last_line = number
    return tables


def _ends_table(text: str) -> bool:
    heading = PART.match(text) or SECTION.match(text) or TABLE_TITLE.match(text) or APPENDIX.match(text)
    return bool(heading) or text.startswith("注") or len(text) > MAX_CONTINUATION


def _title_before(lines: list[str], number: int) -> tuple[str, int | None]:
    for previous in range(number - 1, max(number - 1 - MAX_TITLE_DISTANCE, 0), -1):
        text = lines[previous - 1].strip()
        if text and not lines[previous - 1].startswith("\t"):
            return text, previous
    return "", None


def read_layout(table: Table) -> Layout | None:
    """None when the table has no 编号 column followed by a row numbered 1."""
    texts = [cell.text.replace(" ", "").replace("\u3000", "") for cell in table.cells]
    number_column = next((i for i, text in enumerate(texts) if text == "编号"), None)
    if number_column is None:
        return None
    first_row = next((i for i in range(number_column + 1, len(texts)) if texts[i] == "1"), None)
    if first_row is None:
        return None
    labels = [text for text in texts[number_column + 1 : first_row - number_column] if text]
    span = next((i for i, label in enumerate(labels) if "/" in label), len(labels))
    return Layout(tuple(labels[:span]), tuple(labels[span + 1 :]), number_column, first_row)


def read_rows(table: Table, layout: Layout) -> tuple[list[Row], list[int]]:
    """Rows numbered 1, 2, … and the numbers that went missing on the way."""
    cells, rows, missing = table.cells, [], []
    position, category, expected = layout.first_row, "", 1
    row_start = position - layout.category_cells
    while position is not None:
        number = int(cells[position].text)
        missing.extend(range(expected, number))
        before = cells[row_start:position]  # the 分类 cell, blank, or lost altogether
        if before and before[-1].text:
            category = before[-1].text  # a blank or lost 分类 cell carries the category down
        values = tuple(cell.text for cell in cells[position + 1 : position + 1 + layout.width])
        rows.append(Row(number, cells[position].line, category, values))
        expected = number + 1
        row_start = position + 1 + len(values)
        position = _next_row(cells, row_start, number, layout.category_cells)
    return rows, missing


def _next_row(cells: list[Cell], start: int, number: int, category_cells: int) -> int | None:
    """The next row's number cell: right here, after its 分类 cell, or a few numbers on."""
    for index in range(start, min(start + category_cells + 1, len(cells))):
        text = cells[index].text
        if text.isdigit() and number < int(text) <= number + 3:
            return index
    return None
