"""Shared fixtures: the repository's data folder and temporary copies of it to break on purpose."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="module")
def kernel() -> Iterator[Any]:
    """One kernel in notebooks/ for a test file's notebook runs, each from an empty namespace
    (tests/notebook_runs.py: ``run_with_parameters(..., kernel=kernel)``)."""
    from tests import notebook_runs

    with notebook_runs.shared_kernel(ROOT / "notebooks") as started:
        yield started


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A throw-away copy of data/ that a test may damage; data/ itself is never touched."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


CsvEdit = Callable[[list[list[str]]], None]


def edit_csv(path: Path, change: CsvEdit) -> None:
    """Read a CSV into rows (header first), let ``change`` edit them in place, write it back."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, match: dict[str, str], column: str, value: str) -> int:
    """Set ``column`` to ``value`` in the first row whose cells equal ``match``; return its data-row number."""
    found: list[int] = []

    def change(rows: list[list[str]]) -> None:
        header = rows[0]
        for number, row in enumerate(rows[1:], start=1):
            if all(row[header.index(k)] == v for k, v in match.items()):
                row[header.index(column)] = value
                found.append(number)
                return
        raise AssertionError(f"no row of {path.name} matches {match}")

    edit_csv(path, change)
    return found[0]


FINAL_2022 = {"referendum_date": "2022-06-05", "stage": "final"}  # the row of the final 2022 result


def expect_error(data: Path, table: str, *fragments: str) -> str:
    """Load ``table`` from ``data``: it must be refused with a message holding every fragment; the message."""
    from helpers import load
    from helpers.errors import DataError

    with pytest.raises(DataError) as caught:
        load.table(table, data)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    return message
