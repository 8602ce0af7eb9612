"""Formula-safe cells: the one helper every export writes through."""
from __future__ import annotations

import pytest

from tracker.core.cells import csv_field, is_risky


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
    ("+86 电话", "'+86 电话"), ("-5%", "'-5%"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("市林业局", "市林业局"), ("完成 =1+1", "完成 =1+1"), ("", ""), (-5, -5), (None, None), (12.5, 12.5),
])
def test_a_csv_field_that_would_run_as_a_formula_is_prefixed_and_nothing_else_changes(value, shown):
    assert csv_field(value) == shown


def test_only_strings_are_risky():
    assert is_risky("=A1") and not is_risky(-1) and not is_risky(None)
