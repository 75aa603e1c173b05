"""Unit lookup by English, Russian and Kazakh names, ISO codes and common alternates."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import units
from helpers.errors import UnknownUnitError
from tests.conftest import set_cell


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [
        ("Nur-Sultan", "nur_sultan"),
        ("Astana", "nur_sultan"),
        ("Nur-Sultan (city)", "nur_sultan"),
        ("KZ-AST", "nur_sultan"),
        ("Zhambyl", "zhambyl"),
        ("Jambyl Region", "zhambyl"),
        ("Turkestan", "turkestan"),
        ("Turkistan Region", "turkestan"),
        ("Mangistau", "mangistau"),
        ("Mangystau Region", "mangistau"),
        ("Kostanay", "kostanay"),
        ("Qostanay", "kostanay"),
        ("kz-ala", "almaty_city"),
        ("Almaty (city)", "almaty_city"),
        ("Almaty Region", "almaty_region"),
        ("east kazakhstan region", "east_kazakhstan"),
        ("West-Kazakhstan", "west_kazakhstan"),
        ("Алматинская область", "almaty_region"),
        ("Карагандинская область", "karaganda"),
        ("Қарағанды облысы", "karaganda"),
        ("Шымкент", "shymkent"),
        ("shymkent", "shymkent"),
    ],
)
def test_lookup_accepts_names_codes_and_alternates(name: str, unit_id: str) -> None:
    assert units.lookup(name) == unit_id


def test_every_listed_name_of_every_unit_finds_that_unit() -> None:
    from helpers import load

    table = load.table("units")
    for _, row in table.iterrows():
        for column in ("unit_id", "iso_3166_2", "name_en", "name_ru", "name_kk"):
            assert units.lookup(str(row[column])) == row["unit_id"], (column, row[column])
        for alternate in str(row["alt_names"] or "").split(";"):
            if alternate.strip():
                assert units.lookup(alternate) == row["unit_id"], alternate


def test_almaty_alone_is_the_city_by_its_official_name() -> None:
    assert units.lookup("Almaty") == "almaty_city"
    assert units.lookup("Almaty oblast") == "almaty_region"


def test_a_name_shared_by_two_units_is_refused_with_both_suggested(data_copy: Path) -> None:
    # Without the city's listed alternate "Almaty", the bare word fits the city and the region alike.
    set_cell(data_copy / "units.csv", {"unit_id": "almaty_city"}, "alt_names", "Alma-Ata (former name)")
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Almaty", data_copy)
    assert "Almaty (city)" in caught.value.suggestions
    assert "Almaty Region" in caught.value.suggestions


def test_unknown_name_gives_close_suggestions() -> None:
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Karagandy Reigon")
    assert "Karaganda Region" in caught.value.suggestions
    assert "Unknown unit 'Karagandy Reigon'" in str(caught.value)
    assert "Did you mean: Karaganda Region" in str(caught.value)


def test_regions_created_after_the_vote_are_not_units() -> None:
    for later in ("Abai Region", "Jetisu Region", "Ulytau Region"):
        with pytest.raises(UnknownUnitError):
            units.lookup(later)


def test_empty_name_is_refused() -> None:
    with pytest.raises(UnknownUnitError):
        units.lookup("  ")


def test_name_of_returns_each_language() -> None:
    assert units.name_of("KZ-AKM", "en") == "Akmola Region"
    assert units.name_of("akmola", "ru") == "Акмолинская область"
    assert units.name_of("Akmola", "kk") == "Ақмола облысы"
    with pytest.raises(ValueError, match="lang must be"):
        units.name_of("akmola", "de")


@pytest.mark.parametrize(("name", "parent"), [("Abai", "East Kazakhstan Region"), ("Jetisu Region", "Almaty Region"),
                                              ("Ulytau", "Karaganda Region"), ("KZ-10", "East Kazakhstan Region")])
def test_a_region_created_after_polling_day_is_refused_with_its_2022_parent(name: str, parent: str) -> None:
    with pytest.raises(UnknownUnitError) as failure:
        units.lookup(name)
    message = str(failure.value)
    assert "did not exist on 5 June 2022" in message and f"part of {parent} then" in message
    assert "Kostanay" not in message


def test_named_puts_english_names_beside_the_ids_and_refuses_unknown_ids() -> None:
    import pandas as pd

    frame = pd.DataFrame({"unit_id": ["shymkent", None], "turnout_pct": [72.53, 68.44]})
    shown = units.named(frame)
    assert list(shown.columns) == ["unit_id", "unit", "turnout_pct"]
    assert shown["unit"].iloc[0] == "Shymkent (city)" and pd.isna(shown["unit"].iloc[1])
    with pytest.raises(UnknownUnitError, match="'abay'"):
        units.named(pd.DataFrame({"unit_id": ["abay"]}))
    with pytest.raises(ValueError, match="already has a column 'unit'"):
        units.named(shown)


def test_the_polling_clock_of_5_june_2022() -> None:
    import pandas as pd

    ids = pd.Series(["aktobe", "akmola", None])
    assert units.local_hour(ids, 20).isna().tolist() == [False, False, True]
    assert list(units.local_hour(ids, 20).iloc[:2]) == [19, 20]  # Aktobe kept UTC+5: an hour behind the capital
    assert list(units.polls_close_hour(ids).iloc[:2]) == [21, 20]
    assert list(units.polls_open(ids, 20)) == [True, False, False]  # the national row is no unit
    assert list(units.polls_open(ids, pd.Series([22, 18, 18]))) == [False, True, False]
    with pytest.raises(UnknownUnitError, match="'abai'"):
        units.polls_open(pd.Series(["abai"]), 20)
