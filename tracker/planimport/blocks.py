"""Responsibility blocks (责任单位块): where they are in a paragraph and the names they list.

Plans write them as [责任单位：…] or （责任单位：…）, sometimes across line breaks,
with full-width brackets nested inside names (市市场监督管理局（知识产权局）).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# bracketed anywhere; without brackets only at the start of a line, so prose such as
# “各责任单位：要……” in the middle of a sentence is never taken for a block
BLOCK_START = re.compile(
    r"(?P<opener>[\[【［（(])[ \t\u3000]*责任单位[ \t\u3000]*[：:]|(?m:^)[ \t\u3000]*责任单位[ \t\u3000]*[：:]"
)
SQUARE_CLOSERS = "]］】"
ROUND_OPEN, ROUND_CLOSE = "（(", "）)"
SEPARATORS = "、，,；;"
MAX_BLOCK_LINES = 6  # a closer further away than this is a typo, not a long block
NEW_PARAGRAPH = re.compile(
    r"\n[ \t\u3000]*(?:[0-9０-９]{1,3}\s*[.．、](?![0-9０-９])|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)"
)


@dataclass(frozen=True)
class WrittenName:
    text: str  # as written, line breaks removed
    offset: int  # where it starts in the paragraph, to name its line


@dataclass(frozen=True)
class Block:
    start: int  # offset of the opener in the paragraph
    end: int  # offset just past the closer
    units_text: str  # the list as written, line breaks removed
    names: tuple[WrittenName, ...]
    closed: bool


def find_blocks(text: str) -> list[Block]:
    """Every responsibility block in `text`, in order."""
    blocks = []
    position = 0
    while match := BLOCK_START.search(text, position):
        body_start, opener = match.end(), match.group("opener")
        close = _closing_bracket(text, body_start, opener) if opener else None
        closed = close is not None or opener is None  # 责任单位：… on a line of its own needs no closer
        if close is None:  # the block can only be trusted to the end of its line
            close = _line_end(text, body_start)
        body = text[body_start:close]
        end = close + 1 if opener and closed else close
        blocks.append(Block(match.start(), end, _join_lines(body), _split_names(body, body_start), closed))
        position = end
    return blocks


def _closing_bracket(text: str, start: int, opener: str) -> int | None:
    """Where the block closes; never past the next block, a new numbered paragraph or heading."""
    limit = start
    for _ in range(MAX_BLOCK_LINES):
        limit = _line_end(text, limit) + 1
    for boundary in (BLOCK_START.search(text, start), NEW_PARAGRAPH.search(text, start)):
        limit = min(limit, boundary.start()) if boundary else limit
    text = text[:limit]
    if opener in "[【［":
        positions = [p for p in (text.find(c, start) for c in SQUARE_CLOSERS) if p >= 0]
        return min(positions) if positions else None
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in ROUND_OPEN:
            depth += 1
        elif char in ROUND_CLOSE:
            if depth == 0:
                return index
            depth -= 1
    return None


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _join_lines(body: str) -> str:
    return "".join(line.strip() for line in body.split("\n"))


def _split_names(body: str, base: int) -> tuple[WrittenName, ...]:
    """Split at separators outside brackets; a line break never ends a name (市⏎商务局)."""
    names, current, first, depth = [], [], None, 0
    for index, char in enumerate(body):
        if char in ROUND_OPEN:
            depth += 1
        elif char in ROUND_CLOSE:
            depth = max(depth - 1, 0)
        if char in SEPARATORS and depth == 0:
            if current:
                names.append(WrittenName("".join(current), base + first))
            current, first = [], None
        elif char.isspace():
            continue
        else:
            current.append(char)
            first = index if first is None else first
    if current:
        names.append(WrittenName("".join(current), base + first))
    return tuple(names)
