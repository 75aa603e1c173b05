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


UNIT_IDS = ["almaty_city", "shymkent", "nur_sultan"]


@pytest.mark.parametrize(("given", "message"), [
    ("2024", r"^EXCLUDE_UNITS = '2024' is a text; expected a list such as \['almaty_city'\]$"),
    ("shymkent", r"^EXCLUDE_UNITS = 'shymkent' is a text; expected a list such as \['shymkent'\]$"),
    (None, r"^EXCLUDE_UNITS = None: no value given; expected a list such as \['almaty_city'\], or \[\] for none$"),
    (7, r"^EXCLUDE_UNITS = 7 is a single value; expected a list such as \['almaty_city'\]$"),
])
def test_subset_of_refuses_a_single_text_or_none_as_a_whole(given: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.subset_of("EXCLUDE_UNITS", given, UNIT_IDS)


def test_subset_of_takes_a_single_item_when_asked_and_drops_repeats() -> None:
    assert params.subset_of("EXCLUDE_UNITS", "shymkent", UNIT_IDS, single=True) == ["shymkent"]
    assert params.subset_of("EXCLUDE_UNITS", ["shymkent", "almaty_city", "shymkent"], UNIT_IDS) == [
        "shymkent", "almaty_city"]
    assert params.subset_of("EXCLUDE_UNITS", [], UNIT_IDS) == []


@pytest.mark.parametrize(("given", "message"), [
    ("ten", r"^N = 'ten' is not a whole number; expected a whole number between 1000 and 100000$"),
    (None, r"^N = None: no value given; expected a whole number between 1000 and 100000$"),
    ([5000], r"^N = \[5000\] is a list; expected a single whole number, a whole number between 1000 and 100000$"),
    (500, r"^N = 500 is out of range; expected a whole number between 1000 and 100000$"),
])
def test_whole_number_names_the_range_in_every_refusal(given: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.whole_number("N", given, low=1000, high=100_000)


def test_whole_number_names_the_allowed_values_for_none_and_a_list() -> None:
    with pytest.raises(ParameterError, match=r"^REPORT_HOUR = None: no value given; expected one of 10, 12, 14"):
        params.whole_number("REPORT_HOUR", None, HOURS)
    with pytest.raises(ParameterError, match=r"^REPORT_HOUR = \[22\] is a list; expected a single whole number, one"):
        params.whole_number("REPORT_HOUR", [22], HOURS)
    assert params.whole_number("N", "20_000", low=1000) == 20_000


def test_one_of_refuses_none_and_a_list_and_forgives_case() -> None:
    with pytest.raises(ParameterError, match=r"^STAGE = None: no value given; expected one of 'preliminary', 'final'$"):
        params.one_of("STAGE", None, ["preliminary", "final"])
    with pytest.raises(ParameterError, match=r"^STAGE = \['final'\] is a list; expected a single value, one of"):
        params.one_of("STAGE", ["final"], ["preliminary", "final"])
    assert params.one_of("STAGE", " Final", ["preliminary", "final"]) == "final"


def test_unit_ids_resolve_every_name_and_report_every_bad_one() -> None:
    assert params.unit_ids("EXCLUDE_UNITS", ["Astana", "KZ-75", "nur_sultan", "Шымкент"]) == [
        "nur_sultan", "almaty_city", "shymkent"]
    with pytest.raises(ParameterError) as failure:
        params.unit_ids("EXCLUDE_UNITS", ["Almty", "Abai", "Pavlodar", "KZ-99"])
    message = str(failure.value)
    assert message.startswith("EXCLUDE_UNITS: 'Almty': not one of the 17 units of 5 June 2022")
    assert "did you mean Almaty Region or Almaty (city)?" in message
    assert "'Abai': Abai Region did not exist on 5 June 2022: it was part of East Kazakhstan Region then" in message
    assert "'KZ-99': no unit has this ISO 3166-2 code" in message and "Pavlodar" not in message
    assert "\n" not in message


@pytest.mark.parametrize(("given", "message"), [
    ("almaty_city", r"^EXCLUDE_UNITS = 'almaty_city' is a text; expected a list such as \['almaty_city'\]$"),
    (None, r"^EXCLUDE_UNITS = None: no value given; expected a list such as \['almaty_city'\], or \[\] for none$"),
])
def test_unit_ids_refuse_a_single_text_or_none_as_a_whole(given: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.unit_ids("EXCLUDE_UNITS", given)
    assert params.unit_ids("EXCLUDE_UNITS", "Almaty city", single=True) == ["almaty_city"]


@pytest.mark.parametrize(("given", "message"), [
    ("Abai", r"^UNIT = 'Abai': Abai Region did not exist on 5 June 2022: it was part of East Kazakhstan Region then"),
    ("Karagandy Reigon", r"^UNIT = 'Karagandy Reigon': not one of the 17 units .*; did you mean Karaganda Region\?$"),
    (None, r"^UNIT = None: no value given; expected the name or code of one of the 17 units"),
    (["Almaty"], r"^UNIT = \['Almaty'\] is a list; expected one unit"),
])
def test_unit_refuses_with_one_line_naming_the_parameter(given: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        params.unit("UNIT", given)


def test_unit_note_says_what_a_renamed_place_was_called_and_nothing_otherwise() -> None:
    assert params.unit("UNIT", "Астана") == "nur_sultan"
    assert params.unit_note("UNIT", "Астана") == ("`UNIT`: “Астана” is read as Nur-Sultan (city), the city's name on "
                                                 "5 June 2022 (it was renamed Astana after June 2022).")
    assert params.unit_note("UNIT", "Nur-Sultan") == ""
    note = params.unit_note("EXCLUDE_UNITS", ["KZ-75", "Uralsk", "shymkent"])
    assert note.startswith("`EXCLUDE_UNITS`: “KZ-75” is today's ISO 3166-2 code of Almaty (city)")
    assert "“Uralsk” is read as West Kazakhstan Region" in note and "Shymkent" not in note
    assert params.unit_note("EXCLUDE_UNITS", []) == ""


def test_choices_note_is_empty_at_the_committed_choices_and_names_each_change() -> None:
    written = {"REPORT_HOUR": 22, "EXCLUDE_UNITS": []}
    assert params.choices_note(written, {"REPORT_HOUR": 22, "EXCLUDE_UNITS": []}) == ""
    note = params.choices_note(written, {"REPORT_HOUR": 20, "EXCLUDE_UNITS": []})
    assert "`REPORT_HOUR`: `22` → `20`" in note and "EXCLUDE_UNITS" not in note
    with pytest.raises(KeyError, match="differ on"):
        params.choices_note(written, {"REPORT_HOUR": 22})


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "REPORT_HOUR = 21 — недопустимое значение; выберите одно из значений 10, 22"),
    ("kk", "REPORT_HOUR = 21 — рұқсат етілмеген мән; таңдаңыз: мына мәндердің бірі: 10, 22"),
])
def test_a_refusal_speaks_the_language_of_the_run(monkeypatch: pytest.MonkeyPatch, lang: str, expected: str) -> None:
    monkeypatch.setenv("KZREF_LANG", lang)
    with pytest.raises(ParameterError) as refused:
        params.whole_number("REPORT_HOUR", 21, [10, 22])
    assert str(refused.value) == expected
    with pytest.raises(ParameterError, match="Almty"):
        params.unit("UNIT", "Almty")
