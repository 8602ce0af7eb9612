"""Unit names as a clerk writes them, reduced to one spelling for lookup."""
from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_TRAILING = "。．.；;：:等"
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）"})


def normalise_unit_name(written: str) -> str:
    """市 商务局 / 市市场监督管理局(知识产权局) / 市财政局等 → the spelling the roster uses."""
    name = _SPACES.sub("", written).translate(_HALF_TO_FULL)
    return name.rstrip(_TRAILING)
