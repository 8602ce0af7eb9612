"""Builds tracker/supervision/bulletin_template.docx, the default 督查通报 template (red header).

Run once after changing it: python docs/make_bulletin_template.py. Offices may replace the
template with their own .docx (TRACKER_BULLETIN_TEMPLATE) holding the same placeholders.
"""
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

document = Document()
section = document.sections[0]
section.page_width, section.page_height = Cm(21), Cm(29.7)
section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
normal = document.styles["Normal"]
normal.font.name, normal.font.size = "FangSong", Pt(16)
normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def line(text, size, colour=None, bold=False, font="仿宋", align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return paragraph


line("督 查 通 报", 36, "C00000", True, "宋体")
line("第{{期数}}期", 16)
rule = line("{{发文单位}}　　{{日期}}", 14)
border = OxmlElement("w:pBdr")
bottom = OxmlElement("w:bottom")
for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
    bottom.set(qn(key), value)
border.append(bottom)
rule._p.get_or_add_pPr().append(border)
line("{{标题}}", 20, bold=True, font="宋体")
document.add_paragraph("{{正文}}")
document.save("tracker/supervision/bulletin_template.docx")
