"""data/unit_covariates.csv: every copied figure is the reference's, the rebuilt 2022 counts are sums of
published parts, each series covers its 17 or 20 units, and bad input stops with a message that names the
file, the row, the column and what was expected."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers import load
from tests.conftest import REFERENCE, edit_csv, expect_error, set_cell

TABLE = "unit_covariates"
FILE = "unit_covariates.csv"
REBUILT = "sum of parent and new region"
SEVENTEEN = {"unchanged", "before_split"}
TWENTY = {"unchanged", "after_split"}
AKMOLA_2022 = {"unit_id": "akmola", "indicator": "population_total", "reference_period": "2022-01-01"}

# the reference's unit label -> (unit_id, unit_name) in data/unit_covariates.csv
REFERENCE_UNITS = {
    "Akmola": ("akmola", "Akmola Region"), "Aktobe": ("aktobe", "Aktobe Region"),
    "Almaty Region": ("almaty_region", "Almaty Region"), "Atyrau": ("atyrau", "Atyrau Region"),
    "West Kazakhstan": ("west_kazakhstan", "West Kazakhstan Region"), "Zhambyl": ("zhambyl", "Zhambyl Region"),
    "Karaganda": ("karaganda", "Karaganda Region"), "Kostanay": ("kostanay", "Kostanay Region"),
    "Kyzylorda": ("kyzylorda", "Kyzylorda Region"), "Mangistau": ("mangistau", "Mangistau Region"),
    "Pavlodar": ("pavlodar", "Pavlodar Region"), "North Kazakhstan": ("north_kazakhstan", "North Kazakhstan Region"),
    "Turkestan": ("turkestan", "Turkestan Region"), "East Kazakhstan": ("east_kazakhstan", "East Kazakhstan Region"),
    "Nur-Sultan/Astana": ("nur_sultan", "Astana (city)"), "Almaty (city)": ("almaty_city", "Almaty (city)"),
    "Shymkent": ("shymkent", "Shymkent (city)"), "Abai": ("east_kazakhstan", "Abai Region"),
    "Jetisu": ("almaty_region", "Jetisu Region"), "Ulytau": ("karaganda", "Ulytau Region"),
}
# indicator in data/ -> (the reference's indicator, the text of its year_or_date or None for any, source repository)
REFERENCE_SERIES = {
    ("population_total", "2021-01-01"): ("population_total", "2021-01-01", "population-projections-by-regions"),
    ("population_total", "2022-01-01"): ("population_total", "2022-01-01", "population-projections-by-regions"),
    ("population_total", "2023-01-01"): ("population_total", "2023-01-01", "city-population"),
    ("population_urban", "2023-01-01"): ("population_urban", "2023-01-01", "city-population"),
    ("avg_monthly_nominal_wage", "2022-Q1"): ("avg_monthly_nominal_wage_quarter", "2022-Q1", "city-avg-salary"),
    ("avg_monthly_nominal_wage", "2022 (January-December)"): (
        "avg_monthly_nominal_wage_cumulative", "2022 (January-December)", "city-avg-salary"),
    ("unemployment_rate", "2021"): ("unemployment_rate_annual", "2021", "city-unemployment-rate"),
    ("unemployment_rate", "2022"): ("unemployment_rate_annual", "2022", "city-unemployment-rate"),
    ("grp_per_capita", "2021"): ("grp_per_capita_kzt_thousand", "2021", "city-gdp-per-capita"),
    ("grp_per_capita", "2022"): ("grp_per_capita_kzt_thousand", "2022", "city-gdp-per-capita"),
    ("census_population_age10plus", "2021 census"): (
        "census2021_population_age10plus", "2021 census", "higher-education"),
    ("census_higher_education", "2021 census"): (
        "census2021_higher_education_count", "2021 census", "higher-education"),
    ("census_higher_education_pct", "2021 census"): (
        "census2021_higher_education_pct", "2021 census", "higher-education"),
}


def rows_as_text() -> list[dict[str, str]]:
    with open(load.data_dir() / FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_rows() -> list[dict[str, str]]:
    with open(REFERENCE / "covariates" / "covariates_long.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_key(row: dict[str, str], series: tuple[str, str]) -> tuple[str, str, str, str, str]:
    unit_id, name = REFERENCE_UNITS[row["unit_en"]]
    notes = row["notes"]
    territory = ("before_split" if "BOUNDARY pre-" in notes else
                 "after_split" if "BOUNDARY post-" in notes or row["unit_en"] in ("Abai", "Jetisu", "Ulytau") else
                 "unchanged")
    return unit_id, name, territory, *series


def reference_lookup() -> dict[tuple[str, ...], str]:
    wanted: dict[tuple[str, ...], str] = {}
    for row in reference_rows():
        if row["unit_en"] not in REFERENCE_UNITS:
            continue
        for (indicator, period), (ref_indicator, ref_period, repo) in REFERENCE_SERIES.items():
            same_series = row["indicator"] == ref_indicator and row["year_or_date"] == ref_period
            if same_series and repo in row["source_repo_or_url"]:
                wanted[reference_key(row, (indicator, period))] = row["value"]
        sexes = ("population_urban_male", "population_urban_female")
        if row["indicator"] in sexes and row["year_or_date"] in ("2021-01-01", "2022-01-01"):
            wanted[reference_key(row, (row["indicator"], row["year_or_date"]))] = row["value"]
        if row["indicator"].startswith("population_agegroup_"):
            indicator = row["indicator"].replace("population_agegroup_", "population_")
            wanted[reference_key(row, (indicator, "not stated (probably 2020-01-01)"))] = row["value"]
    return wanted


def test_every_copied_figure_is_the_reference_figure_as_written() -> None:
    wanted = reference_lookup()
    copied = [r for r in rows_as_text() if r["derivation"] == "copied"]
    found = {(r["unit_id"], r["unit_name"], r["territory"], r["indicator"], r["reference_period"]): r["value"]
             for r in copied}
    assert found == wanted, "unit_covariates.csv and the reference differ in rows or values"


def test_rebuilt_counts_are_the_sum_of_the_reduced_region_and_the_new_one() -> None:
    frame = load.table(TABLE)
    splits = load.table("unit_splits")
    rebuilt = frame[frame["derivation"] == REBUILT]
    assert len(rebuilt) == 9, "three counts (total, urban men, urban women) on 1 January 2022 for three units"
    assert set(rebuilt["unit_id"].astype(str)) == set(splits["parent_unit_id"].astype(str))
    for _, row in rebuilt.iterrows():
        parts = frame[(frame["unit_id"] == row["unit_id"]) & (frame["territory"] == "after_split")
                      & (frame["indicator"] == row["indicator"])
                      & (frame["reference_period"] == row["reference_period"])]
        new_region = splits.loc[splits["parent_unit_id"] == row["unit_id"], "new_region_en"].iloc[0]
        assert set(parts["unit_name"]) == {row["unit_name"], new_region}
        assert row["value"] == parts["value"].sum(), f"{row['unit_name']} {row['indicator']}"
        assert str(int(row["value"])) in str(row["notes"]).replace(",", ""), "the sum is written out in notes"
    assert (rebuilt["territory"] == "before_split").all() and (rebuilt["unit_of_measure"] == "persons").all()


def test_only_counts_are_rebuilt_and_shares_are_never_averaged() -> None:
    frame = load.table(TABLE)
    assert set(frame.loc[frame["derivation"] == REBUILT, "unit_of_measure"]) == {"persons"}
    split_units = ["almaty_region", "karaganda", "east_kazakhstan"]
    later = frame[frame["reference_period"].isin(["2022", "2022 (January-December)"])]
    missing = later[later["unit_id"].isin(split_units) & (later["territory"] == "before_split")]
    assert missing.empty, "2022 wages, unemployment and GRP per capita cannot be rebuilt for the 2022 territory"


def test_each_series_covers_the_17_or_the_20_units_exactly() -> None:
    frame = load.table(TABLE)
    units = set(load.unit_order())
    today = set(load.table("later_turnout_timeline").query("scope == 'unit'")["unit_name"].astype(str))
    assert len(today) == 20
    for (indicator, period), rows in frame.groupby(["indicator", "reference_period"]):
        seventeen = rows[rows["territory"].isin(SEVENTEEN)]
        twenty = rows[rows["territory"].isin(TWENTY)]
        complete_17 = len(seventeen) == 17 and set(seventeen["unit_id"].astype(str)) == units
        complete_20 = len(twenty) == 20 and set(twenty["unit_name"]) == today
        assert complete_17 or complete_20, f"{indicator} {period}: neither the 17 nor the 20 units complete"


def test_parts_are_within_their_wholes_and_census_shares_follow_from_counts() -> None:
    wide = load.table(TABLE).pivot_table(index=["unit_name", "territory"], columns=["indicator", "reference_period"],
                                         values="value", aggfunc="first")
    for period in ("2021-01-01", "2022-01-01"):
        urban = wide[("population_urban_male", period)] + wide[("population_urban_female", period)]
        assert (urban.dropna() <= wide[("population_total", period)].dropna()).all()
    urban_2023 = wide[("population_urban", "2023-01-01")].dropna()
    assert (urban_2023 <= wide[("population_total", "2023-01-01")].dropna()).all()
    census = wide[("census_population_age10plus", "2021 census")].dropna()
    share = (100 * wide[("census_higher_education", "2021 census")].dropna() / census).round(2)
    assert (share - wide[("census_higher_education_pct", "2021 census")].dropna()).abs().max() < 0.006


# Bad input: each test damages a copy of data/ (see tests/conftest.py).

def test_non_numeric_value_names_the_row_and_the_column(data_copy: Path) -> None:
    row = set_cell(data_copy / FILE, AKMOLA_2022, "value", "785 708")
    expect_error(data_copy, TABLE, FILE, f"row {row} (unit_id=akmola, unit_name=Akmola Region, "
                 "indicator=population_total)", "'value'", "'785 708' is not a number")


def test_percentage_above_100_in_a_long_table_is_refused(data_copy: Path) -> None:
    match = {"unit_id": "turkestan", "indicator": "census_higher_education_pct"}
    set_cell(data_copy / FILE, match, "value", "221.2")
    expect_error(data_copy, TABLE, FILE, "unit_id=turkestan", "221.2 is not a percentage", "expected 0 to 100")


def test_fractional_count_of_persons_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, "value", "785708.5")
    expect_error(data_copy, TABLE, FILE, "unit_id=akmola", "785708.5 is not a whole number", "count of persons")


def test_negative_value_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, "value", "-785708")
    expect_error(data_copy, TABLE, FILE, "'value'", "below 0")


def test_unknown_unit_is_named_with_a_suggestion(data_copy: Path) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, "unit_id", "akmolla")
    expect_error(data_copy, TABLE, FILE, "unknown unit 'akmolla'", "Did you mean: akmola")


@pytest.mark.parametrize(("column", "value", "fragment"), [
    ("indicator", "population_totl", "Did you mean: population_total"),
    ("reference_period", "2022-01-02", "Did you mean: 2022-01-01"),
    ("territory", "before split", "Did you mean: before_split"),
])
def test_unknown_indicator_period_or_territory_is_named_with_the_allowed_values(
        data_copy: Path, column: str, value: str, fragment: str) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, column, value)
    expect_error(data_copy, TABLE, FILE, f"column {column!r}", f"{value!r} is not allowed", fragment)


def test_duplicate_row_is_refused(data_copy: Path) -> None:
    def duplicate(rows: list[list[str]]) -> None:
        rows.append(list(rows[1]))

    edit_csv(data_copy / FILE, duplicate)
    expect_error(data_copy, TABLE, FILE, "duplicate key", "expected each (unit_id, unit_name, territory, "
                 "indicator, reference_period) to appear once")


def test_row_without_a_source_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, "source_url", "")
    expect_error(data_copy, TABLE, FILE, "unit_id=akmola", "'source_url'", "is empty; expected a value")


@pytest.mark.parametrize("column", ["unit_of_measure", "derivation"])
def test_every_row_says_what_its_value_measures_and_how_it_was_obtained(data_copy: Path, column: str) -> None:
    set_cell(data_copy / FILE, AKMOLA_2022, column, "")
    expect_error(data_copy, TABLE, FILE, f"column {column!r}", "is empty")


def test_the_loaded_table_is_typed() -> None:
    frame = load.table(TABLE)
    assert frame["value"].dtype == "Float64"
    assert isinstance(frame["unit_id"].dtype, pd.CategoricalDtype)
    assert len(frame) == 424
