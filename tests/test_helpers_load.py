"""The loaders return typed tables, cache them, and never write to data/."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest

from helpers import load
from helpers.errors import DataError
from tests.conftest import DATA, set_cell


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_resource_loads_and_data_is_untouched() -> None:
    before = fingerprint(DATA)
    tables = load.load_all()
    assert set(tables) == set(load._resource_names())
    assert all(len(frame) > 0 for frame in tables.values())
    assert fingerprint(DATA) == before


def test_counts_are_nullable_integers_and_shares_are_floats() -> None:
    national = load.table("national_results")
    assert national["took_part"].dtype == "Int64"
    assert national["turnout_pct"].dtype == "Float64"
    intraday = national[national["stage"] == "turnout_2200"]
    assert intraday["took_part"].isna().all(), "intraday reports count ballots received, not participants"


def test_timestamps_are_timezone_aware_in_capital_time() -> None:
    timeline = load.table("turnout_timeline")
    stamps = timeline["timestamp"]
    assert str(stamps.dt.tz) == "Asia/Almaty"
    first = stamps.min()
    assert first.utcoffset() == pd.Timedelta(hours=6)
    assert (first.hour, first.tz_convert("UTC").hour) == (10, 4)


def test_unit_ids_are_ordered_categoricals_in_display_order() -> None:
    units = load.table("units")
    results = load.table("unit_results")
    order = list(units.sort_values("display_order")["unit_id"].astype(str))
    for frame in (units, results):
        assert isinstance(frame["unit_id"].dtype, pd.CategoricalDtype)
        assert frame["unit_id"].dtype.ordered
        assert list(frame["unit_id"].dtype.categories) == order
    assert order[-3:] == ["nur_sultan", "almaty_city", "shymkent"]


def test_repeated_loads_come_from_the_cache_and_are_independent_copies() -> None:
    first = load.table("units")
    hits = load._load_cached.cache_info().hits
    second = load.table("units")
    assert load._load_cached.cache_info().hits == hits + 1
    second.loc[0, "name_en"] = "changed by a caller"
    assert load.table("units").loc[0, "name_en"] == first.loc[0, "name_en"]


def test_an_edited_file_is_reloaded(data_copy: Path) -> None:
    before = load.table("units", data_copy)
    set_cell(data_copy / "units.csv", {"unit_id": "pavlodar"}, "admin_centre", "Pavlodar (edited)")
    after = load.table("units", data_copy)
    assert before.set_index("unit_id").at["pavlodar", "admin_centre"] != "Pavlodar (edited)"
    assert after.set_index("unit_id").at["pavlodar", "admin_centre"] == "Pavlodar (edited)"


def test_data_dir_can_be_redirected_by_environment(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(load.DATA_DIR_ENV, str(data_copy))
    assert load.data_dir() == data_copy
    (data_copy / "units.csv").unlink()
    with pytest.raises(DataError, match=r"units\.csv: file not found"):
        load.table("units")


def test_published_text_keeps_figures_as_printed(data_copy: Path) -> None:
    set_cell(data_copy / "turnout_timeline.csv", {"unit_id": "pavlodar"}, "turnout_pct", "30.10")
    text = load.published_text("turnout_timeline", data_copy)
    typed = load.table("turnout_timeline", data_copy)
    assert len(text) == len(typed)
    row = typed.index[typed["unit_id"] == "pavlodar"][0]
    assert text.at[row, "turnout_pct"] == "30.10"
    assert typed.at[row, "turnout_pct"] == 30.1
    assert text["unit_id"].isna().sum() == typed["unit_id"].isna().sum() == 7


def resave_as_spreadsheet(path: Path) -> None:
    """Re-save a CSV as spreadsheets do on Windows: a UTF-8 byte-order mark, CRLF line ends, every row kept."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)


def test_tables_resaved_with_bom_and_crlf_load_identically(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for resource in load._descriptor(data_copy)["resources"]:
        if "schema" in resource:  # every table of the package
            resave_as_spreadsheet(data_copy / resource["path"])
    national = data_copy / "national_results.csv"
    assert national.read_bytes().startswith(b"\xef\xbb\xbfreferendum_date,") and b"\r\n" in national.read_bytes()
    for name in load._resource_names():
        pd.testing.assert_frame_equal(load.table(name, data_copy), load.table(name), obj=name)
        pd.testing.assert_frame_equal(load.published_text(name, data_copy), load.published_text(name), obj=name)
    monkeypatch.setenv(load.DATA_DIR_ENV, str(data_copy))  # the same through the environment variable
    pd.testing.assert_frame_equal(load.table("national_results"), load.table("national_results", DATA))
