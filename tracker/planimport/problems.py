"""Problems found while importing a plan: data to show the user, never exceptions.

Every template is Chinese with %(name)s placeholders and is marked with N_ so that
the web layer can translate it with gettext; the CLI prints it as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tracker.core.i18n import N_

Severity = Literal["error", "warning"]

# Reading the file
NOT_UTF8 = N_("文件不是UTF-8编码（该行含有无法识别的字节），已用替换字符继续读取；请另存为UTF-8后重新导入")
EMPTY_TEXT = N_("规划文本为空，没有可导入的内容")
NO_TASKS = N_("没有找到任何带责任单位的编号任务（如“1. 任务标题。……[责任单位：……]”）")
NO_TITLE = N_("没有找到规划标题（文本第一行）")
NO_YEARS = N_("未能从标题识别规划起止年份（如“十四五”或“2021—2025年”）")

# Tasks
TASK_WITHOUT_UNITS = N_("任务%(number)s没有责任单位")
DUPLICATE_TASK = N_("任务编号%(number)s重复，第%(first_line)d行已有同一编号")
FIRST_NUMBER = N_("第一项任务的编号是%(number)s，不是1；前面的任务是否遗漏？")
NUMBER_GAP = N_("任务编号不连续：任务%(previous)s之后是任务%(number)s")
SEVERAL_BLOCKS = N_("任务%(number)s有多个责任单位块，已合并")

# Responsibility blocks and units
UNCLOSED_BLOCK = N_("责任单位块缺少右括号，已读到本行末尾")
EMPTY_BLOCK = N_("责任单位块中没有单位名称")
ORPHAN_BLOCK = N_("这个责任单位块写在标题下、任务之前，不属于任何任务，已忽略")
UNKNOWN_UNIT = N_("单位名册中没有“%(name)s”（任务%(tasks)s），已作为新的部门单位导入，请核对名称或补充名册")

# Indicator tables
INDICATOR_ROW_SHORT = N_("指标%(number)d的单元格不全：应有%(expected)d个，只找到%(found)d个")
INDICATOR_MISSING = N_("表格中缺少指标%(number)d")
PEER_NAME_DIFFERS = N_("附件表中指标%(number)d的名称“%(peer_name)s”与主要指标表的“%(name)s”不一致")

ERROR_LABEL = N_("错误")
WARNING_LABEL = N_("警告")
LINE_PREFIX = N_("第%(line)d行：")


@dataclass(frozen=True)
class Problem:
    severity: Severity
    line: int | None
    code: str
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.params

    def describe(self) -> str:
        """One line for a terminal: 第N行：[错误] message."""
        label = ERROR_LABEL if self.severity == "error" else WARNING_LABEL
        where = LINE_PREFIX % {"line": self.line} if self.line is not None else ""
        return f"{where}[{label}] {self.message}"


def error(code: str, line: int | None, template: str, **params) -> Problem:
    return Problem("error", line, code, template, params)


def warning(code: str, line: int | None, template: str, **params) -> Problem:
    return Problem("warning", line, code, template, params)
