"""What a re-user's tools can do to a file, made by hand on a copy of data/: each is refused with a message
naming the file, the row or column, and what happened - or, for what is harmless, loads unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers import load
from tests.conftest import FINAL_2022, edit_csv, expect_error, set_cell

KAZISS_TURNOUT = {"survey_id": "KAZISS_2022-05", "indicator": "intend to participate in the referendum"}



def mojibake(text: str, codec: str = "cp1252") -> str:
    """UTF-8 text read as a single-byte code page (the bytes kept, the meaning lost)."""
    return text.encode("utf-8").decode(codec, errors="replace")


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_mojibake_is_refused_naming_cell_and_how_to_reopen(data_copy: Path, codec: str) -> None:
    damaged = mojibake("Жамбыл", codec)  # every byte of its UTF-8 is a letter in cp1252
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "name_ru", damaged)
    message = expect_error(data_copy, "units", "data/units.csv: row 1 (unit_id=akmola), column 'name_ru'",
                      "mojibake", "read as a single-byte code page", "re-open the original file as UTF-8")
    if codec == "cp1252":  # every byte has a cp1252 letter: the repair is exact and shown, never applied
        assert "it likely read 'Жамбыл'" in message


def test_mojibake_in_a_note_is_refused_too(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "notes", mojibake("Итоги: «да» 77,18 %"))
    expect_error(data_copy, "national_results", "data/national_results.csv: row", "column 'notes'", "mojibake")


def test_a_lost_character_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "name_kk", "Ақмола обл\ufffdсы")
    expect_error(data_copy, "units", "column 'name_kk'", "U+FFFD")


def test_accented_and_cyrillic_text_as_published_loads() -> None:
    """No false alarm: the committed data has Kazakh, Russian, accents and typographic quotes."""
    units = load.table("units")
    assert units.loc[units["unit_id"] == "aktobe", "alt_names"].str.contains("Aqtöbe").all()
    assert units["name_kk"].str.contains("облысы").sum() == 14


@pytest.mark.parametrize(("delimiter", "named"), [(";", "semicolon-separated"), ("\t", "tab-separated")])
def test_another_dialect_is_named(data_copy: Path, delimiter: str, named: str) -> None:
    path = data_copy / "national_results.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.to_csv(path, sep=delimiter, index=False)
    expect_error(data_copy, "national_results", "data/national_results.csv", named, "expected comma-separated")


def test_quoted_empty_text_means_not_published_like_an_empty_cell(data_copy: Path) -> None:
    """A spreadsheet writes empty text as "": it loads as the same <NA> as an empty cell."""
    path = data_copy / "units.csv"
    text = path.read_text(encoding="utf-8").replace(",,", ',"",')
    assert '""' in text
    path.write_text(text, encoding="utf-8")
    pd.testing.assert_frame_equal(load.table("units", data_copy), load.table("units"))
    assert load.table("units")["admin_centre"].isna().sum() == 3


def test_pattern_is_enforced(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "akmola"}, "iso_3166_2", "KZ-AKMX")
    expect_error(data_copy, "units", "row 1 (unit_id=akmola), column 'iso_3166_2'", "'KZ-AKMX'",
            "does not match the pattern 'KZ-[A-Z]{3}'")


def test_pattern_must_match_the_whole_cell(data_copy: Path) -> None:
    set_cell(data_copy / "constitution_facts.csv", {"fact_id": "articles_1995_constitution"}, "fact_id",
             "articles 1995")
    expect_error(data_copy, "constitution_facts", "column 'fact_id'", "'[a-z0-9_]+'")


def test_source_url_pattern_is_enforced(data_copy: Path) -> None:
    set_cell(data_copy / "surveys.csv", KAZISS_TURNOUT, "source_url", "www.inform.kz/ru/x")
    expect_error(data_copy, "surveys", "data/surveys.csv: row 1", "column 'source_url'", "https?://.+")


def test_unique_column_is_enforced(data_copy: Path) -> None:
    row = set_cell(data_copy / "units.csv", {"unit_id": "aktobe"}, "iso_3166_2", "KZ-AKM")
    message = expect_error(data_copy, "units", f"row {row} (unit_id=aktobe), column 'iso_3166_2'",
                      "'KZ-AKM' already appears in row 1", "unique")
    assert "row 2" in message


def test_unique_display_order_is_enforced(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "shymkent"}, "display_order", "1")
    expect_error(data_copy, "units", "column 'display_order'", "'1' already appears in row 1")


def test_minimum_and_maximum_of_the_schema_are_enforced(data_copy: Path) -> None:
    set_cell(data_copy / "units.csv", {"unit_id": "shymkent"}, "display_order", "18")
    expect_error(data_copy, "units", "column 'display_order'", "18 is above 17")


def test_share_that_disagrees_with_its_counts_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "yes_pct", "77.28")
    expect_error(data_copy, "national_results", "row 4 (referendum_date=2022-06-05, stage=final), column 'yes_pct'",
            "77.28 does not agree with yes_votes / took_part = 6163516 / 7985769 = 77.1812 %", "(0.01)")


def test_count_that_disagrees_with_its_share_is_refused(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "no_votes", "1500470")
    set_cell(data_copy / "national_results.csv", FINAL_2022, "invalid", "195924")
    expect_error(data_copy, "national_results", "column 'no_pct'", "18.66 does not agree")


def test_share_within_its_printed_precision_loads(data_copy: Path) -> None:
    """68.44 for 8,030,739 / 11,734,642 = 68.4475 %: within one unit of the last printed digit."""
    frame = load.table("national_results")
    row = frame[frame["stage"] == "turnout_2200"].iloc[0]
    assert row["turnout_pct"] == 68.44 and 100 * row["ballots_received"] / row["registered_voters"] > 68.445


def test_share_printed_with_fewer_digits_is_checked_to_that_precision(data_copy: Path) -> None:
    set_cell(data_copy / "national_results.csv", FINAL_2022, "yes_pct", "77")
    load.table("national_results", data_copy)  # 77.18 printed as 77: within 1
    set_cell(data_copy / "national_results.csv", FINAL_2022, "yes_pct", "76")
    expect_error(data_copy, "national_results", "76 does not agree", "(1)")


def test_spreadsheet_date_in_published_text_is_refused(data_copy: Path) -> None:
    edit_csv(data_copy / "unit_facts.csv",
             lambda rows: [row.__setitem__(3, "06/01/2022") for row in rows[1:] if row[3] == "Jun 2022"])
    expect_error(data_copy, "unit_facts", "data/unit_facts.csv: row", "column 'reference_date'", "'06/01/2022'",
            "a date in a spreadsheet's display format")


@pytest.mark.parametrize("text", ["1.2E+06", "####"])
def test_spreadsheet_number_forms_in_published_text_are_refused(data_copy: Path, text: str) -> None:
    set_cell(data_copy / "constitution_facts.csv", {"fact_id": "articles_1995_constitution"}, "value", text)
    expect_error(data_copy, "constitution_facts", "row 1 (fact_id=articles_1995_constitution), column 'value'",
            "not the text as published")


def test_reformatted_percentage_text_is_refused(data_copy: Path) -> None:
    """Calc's UTF-8 import writes "66.4%" back as "66.40%": not the printed form of value_pct = 66.4."""
    set_cell(data_copy / "surveys.csv", KAZISS_TURNOUT, "value_text", "66.40%")
    expect_error(data_copy, "surveys", "data/surveys.csv: row 1", "column 'value_text'", "'66.40%' does not print "
            "value_pct = '66.4'")


def test_reformatted_number_column_is_refused_through_its_text(data_copy: Path) -> None:
    set_cell(data_copy / "surveys.csv", KAZISS_TURNOUT, "value_pct", "66.40")
    expect_error(data_copy, "surveys", "column 'value_text'", "'66.4%' does not print value_pct = '66.40'")


def test_changed_published_text_is_refused_by_its_digest(data_copy: Path) -> None:
    """Both columns re-formatted alike (75.50 and 75.50% -> 75.5 and 75.5%): only the digest sees it."""
    match = {"survey_id": "SCC_2022-06-07", "indicator": "believe adopted amendments will improve the situation"}
    set_cell(data_copy / "surveys.csv", match, "value_pct", "75.5")
    set_cell(data_copy / "surveys.csv", match, "value_text", "75.5%")
    message = expect_error(data_copy, "surveys", "data/surveys.csv: column 'value_text' is not the text as published",
                      "SHA-256")
    declared = next(f for f in load._resource("surveys", data_copy)["schema"]["fields"] if f["name"] == "value_text")
    assert declared["publishedText"]["sha256"] in message


def test_published_text_digests_match_the_committed_data() -> None:
    """Every column marked publishedText declares the digest of its committed cells (and there are four)."""
    package = json.loads((load.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    marked = []
    for resource in package["resources"]:
        raw = load.published_text(resource["name"]).fillna("")
        for field in resource["schema"]["fields"]:
            if "publishedText" in field:
                marked.append(f"{resource['name']}.{field['name']}")
                assert field["publishedText"]["sha256"] == load.published_text_digest(raw[field["name"]])
    assert marked == ["surveys.value_text", "constitution_facts.value", "unit_facts.reference_date",
                      "unit_covariates.name_as_printed"]


def test_digest_ignores_row_order_but_not_content() -> None:
    assert load.published_text_digest(["a", "b"]) == load.published_text_digest(["b", "a"])
    assert load.published_text_digest(["a", "b"]) != load.published_text_digest(["a", "b "])
    assert load.published_text_digest(["ab"]) != load.published_text_digest(["a", "b"])
