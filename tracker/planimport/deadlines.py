"""完成时限 as plans write them: 2025年底前, 2026年6月, 2027年3月31日; 长期坚持 has no date."""
from __future__ import annotations

import calendar
import re
from datetime import date

ONE_DATE = re.compile(
    r"^(?P<year>20\d\d)\s*年\s*(?:(?P<month>1[0-2]|0?[1-9])\s*月\s*(?:(?P<day>[0-3]?\d)\s*[日号])?)?"
    r"\s*(?:底|末|年底|前|之前|以前|底前|末前|完成|内)*$"
)


def deadline_on(written: str) -> date | None:
    """The last day the words allow: 2025年底 → 2025-12-31, 2026年6月底前 → 2026-06-30; None if no one date."""
    text = re.sub(r"\s+", "", written).rstrip("。；;，,")
    match = ONE_DATE.match(text)
    if not match:
        return None
    year = int(match["year"])
    if not match["month"]:
        return date(year, 12, 31)
    month = int(match["month"])
    last = calendar.monthrange(year, month)[1]
    day = int(match["day"]) if match["day"] else last
    return date(year, month, day) if 1 <= day <= last else None
