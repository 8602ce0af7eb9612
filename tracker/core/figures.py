"""A figure as a plan writes it: "13", "4.62", a range "3-4" (or 3～4, 3至4), "-" for none. Pure.

The importer (planimport/indicators.py) and the indicators' seed (indicators/rules.py) read figures
with this one rule, so a range the importer accepts is a range everywhere.
"""
from __future__ import annotations

import re
import unicodedata

NONE_WRITTEN = ("-", "—", "–", "")      # after NFKC, which also turns "－" into "-" and "～" into "~"
_NUMBER = r"\d+(?:\.\d+)?"
_FIGURE = re.compile(rf"(?P<low>{_NUMBER})(?:\s*[-–—~至到]\s*(?P<high>{_NUMBER}))?")


def read_range(written: str | None) -> tuple[float, float] | None:
    """(low, high) of "13" → (13, 13) or "3-4" → (3, 4), either order; None where the text is no figure."""
    match = _FIGURE.fullmatch(unicodedata.normalize("NFKC", (written or "").strip()))
    if not match:
        return None
    low = float(match["low"])
    high = float(match["high"]) if match["high"] else low
    return min(low, high), max(low, high)


def is_none_written(written: str | None) -> bool:
    """The plan writes no figure here ("-")."""
    return unicodedata.normalize("NFKC", (written or "").strip()) in NONE_WRITTEN
