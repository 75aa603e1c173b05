"""Tests for helpers.turnout against facts stated independently of the code (data/README.md, the contract)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import load, turnout

WESTERN = {"aktobe", "atyrau", "west_kazakhstan", "mangistau", "kyzylorda"}  # contract / reference NOTES


@pytest.fixture(scope="module")
def tl() -> pd.DataFrame:
    return turnout.timeline()


def test_timeline_has_seven_reports_for_nation_and_17_units(tl: pd.DataFrame) -> None:
    assert len(tl) == 7 * 18
    assert sorted(set(tl["hour"])) == [10, 12, 14, 16, 18, 20, 22]
    assert tl["series"].cat.categories[0] == turnout.NATIONAL_LABEL


def test_exactly_the_five_western_units_are_flagged_at_20(tl: pd.DataFrame) -> None:
    flagged = tl[tl["repeat_while_open"]]
    assert set(flagged["unit_id"].astype(str)) == WESTERN
    assert set(flagged["hour"]) == {20}


def test_western_20_values_equal_their_18_values_in_the_data(tl: pd.DataFrame) -> None:
    raw = load.table("turnout_timeline")
    raw = raw[raw["scope"] == "unit"]
    hour = raw["timestamp"].dt.hour
    for unit in WESTERN:
        at18 = raw[(raw["unit_id"] == unit) & (hour == 18)]["turnout_pct"].iloc[0]
        at20 = raw[(raw["unit_id"] == unit) & (hour == 20)]["turnout_pct"].iloc[0]
        assert at18 == at20, unit
        # and the value moves again at 22:00, after their polls closed (21:00 capital time)
        at22 = raw[(raw["unit_id"] == unit) & (hour == 22)]["turnout_pct"].iloc[0]
        assert at22 > at20, unit


def test_flag_false_for_every_eastern_unit_even_where_20_equals_22(tl: pd.DataFrame) -> None:
    eastern = tl[(tl["kind"] != "national") & ~tl["unit_id"].astype(str).isin(WESTERN)]
    assert len(set(eastern["unit_id"].astype(str))) == 12
    assert not eastern["repeat_while_open"].any()
    # 11 of the 12 eastern units repeat 20:00 at 22:00 (README): a real standstill after their close
    wide = turnout.timeline_wide(tl)
    names = load.table("units").set_index("unit_id")["name_en"]
    repeats = [u for u in eastern["unit_id"].astype(str).unique() if wide.at[20, names[u]] == wide.at[22, names[u]]]
    assert len(repeats) == 11 and "almaty_city" not in repeats


def test_local_clock_and_polls_open(tl: pd.DataFrame) -> None:
    west = tl[tl["unit_id"].astype(str) == "mangistau"].set_index("hour")
    east = tl[tl["unit_id"].astype(str) == "pavlodar"].set_index("hour")
    assert west.at[20, "local_hour"] == 19 and bool(west.at[20, "polls_open"])
    assert not bool(west.at[22, "polls_open"])
    assert east.at[20, "local_hour"] == 20 and not bool(east.at[20, "polls_open"])
    assert bool(east.at[18, "polls_open"])


def test_national_stages_reproduce_published_differences() -> None:
    stages = turnout.national_stages().set_index("stage")
    assert list(stages.index) == ["turnout_2000", "turnout_2200", "preliminary", "final"]
    # README: the 44,970 drop from 8,030,739 ballots received at 22:00 to 7,985,769 participants
    assert stages.at["turnout_2200", "count_minus_final"] == 44_970
    assert stages.at["preliminary", "count_minus_final"] == 524
    assert stages.at["turnout_2200", "pct_minus_final"] == pytest.approx(0.39)


def test_units_with_final_turnout_are_only_almaty_city_and_turkestan() -> None:
    table = turnout.unit_final_vs_2200().set_index("unit")
    assert set(table.index) == {"Almaty (city)", "Turkestan Region"}
    # README item 14: final below 22:00 wherever both exist; 33.30 -> 32.99 and 80.66 -> 80.31
    assert (table["final_minus_2200_pp"] < 0).all()
    assert table.at["Almaty (city)", "final_minus_2200_pp"] == pytest.approx(-0.31)
    # README: Almaty city's preliminary counts give 33.04 % (derived)
    assert round(float(table.at["Almaty (city)", "preliminary_pct_derived"]), 2) == 33.04
    assert pd.isna(table.at["Turkestan Region", "preliminary_pct_derived"])


def test_ranking_at_22() -> None:
    ranked = turnout.ranking(22)
    assert len(ranked) == 17 and list(ranked["rank"]) == sorted(ranked["rank"])
    assert ranked.iloc[0]["unit_id"] == "turkestan" and ranked.iloc[-1]["unit_id"] == "almaty_city"
    assert ranked.iloc[0]["turnout_pct"] == pytest.approx(80.66)
    with pytest.raises(ValueError, match="no report"):
        turnout.ranking(21)


def test_cities_vs_oblasts_leaves_carried_forward_reports_out() -> None:
    table = turnout.cities_vs_oblasts()
    assert table.at[20, "oblasts_n"] == 9  # 14 oblasts minus the 5 western units still voting
    assert table.at[22, "oblasts_n"] == 14
    assert {"Nur-Sultan (city)", "Almaty (city)", "Shymkent (city)"} <= set(table.columns)
    assert (table["Almaty (city)"] < table["oblasts_min"]).all()
    # so every oblast compared is above Almaty city, and it is last of the 17 at every report
    assert (table["Almaty (city) oblasts above"] == table["oblasts_n"]).all()
    assert (table["Almaty (city) share of oblasts above"] == 1).all()
    assert (table["Almaty (city) rank"] == 17).all()
    # Shymkent's 34.19 % led every unit at 10:00
    assert table.at[10, "Shymkent (city) rank"] == 1 and table.at[10, "Shymkent (city) oblasts above"] == 0


def test_kaziss_forecast_wilson_interval() -> None:
    forecast = turnout.survey_forecast()
    assert forecast.interval.estimate == pytest.approx(66.4)
    assert forecast.interval.method.startswith("Wilson")
    # Wilson 95 % for 796.8 / 1200, computed by hand: centre (p + z^2/2n)/(1 + z^2/n), half-width below
    z, n, p = 1.959963984540054, 1200, 0.664
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    assert forecast.interval.low == pytest.approx(100 * (centre - half), abs=1e-9)
    assert forecast.interval.high == pytest.approx(100 * (centre + half), abs=1e-9)
    assert forecast.outcome_pct == pytest.approx(68.05)
    assert forecast.outcome_inside
    assert forecast.error_pp == pytest.approx(-1.65)


def test_history_places_2022() -> None:
    hist = turnout.history()
    assert hist["is_2022_referendum"].sum() == 1
    assert {2024, 2026, 1991} <= set(hist["year"])
    row = hist[hist["is_2022_referendum"]].iloc[0]
    assert row["turnout_pct"] == pytest.approx(68.05)
    assert (hist["turnout_pct"] > 68.05).sum() == row["rank"] - 1


def test_22_list_footnote_says_68_44_fits_only_the_results_list() -> None:
    # README "Electorate at 22:00": 8,030,739 / 11,732,699 = 68.45 %, / 11,734,642 = 68.44 %
    stages = turnout.national_stages().set_index("stage")
    assert not stages.at["turnout_2200", "pct_fits_list"]
    assert "11,734,642" in stages.at["turnout_2200", "list_note"]
    assert "68.45" in stages.at["turnout_2200", "list_note"]
    for stage in ("turnout_2000", "preliminary", "final"):
        assert stages.at[stage, "pct_fits_list"] and stages.at[stage, "list_note"] == ""


def test_history_names_the_non_final_figures_the_notes_describe() -> None:
    hist = turnout.history().set_index("date")
    non_final = hist[hist["figure_stage"] != "final"]
    assert [f"{d:%Y}" for d in non_final.index] == ["2019", "2021", "2023"]
    notes = load.table("elections_history").set_index("date")["notes"].astype(str)
    for date, stage in non_final["figure_stage"].items():
        keyword = "20:10" if stage.startswith("20:10") else "preliminary"
        assert keyword in notes[date].lower(), date


def test_cities_summary_gaps_and_shymkent_first_at_10() -> None:
    summary = turnout.cities_summary()
    almaty_gap = summary["Almaty (city) minus lowest oblast"]
    assert almaty_gap[10] == pytest.approx(13.91 - 23.67)
    assert almaty_gap[20] == pytest.approx(32.25 - 69.59)  # 9 eastern oblasts only
    assert summary.at[20, "oblasts_n"] == 9
    assert (almaty_gap < 0).all()
    # Shymkent 34.19 % at 10:00, above the top oblast's 34.17 %: first of all 17
    assert summary.at[10, "Shymkent (city) rank"] == 1
    assert summary.at[10, "Shymkent (city)"] > summary.at[10, "oblasts_max"]
