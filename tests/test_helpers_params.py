"""Parameter checks: a bad value in a notebook's parameters cell gets a one-line answer naming what is allowed."""

from __future__ import annotations

import pytest

from helpers import params
from helpers.errors import ParameterError

HOURS = [10, 12, 14, 16, 18, 20, 22]


def test_one_of_returns_an_allowed_value_and_names_the_choices_otherwise() -> None:
    assert params.one_of("STAGE", "final", ["preliminary", "final"]) == "final"
    allowed = r"^STAGE = 'prelim' is not allowed; choose one of 'preliminary', 'final'$"
    with pytest.raises(ParameterError, match=allowed):
        params.one_of("STAGE", "prelim", ["preliminary", "final"])


@pytest.mark.parametrize("given", [22, "22", " 22 ", 22.0])
def test_whole_number_accepts_a_number_given_as_text(given: object) -> None:
    assert params.whole_number("REPORT_HOUR", given, HOURS) == 22


@pytest.mark.parametrize(("given", "message"), [
    ("ten", r"REPORT_HOUR = 'ten' is not a whole number; expected one of 10, 12, 14, 16, 18, 20, 22"),
    (True, r"REPORT_HOUR = True is not a whole number"),
    (21.5, r"REPORT_HOUR = 21.5 is not a whole number"),
    (23, r"REPORT_HOUR = 23 is not allowed; choose one of 10, 12"),
])
def test_whole_number_refuses_what_is_not_an_allowed_whole_number(given: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.whole_number("REPORT_HOUR", given, HOURS)


def test_whole_number_checks_bounds() -> None:
    assert params.whole_number("N_SIMULATIONS", "5000", low=1000) == 5000
    with pytest.raises(ParameterError, match="expected a whole number at least 1000"):
        params.whole_number("N_SIMULATIONS", 10, low=1000)
    with pytest.raises(ParameterError, match="between 1 and 5"):
        params.whole_number("K", 9, low=1, high=5)


def test_subset_of_names_the_values_not_allowed() -> None:
    assert params.subset_of("EXCLUDE", ("almaty_city",), ["almaty_city", "shymkent"]) == ["almaty_city"]
    with pytest.raises(ParameterError, match=r"EXCLUDE: 'abai' not allowed; choose from 'almaty_city', 'shymkent'"):
        params.subset_of("EXCLUDE", ["abai", "shymkent"], ["almaty_city", "shymkent"])
