"""The two checks every request value goes through: whole numbers in range, and `next`."""
from __future__ import annotations

import pytest

from tracker.core.inputs import MAX_INT, safe_next, whole_number


@pytest.mark.parametrize("text, expected", [
    ("42", 42), ("0", 0), (str(MAX_INT), MAX_INT),
    (str(MAX_INT + 1), None), ("99999999999999999999", None), ("-1", None), (" 7 ", None), ("²", None),
    ("١٢", None), ("1e9", None), ("0x10", None), ("", None), (None, None), ("1\n", None),
])
def test_a_whole_number_is_ascii_digits_within_the_integer_range(text, expected):
    assert whole_number(text) == expected


def test_a_whole_number_can_have_its_own_range():
    assert whole_number("0", low=1) is None and whole_number("101", high=100) is None
    assert whole_number("100", low=1, high=100) == 100


@pytest.mark.parametrize("target, expected", [
    ("/plan", "/plan"), ("/supervision/compliance?period=2024Q3", "/supervision/compliance?period=2024Q3"),
    ("//evil.example", None), ("https://evil.example/", None), ("evil.example", None),
    ("/\t/evil.example", None), ("/\n/evil.example", None), ("/\r\nSet-Cookie: x=1", None),
    ("/\\evil.example", None), ("\\/evil.example", None), ("/plan\x00", None), ("/plan\x7f", None),
    ("javascript:alert(1)", None), ("", None), (None, None), (" /plan", None),
])
def test_next_is_a_path_on_this_site_and_nothing_else(target, expected):
    assert safe_next(target) == expected
