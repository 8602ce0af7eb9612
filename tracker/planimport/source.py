"""Reading a plan file: UTF-8 (with or without BOM); other bytes become a problem, not a crash."""
from __future__ import annotations

from pathlib import Path

from . import problems as P
from .problems import Problem

BOM = b"\xef\xbb\xbf"


def decode_plan(data: bytes) -> tuple[str, list[Problem]]:
    """The text, and a problem naming the first line that is not UTF-8 (read on with U+FFFD)."""
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return data.decode("utf-8", errors="replace"), [P.error("not_utf8", line, P.NOT_UTF8)]


def read_plan_text(path: str | Path) -> tuple[str, list[Problem]]:
    return decode_plan(Path(path).read_bytes())
