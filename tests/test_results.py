"""Tests for helpers.results against facts stated independently in data/README.md and by definition."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import load, results


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: load.table(name) for name in ("national_results", "unit_results", "unit_result_bounds",
                                                "exit_polls", "elections_history", "turnout_timeline", "units")}


def test_like_for_like_reproduces_readme(tables: dict[str, pd.DataFrame]) -> None:
    # data/README.md (derived): 77.18 % of took part, 79.22 % of valid ballots, 80.53 % of yes + no
    frame = results.official_like_for_like(tables["national_results"])
    assert list(frame["yes_pct"]) == [77.18, 79.22, 80.53]
    assert list(frame["base_count"]) == [7_985_769, 7_779_845, 7_653_986]


def test_decomposition_matches_published_shares(tables: dict[str, pd.DataFrame]) -> None:
    frame = results.decomposition(tables["national_results"])
    assert frame.loc["All who took part", "count"] == 7_985_769
    parts = frame.drop(index="All who took part")
    assert parts["count"].sum() == 7_985_769
    assert (parts["derived_pct"] - parts["published_pct"]).abs().max() < 0.006
    assert frame.loc["Both answers marked (valid, not counted)", "count"] == 125_859


def test_decomposition_rejects_parts_that_do_not_add_up(tables: dict[str, pd.DataFrame]) -> None:
    broken = tables["national_results"].copy()
    broken.loc[(broken["stage"] == "final") & (broken["referendum_date"] == "2022-06-05"), "invalid"] = 1
    with pytest.raises(ValueError, match="add to"):
        results.decomposition(broken)


def test_stage_changes_match_readme(tables: dict[str, pd.DataFrame]) -> None:
    # README: preliminary to final, took part -524, yes -347
    change = results.stage_changes(tables["national_results"])["change"]
    assert change["took_part"] == -524
    assert change["yes_votes"] == -347
    assert change["no_votes"] == -5


def test_wilson_interval_for_kaziss_sized_sample() -> None:
    frame = pd.DataFrame({"referendum_date": [results.REFERENDUM_2022], "organisation_en": ["test"],
                          "yes_pct": [66.4], "sample_size": pd.array([1200], dtype="Int64"),
                          "polling_stations": [pd.NA], "margin_of_error_pct": [pd.NA],
                          "method_notes": [""], "notes": [""]})
    table = results.exit_poll_intervals(frame, design_effects=(1.0, 4.0))
    simple, clustered = table.iloc[0], table.iloc[1]
    assert simple["low"] < 66.4 < simple["high"]
    assert simple["width_pts"] == pytest.approx(5.3, abs=0.1)
    # a design effect of 4 halves the effective sample: the interval about doubles
    assert clustered["width_pts"] == pytest.approx(2 * simple["width_pts"], rel=0.05)


def test_exit_polls_flag_voters_covered(tables: dict[str, pd.DataFrame]) -> None:
    table = results.exit_poll_intervals(tables["exit_polls"], design_effects=(1.0,))
    assert len(table) == 3  # the three 2022 polls
    kinds = dict(zip(table["organisation"], table["sample_kind"], strict=True))
    socis = [k for org, k in kinds.items() if "SOCIS" in org]
    assert socis == ["voters covered (not interviews)"]
    assert sum(k.startswith("voters covered") for k in kinds.values()) == 1


@pytest.mark.parametrize(("stage", "on_figure"), [("final", 0), ("preliminary", 5)])
def test_adoption_rule(tables: dict[str, pd.DataFrame], stage: str, on_figure: int) -> None:
    check = results.adoption_rule(tables["national_results"], tables["unit_results"],
                                  tables["unit_result_bounds"], stage=stage)
    assert check.units_needed == 12
    assert check.turnout_met
    assert check.units_with_majority == 17
    assert check.units_on_figure == on_figure
    assert check.adopted


def test_adoption_rule_without_statements_falls_short(tables: dict[str, pd.DataFrame]) -> None:
    no_bounds = tables["unit_result_bounds"].iloc[0:0]
    check = results.adoption_rule(tables["national_results"], tables["unit_results"], no_bounds, stage="preliminary")
    assert check.units_with_majority == 5  # only the published figures remain
    assert not check.adopted


def test_past_referendums_have_bases(tables: dict[str, pd.DataFrame]) -> None:
    frame = results.past_referendums(tables["elections_history"])
    assert {"1995-04-29", "1995-08-30", "2022-06-05", "2024-10-06", "2026-03-15"} <= set(frame.index)
    assert frame.loc["1995-08-30", "yes_pct"] == 90.0
    assert frame.loc["1995-04-29", "yes_pct_basis"].startswith("valid votes")


def test_cities_vs_oblasts_ranks(tables: dict[str, pd.DataFrame]) -> None:
    frame = results.cities_vs_oblasts()
    assert list(frame.index) == list(results.HOURS)
    assert (frame["Almaty (city) rank"] == 17).all()  # 13.91 ... 33.30: the lowest of 17 at every report
    assert frame.loc[10, "Shymkent (city) rank"] == 1  # 34.19, the highest at 10:00
    assert frame.loc[22, "Shymkent (city) rank"] == 9
    assert set(frame["Nur-Sultan (city) rank"]) == {15, 16}
    assert frame.loc[22, "national"] == 68.44


def test_unit_table_and_summary(tables: dict[str, pd.DataFrame]) -> None:
    table = results.unit_table(tables["units"], tables["turnout_timeline"], tables["unit_results"])
    assert len(table) == 17
    assert int(table["yes_prelim_pct"].notna().sum()) == 5
    assert int(table["no_prelim_pct"].notna().sum()) == 6
    assert pd.isna(table.loc["akmola", "yes_prelim_pct"])
    summary = results.unit_summary("almaty_city", table, tables["national_results"])
    assert list(summary["Kazakhstan"]) == [68.44, 77.18, 18.66]
    assert list(summary["Almaty (city)"]) == [33.30, 65.22, 27.41]
    fig = results.plot_unit("mangistau", tables["turnout_timeline"], table)
    assert "below the nation" in fig.axes[0].get_title()
    plt.close(fig)


def test_map_frame_keeps_missing(tables: dict[str, pd.DataFrame]) -> None:
    table = results.unit_table(tables["units"], tables["turnout_timeline"], tables["unit_results"])
    shapes = results.map_frame(load.boundaries(), table)
    assert len(shapes) == 17
    assert int(shapes["yes_prelim_pct"].isna().sum()) == 12
    assert int(shapes["turnout_2200_pct"].isna().sum()) == 0


def test_voters_covered_gets_no_interval(tables: dict[str, pd.DataFrame]) -> None:
    # SOCIS-A's 350,000 are "voters covered", not interviews: its point is kept, no interval at any design effect
    table = results.exit_poll_intervals(tables["exit_polls"], design_effects=(1.0, 2.0, 4.0))
    socis = table[table["organisation"].str.contains("SOCIS")]
    assert len(socis) == 1
    assert socis["yes_pct"].iloc[0] == 76.7
    assert not socis["has_interval"].iloc[0]
    assert socis[["low", "high", "width_pts", "design_effect"]].isna().all(axis=None)
    assert len(table) == 2 * 3 + 1  # the two interview polls at three design effects, SOCIS-A once
    shown = results.exit_poll_display(table)
    assert "none" in set(shown.loc[socis.index[0]])
    assert shown.columns[6].startswith("95 % Wilson")


def test_no_shares_draws_bars_only_for_published_figures(tables: dict[str, pd.DataFrame]) -> None:
    # README: six published no shares; the other 11 units carry only the inferred bound, never a bar
    table = results.unit_table(tables["units"], tables["turnout_timeline"], tables["unit_results"])
    fig = results.plot_no_shares(table, 18.66, "t", "s")
    assert len(fig.axes[0].patches) == 6
    plt.close(fig)


def test_rule_table_names_units_and_bounds(tables: dict[str, pd.DataFrame]) -> None:
    check = results.adoption_rule(tables["national_results"], tables["unit_results"], tables["unit_result_bounds"],
                                  stage="preliminary")
    frame = results.rule_table(check).set_index("unit")
    assert frame.loc["Almaty (city)", "yes (% of all who took part)"] == "65.22"
    assert frame.loc["Shymkent (city)", "yes (% of all who took part)"] == "above 75 (statement)"
    assert (frame["majority (> 50 %)"] == "yes").all()
