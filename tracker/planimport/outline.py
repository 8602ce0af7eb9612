"""The outline of a plan text: parts (三、), sections (（一）) and items (1. / （1）), with their lines.

Pure: it only reads lines. Which items are tasks, and which units they have, is
decided later (see parser.py); the outline just says where each paragraph is.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .blocks import find_blocks
from .numerals import CHINESE_NUMERAL, chinese_number

PART = re.compile(rf"^(?P<ordinal>{CHINESE_NUMERAL})、\s*(?P<title>[^。；]{{1,40}})$")
SECTION = re.compile(rf"^[（(](?P<ordinal>{CHINESE_NUMERAL})[）)]\s*(?P<title>\S.*)$")
ITEM_DOT = re.compile(r"^(?P<number>[0-9０-９]{1,3})\s*[.．、](?![0-9０-９])\s*(?P<text>\S.*)$")
ITEM_PAREN = re.compile(r"^[（(](?P<number>[0-9０-９]{1,3})[）)]\s*(?P<text>\S.*)$")
APPENDIX = re.compile(r"^附\s*件")  # the plan's body ends where its appendices begin
LEADING_SPACE = " \t\u3000"


@dataclass
class Item:
    """A paragraph that may be a task: a numbered item, or a section written inline (（一）加强组织领导。…)."""

    number: str | None
    line: int
    text: str  # from after the number to the next item or heading, lines joined with "\n"
    section: Section

    def line_of(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


@dataclass
class Section:
    part: Part
    ordinal: int | None  # None: items written directly under the part
    title: str
    line: int
    inline: Item | None = None  # the section's own text, when it is written as one paragraph
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.part.ordinal) if self.ordinal is None else f"{self.part.ordinal}.{self.ordinal}"


@dataclass
class Part:
    ordinal: int
    title: str
    line: int
    sections: list[Section] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def read_outline(lines: list[str], skip: frozenset[int] = frozenset()) -> list[Part]:
    """Parts in order; `skip` holds 1-based line numbers to leave out (tables)."""
    kinds = _classify(lines, skip)
    styles = _item_styles(kinds)
    parts: list[Part] = []
    paragraph: list[str] = []  # lines of the item or inline section being read
    owner: Item | None = None

    def close() -> None:
        if owner is not None:
            owner.text = "\n".join(paragraph).rstrip()

    for number, (kind, match) in enumerate(kinds, start=1):
        if kind == "appendix":
            break
        if kind == "part":
            close()
            owner = None
            parts.append(Part(chinese_number(match["ordinal"]), match["title"].strip(), number))
        elif kind == "section":
            close()
            section = Section(_part(parts, number), chinese_number(match["ordinal"]), "", number)
            section.title, opens_paragraph = _split_heading(match["title"])
            section.inline = owner = Item(None, number, "", section)
            paragraph = [match["title"].strip() if opens_paragraph else ""]  # text line 1 is the heading's line
            section.part.sections.append(section)
        elif kind == styles[number - 1]:
            close()
            section = _section(parts, number)
            owner = Item(unicodedata.normalize("NFKC", match["number"]), number, "", section)
            paragraph = [match["text"]]
            section.items.append(owner)
        elif owner is not None:  # a skipped line stays as an empty one so that offsets keep their lines
            paragraph.append("" if number in skip else lines[number - 1].strip(LEADING_SPACE))
    close()
    return parts


def _classify(lines: list[str], skip: frozenset[int]) -> list[tuple[str, re.Match | None]]:
    inside_blocks = _block_continuation_lines("\n".join(lines))
    kinds = []
    for number, raw in enumerate(lines, start=1):
        line = raw.strip(LEADING_SPACE)
        if number in skip or number in inside_blocks:
            kinds.append(("text", None))
        elif APPENDIX.match(line):
            kinds.append(("appendix", None))
        else:
            kinds.append(_kind_of(line))
    return kinds


def _kind_of(line: str) -> tuple[str, re.Match | None]:
    for kind, pattern in (("part", PART), ("section", SECTION), ("dot", ITEM_DOT), ("paren", ITEM_PAREN)):
        if match := pattern.match(line):
            return kind, match
    return "text", None


def _item_styles(kinds: list[tuple[str, re.Match | None]]) -> list[str]:
    """Per line, the numbering that makes a task in its part: 1. where the part has any, else （1）.

    （1） under 1. items are sub-points of a task, not tasks of their own.
    """
    styles, start = [], 0
    for end in [n for n, (kind, _) in enumerate(kinds) if kind in ("part", "appendix")] + [len(kinds)]:
        present = {kind for kind, _ in kinds[start:end]}
        styles.extend(["dot" if "dot" in present else "paren"] * (end - start))
        start = end
    return styles


def _block_continuation_lines(text: str) -> set[int]:
    """Lines 2.. of a block broken across lines (市⏎商务局) are never headings."""
    lines = set()
    for block in find_blocks(text):
        first = text.count("\n", 0, block.start) + 1
        last = text.count("\n", 0, max(block.end - 1, block.start)) + 1
        lines.update(range(first + 1, last + 1))
    return lines


def _split_heading(heading: str) -> tuple[str, bool]:
    """（一）加强组织领导。全面加强… → ("加强组织领导", True): the heading also opens a paragraph."""
    title, _, rest = heading.strip().partition("。")
    if blocks := find_blocks(title):  # （一）加强组织领导[责任单位：…]
        return title[: blocks[0].start].strip(), True
    return title.strip(), bool(rest.strip())


def _part(parts: list[Part], line: int) -> Part:
    if not parts:  # items before any part heading: an untitled part keeps them
        parts.append(Part(0, "", line))
    return parts[-1]


def _section(parts: list[Part], line: int) -> Section:
    part = _part(parts, line)
    if not part.sections:
        part.sections.append(Section(part, None, part.title, line))
    return part.sections[-1]
