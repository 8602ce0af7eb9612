"""The ledger (台账) and a quarter's compilation as .xlsx files and .csv bytes; views only send them.

Sheets open cleanly in Excel and WPS: a title row, a bold frozen header row, set column
widths, wrapped text, an autofilter; and they print: A4 landscape, fitted to the page's
width, the title and header rows repeated on every page, page numbers in the footer.
Light cells are filled in their colour. CSV is UTF-8 with a BOM so Excel reads the Chinese.
Every value goes through tracker.core.cells, so no user or plan text becomes a formula.
The .xlsx files are streamed (tracker.core.xlsx) into a temporary file, read out as they are sent.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any

from tracker.core.cells import csv_field
from tracker.core.i18n import N_
from tracker.core.xlsx import Book, Layout, Style, column_letter
from tracker.reporting.compliance import Tally, UnitTally, total
from tracker.reporting.models import State
from tracker.supervision.ledger import CompilationRow, LedgerRow

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Column:
    header: str          # msgid
    width: int
    wrap: bool = False
    number_format: str | None = None


LEDGER = [
    Column(N_("序号"), 5), Column(N_("重点任务"), 22, True), Column(N_("牵头单位"), 13, True),
    Column(N_("配合单位"), 16, True), Column(N_("完成时限"), 10), Column(N_("亮灯"), 6),
    Column(N_("亮灯原因"), 28, True), Column(N_("进展状态"), 7, True), Column(N_("完成进度（%）"), 7, True),
    Column(N_("序时进度（%）"), 7, True), Column(N_("本期工作进展"), 32, True), Column(N_("存在问题"), 20, True),
    Column(N_("下一步计划"), 20, True), Column(N_("报送情况"), 9, True),
]
FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", "done": "BDD7EE", "none": "EDEDED"}
COMPILATION = [
    Column(N_("规划部分"), 24, True), Column(N_("序号"), 7), Column(N_("任务"), 30, True),
    Column(N_("责任单位"), 22, True), Column(N_("职责"), 7), Column(N_("报送情况"), 9), Column(N_("进展状态"), 9),
    Column(N_("完成进度（%）"), 10), Column(N_("工作进展"), 50, True), Column(N_("存在问题"), 30, True),
    Column(N_("下一步计划"), 30, True), Column(N_("报送日期"), 12), Column(N_("是否迟报"), 9),
]
COMPLIANCE = [
    Column(N_("责任单位"), 30, True), Column(N_("应报"), 8), Column(N_("已报"), 8), Column(N_("迟报"), 8),
    Column(N_("未报"), 8), Column(N_("报送率"), 10, number_format="0.0%"),
    Column(N_("按时报送率"), 12, number_format="0.0%"),
]


def ledger_values(rows: Sequence[LedgerRow], gettext: Gettext) -> list[list[Any]]:
    def texts(items) -> str:
        return "\n".join(f"{p.unit}：{p.text}" for p in items)

    return [[r.task.number, r.task.title, r.lead, "、".join(r.co), r.deadline.isoformat(),
             gettext(r.light.colour.label), "\n".join(r.light.texts(gettext)),
             gettext(r.status.label) if r.status else "", r.percent, r.expected,
             texts(r.progress), texts(r.problems), texts(r.next_steps),
             gettext(N_("应报 %(owed)s / 已报 %(submitted)s")) % {"owed": r.owed, "submitted": r.submitted}]
            for r in rows]


def compilation_values(rows: Sequence[CompilationRow], gettext: Gettext) -> list[list[Any]]:
    out: list[list[Any]] = []
    for r in rows:
        report = r.report
        if report is None or not r.counts:   # not reported: a returned report shows as such, without its text
            returned = report is not None and report.state is State.RETURNED
            state = gettext(report.state.label) if report is not None and returned else gettext(N_("未报"))
            out.append([r.section, r.number, r.title, r.unit, gettext(r.duty.label), state, "", None, "", "", "",
                        "", ""])
            continue
        out.append([r.section, r.number, r.title, r.unit, gettext(r.duty.label), gettext(report.state.label),
                    gettext(report.status.label) if report.status else "", report.percent, report.progress,
                    report.problems, report.next_steps, report.submitted_on.isoformat() if report.submitted_on else "",
                    gettext(N_("是")) if report.is_late else gettext(N_("否"))])
    return out


def compliance_values(rows: Sequence[UnitTally], gettext: Gettext) -> list[list[Any]]:
    def line(name: str, t: Tally) -> list[Any]:
        return [name, t.owed, t.submitted, t.late, t.missing, t.rate, t.on_time_rate]

    return [line(r.unit_name, r.tally) for r in rows] + [line(gettext(N_("合计")), total(list(rows)))]


RANKING = [Column(N_("名次"), 8), Column(N_("责任单位"), 36, True), Column(N_("得分"), 10),
           Column(N_("基础分"), 10), Column(N_("加减分合计"), 12), Column(N_("扣分事项数"), 12)]
POINTS = [Column(N_("责任单位"), 36, True), Column(N_("事项"), 16), Column(N_("任务序号"), 10),
          Column(N_("季度或期限"), 12), Column(N_("分值"), 8)]


def scores_xlsx(rows: Sequence[Any], *, title: str, gettext: Gettext) -> IO[bytes]:
    """考核: the ranking (ties shared, 并列) and every point with the event behind it."""
    from tracker.supervision.score_rules import KINDS

    book = Book(out := tempfile.TemporaryFile())
    ranking = [[(gettext(N_("并列第 %(rank)s")) % {"rank": r.rank}) if r.tied else r.rank, r.unit, r.score, r.base,
                round(r.score - r.base, 2), len(r.points)] for r in rows]
    _sheet(book, gettext(N_("考核排名")), title, RANKING, ranking, gettext)
    points = [[r.unit, gettext(KINDS[p.event.kind]), p.event.task, p.event.period, p.points]
              for r in rows for p in r.points]
    _sheet(book, gettext(N_("扣分明细")), title, POINTS, points, gettext)
    return _finished(book, out)


def ledger_xlsx(rows: Sequence[LedgerRow], *, title: str, gettext: Gettext) -> IO[bytes]:
    """The 台账 as a temporary file, rewound: sent as it is read, never one blob in memory."""
    book = Book(out := tempfile.TemporaryFile())
    light = [column.header for column in LEDGER].index(N_("亮灯"))
    _sheet(book, gettext(N_("台账")), title, LEDGER, ledger_values(rows, gettext), gettext,
           fills={light: [FILLS[r.light.colour.value] for r in rows]})
    return _finished(book, out)


def compilation_xlsx(rows: Sequence[CompilationRow], tallies: Sequence[UnitTally], *, title: str,
                     gettext: Gettext) -> IO[bytes]:
    book = Book(out := tempfile.TemporaryFile())
    _sheet(book, gettext(N_("报告汇编")), title, COMPILATION, compilation_values(rows, gettext), gettext)
    _sheet(book, gettext(N_("报送情况")), title, COMPLIANCE, compliance_values(tallies, gettext), gettext)
    return _finished(book, out)


def to_csv(columns: Sequence[Column], values: list[list[Any]], gettext: Gettext) -> bytes:
    """UTF-8 with BOM, CRLF lines: what Excel expects; rates as plain decimals; no field a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_field(gettext(c.header)) for c in columns])
    for row in values:
        writer.writerow(["" if v is None else (round(v, 4) if isinstance(v, float) else csv_field(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet(book: Book, name: str, title: str, columns: Sequence[Column], values: list[list[Any]],
           gettext: Gettext, fills: dict[int, list[str]] | None = None) -> None:
    """A streamed sheet: the title row, the header row, then the rows; each column's style fixed once.

    `fills`: column index → each row's fill colour (the light cells)."""
    last = column_letter(len(columns))
    layout = Layout(widths=[column.width for column in columns], frozen_rows=2, merged=(f"A1:{last}1",),
                    autofilter=f"A2:{last}{len(values) + 2}", title_rows=(1, 2),
                    footer=gettext(N_("第 &P 页，共 &N 页")))
    body = [Style(vertical="top", wrap=column.wrap, number_format=column.number_format) for column in columns]
    styles = [book.style(style) for style in body]
    with book.sheet(name[:31], layout) as sheet:
        sheet.row([title], [book.style(Style(bold=True, size=14, vertical="center"))], height=28)
        header = book.style(Style(bold=True, fill="F2DCDB", horizontal="center", vertical="center", wrap=True))
        sheet.row([gettext(c.header) for c in columns], [header] * len(columns))
        filled = {(index, colour): book.style(replace(body[index], fill=colour))
                  for index, colours in (fills or {}).items() for colour in set(colours)}
        for n, row in enumerate(values):
            if filled:
                styles = list(styles)
                for index, colours in (fills or {}).items():
                    styles[index] = filled[index, colours[n]]
            sheet.row(row, styles, height=_height(columns, row))


def _height(columns: Sequence[Column], row: Sequence[Any]) -> float:
    """Points for the row's tallest wrapped cell (a Chinese character is about two width units), so
    Excel, WPS and LibreOffice all show and print every line."""
    lines = 1
    for column, value in zip(columns, row):
        if column.wrap and isinstance(value, str) and value:
            per_line = max(1, int(column.width / 1.8))
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n")))
    return min(409, 15 * lines)


def _finished(book: Book, out: IO[bytes]) -> IO[bytes]:
    book.close()
    out.seek(0)
    return out
