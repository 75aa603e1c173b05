"""Tests that kill the mutants of helpers/units.py that the first suite let live (``make mutation``): every
function honours the data folder it is given, the kind words steer the look-up, each alternate is found."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers import units
from helpers.errors import UnknownUnitError
from tests.conftest import set_cell


@pytest.fixture
def renamed(data_copy: Path) -> Path:
    """A data folder whose Akmola has another English name, an extra alternate and the UTC+5 clock,
    and whose Abai Region is called Abai Test Region."""
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "name_en", "Kokshe Test Region")
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "alt_names", "Kokshe Land; Aqmola")
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "polling_utc_offset", "5")
    set_cell(data_copy / "unit_splits.csv", {"new_region_en": "Abai Region"}, "new_region_en", "Semey Test Region")
    return data_copy


def test_lookup_uses_the_given_folder(renamed: Path) -> None:
    assert units.lookup("Kokshe Land", renamed) == "akmola"
    assert units.lookup("Kokshe Test Region", renamed) == "akmola"
    with pytest.raises(UnknownUnitError):
        units.lookup("Kokshe Land")


def test_suggestions_come_from_the_given_folder(renamed: Path) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Kokshe Tst Region", renamed)
    assert caught.value.suggestions[0] == "Kokshe Test Region"


def test_later_region_is_found_in_the_given_folder(renamed: Path) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Semey Test", renamed)
    assert caught.value.name == "Semey Test" and caught.value.suggestions == ["east_kazakhstan"]
    assert "Semey Test Region did not exist on 5 June 2022" in str(caught.value)
    with pytest.raises(UnknownUnitError) as default:
        units.lookup("Semey Test")
    assert "did not exist" not in str(default.value)


def test_later_region_names_its_2022_parent_in_the_given_folder(renamed: Path) -> None:
    set_cell(renamed / "unit_splits.csv", {"new_region_en": "Semey Test Region"}, "parent_unit_id", "akmola")
    with pytest.raises(UnknownUnitError, match="it was part of Kokshe Test Region then"):
        units.lookup("Semey Test Region", renamed)


def test_names_in_the_given_folder(renamed: Path) -> None:
    assert units.english_names(renamed)["akmola"] == "Kokshe Test Region"
    assert units.name_of("Kokshe Land", "en", renamed) == "Kokshe Test Region"
    frame = pd.DataFrame({"unit_id": ["akmola", None]})
    result = units.named(frame, folder=renamed)
    assert result["unit"].iloc[0] == "Kokshe Test Region" and pd.isna(result["unit"].iloc[1])


def test_named_suggests_from_the_given_folder(renamed: Path) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.named(pd.DataFrame({"unit_id": ["Kokshe Tst Region"]}), folder=renamed)
    assert caught.value.suggestions[0] == "Kokshe Test Region"


def test_clock_of_the_given_folder(renamed: Path) -> None:
    ids = pd.Series(["akmola", "pavlodar"])
    assert units.local_hour(ids, 22, renamed).tolist() == [21, 22]
    assert units.polls_close_hour(ids, renamed).tolist() == [21, 20]
    assert units.polls_open(ids, 20, renamed).tolist() == [True, False]
    assert units.polls_open(ids, 20).tolist() == [False, False]


def test_clock_refuses_an_unknown_unit_with_suggestions_from_the_given_folder(renamed: Path) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.local_hour(pd.Series(["Kokshe Tst Region"]), 22, renamed)
    assert caught.value.suggestions[0] == "Kokshe Test Region"


def test_polls_open_is_a_plain_boolean_column() -> None:
    result = units.polls_open(pd.Series(["akmola", None, "aktobe"]), 20)
    assert result.dtype == bool and result.tolist() == [False, False, True]


@pytest.mark.parametrize(("name", "unit_id"), [
    ("Akmolinskaya oblast", "akmola"), ("Aqmola oblysy", "akmola"), ("Aktyubinskaya oblast", "aktobe"),
    ("Akmola oblast", "akmola"), ("Kostanay province", "kostanay"), ("Almaty g.", "almaty_city"),
    ("Shymkent g.", "shymkent"), ("Almaty oblast", "almaty_region"),
])
def test_alternates_and_kind_words_find_the_unit(name: str, unit_id: str) -> None:
    assert units.lookup(name) == unit_id


@pytest.mark.parametrize(("name", "first"), [("Shymkent oblast", "Shymkent (city)"),
                                             ("Karaganda city", "Karaganda Region")])
def test_a_kind_word_that_contradicts_the_unit_is_refused(name: str, first: str) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup(name)
    assert caught.value.suggestions[0] == first


def test_suggestions_are_only_the_close_ones() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Pavlodr")
    assert caught.value.suggestions == ["Pavlodar Region"]


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_name_is_refused_without_suggestions(blank: str) -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup(blank)
    assert caught.value.name == blank and caught.value.suggestions == []


def test_a_name_that_is_not_text_is_refused() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup(None)  # type: ignore[arg-type]
    assert caught.value.name == "None"


def test_normalising_unifies_yo_and_strips_only_generic_words() -> None:
    assert units._normalise("Ёлкино, Ё") == "елкино е"
    assert units._strip_generic("north kazakhstan region") == "north kazakhstan"


@pytest.mark.parametrize(("name", "unit_id"), [("The Shymkent", "shymkent"), ("Akmola province", "akmola"),
                                               ("Pavlodar obl", "pavlodar")])
def test_loose_forms_find_the_unit(name: str, unit_id: str) -> None:
    assert units.lookup(name) == unit_id
