"""Chinese numerals as plans use them in headings: 三、 （十）  “十四五”."""
from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_NUMERAL = "[一二三四五六七八九十〇零两]{1,3}"


def chinese_number(text: str) -> int | None:
    """一 → 1, 十 → 10, 十四 → 14, 二十三 → 23; None if it is not a numeral up to 99."""
    if not text or any(char not in DIGITS and char != "十" for char in text):
        return None
    if "十" not in text:
        return DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
