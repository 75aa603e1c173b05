"""Every kind of bad input gives a DataError that names the file, the row or unit, the column, and what
was expected - never a silent NaN. Each test damages a temporary copy of data/."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import FINAL_2022, edit_csv, expect_error, set_cell


def test_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "unit_results.csv").unlink()
    expect_error(data_copy, "unit_results", "unit_results.csv", "file not found")


def test_missing_descriptor_is_named(data_copy: Path) -> None:
    (data_copy / "datapackage.json").unlink()
    expect_error(data_copy, "units", "datapackage.json", "file not found")


def test_renamed_column_is_named_with_its_new_name(data_copy: Path) -> None:
    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("yes_pct")] = "yes_percent"

    edit_csv(data_copy / "national_results.csv", rename)
    expect_error(data_copy, "national_results", "national_results.csv", "'yes_pct' is missing",
                 "renamed to 'yes_percent'")


def test_dropped_column_is_named(data_copy: Path) -> None:
    def drop(rows: list[list[str]]) -> None:
        at = rows[0].index("took_part")
        for row in rows:
            del row[at]

    edit_csv(data_copy / "national_results.csv", drop)
    expect_error(data_copy, "national_results", "'took_part' is missing")


def test_non_numeric_count_names_row_and_column(data_copy: Path) -> None:
    row = set_cell(data_copy / "national_results.csv", FINAL_2022, "took_part", "7,985,769")
    expect_error(data_copy, "national_results", f"row {row} (referendum_date=2022-06-05, stage=final)",
                 "'took_part'", "'7,985,769' is not a whole number")


def test_non_numeric_percentage_names_row_and_column(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "turnout_pct", "68,05")
    expect_error(data_copy, "national_results", "'turnout_pct'", "'68,05' is not a number")


def test_negative_count_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "no_votes", "-1490470")
    expect_error(data_copy, "national_results", "stage=final", "'no_votes'", "below 0")


def test_duplicate_unit_is_refused(data_copy: Path) -> None:
    def duplicate(rows: list[list[str]]) -> None:
        rows.append(list(rows[5]))

    edit_csv(data_copy / "units.csv", duplicate)
    message = expect_error(data_copy, "units", "units.csv", "duplicate unit")
    assert re.search(r"rows 5, 18", message), message


def test_unknown_unit_is_named_with_suggestions(data_copy: Path) -> None:
    path = data_copy / "unit_results.csv"

    def rename_unit(rows: list[list[str]]) -> None:
        at = rows[0].index("unit_id")
        for row in rows[1:]:
            if row[at] == "almaty_city":
                row[at] = "almaty_cty"

    edit_csv(path, rename_unit)
    expect_error(data_copy, "unit_results", "unit_results.csv", "unknown unit 'almaty_cty'",
                 "Did you mean: almaty_city")


def test_parts_not_adding_up_are_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "yes_votes", "6163517")
    expect_error(data_copy, "national_results", "stage=final", "= 7985770, but took_part = 7985769",
                 "difference 1")


def test_parts_exceeding_the_whole_are_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "invalid", "")
    set_cell(data_copy / "national_results.csv", FINAL_2022, "yes_votes", "7985769")
    expect_error(data_copy, "national_results", "exceeds took_part")


def test_percentage_above_100_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "turnout_timeline.csv", {"unit_id": "turkestan"}, "turnout_pct", "168.05")
    expect_error(data_copy, "turnout_timeline", "turnout_timeline.csv", "'turnout_pct'", "168.05 is above 100",
                 "percentage")


def test_negative_percentage_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "no_pct", "-18.66")
    expect_error(data_copy, "national_results", "'no_pct'", "below 0")


def test_empty_file_is_refused(data_copy: Path) -> None:
    (data_copy / "surveys.csv").write_text("", encoding="utf-8")
    expect_error(data_copy, "surveys", "surveys.csv", "the file is empty")


def test_header_only_file_is_refused(data_copy: Path) -> None:
    path = data_copy / "exit_polls.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    expect_error(data_copy, "exit_polls", "exit_polls.csv", "no data rows")


def test_ragged_row_is_refused(data_copy: Path) -> None:
    def cut(rows: list[list[str]]) -> None:
        rows[3] = rows[3][:-2]

    edit_csv(data_copy / "national_results.csv", cut)
    expect_error(data_copy, "national_results", "row 3 has", "cells; expected")


def test_bad_enum_value_is_named(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "stage", "definitive")
    expect_error(data_copy, "national_results", "'stage'", "'definitive' is not allowed", "final")


def test_date_time_without_offset_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "turnout_timeline.csv", {"unit_id": "akmola"}, "timestamp", "2022-06-05 10:00")
    expect_error(data_copy, "turnout_timeline", "'timestamp'", "UTC offset")


def test_more_took_part_than_registered_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "registered_voters", "7000000")
    expect_error(data_copy, "national_results", "took_part = 7985769 exceeds registered_voters")


def test_required_cell_left_empty_is_named(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "pavlodar"}, "name_en", "")
    expect_error(data_copy, "units", "units.csv", "'name_en'", "expected a value")


def test_unknown_table_name_suggests(data_copy: Path) -> None:
    expect_error(data_copy, "unit_result", "no table named 'unit_result'", "unit_results")


def test_resaved_file_with_a_renamed_column_is_still_named(data_copy: Path) -> None:
    """A byte-order mark and CRLF line ends are accepted, so real damage in such a file shows as itself."""
    path = data_copy / "national_results.csv"

    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("yes_pct")] = "yes_percent"

    edit_csv(path, rename)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    message = expect_error(data_copy, "national_results", "'yes_pct' is missing", "renamed to 'yes_percent'")
    assert "\ufeff" not in message


def test_resaved_file_with_a_ragged_row_is_still_refused(data_copy: Path) -> None:
    path = data_copy / "national_results.csv"

    def cut(rows: list[list[str]]) -> None:
        rows[3] = rows[3][:-2]

    edit_csv(path, cut)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    expect_error(data_copy, "national_results", "row 3 has", "cells; expected")


def test_file_not_in_utf8_is_named_with_its_line(data_copy: Path) -> None:
    """A spreadsheet's 'CSV' in a legacy code page (here Latin-1) stops with the file and line, not a traceback."""
    path = data_copy / "units.csv"
    row = set_cell(path, {"unit_id": "pavlodar"}, "admin_centre", "Pavlodar café")
    path.write_bytes(path.read_bytes().replace("café".encode(), "café".encode("latin-1")))
    expect_error(data_copy, "units", "units.csv", f"line {row + 1} is not UTF-8", "byte 0xe9", "CSV UTF-8")
