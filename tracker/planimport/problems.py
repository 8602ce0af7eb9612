"""Problems found while importing a plan: data to show the user, never exceptions.

Every template is Chinese with %(name)s placeholders and is marked with N_ so that
the web layer can translate it with gettext; the CLI prints it as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tracker.core.i18n import N_
from tracker.core.messages import Message

Severity = Literal["error", "warning"]

# Reading the file
NOT_UTF8 = N_("文件编码无法识别（不是UTF-8、GB18030或UTF-16，该行含有无法识别的字节），已用替换字符继续读取；请另存为UTF-8后重新导入")
KIND_PDF = N_("这是PDF文件，请另存为Word或文本")
KIND_OLD_OFFICE = N_("这是旧版Word或Excel文件（.doc/.xls），请另存为.docx或.xlsx")
KIND_RTF = N_("这是RTF文件，请另存为Word（.docx）或文本")
KIND_IMAGE = N_("这是图片文件，无法读取文字，请上传Word、Excel或文本")
KIND_OFD = N_("这是OFD版式文件，请另存为Word或文本")
KIND_ARCHIVE = N_("这是压缩文件，请解压后上传其中的Word、Excel或文本")
KIND_BROKEN = N_("文件已损坏或不是完整的Word/Excel文件，请重新保存后上传")
EMPTY_TEXT = N_("规划文本为空，没有可导入的内容")
NO_TASKS = N_("没有找到任何带责任单位的编号任务（如“1. 任务标题。……[责任单位：……]”）")
NO_TITLE = N_("没有找到规划标题（文本第一行）")
NO_YEARS = N_("未能从规划文字识别起止年份（如“十四五”或“2021—2025年”），请填写规划的起止年份")

# Tasks
TASK_WITHOUT_UNITS = N_("任务%(number)s没有责任单位")
UNREAD_ANNOTATION = N_("未能识别责任分工标注“%(text)s”（任务%(number)s），请改写为“（牵头单位：…；责任单位：…）”或在预览中补充")
NO_LEAD = N_("任务%(number)s的责任分工中没有牵头单位")
DUPLICATE_TASK = N_("任务编号%(number)s重复，第%(first_line)d行已有同一编号")
FIRST_NUMBER = N_("第一项任务的编号是%(number)s，不是1；前面的任务是否遗漏？")
NUMBER_GAP = N_("任务编号不连续：任务%(previous)s之后是任务%(number)s")
SEVERAL_BLOCKS = N_("任务%(number)s有多个责任单位块，已合并")

# Responsibility blocks and units
UNCLOSED_BLOCK = N_("责任单位块缺少右括号，已读到本行末尾")
EMPTY_BLOCK = N_("责任单位块中没有单位名称")
ORPHAN_BLOCK = N_("这个责任单位块写在标题下、任务之前，不属于任何任务，已忽略")
UNKNOWN_UNIT = N_("单位名册中没有“%(name)s”（任务%(tasks)s），已作为新的部门单位导入，请核对名称或补充名册")
UNIT_SUGGESTION = N_("“%(name)s”与已有单位“%(suggestions)s”相近，未自动合并，请在预览中确认")
COLLECTIVE_UNIT = N_("“%(name)s”是集合单位（任务%(tasks)s），已作为尚无成员的集合单位导入，请设置其成员单位")
OTHER_CITY_UNIT = N_("已有单位“%(name)s”属于其他城市的规划，本规划的这个单位记为“%(qualified)s”")

SUMMARY = N_("共识别%(tasks)d项任务、%(units)d个单位，%(errors)d个错误、%(warnings)d个警告；标注样式：%(styles)s")
STYLE_NAMES = {
    "A": N_("责任单位块"),
    "B": N_("牵头单位＋责任单位"),
    "C": N_("牵头部门＋配合部门"),
    "D": N_("“某某牵头、某某配合”"),
    "E": N_("“某某负责”"),
    "T": N_("任务表格"),
}
NO_STYLE = N_("未识别出标注样式")

# Indicator tables
INDICATOR_ROW_SHORT = N_("指标%(number)d的单元格不全：应有%(expected)d个，只找到%(found)d个")
INDICATOR_MISSING = N_("表格中缺少指标%(number)d")
PEER_NAME_DIFFERS = N_("附件表中指标%(number)d的名称“%(peer_name)s”与主要指标表的“%(name)s”不一致")

ERROR_LABEL = N_("错误")
WARNING_LABEL = N_("警告")
LINE_PREFIX = N_("第%(line)d行：")


@dataclass(frozen=True, kw_only=True)
class Problem(Message):
    """A message, how bad it is and the line it is about (None: the whole file)."""

    severity: Severity
    line: int | None

    @property
    def message(self) -> str:
        """In Chinese, as the CLI prints it (the web layer translates with text(gettext))."""
        return self.text()

    def describe(self) -> str:
        """One line for a terminal: 第N行：[错误] message."""
        label = ERROR_LABEL if self.severity == "error" else WARNING_LABEL
        where = LINE_PREFIX % {"line": self.line} if self.line is not None else ""
        return f"{where}[{label}] {self.message}"


def error(code: str, line: int | None, template: str, **params: object) -> Problem:
    return Problem(code, template, params, severity="error", line=line)


def warning(code: str, line: int | None, template: str, **params: object) -> Problem:
    return Problem(code, template, params, severity="warning", line=line)
