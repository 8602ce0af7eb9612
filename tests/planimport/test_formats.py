"""Files as offices send them: GB18030, UTF-16, BOM and CRLF, Word paragraphs and tables, Excel."""
from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from tracker.planimport import read_plan
from tracker.planimport.source import read_document

PLAN = """南湖市“十五五”数字经济发展规划

一、重点任务

（一）夯实数字底座

1. 建设算力中心。布局新型数据中心。（牵头单位：市发改委；责任单位：市工信局、市
大数据局）
2. 推进数据开放。（市大数据局牵头，市各有关部门配合）
"""
ROWS = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "建设算力中心。布局新型数据中心。", "市发改委", "市工信局、市大数据局", "2027年底前"],
        ["2", "推进数据开放。", "市大数据局", "市直各有关部门", "2028年6月底前"]]
EXPECTED = [("1", ("市发展和改革委员会",), ("市工业和信息化局", "市大数据局")),
            ("2", ("市大数据局",), ("市直各有关部门",))]


def units_of(result):
    return [(t.number, t.leads, t.co) for t in result.tasks]


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("gb18030"),
    lambda text: text.encode("gbk"),
    lambda text: text.encode("utf-16"),
    lambda text: text.encode("utf-16-le"),
    lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: text.replace("\n", "\r").encode("utf-8"),
], ids=["gb18030", "gbk", "utf-16-bom", "utf-16-le", "utf-8-bom-crlf", "cr"])
def test_every_common_encoding_reads_like_utf8(tmp_path, encode):
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(PLAN))
    result = read_plan(path)
    assert result.errors == [] and units_of(result)[0] == EXPECTED[0]
    assert result.plan.title == "南湖市“十五五”数字经济发展规划"


def docx_bytes(paragraphs=(), rows=None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_with_paragraphs_imports(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_bytes(PLAN.replace("市\n大数据局", "市大数据局").split("\n")))
    result = read_plan(path)
    assert units_of(result)[0] == EXPECTED[0] and result.plan.start_year == 2026


def test_a_word_file_with_a_task_table_imports_with_merged_heading_rows(tmp_path):
    document = docx.Document()
    document.add_paragraph("南湖市“十五五”数字经济发展规划任务分工")
    table = document.add_table(rows=4, cols=5)
    for c, value in enumerate(ROWS[0]):
        table.cell(0, c).text = value
    heading = table.cell(1, 0).merge(table.cell(1, 4))
    heading.text = "一、夯实数字底座"
    for r, row in enumerate(ROWS[1:], start=2):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "plan.docx"
    path.write_bytes(out.getvalue())
    result = read_plan(path)
    assert units_of(result) == EXPECTED
    assert {t.section for t in result.tasks} == {"夯实数字底座"}
    assert result.to_seed()["tasks"][1]["deadline"] == {"text": "2028年6月底前", "date": "2028-06-30"}


def test_an_excel_sheet_with_a_task_table_imports(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["南湖市“十五五”数字经济发展规划任务分工"])
    for row in ROWS:
        sheet.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    result = read_plan(path)
    assert units_of(result) == EXPECTED and result.styles == ["T"]


def zip_bytes(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.5\n%...", "这是PDF文件，请另存为Word或文本"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "这是旧版Word或Excel文件（.doc/.xls），请另存为.docx或.xlsx"),
    (b"{\\rtf1\\ansi", "这是RTF文件，请另存为Word（.docx）或文本"),
    (b"\x89PNG\r\n\x1a\n", "这是图片文件，无法读取文字，请上传Word、Excel或文本"),
    (zip_bytes("OFD.xml"), "这是OFD版式文件，请另存为Word或文本"),
    (zip_bytes("readme.txt"), "这是压缩文件，请解压后上传其中的Word、Excel或文本"),
    (zip_bytes("word/document.xml"), "文件已损坏或不是完整的Word/Excel文件，请重新保存后上传"),
])
def test_a_file_of_another_kind_is_named_for_what_it_is(data, message):
    text, problems = read_document(data)
    assert text == "" and [p.message for p in problems] == [message]
