"""The tables as a DuckDB user reads them (``read_csv`` with its own type detection): the same rows and
the same totals as helpers.load, and the README's line that keeps the polling-day clock."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from helpers import load
from tests.conftest import DATA, ROOT

TABLES = load._resource_names()


def numeric_fields(name: str) -> list[tuple[str, str]]:
    fields = load._resource(name, DATA)["schema"]["fields"]
    return [(f["name"], f["type"]) for f in fields if f["type"] in ("integer", "number")]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


@pytest.mark.parametrize("name", TABLES)
def test_duckdb_reads_the_same_rows_and_totals(con: duckdb.DuckDBPyConnection, name: str) -> None:
    path = DATA / load._resource(name, DATA)["path"]
    frame = load.table(name)
    relation = f"read_csv('{path.as_posix()}')"
    assert con.execute(f"SELECT count(*) FROM {relation}").fetchone() == (len(frame),)
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {relation})").fetchall())
    for column, kind in numeric_fields(name):
        if types[column] == "VARCHAR":  # DuckDB cannot tell the type of a column with no cell filled
            assert frame[column].isna().all(), f"{name}.{column}: DuckDB reads a filled number column as text"
            assert con.execute(f'SELECT count("{column}") FROM {relation}').fetchone() == (0,)
            continue
        query = f'SELECT sum("{column}"), count("{column}") FROM {relation}'
        total, filled = con.execute(query).fetchone() or (None, 0)
        assert filled == frame[column].notna().sum(), f"{name}.{column}: DuckDB sees another number of cells"
        expected = frame[column].sum()
        if kind == "integer":
            assert int(total or 0) == int(expected), f"{name}.{column}: {total} in DuckDB, {expected} loaded"
        else:
            assert float(total or 0) == pytest.approx(float(expected), rel=1e-12), f"{name}.{column}"


def readme_duckdb_lines() -> list[str]:
    """The SQL lines of the README's DuckDB example (section 'Using the data elsewhere')."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using the data elsewhere", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sql\n(.*?)```", section, re.S)
    assert block, "the README's 'Using the data elsewhere' has no ```sql block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("--")]


def test_readme_duckdb_line_keeps_the_polling_day_clock() -> None:
    """Run in DuckDB, the README's lines find the 22:00 reports of polling day (in capital time)."""
    lines = readme_duckdb_lines()
    assert any(re.match(r"SET TimeZone = 'Asia/Almaty';", line) for line in lines), lines
    expected = int((load.table("turnout_timeline")["timestamp"].dt.hour == 22).sum())
    assert expected > 0
    con = duckdb.connect()
    for line in lines[:-1]:
        con.sql(line)
    query = lines[-1].rstrip(";").replace("data/", f"{DATA.as_posix()}/")
    assert con.execute(f"SELECT count(*) FROM ({query})").fetchone() == (expected,)


def test_without_the_time_zone_duckdb_finds_no_2200_report() -> None:
    """Why the README needs the line: DuckDB's default clock is UTC, where 22:00 (UTC+6) is 16:00."""
    query = readme_duckdb_lines()[-1].rstrip(";").replace("data/", f"{DATA.as_posix()}/")
    con = duckdb.connect()
    con.sql("SET TimeZone = 'UTC'")
    assert con.execute(f"SELECT count(*) FROM ({query})").fetchone() == (0,)


def test_duckdb_and_the_loader_agree_on_each_local_hour() -> None:
    con = duckdb.connect()
    con.sql("SET TimeZone = 'Asia/Almaty'")
    path = (DATA / "turnout_timeline.csv").as_posix()
    query = f"SELECT hour(\"timestamp\") AS h, count(*) FROM read_csv('{path}') GROUP BY h ORDER BY h"
    rows = con.execute(query).fetchall()
    loaded = load.table("turnout_timeline")["timestamp"].dt.hour.value_counts().sort_index()
    assert rows == [(int(h), int(n)) for h, n in loaded.items()]
    assert isinstance(loaded, pd.Series)
