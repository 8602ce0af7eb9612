"""The plan's indicators (主要指标) and the peer-city figures of its appendix (附件1 表1).

Figures are kept as written ("3-4", "-") and read as numbers where they are numbers.
A * before a name marks the year's own figure (当年值); the rest are cumulative (累计值).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.core.figures import read_range

from . import problems as P
from .problems import Problem
from .tables import Layout, Row, Table, find_tables, read_layout, read_rows

TRAILING_BRACKET = re.compile(r"^(?P<body>.*?)[（(](?P<inside>[^（）()]*)[）)]$")
ANNUAL_MARKS = "*＊"
YEAR = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class Figure:
    written: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Peer:
    city: str
    baseline: Figure
    target: Figure
    note: str | None


@dataclass(frozen=True)
class Indicator:
    number: int
    line: int
    category: str
    name: str
    measure: str
    baseline: Figure
    target: Figure
    annual: bool
    attribute: str | None
    baseline_year: int | None
    target_year: int | None
    basis: str | None = None
    peers: tuple[Peer, ...] = ()


def read_figure(written: str) -> Figure:
    """"4.62" → 4.62; "3-4" → 3..4; "-" (no figure) → None."""
    text = written.strip()
    low, high = read_range(text) or (None, None)
    return Figure(text, low, high)


def read_peer(city: str, cell: str) -> Peer:
    """"6.3/12", "-/20", "40/90（覆盖率）", "-": 2020 figure / 2025 target, and any remark."""
    text, note = cell.strip(), None
    if bracket := TRAILING_BRACKET.match(text):
        text, note = bracket["body"].strip(), bracket["inside"]
    baseline, slash, target = text.partition("/")
    if not slash:  # a lone figure: nothing says whether it is the 2020 value or the target
        return Peer(city, read_figure("-"), read_figure("-"), note if text in ("-", "") else text)
    return Peer(city, read_figure(baseline), read_figure(target), note)


def read_indicators(lines: list[str]) -> tuple[list[Indicator], list[Problem], list[Table]]:
    """Indicators from the main table, with basis and peers from the peer table where there is one."""
    main = peers = None
    tables = find_tables(lines)
    for table in tables:
        layout = read_layout(table)
        if layout and layout.cities and peers is None:
            peers = (table, layout)
        elif layout and not layout.cities and main is None and "指标" in table.title:
            main = (table, layout)
    problems: list[Problem] = []
    if main is None:
        return [], problems, tables
    indicators = _rows_to_indicators(*main, problems)
    if peers is not None:
        indicators = _with_peers(indicators, *peers, problems)
    return indicators, problems, tables


def _rows_to_indicators(table: Table, layout: Layout, problems: list[Problem]) -> list[Indicator]:
    rows, missing = read_rows(table, layout)
    problems.extend(P.warning("indicator_missing", table.title_line, P.INDICATOR_MISSING, number=n) for n in missing)
    years = [int(year) for label in layout.columns for year in YEAR.findall(label)]
    indicators = []
    for row in rows:
        if _is_short(row, layout, problems):
            continue
        cells = dict(zip(layout.columns, row.cells))
        name, measure = split_measure(_cell(cells, "指标"))
        indicators.append(Indicator(
            number=row.number, line=row.line, category=row.category,
            name=name.lstrip(ANNUAL_MARKS), measure=measure, annual=name[:1] in ANNUAL_MARKS,
            baseline=read_figure(_year_cell(cells, 0)), target=read_figure(_year_cell(cells, 1)),
            attribute=_cell(cells, "属性") or None,
            baseline_year=years[0] if years else None, target_year=years[1] if len(years) > 1 else None,
        ))
    return indicators


def _with_peers(indicators: list[Indicator], table: Table, layout: Layout, problems: list[Problem]) -> list[Indicator]:
    rows = {row.number: row for row in read_rows(table, layout)[0] if not _is_short(row, layout, problems)}
    result = []
    for indicator in indicators:
        row = rows.get(indicator.number)
        if row is None:
            result.append(indicator)
            continue
        cells = dict(zip(layout.columns, row.cells))
        peer_name = split_measure(_cell(cells, "指标"))[0].lstrip(ANNUAL_MARKS)
        if peer_name != indicator.name:
            problems.append(P.warning("peer_name_differs", row.line, P.PEER_NAME_DIFFERS,
                                      number=row.number, peer_name=peer_name, name=indicator.name))
        figures = row.cells[len(layout.columns):]
        result.append(Indicator(**{
            **indicator.__dict__,
            "basis": _cell(cells, "依据") or None,
            "peers": tuple(read_peer(city, cell) for city, cell in zip(layout.cities, figures)),
        }))
    return result


def split_measure(written: str) -> tuple[str, str]:
    """每万人口高价值发明专利拥有量（件） → (name, 件); a bracket inside the name stays."""
    match = TRAILING_BRACKET.match(written.strip())
    return (match["body"].strip(), match["inside"].strip()) if match else (written.strip(), "")


def _is_short(row: Row, layout: Layout, problems: list[Problem]) -> bool:
    if len(row.cells) < layout.width:
        problems.append(P.warning("indicator_row_short", row.line, P.INDICATOR_ROW_SHORT,
                                  number=row.number, expected=layout.width + 1, found=len(row.cells) + 1))
        return True
    return False


def _cell(cells: dict[str, str], label_part: str) -> str:
    return next((text for label, text in cells.items() if label_part in label), "")


def _year_cell(cells: dict[str, str], which: int) -> str:
    by_year = [text for label, text in cells.items() if YEAR.search(label)]
    return by_year[which] if len(by_year) > which else "-"
