"""Tests that kill the mutants of helpers/load.py that the first suite let live (``make mutation``): the
data folder given is the one read, the cache notices every edit, each message is the full sentence, and
the checks hold where the schema is silent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from helpers import load
from helpers.errors import DataError
from tests.conftest import edit_csv, set_cell

FINAL_2022 = {"referendum_date": "2022-06-05", "stage": "final"}
ROW_4 = "data/national_results.csv: row 4 (referendum_date=2022-06-05, stage=final)"


def message(data: Path, table: str) -> str:
    with pytest.raises(DataError) as caught:
        load.table(table, data)
    return str(caught.value)


def edit_package(data: Path, change: object) -> None:
    path = data / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)  # type: ignore[operator]
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")


def rename_resource(package: dict) -> None:  # type: ignore[type-arg]
    next(r for r in package["resources"] if r["name"] == "elections_history")["name"] = "past_votes"


def test_every_entry_point_reads_the_folder_it_is_given(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "name_en", "Kokshe Test Region")
    edit_package(data_copy, rename_resource)
    assert load.table("units", data_copy)["name_en"].iloc[0] == "Kokshe Test Region"
    assert load.published_text("units", data_copy)["name_en"].iloc[0] == "Kokshe Test Region"
    everything = load.load_all(data_copy)
    assert "past_votes" in everything and "elections_history" not in everything
    assert everything["units"]["name_en"].iloc[0] == "Kokshe Test Region"
    assert load._resource_names(data_copy)[-1] != "past_votes" and "past_votes" in load._resource_names(data_copy)


def test_published_text_is_the_cell_as_written_with_na_for_empty() -> None:
    text = load.published_text("national_results")
    final = text[(text["referendum_date"] == "2022-06-05") & (text["stage"] == "final")].iloc[0]
    assert final["took_part"] == "7985769" and pd.isna(final["ballots_received"])


def test_unknown_table_messages(data_copy: Path) -> None:
    edit_package(data_copy, rename_resource)
    with pytest.raises(DataError) as close:
        load.table("past_vote", data_copy)
    assert str(close.value).endswith(" Did you mean: past_votes?")
    assert str(close.value).startswith("datapackage.json: no table named 'past_vote'; expected one of units, ")
    with pytest.raises(DataError) as far:
        load.table("zzzz", data_copy)
    assert str(far.value).endswith("later_turnout_timeline, unit_covariates.")
    with pytest.raises(DataError) as many:
        load.table("unit_result", data_copy)
    assert str(many.value).endswith(" Did you mean: unit_results, unit_result_bounds, later_unit_results?")


def test_missing_files_say_what_they_are(data_copy: Path) -> None:
    (data_copy / "units.csv").unlink()
    assert message(data_copy, "units").endswith("units.csv: file not found (table 'units' of datapackage.json); "
                                                 "expected it in the data folder")
    (data_copy / "datapackage.json").unlink()
    assert "datapackage.json: file not found (the data package descriptor)" in message(data_copy, "units")


def test_invalid_descriptor_is_named_with_its_line(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text('{\n  "resources": [,]\n}', encoding="utf-8")
    assert "datapackage.json: not valid JSON (line 2, column 17)" in message(data_copy, "units")


def test_an_edit_that_keeps_the_size_is_reloaded(data_copy: Path) -> None:
    path = data_copy / "units.csv"
    assert load.table("units", data_copy)["display_order"].iloc[0] == 1
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Kokshetau", "Kokshetaw"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 10_000_000))
    assert path.stat().st_size == before.st_size
    assert load.table("units", data_copy)["admin_centre"].iloc[0] == "Kokshetaw"


def test_an_edit_that_keeps_the_time_stamp_is_reloaded(data_copy: Path) -> None:
    path = data_copy / "units.csv"
    load.table("units", data_copy)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Kokshetau", "Kokshetau city"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load.table("units", data_copy)["admin_centre"].iloc[0] == "Kokshetau city"


def test_an_edited_descriptor_is_reread(data_copy: Path) -> None:
    load.table("units", data_copy)
    path = data_copy / "datapackage.json"
    before = path.stat()
    edit_package(data_copy, rename_resource)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "past_votes" in load._resource_names(data_copy)


def test_not_utf8_message_in_full(data_copy: Path) -> None:
    path = data_copy / "units.csv"
    path.write_bytes(path.read_bytes().replace("Акмолинская".encode(), "Акмолинская".encode("cp1251")))
    assert message(data_copy, "units") == (
        "data/units.csv: line 2 is not UTF-8 text (byte 0xc0); expected UTF-8, e.g. re-save it as 'CSV UTF-8' "
        "in a spreadsheet")


def test_line_breaks_inside_a_quoted_cell_are_kept_as_written(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "notes", "first line\r\nsecond line")
    assert load.table("units", data_copy)["notes"].iloc[0] == "first line\r\nsecond line"


def test_a_file_of_blank_lines_is_empty(data_copy: Path) -> None:
    (data_copy / "units.csv").write_text("\n \n\n", encoding="utf-8")
    assert message(data_copy, "units").endswith("units.csv: the file is empty; expected a header row and at least "
                                                "one data row")


def test_a_column_twice_in_the_header_is_named(data_copy: Path) -> None:
    edit_csv(data_copy / "units.csv", lambda rows: [row.append(row[-1]) for row in rows])
    assert message(data_copy, "units") == "data/units.csv: column(s) notes appear more than once in the header"


def test_extra_columns_are_listed(data_copy: Path) -> None:
    edit_csv(data_copy / "units.csv", lambda rows: [row.append("x") for row in rows])
    edit_csv(data_copy / "units.csv", lambda rows: rows[0].__setitem__(-1, "remark"))
    assert message(data_copy, "units").startswith("data/units.csv: unexpected column(s) 'remark'; the schema in "
                                                  "datapackage.json lists: unit_id, iso_3166_2, name_en, ")


def test_a_missing_column_suggests_the_one_renamed_only(data_copy: Path) -> None:
    edit_csv(data_copy / "units.csv", lambda rows: rows[0].__setitem__(rows[0].index("name_ru"), "name_rus"))
    assert message(data_copy, "units").startswith("data/units.csv: column 'name_ru' is missing (renamed to "
                                                  "'name_rus'?); expected columns: unit_id, ")


def test_row_label_shows_at_most_three_identifying_cells_and_skips_empty_ones(data_copy: Path) -> None:
    set_cell(data_copy / "later_turnout_timeline.csv", {"timestamp": "2024-10-06T10:00:00+05:00"}, "turnout_pct",
             "x")
    text = message(data_copy, "later_turnout_timeline")
    assert text.startswith("data/later_turnout_timeline.csv: row 1 (referendum_date=2024-10-06, unit_name=")
    assert text.count("=") == 3
    set_cell(data_copy / "turnout_timeline.csv", {"scope": "national"}, "turnout_pct", "x")
    national = message(data_copy, "turnout_timeline")
    assert "unit_id" not in national and "(timestamp=" in national


@pytest.mark.parametrize(("column", "value", "problem"), [
    ("took_part", "7985769.0", "'7985769.0' is not a whole number; expected a count such as 7985769"),
    ("yes_pct", "inf", "'inf' is not a finite number"), ("no_pct", "-inf", "'-inf' is not a finite number"),
    ("no_pct", "nan", "'nan' is not a finite number"),
    ("announced_date", "2022-02-30", "'2022-02-30' is not a date; expected YYYY-MM-DD"),
    ("announced_date", "06/10/2022", "'06/10/2022' is not a date; expected YYYY-MM-DD"),
    ("yes_votes", "-1", "-1 is below 0; expected a value of at least 0"),
    ("yes_pct", "100.5", "100.5 is above 100; expected a percentage of at most 100"),
    ("stage", "last", "'last' is not allowed; expected one of ['final', 'preliminary', 'turnout_2000', "
     "'turnout_2200']."),
])
def test_cell_messages_in_full(data_copy: Path, column: str, value: str, problem: str) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, column, value)
    text = message(data_copy, "national_results")
    assert text.startswith(ROW_4.replace("stage=final", "stage=last") if column == "stage" else ROW_4)
    assert text.endswith(f"column {column!r}: {problem}")


def test_boolean_and_datetime_messages_in_full(data_copy: Path) -> None:
    edit_csv(data_copy / "unit_result_bounds.csv",
             lambda rows: rows[1].__setitem__(rows[0].index("inclusive"), "yes"))
    assert message(data_copy, "unit_result_bounds").endswith("column 'inclusive': 'yes' is not true or false")
    edit_csv(data_copy / "turnout_timeline.csv", lambda rows: rows[1].__setitem__(0, "2022-06-05T25:00:00+06:00"))
    assert message(data_copy, "turnout_timeline").startswith(
        "data/turnout_timeline.csv: row 1 (timestamp=2022-06-05T25:00:00+06:00), column 'timestamp': "
        "'2022-06-05T25:00:00+06:00' is not a date-time with a UTC offset")


def test_time_stamps_are_the_instants_written() -> None:
    stamps = load.table("turnout_timeline")["timestamp"]
    first = load.published_text("turnout_timeline")["timestamp"].iloc[0]
    assert stamps.iloc[0] == pd.Timestamp(first) and str(stamps.dt.tz) == "Asia/Almaty"


@pytest.mark.parametrize(("table", "match", "column"), [
    ("national_results", FINAL_2022, "yes_votes"), ("national_results", FINAL_2022, "registered_voters"),
    ("national_results", FINAL_2022, "took_part"), ("national_results", FINAL_2022, "invalid"),
    ("national_results", FINAL_2022, "both_marked"), ("national_results", {"stage": "turnout_2000"},
                                                      "ballots_received"),
    ("turnout_timeline", {"scope": "national"}, "ballots_cumulative"),
    ("elections_history", {"kind": "presidential"}, "ballots_cast"),
    ("exit_polls", {"referendum_date": "2022-06-05"}, "sample_size"),
    ("exit_polls", {"referendum_date": "2022-06-05"}, "polling_stations"),
])
def test_counts_cannot_be_negative_even_where_the_schema_is_silent(data_copy: Path, table: str,
                                                                   match: dict[str, str], column: str) -> None:
    edit_package(data_copy, lambda package: [f.get("constraints", {}).pop(k, None) for r in package["resources"]
                                             for f in r["schema"]["fields"] for k in ("minimum", "maximum")])
    set_cell(data_copy / f"{table}.csv", match, column, "-5")
    assert message(data_copy, table).endswith(f"column {column!r}: -5 is below 0; expected a value of at least 0")


@pytest.mark.parametrize(("value", "problem"), [("-0.5", "-0.5 is below 0; expected a percentage of at least 0"),
                                                ("100.5", "100.5 is above 100; expected a percentage of at most 100")])
def test_percentages_stay_in_0_100_even_where_the_schema_is_silent(data_copy: Path, value: str, problem: str) -> None:
    edit_package(data_copy, lambda package: [f.get("constraints", {}).pop(k, None) for r in package["resources"]
                                             for f in r["schema"]["fields"] for k in ("minimum", "maximum")])
    set_cell(data_copy / "exit_polls.csv", {"referendum_date": "2022-06-05"}, "turnout_pct", value)
    assert message(data_copy, "exit_polls").endswith(f"column 'turnout_pct': {problem}")


def test_a_share_at_0_or_100_is_allowed(data_copy: Path) -> None:
    set_cell(data_copy / "exit_polls.csv", {"referendum_date": "2022-06-05"}, "turnout_pct", "100")
    set_cell(data_copy / "exit_polls.csv", {"referendum_date": "2022-06-05"}, "no_pct", "0")
    assert load.table("exit_polls", data_copy)["turnout_pct"].max() == 100


def test_schema_bounds_of_other_columns_are_enforced(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "display_order", "0")
    assert message(data_copy, "units").endswith("column 'display_order': 0 is below 1; expected a value of at "
                                                "least 1")


def test_duplicate_key_with_other_values_is_named(data_copy: Path) -> None:
    def duplicate(rows: list[list[str]]) -> None:
        copy = list(rows[1])
        copy[rows[0].index("notes")] = "another note"
        rows.append(copy)

    edit_csv(data_copy / "exit_polls.csv", duplicate)
    text = message(data_copy, "exit_polls")
    assert text.startswith("data/exit_polls.csv: duplicate key (referendum_date=2022-06-05 00:00:00, "
                           "organisation_en=")
    assert "expected each (referendum_date, organisation_en) to appear once" in text


def test_unknown_unit_in_a_linked_table_is_named_with_its_row(data_copy: Path) -> None:
    set_cell(data_copy / "unit_facts.csv", {"unit_id": "aktobe"}, "unit_id", "aktobee")
    set_cell(data_copy / "unit_facts.csv", {"unit_id": "akmola"}, "unit_id", "akmolla")
    text = message(data_copy, "unit_facts")
    assert text == ("data/unit_facts.csv: row 1, column 'unit_id': unknown unit 'akmolla'; expected a value of "
                    "units.unit_id. Did you mean: akmola?")
    set_cell(data_copy / "unit_facts.csv", {"unit_id": "akmolla"}, "unit_id", "zzzz")
    assert message(data_copy, "unit_facts").endswith("unknown unit 'zzzz'; expected a value of units.unit_id.")


def test_later_tables_link_their_parent_unit(data_copy: Path) -> None:
    edit_csv(data_copy / "later_unit_results.csv",
             lambda rows: rows[1].__setitem__(rows[0].index("parent_unit_id"), "akmolla"))
    assert "column 'parent_unit_id': unknown unit 'akmolla'" in message(data_copy, "later_unit_results")


def test_measured_values_in_the_long_table(data_copy: Path) -> None:
    pct = {"indicator": "census_higher_education_pct"}
    set_cell(data_copy / "unit_covariates.csv", pct, "value", "100")
    load.table("unit_covariates", data_copy)
    set_cell(data_copy / "unit_covariates.csv", pct, "value", "100.5")
    assert message(data_copy, "unit_covariates").endswith("column 'value': 100.5 is not a percentage; expected 0 to "
                                                          "100 (percent of the population aged 10 and older)")
    set_cell(data_copy / "unit_covariates.csv", pct, "value", "0")
    set_cell(data_copy / "unit_covariates.csv", {"indicator": "population_total"}, "value", "1000.5")
    assert message(data_copy, "unit_covariates").endswith("column 'value': 1000.5 is not a whole number; expected a "
                                                          "count of persons")


def test_counts_above_the_register_are_refused_but_equal_is_allowed(data_copy: Path) -> None:
    registered = "11734642"
    set_cell(data_copy / "national_results.csv", {"stage": "turnout_2000"}, "ballots_received", registered)
    set_cell(data_copy / "national_results.csv", {"stage": "turnout_2000"}, "turnout_pct", "100")
    set_cell(data_copy / "national_results.csv", {"stage": "turnout_2000"}, "registered_voters", registered)
    load.table("national_results", data_copy)
    set_cell(data_copy / "national_results.csv", {"stage": "turnout_2000"}, "ballots_received", "11734643")
    assert "ballots_received = 11734643 exceeds registered_voters = 11734642" in message(data_copy, "national_results")


def test_ballots_cast_above_the_register_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "elections_history.csv", {"kind": "presidential"}, "ballots_cast", "99999999")
    assert "ballots_cast = 99999999 exceeds registered_voters" in message(data_copy, "elections_history")


def test_parts_not_adding_up_name_the_difference(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "both_marked", "125869")
    assert message(data_copy, "national_results") == (
        f"{ROW_4}: yes_votes + no_votes + invalid + both_marked = 7985779, but took_part = 7985769 (difference 10); "
        "expected the four parts to add up to all who took part")


def test_boundaries_are_the_17_units_in_display_order(data_copy: Path) -> None:
    frame = load.boundaries(data_copy)
    assert list(frame["unit_id"].astype(str)) == load.unit_order(data_copy)
    assert frame["unit_id"].cat.ordered and len(frame) == 17
    path = data_copy / "boundaries" / "units_2022.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"unit_id":"akmola"', '"unit_id":"akmolla"'),
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load.boundaries(data_copy)
    assert str(caught.value) == ("boundaries/units_2022.geojson: unit_id values do not match data/units.csv "
                                 "(unknown: ['akmolla']; missing: ['akmola'])")
    path.unlink()
    with pytest.raises(DataError, match=r"file not found \(the unit boundaries\)"):
        load.boundaries(data_copy)
