"""2022/2024/2026 comparison and the 20 -> 17 unit mapping, against hand-worked figures."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import compare


def test_like_for_like_yes_shares() -> None:
    table = compare.national_table()
    # 6,163,516 / (6,163,516 + 1,490,470); 5,561,937 / (5,561,937 + 2,045,271); 7,954,667 / (7,954,667 + 898,099)
    assert table["yes % of yes+no"].tolist() == pytest.approx([80.53, 73.11, 89.86], abs=0.005)
    assert table["yes % of took part"].tolist() == pytest.approx([77.18, 71.12, 87.15])
    assert table["turnout % of registered"].tolist() == pytest.approx([68.05, 63.66, 73.12])


def test_clocks_are_capital_local_time_with_the_2024_zone_change() -> None:
    curves = compare.national_curves()
    offsets = curves.groupby("referendum")["utc_offset"].unique()
    assert list(offsets["2022 constitutional amendments"]) == [6.0]
    assert list(offsets["2024 nuclear power plant"]) == [5.0]
    assert list(offsets["2026 new Constitution"]) == [5.0]
    # 10:00 local in each year, although 10:00+06:00 and 10:00+05:00 are different instants
    first = curves.groupby("referendum")["clock"].min()
    assert (first == 10.0).all()


def test_duplicate_reports_keep_the_first_listed_source() -> None:
    units = compare.unit_curves()
    astana = units[(units["unit_name"] == "Astana (city)")
                   & (units["timestamp"] == pd.Timestamp("2026-03-15T10:00:00+05:00"))]
    assert astana["turnout_pct"].tolist() == [20.68]


def test_today_units_map_onto_the_17_of_2022() -> None:
    parts = compare.parts_of_2022_units()
    assert len(parts) == 17
    assert sum(len(p) for p in parts.values()) == 20
    assert parts["east_kazakhstan"] == ["Abai Region", "East Kazakhstan Region"]
    assert parts["nur_sultan"] == ["Astana (city)"]


def _toy() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_name": ["Karaganda Region", "Ulytau Region", "Almaty Region", "Kostanay Region"],
        "parent_unit_id": ["karaganda", "karaganda", "almaty_region", "kostanay"],
        "took_part": [500, 100, 300, 200],
        "registered_voters": [800, 200, 500, 400],
        "turnout_pct": [62.5, 50.0, 60.0, 50.0],
    })


def test_counts_sum_over_the_parts_and_missing_parts_leave_a_gap() -> None:
    out = compare.aggregate_to_2022(_toy(), "took_part").set_index("unit_id")
    assert out.loc["karaganda", "took_part"] == 600
    assert out.loc["kostanay", "took_part"] == 200
    assert pd.isna(out.loc["almaty_region", "took_part"])  # Jetisu missing
    assert "Jetisu Region" in out.loc["almaty_region", "status"]


def test_percentages_are_refused_without_weights() -> None:
    with pytest.raises(compare.AggregationError):
        compare.aggregate_to_2022(_toy(), "turnout_pct")


def test_weighted_percentages_equal_the_ratio_of_summed_counts() -> None:
    out = compare.aggregate_to_2022(_toy(), "turnout_pct", weights="registered_voters").set_index("unit_id")
    # (500 + 100) / (800 + 200) = 60 %, not the plain mean (62.5 + 50) / 2 = 56.25 %
    assert out.loc["karaganda", "turnout_pct"] == pytest.approx(60.0)


def test_counts_must_not_be_weighted() -> None:
    with pytest.raises(compare.AggregationError):
        compare.aggregate_to_2022(_toy(), "took_part", weights="registered_voters")


def test_split_units_are_never_combined_from_one_part() -> None:
    table = compare.unit_comparison()
    almaty_region = table[table["unit_id"] == "almaty_region"]
    assert almaty_region["2024 nuclear power plant"].str.startswith("incomplete").all()
    turkestan = table[(table["unit_id"] == "turkestan") & (table["measure"] == compare.YES_SHARE)]
    # 693,766 / 888,415 = 78.09 %
    assert turkestan["2024 nuclear power plant"].iloc[0].startswith("78.09")


def test_exit_polls_compare_with_the_yes_no_base() -> None:
    polls = compare.exit_polls_vs_results()
    assert len(polls) == 9
    assert (polls["official − poll (points)"] > 0).all()  # numerically; for 2026 the poll base is unknown
    assert polls.loc[polls["poll base"] != "yes+no answers", "referendum"].unique().tolist() == [
        "2026 new Constitution"]


def test_only_polls_on_a_stated_base_are_judged_below_the_result() -> None:
    polls = compare.exit_polls_vs_results()
    judged = polls[polls["poll against official"] != compare.UNDETERMINED]
    # the 6 polls of 2022 and 2024 published yes and no; all are below the official yes / (yes + no)
    assert len(judged) == 6 and (judged["poll against official"] == "below").all()
    later = polls[polls["referendum"] == "2026 new Constitution"]
    assert (later["poll against official"] == compare.UNDETERMINED).all()
    # on the commission's base (87.15 % of all who took part) two of the three 2026 polls are above it
    assert int((later["poll yes %"] > later["official yes % of took part"]).sum()) == 2


def test_a_one_to_one_unit_without_a_figure_reads_not_published() -> None:
    toy = _toy()
    toy.loc[toy["unit_name"] == "Kostanay Region", "took_part"] = None
    out = compare.aggregate_to_2022(toy, "took_part").set_index("unit_id")
    assert out.loc["kostanay", "status"] == compare.NOT_PUBLISHED


def test_reader_tables_use_names_and_clock_times() -> None:
    curves = compare.curves_view()
    assert curves.index[0] == "10:00"
    assert curves.loc["22:00", "2024 nuclear power plant (%)"] == "no report"
    view = compare.unit_comparison_view()
    assert ("Almaty (city)", compare.NO_SHARE) in view.index
    assert "≤ 18.66 (inferred bound, preliminary)" in view.loc[("Turkestan Region", compare.NO_SHARE)].iloc[0]
