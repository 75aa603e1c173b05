"""Unit lookup by English, Russian and Kazakh names, ISO codes and common alternates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def test_almaty_alone_is_the_city_and_the_note_says_how_to_name_the_region() -> None:
    assert units.lookup("Almaty") == "almaty_city"
    assert units.lookup("Almaty oblast") == "almaty_region"
    for bare in ("Almaty", "Алматы", "алматы"):
        unit_id, note = units.resolve(bare)
        assert unit_id == "almaty_city", bare
        assert note is not None and f"“{bare}” alone is read as the city, Almaty (city)" in note
        assert "“Almaty Region” (Алматинская область, Алматы облысы)" in note
    for full in ("Алматы облысы", "Алматинская область", "Almaty Region"):
        assert units.resolve(full) == ("almaty_region", None), full
    for full in ("Алматы қаласы", "город Алматы", "Almaty city", "Almaty (city)"):
        assert units.resolve(full) == ("almaty_city", None), full


def test_a_bare_name_is_the_city_even_when_the_table_does_not_list_it(data_copy: Path) -> None:
    # Without the city's listed alternate "Almaty", the bare word fits the city ("Almaty city") and the region
    # ("Almaty Region") once the generic words are dropped: the city is taken, with the note.
    set_cell(data_copy / "units.csv", {"unit_id": "almaty_city"}, "alt_names", "Alma-Ata (former name)")
    unit_id, note = units.resolve("Almaty", data_copy)
    assert unit_id == "almaty_city" and note is not None and "write “Almaty Region”" in note


def test_a_name_shared_by_two_regions_is_refused_with_both_suggested(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "pavlodar"}, "alt_names", "Karagandy; Pavlodar oblysy")
    with pytest.raises(UnknownUnitError) as caught:
        units.lookup("Karagandy", data_copy)
    assert caught.value.suggestions == ["Karaganda Region", "Pavlodar Region"]
    assert "fits Karaganda Region and Pavlodar Region" in str(caught.value)


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


@pytest.mark.parametrize(("name", "unit_id"), [
    ("Астана", "nur_sultan"), ("Алматы", "almaty_city"), ("Шымкент", "shymkent"), ("Караганда", "karaganda"),
    ("Актобе", "aktobe"), ("Костанай", "kostanay"), ("Кызылорда", "kyzylorda"), ("Туркестан", "turkestan"),
    ("Мангистау", "mangistau"), ("Павлодар", "pavlodar"), ("Атырау", "atyrau"), ("Жамбыл", "zhambyl"),
    ("Ақмола", "akmola"), ("Ақтөбе", "aktobe"), ("Қарағанды", "karaganda"), ("Түркістан", "turkestan"),
    ("Маңғыстау облысы", "mangistau"), ("Караганды облысы", "karaganda"),  # Kazakh typed with Russian letters
    ("Алматинская обл.", "almaty_region"), ("г. Алматы", "almaty_city"), ("Нур-Султан", "nur_sultan"),
    ("Qaraghandy oblysy", "karaganda"), ("Aqtöbe", "aktobe"), ("Atyraū", "atyrau"), ("Qyzylorda", "kyzylorda"),
])
def test_russian_and_kazakh_short_forms_are_the_units_readers_mean(name: str, unit_id: str) -> None:
    assert units.lookup(name) == unit_id


@pytest.mark.parametrize(("name", "unit_id", "listed"), [
    ("Aktyubinsk", "aktobe", "Aktyubinsk Region (Russian-derived)"),
    ("Aktyubinsk Region", "aktobe", "Aktyubinsk Region (Russian-derived)"),
    ("Guryev", "atyrau", "Guryev Region (former name)"),
    ("Uralsk", "west_kazakhstan", "Uralsk Region (name 1962-1992)"),
    ("Kyzyl-Orda", "kyzylorda", "Kyzyl-Orda Region (until 1991)"),
    ("Dzhambul", "zhambyl", "Dzhambul Region (former name)"),
    ("Mangyshlak Region", "mangistau", "Mangyshlak Region (1973-1988)"),
    ("South Kazakhstan", "turkestan", "South Kazakhstan Region (name until 2018)"),
    ("ЮКО", "turkestan", "South Kazakhstan Region (name until 2018)"),
    ("Tselinograd", "nur_sultan", "Tselinograd (former city name)"),
    ("Chimkent", "shymkent", "Chimkent (former name)"),
    ("Алма-Ата", "almaty_city", "Alma-Ata (former name)"),
])
def test_an_older_name_finds_the_unit_and_says_its_2022_name(name: str, unit_id: str, listed: str) -> None:
    from helpers import load

    found, note = units.resolve(name)
    assert found == unit_id
    english = load.table("units").set_index("unit_id").at[unit_id, "name_en"]
    assert note == (f"“{name}” is read as {english}, its name on 5 June 2022 "
                    f"(data/units.csv lists “{listed}” among its names).")


def test_an_older_name_does_not_take_a_current_one() -> None:
    # "Akmola (former city name)" is Nur-Sultan's; "Akmola" is the region's name today and in 2022.
    assert units.resolve("Akmola") == ("akmola", None)
    assert units.resolve("Akmola city").unit_id == "nur_sultan"


@pytest.mark.parametrize(("code", "unit_id", "then"), [
    ("KZ-75", "almaty_city", "KZ-ALA"), ("KZ-71", "nur_sultan", "KZ-AST"), ("KZ-79", "shymkent", "KZ-SHY"),
    ("KZ-11", "akmola", "KZ-AKM"), ("KZ-27", "west_kazakhstan", "KZ-ZAP"), ("kz 61", "turkestan", "KZ-YUZ"),
])
def test_todays_iso_code_finds_the_unit_and_gives_its_2022_code(code: str, unit_id: str, then: str) -> None:
    found, note = units.resolve(code)
    assert found == unit_id
    assert note is not None and f"“{code}” is today's ISO 3166-2 code" in note and f"its code was {then}." in note


@pytest.mark.parametrize(("code", "unit_id", "then", "later"), [
    ("KZ-19", "almaty_region", "KZ-ALM", "Jetisu Region"), ("KZ-63", "east_kazakhstan", "KZ-VOS", "Abai Region"),
    ("KZ-35", "karaganda", "KZ-KAR", "Ulytau Region"),
])
def test_todays_code_of_a_region_split_later_says_what_it_still_included(code: str, unit_id: str, then: str,
                                                                         later: str) -> None:
    found, note = units.resolve(code)
    assert found == unit_id
    assert note is not None and f"its code was {then}, and it still included {later} (split off on 8 June 2022" in note


def test_every_todays_code_is_a_different_unit_and_no_2022_code() -> None:
    from helpers import load

    table = load.table("units")
    assert set(units.TODAY_CODES) == set(table["unit_id"])
    assert len(set(units.TODAY_CODES.values())) == 17
    assert not set(units.TODAY_CODES.values()) & set(table["iso_3166_2"])
    splits = load.table("unit_splits")
    assert not set(units.TODAY_CODES.values()) & set(splits["new_region_iso"])


@pytest.mark.parametrize("name", ["Astana", "Астана", "Astana city", "Астана қаласы"])
def test_todays_name_of_the_capital_says_it_was_nur_sultan_then(name: str) -> None:
    found, note = units.resolve(name)
    assert found == "nur_sultan"
    assert note == (f"“{name}” is read as Nur-Sultan (city), the city's name on 5 June 2022 "
                    "(it was renamed Astana after June 2022).")


@pytest.mark.parametrize(("name", "unit_id"), [
    ("ЗКО", "west_kazakhstan"), ("ВКО", "east_kazakhstan"), ("СКО", "north_kazakhstan"), ("WKO", "west_kazakhstan"),
    ("EKO", "east_kazakhstan"), ("NKO", "north_kazakhstan"), ("БҚО", "west_kazakhstan"), ("ШҚО", "east_kazakhstan"),
    ("СҚО", "north_kazakhstan"), ("зко", "west_kazakhstan"),
])
def test_common_abbreviations_are_the_units(name: str, unit_id: str) -> None:
    assert units.resolve(name) == (unit_id, None)


@pytest.mark.parametrize(("name", "parent"), [
    ("Zhetisu", "Almaty Region"), ("Жетісу", "Almaty Region"), ("Жетысу облысы", "Almaty Region"),
    ("Jetysu", "Almaty Region"), ("Abay", "East Kazakhstan Region"), ("Абайская область", "East Kazakhstan Region"),
    ("Ұлытау", "Karaganda Region"), ("Улытауская область", "Karaganda Region"), ("KZ-33", "Almaty Region"),
])
def test_every_name_of_a_later_region_says_what_it_was_part_of(name: str, parent: str) -> None:
    with pytest.raises(UnknownUnitError) as failure:
        units.lookup(name)
    assert "did not exist on 5 June 2022" in str(failure.value) and f"part of {parent} then" in str(failure.value)


@pytest.mark.parametrize(("typed", "first"), [
    ("Almty", {"Almaty (city)", "Almaty Region"}), ("Aqtobee", {"Aktobe Region"}), ("Aktobee", {"Aktobe Region"}),
    ("Pavlodr", {"Pavlodar Region"}), ("Kostanai Regoin", {"Kostanay Region"}),
    ("Shymkent Region", {"Shymkent (city)"}),
    ("Karagandinskya oblast", {"Karaganda Region"}), ("Nur Sultn", {"Nur-Sultan (city)"}),
])
def test_a_near_miss_suggests_the_unit_meant_first(typed: str, first: set[str]) -> None:
    with pytest.raises(UnknownUnitError) as failure:
        units.lookup(typed)
    assert set(failure.value.suggestions[:len(first)]) == first, failure.value.suggestions


def test_an_unknown_code_gets_no_guessed_units() -> None:
    with pytest.raises(UnknownUnitError) as failure:
        units.lookup("KZ-99")
    assert failure.value.suggestions == [] and "no unit has this ISO 3166-2 code" in str(failure.value)


def test_a_name_needing_no_note_gets_none() -> None:
    assert units.resolve("Nur-Sultan") == ("nur_sultan", None)
    assert units.resolve("KZ-ALA") == ("almaty_city", None)
    assert units.resolve("Shymkent") == ("shymkent", None)


@pytest.mark.parametrize("given", [None, 17, "", "   "])
def test_no_name_is_refused_saying_what_to_write(given: object) -> None:
    with pytest.raises(UnknownUnitError, match="expected the name or code of one of the 17 units"):
        units.resolve(given)  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["Akmola", "Almaty Region", "Almaty city", "Nur-Sultan", "Shymkent"]),
    ("ru", ["Акмолинская обл.", "Алматинская обл.", "г. Алматы", "Нур-Султан", "Шымкент"]),
    ("kk", ["Ақмола", "Алматы облысы", "Алматы қ.", "Нұр-Сұлтан", "Шымкент"]),
])
def test_short_names_keep_the_two_almaty_units_apart(lang: str, expected: list[str]) -> None:
    shown = [units.short_name(u, lang) for u in ("akmola", "almaty_region", "almaty_city", "nur_sultan", "shymkent")]
    assert shown == expected
    every = [units.short_name(u, lang) for u in units.names("en")]
    assert len(set(every)) == 17


def test_names_follow_the_run_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREF_LANG", "kk")
    assert units.name_of("Astana") == "Нұр-Сұлтан"
    assert units.names()["akmola"] == "Ақмола облысы"
    shown = units.named(pd.DataFrame({"unit_id": ["shymkent", "atyrau"]}))
    assert list(shown["unit"]) == ["Шымкент", "Атырау облысы"]
    with pytest.raises(ValueError, match="lang must be"):
        units.names("de")
