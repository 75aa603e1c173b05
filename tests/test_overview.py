"""Tests for what is left of helpers.overview (used by helpers.results), against published figures."""

from __future__ import annotations

import pytest

from helpers import overview


def test_national_row_reads_any_stage_but_only_one_row() -> None:
    assert overview.national_row(stage="turnout_2200")["turnout_pct"] == 68.44
    final = overview.national_row()
    assert (final["registered_voters"], final["took_part"], final["yes_votes"]) == (11_734_642, 7_985_769, 6_163_516)
    with pytest.raises(ValueError, match="no single"):
        overview.national_row("2022-06-05", "turnout_2100")
    with pytest.raises(ValueError, match="no single"):
        overview.national_row("2023-01-01")


def test_yes_of_answered_definition() -> None:
    assert overview.yes_of_answered(3, 1) == 75.0
    # 6,163,516 / (6,163,516 + 1,490,470), README "Denominators"
    assert overview.yes_of_answered(6_163_516, 1_490_470) == pytest.approx(80.5269, abs=5e-5)
    with pytest.raises(ValueError):
        overview.yes_of_answered(0, 0)
    with pytest.raises(ValueError):
        overview.yes_of_answered(-1, 3)
