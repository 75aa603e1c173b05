"""Tests that kill the mutants of helpers/params.py that the first suite let live (``make mutation``):
signs, the exact bounds and each wording of the one-line answer."""

from __future__ import annotations

import pytest

from helpers import params
from helpers.errors import ParameterError


@pytest.mark.parametrize(("given", "expected"), [("-3", -3), ("+4", 4), (" 22 ", 22), (7.0, 7)])
def test_whole_number_reads_a_signed_number_given_as_text(given: object, expected: int) -> None:
    assert params.whole_number("N", given) == expected


@pytest.mark.parametrize("given", ["3-", "22+", "X22", "2 2"])
def test_whole_number_refuses_signs_and_letters_in_the_wrong_place(given: str) -> None:
    with pytest.raises(ParameterError, match=r"is not a whole number; expected a whole number$"):
        params.whole_number("N", given)


def test_without_allowed_values_the_answer_asks_for_a_whole_number() -> None:
    with pytest.raises(ParameterError) as caught:
        params.whole_number("REPORT_HOUR", "ten")
    assert str(caught.value) == "REPORT_HOUR = 'ten' is not a whole number; expected a whole number"


def test_with_allowed_values_the_answer_lists_them() -> None:
    with pytest.raises(ParameterError) as caught:
        params.whole_number("REPORT_HOUR", "ten", [20, 22])
    assert str(caught.value) == "REPORT_HOUR = 'ten' is not a whole number; expected one of 20, 22"


@pytest.mark.parametrize("edge", [8, 20])
def test_the_bounds_themselves_are_allowed(edge: int) -> None:
    assert params.whole_number("HOUR", edge, low=8, high=20) == edge


def test_just_outside_the_bounds_is_refused_with_the_bounds_named() -> None:
    with pytest.raises(ParameterError, match=r"expected a whole number between 8 and 20$"):
        params.whole_number("HOUR", 21, low=8, high=20)
    with pytest.raises(ParameterError, match=r"expected a whole number at least 8$"):
        params.whole_number("HOUR", 7, low=8)
    with pytest.raises(ParameterError, match=r"expected a whole number at most 20$"):
        params.whole_number("HOUR", 21, high=20)
