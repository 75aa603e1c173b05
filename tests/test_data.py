"""Checks of the data themselves: the package validates, totals reconcile, published percentages follow
from the published counts, the stages hang together, and every figure of the reference compilation
(../shared/reference) is in data/ unchanged."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from helpers import load, units
from tests.conftest import DATA, REFERENCE

NATIONAL_2022 = pd.Timestamp("2022-06-05")


def national(stage: str, date: pd.Timestamp = NATIONAL_2022) -> pd.Series:
    frame = load.table("national_results")
    row = frame[(frame["referendum_date"] == date) & (frame["stage"] == stage)]
    assert len(row) == 1, f"expected one national row for {date.date()} {stage}"
    return row.iloc[0]


def share(part: int, whole: int) -> float:
    """Percentage rounded half-up to two decimals, as the commission publishes."""
    return float((pd.Series([100 * part / whole]).round(2)).iloc[0])


def test_frictionless_validates_the_whole_package() -> None:
    from frictionless import validate

    report = validate(str(DATA / "datapackage.json"))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(errors[:10])


def test_every_row_of_every_table_names_its_source() -> None:
    for name, frame in load.load_all().items():
        # units.csv names a source per kind of fact; admin_centre_source is empty where there is no centre (cities)
        columns = ["names_source", "iso_source"] if name == "units" else ["source_url"]
        for column in columns:
            urls = frame[column]
            assert urls.notna().all(), f"{name}: a row without {column}"
            assert urls.str.contains(r"https?://", regex=True).all(), f"{name}: a {column} that is not a URL"
    units_table = load.table("units")
    no_centre = units_table["admin_centre"].isna()
    assert units_table.loc[~no_centre, "admin_centre_source"].notna().all()


@pytest.mark.parametrize("stage", ["preliminary", "final"])
def test_the_four_parts_add_up_to_all_who_took_part(stage: str) -> None:
    row = national(stage)
    assert row["yes_votes"] + row["no_votes"] + row["invalid"] + row["both_marked"] == row["took_part"]


def test_final_2022_result_is_the_published_one() -> None:
    row = national("final")
    assert (row["registered_voters"], row["took_part"], row["yes_votes"], row["no_votes"]) == (
        11_734_642, 7_985_769, 6_163_516, 1_490_470)
    assert (row["turnout_pct"], row["yes_pct"], row["no_pct"]) == (68.05, 77.18, 18.66)


def test_published_percentages_follow_from_published_counts() -> None:
    """Every share that has its count and denominator in the same row equals their ratio to the rounding,
    except the one documented 22:00 discrepancy (see data/README.md)."""
    frame = load.table("national_results")
    checked, mismatched = 0, []
    pairs = [("turnout_pct", "took_part", "registered_voters"),
             ("turnout_pct", "ballots_received", "registered_voters"),
             ("yes_pct", "yes_votes", "took_part"), ("no_pct", "no_votes", "took_part"),
             ("invalid_pct", "invalid", "took_part"), ("both_marked_pct", "both_marked", "took_part")]
    for _, row in frame.iterrows():
        for pct, part, whole in pairs:
            if pd.notna(row[pct]) and pd.notna(row[part]) and pd.notna(row[whole]):
                checked += 1
                if share(int(row[part]), int(row[whole])) != row[pct]:
                    mismatched.append((str(row["referendum_date"].date()), row["stage"], pct))
    assert checked >= 20
    assert mismatched == [("2022-06-05", "turnout_2200", "turnout_pct")]
    assert "11,734,642" in national("turnout_2200")["notes"], "the 22:00 discrepancy must be explained in notes"
    assert share(8_030_739, 11_734_642) == 68.44


def test_stages_hang_together() -> None:
    at_20, at_22 = national("turnout_2000"), national("turnout_2200")
    preliminary, final = national("preliminary"), national("final")
    assert at_20["ballots_received"] < at_22["ballots_received"]
    assert final["took_part"] < at_22["ballots_received"], "ballots received on the night exceed final participants"
    assert preliminary["took_part"] - final["took_part"] == 524
    assert preliminary["registered_voters"] == final["registered_voters"] == 11_734_642
    assert at_20["registered_voters"] == 11_732_699
    assert pd.isna(at_22["took_part"]) and pd.isna(at_20["took_part"])


def test_timeline_is_complete_and_never_falls() -> None:
    timeline = load.table("turnout_timeline")
    assert len(timeline) == 7 * 18
    hours = sorted(timeline["timestamp"].dt.hour.unique())
    assert hours == [10, 12, 14, 16, 18, 20, 22]
    assert (timeline.groupby("timestamp")["scope"].apply(lambda s: (s == "unit").sum()) == 17).all()
    timeline["series"] = timeline["unit_id"].astype("string").fillna("national")
    for series, rows in timeline.sort_values("timestamp").groupby("series"):
        values = list(rows["turnout_pct"])
        assert values == sorted(values), f"{series}: turnout falls between reports"


def test_western_units_repeat_their_1800_figure_at_2000() -> None:
    timeline = load.table("turnout_timeline")
    western = set(load.table("units").query("polling_utc_offset == 5")["unit_id"].astype(str))
    assert western == {"aktobe", "atyrau", "west_kazakhstan", "mangistau", "kyzylorda"}
    wide = timeline[timeline["scope"] == "unit"].pivot(index="unit_id", columns="timestamp", values="turnout_pct")
    at_18, at_20 = wide.columns[4], wide.columns[5]
    repeated = set(wide.index[wide[at_18] == wide[at_20]].astype(str))
    assert repeated == western


def test_national_timeline_agrees_with_the_national_table() -> None:
    timeline = load.table("turnout_timeline")
    nat = timeline[timeline["scope"] == "national"]
    nat = nat.set_index(nat["timestamp"].dt.hour)
    assert nat.at[20, "turnout_pct"] == national("turnout_2000")["turnout_pct"]
    assert nat.at[22, "turnout_pct"] == national("turnout_2200")["turnout_pct"]


def test_published_unit_shares_respect_the_published_bounds() -> None:
    results = load.table("unit_results")
    bounds = load.table("unit_result_bounds")
    checked = 0
    for _, bound in bounds.iterrows():
        rows = results[(results["unit_id"] == bound["unit_id"]) & (results["stage"] == bound["stage"])]
        for value in rows[bound["measure"]].dropna():
            checked += 1
            if bound["bound"] == "lower":
                assert value > bound["value"] or (bound["inclusive"] and value == bound["value"])
            else:
                assert value < bound["value"] or (bound["inclusive"] and value == bound["value"])
    assert checked > 0
    majority = bounds[(bounds["measure"] == "yes_pct") & (bounds["bound"] == "lower") & (bounds["value"] == 50)]
    assert set(majority[majority["stage"] == "final"]["unit_id"].astype(str)) == set(load.unit_order())


def test_unit_shares_never_exceed_the_whole() -> None:
    results = load.table("unit_results")
    columns = ["yes_pct", "no_pct", "invalid_pct", "both_marked_pct"]
    totals = results[columns].fillna(0).sum(axis=1)
    assert (totals <= 100.005).all()
    complete = results.dropna(subset=columns)
    assert not complete.empty and ((complete[columns].sum(axis=1) - 100).abs() < 0.005).all()


# --- the reference compilation, copied exactly -------------------------------------------------------

def reference_rows(relative: str) -> list[dict[str, str]]:
    path = REFERENCE / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the reference compilation is missing at {relative} (expected ../shared/reference)")
        pytest.skip("../shared/reference is not beside this checkout")
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def same_number(published: str, stored: object) -> bool:
    if published.strip() == "":
        return True  # an empty reference cell may be filled from a source named in notes
    return not pd.isna(stored) and float(published) == float(str(stored))


def test_turnout_timeline_matches_the_reference_exactly() -> None:
    timeline = load.table("turnout_timeline")
    timeline["key_unit"] = timeline["unit_id"].astype("string").fillna("national")
    timeline["key_time"] = timeline["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    stored = timeline.set_index(["key_time", "key_unit"])
    rows = reference_rows("2022/turnout_timeline_by_unit.csv")
    assert len(rows) == len(timeline)
    for row in rows:
        unit = "national" if row["unit_en"] == "KZ" else units.lookup(row["unit_en"])
        record = stored.loc[(row["time_local"], unit)]
        assert float(row["turnout_pct"]) == record["turnout_pct"], (row["time_local"], unit)
        assert same_number(row["ballots_cumulative"], record["ballots_cumulative"])
        assert row["source_url"] == record["source_url"]


def test_national_vintages_match_the_reference_exactly() -> None:
    stages = {"intraday_turnout_2000": "turnout_2000", "election_night_turnout_2200": "turnout_2200",
              "preliminary_results": "preliminary", "final_results": "final"}
    for row in reference_rows("2022/results_national_vintages.csv"):
        stored = national(stages[row["vintage"]])
        count_column = "took_part" if stored["stage"] in {"preliminary", "final"} else "ballots_received"
        for published, column in ((row["registered_voters"], "registered_voters"), (row["ballots_cast"], count_column),
                                  (row["turnout_pct"], "turnout_pct"), (row["yes_votes"], "yes_votes"),
                                  (row["yes_pct"], "yes_pct"), (row["no_votes"], "no_votes"),
                                  (row["no_pct"], "no_pct"), (row["invalid"], "invalid")):
            assert same_number(published, stored[column]), (row["vintage"], column)


def test_unit_results_hold_every_published_reference_figure() -> None:
    stored = load.table("unit_results")
    columns = {"registered_voters": "registered_voters", "took_part": "took_part", "turnout_pct": "turnout_pct",
               "yes_pct": "yes_pct", "no_pct": "no_pct", "invalid_pct": "invalid_pct",
               "not_counted_pct": "both_marked_pct"}
    carried = 0
    for row in reference_rows("2022/results_by_unit_published.csv"):
        figures = {column: row[ref] for ref, column in columns.items() if row[ref].strip()}
        if not figures:
            continue  # a unit searched without result: its bounds are in unit_result_bounds
        unit = units.lookup(row["unit_en"])
        match = stored[(stored["unit_id"] == unit) & (stored["stage"] == row["stage"])
                       & (stored["source_url"] == row["source_url"])]
        assert len(match) == 1, (unit, row["stage"], row["source_url"])
        for column, published in figures.items():
            assert same_number(published, match.iloc[0][column]), (unit, column)
            carried += 1
    assert carried >= 20


def test_exit_polls_match_the_reference_exactly() -> None:
    stored = load.table("exit_polls")
    rows_2022 = stored[stored["referendum_date"] == NATIONAL_2022].set_index("organisation_en")
    for row in reference_rows("2022/exit_polls.csv"):
        record = rows_2022.loc[row["organisation_en"]]
        for column in ("yes_pct", "no_pct", "turnout_pct", "sample_size", "polling_stations"):
            assert same_number(row[column], record[column]), (row["organisation_en"], column)


def test_data_files_are_plain_utf8_csv_with_a_trailing_newline() -> None:
    for path in sorted(Path(DATA).glob("*.csv")):
        text = path.read_bytes()
        assert not text.startswith(b"\xef\xbb\xbf"), f"{path.name}: byte-order mark"
        assert text.endswith(b"\n"), f"{path.name}: no final newline"
        text.decode("utf-8")
