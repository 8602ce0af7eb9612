"""A figure is read by one rule: the importer and the indicators' seed agree on every way a plan writes a range."""
from __future__ import annotations

import pytest

from tracker.indicators.rules import parse_figure
from tracker.planimport.indicators import read_figure


@pytest.mark.parametrize("written, low, high", [
    ("13", 13, 13), ("4.62", 4.62, 4.62), ("3-4", 3, 4), ("5－8", 5, 8), ("5～8", 5, 8), ("5~8", 5, 8),
    ("3–4", 3, 4), ("3—4", 3, 4), ("3至4", 3, 4), ("3到4", 3, 4), ("4-3", 3, 4), ("１３", 13, 13),
])
def test_the_importer_and_the_seed_read_a_range_alike(written, low, high):
    figure = read_figure(written)
    assert (figure.low, figure.high) == parse_figure(written) == (low, high)


@pytest.mark.parametrize("written", ["-", "", "—", "－"])
def test_a_dash_is_no_figure_for_either(written):
    figure = read_figure(written)
    assert (figure.low, figure.high) == parse_figure(written) == (None, None)


def test_text_that_is_no_figure_is_kept_as_written_by_the_importer_and_refused_by_the_seed():
    assert read_figure("约10").low is None
    with pytest.raises(ValueError):
        parse_figure("约10")
