"""The 督查通报 as .docx bytes, written into a Word template the office can replace.

The template is any .docx with these placeholders in its paragraphs (the red-headed default
ships as bulletin_template.docx beside this file; TRACKER_BULLETIN_TEMPLATE names another):
  {{期数}} {{日期}} {{标题}} {{发文单位}}  replaced in place, keeping the paragraph's style;
  {{正文}}                                 replaced by the bulletin's sections and its 附件 table.
The numbers come from `Bulletin` only; the office types just the 期数 and the 工作要求.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from importlib import resources

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from tracker.core.i18n import N_
from tracker.supervision.bulletin import Bulletin
from tracker.supervision.lights import Colour

Gettext = Callable[[str], str]
BODY = "{{正文}}"
LIGHT_RGB = {Colour.RED: "C00000", Colour.YELLOW: "BF8F00", Colour.GREEN: "00B050", Colour.DONE: "2F5597",
             Colour.NONE: "808080"}


def default_template() -> bytes:
    return resources.files("tracker.supervision").joinpath("bulletin_template.docx").read_bytes()


def share(value: float | None) -> str:
    """37.5% (one decimal), or — when nothing is owed."""
    return "—" if value is None else f"{value * 100:.1f}%"


def bulletin_docx(bulletin: Bulletin, *, number: str, requirements: str, issuer: str, gettext: Gettext,
                  template: bytes | None = None) -> bytes:
    document = Document(io.BytesIO(template or default_template()))
    title = gettext(N_("关于%(plan)s重点任务推进情况的通报（%(scope)s）")) % {
        "plan": bulletin.plan.title, "scope": bulletin.scope.label}
    fields = {"{{期数}}": number, "{{日期}}": _chinese_date(bulletin.on, gettext), "{{标题}}": title,
              "{{发文单位}}": issuer}
    marker = None
    for paragraph in _paragraphs(document):
        if BODY in paragraph.text:
            marker = paragraph
        elif "{{" in paragraph.text:
            _replace(paragraph, fields)
    if marker is None:                        # a template without {{正文}}: the body goes at the end
        marker = document.add_paragraph(BODY)
    _body(document, marker, bulletin, requirements, gettext)
    marker._p.getparent().remove(marker._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs(document):
    yield from document.paragraphs
    for section in document.sections:
        yield from section.header.paragraphs
        yield from section.footer.paragraphs


def _replace(paragraph, fields: dict[str, str]) -> None:
    """Placeholders may be split across runs by Word: rewrite the text into the first run."""
    text = paragraph.text
    for key, value in fields.items():
        text = text.replace(key, value)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def _chinese_date(day, gettext: Gettext) -> str:
    return gettext(N_("%(year)s年%(month)s月%(day)s日")) % {"year": day.year, "month": day.month, "day": day.day}


def _body(document, marker, b: Bulletin, requirements: str, gettext: Gettext) -> None:
    def heading(text: str) -> None:
        paragraph = marker.insert_paragraph_before()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(14)

    def para(text: str) -> None:
        paragraph = marker.insert_paragraph_before(text)
        paragraph.paragraph_format.first_line_indent = Pt(28)

    counts = b.counts
    heading(gettext(N_("一、总体情况")))
    para(gettext(N_("截至%(day)s，%(plan)s共有重点任务 %(tasks)s 项，已完成（办结）%(done)s 项，占 %(share)s；"
                    "亮红灯 %(red)s 项、黄灯 %(yellow)s 项、绿灯 %(green)s 项，暂无数据 %(none)s 项。")) % {
        "day": _chinese_date(b.on, gettext), "plan": b.plan.title, "tasks": b.tasks, "done": b.done,
        "share": share(b.done_share), "red": counts[Colour.RED], "yellow": counts[Colour.YELLOW],
        "green": counts[Colour.GREEN], "none": counts[Colour.NONE]})
    t = b.tally
    para(gettext(N_("%(scope)s 应报进展报告 %(owed)s 份，已报 %(submitted)s 份，报送率 %(rate)s；"
                    "其中迟报 %(late)s 份，未报 %(missing)s 份，按时报送率 %(on_time)s。")) % {
        "scope": b.scope.label, "owed": t.owed, "submitted": t.submitted, "rate": share(t.rate), "late": t.late,
        "missing": t.missing, "on_time": share(t.on_time_rate)})
    heading(gettext(N_("二、滞后事项")))
    if not b.lagging:
        para(gettext(N_("无。")))
    for unit, numbers in sorted(b.lagging.items()):
        para(gettext(N_("%(unit)s：第 %(numbers)s 项（共 %(count)s 项）")) % {
            "unit": unit, "numbers": "、".join(numbers), "count": len(numbers)})
    heading(gettext(N_("三、未按时报送单位名单")))
    if not b.late_units:
        para(gettext(N_("无。")))
    for unit in b.late_units:
        para(gettext(N_("%(unit)s（未报 %(missing)s 份，迟报 %(late)s 份）")) % {
            "unit": unit.name, "missing": unit.missing, "late": unit.late})
    heading(gettext(N_("四、工作要求")))
    for line in [line.strip() for line in requirements.splitlines() if line.strip()] or [gettext(N_("无。"))]:
        para(line)
    heading(gettext(N_("附件：%(scope)s 重点任务推进情况表")) % {"scope": b.scope.label})
    _table(document, marker, b, gettext)


def _table(document, marker, b: Bulletin, gettext: Gettext) -> None:
    headers = [N_("序号"), N_("重点任务"), N_("牵头单位"), N_("亮灯"), N_("完成进度（%）"), N_("序时进度（%）"),
               N_("报送情况")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid" if "Table Grid" in [s.name for s in document.styles] else None
    for cell, header in zip(table.rows[0].cells, headers):
        cell.text = gettext(header)
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in b.rows:
        cells = table.add_row().cells
        values = [row.task.number, row.task.title, row.lead, gettext(row.light.colour.label),
                  "" if row.percent is None else str(row.percent), "" if row.expected is None else str(row.expected),
                  gettext(N_("应报 %(owed)s / 已报 %(submitted)s")) % {"owed": row.owed, "submitted": row.submitted}]
        for cell, value in zip(cells, values):
            cell.text = value
        cells[3].paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(LIGHT_RGB[row.light.colour])
    marker._p.addprevious(table._tbl)
