"""Load the referendum tables from ``data/`` as validated, typed DataFrames.

The Table Schemas in ``data/datapackage.json`` are the single description of every table: this module
reads them to check each file (columns, types, required cells, ranges, enums, keys, links to units) and
to cast the columns (integers -> ``Int64``, numbers -> ``Float64``, dates -> ``datetime64``, date-times
-> tz-aware in capital time, unit ids -> an ordered categorical in display order). Anything that does not
fit raises :class:`helpers.errors.DataError` naming the file, the row, the column and what was expected.
Files are only ever opened for reading. Results are cached per file version, so repeated calls are cheap.

The full Frictionless validator (``frictionless validate data/datapackage.json``) runs in the test suite;
these checks are the fast subset that guards every load, with messages written for people.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ftfy
import pandas as pd

from helpers.errors import DataError

if TYPE_CHECKING:
    import geopandas

DATA_DIR_ENV = "KZREF_DATA_DIR"
_CAPITAL_TZ = "Asia/Almaty"  # UTC+6 until 1 March 2024, UTC+5 since: the CEC's reporting clock
_UNIT_KEY_COLUMNS = ("unit_id", "parent_unit_id")
_COUNT_PARTS = ("yes_votes", "no_votes", "invalid", "both_marked")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}

_Field = Mapping[str, Any]


def data_dir() -> Path:
    """Return the data folder: ``$KZREF_DATA_DIR`` if set, else ``data/`` beside this package."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(__file__).resolve().parent.parent / "data"


def _resolve(folder: Path | str | None) -> Path:
    return Path(folder) if folder is not None else data_dir()


def _descriptor(folder: Path | str | None = None) -> dict[str, Any]:
    """Return the parsed ``datapackage.json`` of the data folder."""
    path = _resolve(folder) / "datapackage.json"
    stat = _stat_or_fail(path, "the data package descriptor")
    return _read_descriptor(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read_descriptor(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            parsed: dict[str, Any] = json.load(handle)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    return parsed


def _stat_or_fail(path: Path, what: str) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found ({what}); expected it in the data folder") from None


def _resource_names(folder: Path | str | None = None) -> list[str]:
    """Names of the tabular resources in the data package, in the order it lists them."""
    return [r["name"] for r in _descriptor(folder)["resources"] if "schema" in r]


def _resource(name: str, folder: Path | str | None) -> dict[str, Any]:
    package = _descriptor(folder)
    for resource in package["resources"]:
        if resource.get("name") == name and "schema" in resource:
            found: dict[str, Any] = resource
            return found
    known = _resource_names(folder)
    hint = difflib.get_close_matches(name, known, n=3)
    suggestion = f" Did you mean: {', '.join(hint)}?" if hint else ""
    raise DataError(
        f"datapackage.json: no table named {name!r}; expected one of {', '.join(known)}.{suggestion}"
    )


def table(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Return the validated, typed table ``name`` (a resource of the data package).

    >>> table("national_results").loc[:, ["stage", "turnout_pct"]]  # doctest: +SKIP
    """
    root = _resolve(folder)
    resource = _resource(name, root)
    path = root / resource["path"]
    stat = _stat_or_fail(path, f"table {name!r} of datapackage.json")
    cached = _load_cached(str(root), name, stat.st_mtime_ns, stat.st_size)
    return cached.copy()


def published_text(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Table ``name`` with every cell exactly as written in the file (strings; ``<NA>`` where empty).

    For questions about how a figure was printed (``72`` vs ``72.00``), which typed columns forget.
    The file is validated first, so the rows correspond one to one with :func:`table`.
    """
    root = _resolve(folder)
    table(name, root)
    raw = _read_text_table(root / _resource(name, root)["path"])
    return raw.astype("string").replace("", None)


def load_all(folder: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Return every table of the data package, validated and typed, by name."""
    return {name: table(name, folder) for name in _resource_names(folder)}


@lru_cache(maxsize=64)
def _load_cached(root: str, name: str, mtime_ns: int, size: int) -> pd.DataFrame:
    resource = _resource(name, root)
    path = Path(root) / resource["path"]
    schema = resource["schema"]
    raw = _read_text_table(path)
    label = _file_label(path)
    _check_header(raw, schema["fields"], label)
    _check_encoding(raw, label)
    frame = pd.DataFrame(
        {field["name"]: _convert_field(raw[field["name"]], field, label, raw) for field in schema["fields"]}
    )
    _check_primary_key(frame, schema, label)
    _check_unique(frame, schema["fields"], label, raw)
    _check_foreign_keys(frame, schema, label, root)
    _check_counts(frame, label)
    _check_shares(frame, raw, label)
    _check_measured_values(frame, label)
    for field in schema["fields"]:  # last: a specific message (a duplicate row, a bad count) comes first
        _check_published_text(raw, field, label)
    _cast_unit_ids(frame, name, root)
    return frame


def _file_label(path: Path) -> str:
    """``data/units.csv``-style label: short, with no machine-specific prefix."""
    return f"{path.parent.name}/{path.name}"


def _read_text_table(path: Path) -> pd.DataFrame:
    """The CSV as text cells. A UTF-8 byte-order mark and CRLF line ends (a spreadsheet's re-save) are accepted."""
    label = _file_label(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # drops a leading byte-order mark
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{label}: line {line} is not UTF-8 text (byte {raw[exc.start]:#04x}); "
            "expected UTF-8, e.g. re-save it as 'CSV UTF-8' in a spreadsheet"
        ) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))  # the csv module takes \n and \r\n line ends alike
    if not rows or all(not any(cell.strip() for cell in row) for row in rows):
        raise DataError(f"{label}: the file is empty; expected a header row and at least one data row")
    _check_dialect(text, rows[0], label)
    header, body = rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if not body:
        raise DataError(f"{label}: has a header but no data rows; expected at least one data row")
    for number, row in enumerate(body, start=1):
        if len(row) != len(header):
            raise DataError(
                f"{label}: row {number} has {len(row)} cells; expected {len(header)} (one per column "
                f"of the header). Is a comma inside a value not quoted?"
            )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise DataError(f"{label}: column(s) {', '.join(duplicated)} appear more than once in the header")
    return pd.DataFrame(body, columns=header, dtype=object)


_OTHER_DIALECTS = ((";", "semicolon-separated (as a spreadsheet saves CSV in a locale with decimal commas)"),
                   ("\t", "tab-separated"), ("|", "pipe-separated"))


def _check_dialect(text: str, header: list[str], label: str) -> None:
    """Name a file written in another CSV dialect instead of reporting its columns as missing."""
    first_line = text.split("\n", 1)[0]
    for delimiter, name in _OTHER_DIALECTS:
        if len(first_line.split(delimiter)) > len(header):
            raise DataError(
                f"{label}: the file is {name}; expected comma-separated values (the dialect in "
                "datapackage.json). Re-save it as 'CSV UTF-8 (comma delimited)', or in LibreOffice as "
                "'Text CSV' with field delimiter ','"
            )


_REOPEN_AS_UTF8 = (
    "re-open the original file as UTF-8 (LibreOffice: Character set 'Unicode (UTF-8)' in the Text Import "
    "dialog; Excel: Data > From Text/CSV, File origin '65001: Unicode (UTF-8)') and save it as 'CSV UTF-8', "
    "or take the file again from the data package"
)


def _encoding_damage(cell: str) -> str | None:
    """What went wrong if ``cell`` is mojibake or lost characters in a conversion, else None."""
    if cell.isascii():
        return None
    if "\ufffd" in cell:
        return "contains U+FFFD (a character lost in a conversion from another character set)"
    repaired = ftfy.fix_encoding(cell)
    if repaired == cell:
        return None
    lost = any(0xE000 <= ord(c) <= 0xF8FF for c in repaired)  # bytes the code page lacks: not repairable
    guess = "" if lost else f"; it likely read {_clip(repaired)}"
    return (f"{_clip(cell)} is mojibake: UTF-8 text that was read as a single-byte code page (e.g. "
            f"Windows-1252 or Latin-1) and saved again{guess}")


def _clip(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[:width] + "…")


def _check_encoding(raw: pd.DataFrame, label: str) -> None:
    """Refuse text damaged by a wrong character set (no repair: it is not provably exact)."""
    for column in raw.columns:
        for i, cell in enumerate(raw[column]):
            problem = _encoding_damage(cell)
            if problem:
                raise _fail(label, raw, i, column, f"{problem}; {_REOPEN_AS_UTF8}")


def _check_header(raw: pd.DataFrame, fields: list[_Field], label: str) -> None:
    expected = [f["name"] for f in fields]
    found = list(raw.columns)
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    if missing:
        column = missing[0]
        close = difflib.get_close_matches(column, extra, n=1, cutoff=0.6)
        renamed = f" (renamed to {close[0]!r}?)" if close else ""
        raise DataError(
            f"{label}: column {column!r} is missing{renamed}; expected columns: {', '.join(expected)}"
        )
    if extra:
        raise DataError(
            f"{label}: unexpected column(s) {', '.join(map(repr, extra))}; "
            f"the schema in datapackage.json lists: {', '.join(expected)}"
        )


_IDENTIFYING = ("referendum_date", "unit_id", "unit_name", "stage", "timestamp", "organisation_en",
                "survey_id", "indicator", "fact_id", "date", "new_region_en")


def _row_label(frame: pd.DataFrame, position: int) -> str:
    """``row 7 (unit_id=almaty_city, stage=final)``: the data row number and what identifies it."""
    keys = [c for c in _IDENTIFYING if c in frame.columns][:3]
    cells = {k: frame.iloc[position][k] for k in keys}
    shown = ", ".join(f"{k}={_plain(v)}" for k, v in cells.items() if not (pd.isna(v) or v == ""))
    return f"row {position + 1}" + (f" ({shown})" if shown else "")


def _plain(value: object) -> str:
    """A cell as it stands in the file (dates without a time part)."""
    if isinstance(value, pd.Timestamp) and value == value.normalize() and value.tzinfo is None:
        return value.strftime("%Y-%m-%d")
    return str(value)


def _fail(label: str, raw: pd.DataFrame, position: int, column: str, problem: str) -> DataError:
    return DataError(f"{label}: {_row_label(raw, position)}, column {column!r}: {problem}")


def _convert_field(values: pd.Series, field: _Field, label: str, raw: pd.DataFrame) -> pd.Series:
    name = field["name"]
    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    present = values.map(lambda v: v.strip() != "")
    if constraints.get("required"):
        blank = [i for i, ok in enumerate(present) if not ok]
        if blank:
            raise _fail(label, raw, blank[0], name, "is empty; expected a value (this column is required)")
    converter = _CONVERTERS.get(kind, _as_string)
    series = converter(values, present, name, label, raw)
    _check_enum(values, present, constraints, name, label, raw)
    _check_pattern(values, present, constraints, name, label, raw)
    _check_range(series, constraints, name, label, raw)
    return series


def _parse_integer(text: str) -> int:
    if not _INTEGER.match(text.strip()):
        raise ValueError(f"{text!r} is not a whole number; expected a count such as 7985769")
    return int(text)


def _parse_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number; expected e.g. 68.05 (a '.' decimal)") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def _parse_boolean(text: str) -> bool:
    if text not in _TRUE and text not in _FALSE:
        raise ValueError(f"{text!r} is not true or false")
    return text in _TRUE


def _parse_datetime(text: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        raise ValueError(f"{text!r} is not a date-time with a UTC offset; expected e.g. 2022-06-05T10:00:00+06:00")
    return stamp.astimezone(UTC)


def _parse_cells(values: pd.Series, present: pd.Series, parse: Callable[[str], object], empty: object,
                 name: str, label: str, raw: pd.DataFrame) -> list[object]:
    """Parse each present cell; the first that does not parse raises a DataError naming row and column."""
    out: list[object] = []
    for i, (value, ok) in enumerate(zip(values, present, strict=True)):
        if not ok:
            out.append(empty)
            continue
        try:
            out.append(parse(value))
        except ValueError as problem:
            raise _fail(label, raw, i, name, str(problem)) from None
    return out


def _as_string(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    return pd.Series([v if ok else pd.NA for v, ok in zip(values, present, strict=True)], dtype="string")


def _as_integer(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    return pd.Series(_parse_cells(values, present, _parse_integer, pd.NA, name, label, raw), dtype="Int64")


def _as_number(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    return pd.Series(_parse_cells(values, present, _parse_number, pd.NA, name, label, raw), dtype="Float64")


def _as_boolean(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    return pd.Series(_parse_cells(values, present, _parse_boolean, pd.NA, name, label, raw), dtype="boolean")


def _as_date(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    parsed = pd.to_datetime(values.where(present, None), format="%Y-%m-%d", errors="coerce")
    for i, (value, ok, stamp) in enumerate(zip(values, present, parsed, strict=True)):
        if ok and (pd.isna(stamp) or not _DATE.match(value)):
            raise _fail(label, raw, i, name, f"{value!r} is not a date; expected YYYY-MM-DD")
    return parsed.astype("datetime64[s]")


def _as_datetime(values: pd.Series, present: pd.Series, name: str, label: str, raw: pd.DataFrame) -> pd.Series:
    stamps = _parse_cells(values, present, _parse_datetime, pd.NaT, name, label, raw)
    return pd.Series(pd.DatetimeIndex(stamps).tz_convert(_CAPITAL_TZ), index=values.index)


_CONVERTERS: dict[str, Callable[[pd.Series, pd.Series, str, str, pd.DataFrame], pd.Series]] = {
    "string": _as_string,
    "integer": _as_integer,
    "number": _as_number,
    "boolean": _as_boolean,
    "date": _as_date,
    "datetime": _as_datetime,
}


def _check_enum(values: pd.Series, present: pd.Series, constraints: Mapping[str, Any], name: str,
                label: str, raw: pd.DataFrame) -> None:
    allowed = constraints.get("enum")
    if not allowed:
        return
    allowed_text = {str(a).lower() if isinstance(a, bool) else str(a) for a in allowed}
    for i, (value, ok) in enumerate(zip(values, present, strict=True)):
        if ok and value not in allowed_text:
            close = difflib.get_close_matches(value, sorted(allowed_text), n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            what = f"unknown unit {value!r}" if name in _UNIT_KEY_COLUMNS else f"{value!r} is not allowed"
            raise _fail(label, raw, i, name, f"{what}; expected one of {sorted(allowed_text)}.{hint}")


def _check_pattern(values: pd.Series, present: pd.Series, constraints: Mapping[str, Any], name: str,
                   label: str, raw: pd.DataFrame) -> None:
    """The schema's ``pattern`` (a regular expression the whole cell must match, as in Table Schema)."""
    pattern = constraints.get("pattern")
    if pattern is None:
        return
    compiled = re.compile(pattern)
    for i, (value, ok) in enumerate(zip(values, present, strict=True)):
        if ok and not compiled.fullmatch(value):
            raise _fail(label, raw, i, name,
                        f"{_clip(value)} does not match the pattern {pattern!r} of datapackage.json")


def _check_unique(frame: pd.DataFrame, fields: list[_Field], label: str, raw: pd.DataFrame) -> None:
    """Columns the schema declares ``unique``: no value twice (empty cells aside)."""
    for field in fields:
        if not field.get("constraints", {}).get("unique"):
            continue
        name = field["name"]
        seen: dict[str, int] = {}
        column = frame[str(name)]
        for i, (value, missing) in enumerate(zip(column.astype(object), column.isna(), strict=True)):
            if missing:
                continue
            text = str(value)
            if text in seen:
                raise _fail(label, raw, i, name, f"{_clip(text)} already appears in row {seen[text] + 1}; "
                            "expected each value once (the column is unique in datapackage.json)")
            seen[text] = i


def _range_for(constraints: Mapping[str, Any], name: str) -> tuple[float | None, float | None]:
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if name.endswith("_pct"):  # a share in percent, whatever the schema says
        low = 0 if low is None else max(low, 0)
        high = 100 if high is None else min(high, 100)
    elif name.endswith(("_votes", "_voters", "took_part", "invalid", "both_marked", "_cumulative",
                        "ballots_received", "ballots_cast", "sample_size", "polling_stations")):
        low = 0 if low is None else max(low, 0)
    return low, high


def _check_range(series: pd.Series, constraints: Mapping[str, Any], name: str, label: str,
                 raw: pd.DataFrame) -> None:
    if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
        return
    low, high = _range_for(constraints, name)
    what = "a percentage" if name.endswith("_pct") else "a value"
    for i, value in enumerate(series):
        if pd.isna(value):
            continue
        if low is not None and value < low:
            raise _fail(label, raw, i, name, f"{value:g} is below {low:g}; expected {what} of at least {low:g}")
        if high is not None and value > high:
            raise _fail(label, raw, i, name, f"{value:g} is above {high:g}; expected {what} of at most {high:g}")


def _check_primary_key(frame: pd.DataFrame, schema: Mapping[str, Any], label: str) -> None:
    key = schema.get("primaryKey")
    if not key:
        return
    columns = [key] if isinstance(key, str) else list(key)
    duplicated = frame.duplicated(subset=columns, keep=False)
    if duplicated.any():
        rows = [i + 1 for i in frame.index[duplicated]]
        first = frame.loc[duplicated].iloc[0]
        shown = ", ".join(f"{c}={first[c]}" for c in columns)
        what = "duplicate unit" if columns == ["unit_id"] else "duplicate key"
        raise DataError(
            f"{label}: {what} ({shown}) in rows {', '.join(map(str, rows))}; "
            f"expected each ({', '.join(columns)}) to appear once"
        )


def _check_foreign_keys(frame: pd.DataFrame, schema: Mapping[str, Any], label: str, root: str) -> None:
    for link in schema.get("foreignKeys", []):
        fields = link["fields"]
        column = fields if isinstance(fields, str) else fields[0]
        reference = link["reference"]
        target = table(reference["resource"], root) if reference["resource"] else frame
        target_column = reference["fields"] if isinstance(reference["fields"], str) else reference["fields"][0]
        known = [str(v) for v in target[target_column].dropna()]
        _check_values_known(frame[column], known, column, label, f"{reference['resource']}.{target_column}")


def _check_values_known(values: pd.Series, known: Iterable[str], column: str, label: str, where: str) -> None:
    known_set = set(known)
    for i, value in enumerate(values):
        if pd.isna(value) or str(value) in known_set:
            continue
        close = difflib.get_close_matches(str(value), sorted(known_set), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise DataError(f"{label}: row {i + 1}, column {column!r}: unknown unit {value!r}; "
                        f"expected a value of {where}.{hint}")


def _check_measured_values(frame: pd.DataFrame, label: str) -> None:
    """In a long table (``value`` with its ``unit_of_measure``): percentages lie in 0-100, persons are whole."""
    if "value" not in frame.columns or "unit_of_measure" not in frame.columns:
        return
    for i, (value, unit) in enumerate(zip(frame["value"], frame["unit_of_measure"], strict=True)):
        if pd.isna(value) or pd.isna(unit):
            continue
        if str(unit).startswith("percent") and not 0 <= value <= 100:
            raise DataError(f"{label}: {_row_label(frame, i)}, column 'value': {float(value)!r} is not a percentage; "
                            f"expected 0 to 100 ({unit})")
        if unit == "persons" and value != round(value):
            raise DataError(f"{label}: {_row_label(frame, i)}, column 'value': {float(value)!r} is not a whole number; "
                            f"expected a count of persons")


_SPREADSHEET_FORMS = (
    (re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"), "a date in a spreadsheet's display format"),
    (re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+"), "a number in scientific notation"),
    (re.compile(r"#+"), "a spreadsheet's overflow marks"),
)
_BARE_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


def published_text_digest(cells: Iterable[str]) -> str:
    """SHA-256 of a column's cells (sorted, so row order does not matter), as ``datapackage.json`` declares it."""
    joined = "\x1f".join(sorted(cells))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _check_published_text(raw: pd.DataFrame, field: _Field, label: str) -> None:
    """A column declared ``publishedText`` keeps the form in which its text was published.

    A spreadsheet re-formats cells it reads as numbers or dates ("Jun 2022" -> "06/01/2022",
    "75.50%" -> "75.5%"). Refused: a cell in a spreadsheet's own display form; a bare percentage
    that is not the printed form of its number column; and any change to the column's cells
    (their SHA-256 in datapackage.json).
    """
    declared = field.get("publishedText")
    if not declared:
        return
    name = field["name"]
    number_column = declared.get("printedNumber")
    cells: list[str] = [str(c) for c in raw[name]]
    for i, cell in enumerate(cells):
        for form, what in _SPREADSHEET_FORMS:
            if form.fullmatch(cell.strip()):
                raise _fail(label, raw, i, name, f"{_clip(cell)} is {what}, not the text as published: a "
                            "spreadsheet re-formatted it; take the file again from the data package, or "
                            "import this column as Text")
        match = _BARE_PERCENT.fullmatch(cell)
        if number_column and match and raw[number_column].iloc[i] != match.group(1):
            raise _fail(label, raw, i, name, f"{_clip(cell)} does not print {number_column} = "
                        f"{raw[number_column].iloc[i]!r} as published; a spreadsheet re-formatted one of them")
    expected = declared.get("sha256")
    found = published_text_digest(cells)
    if expected and found != expected:
        raise DataError(
            f"{label}: column {name!r} is not the text as published (its SHA-256 is {found}, datapackage.json "
            f"declares {expected}): a spreadsheet may have re-formatted a cell it read as a number or a date. "
            "Take the file again from the data package, or import the column as Text; if you changed the "
            "text on purpose, declare the new digest"
        )


_SHARES = (("turnout_pct", "took_part", "registered_voters"),
           ("turnout_pct", "ballots_received", "registered_voters"),
           ("turnout_pct", "ballots_cumulative", "registered_voters"),
           ("yes_pct", "yes_votes", "took_part"), ("no_pct", "no_votes", "took_part"),
           ("invalid_pct", "invalid", "took_part"), ("both_marked_pct", "both_marked", "took_part"))


def _printed_step(text: str) -> float:
    """One unit in the last printed digit: 0.01 for '68.05', 1 for '77'."""
    decimals = len(text.strip().split(".")[1]) if "." in text else 0
    return float(10.0 ** -decimals)


def _check_shares(frame: pd.DataFrame, raw: pd.DataFrame, label: str) -> None:
    """A published percentage agrees with its count and denominator in the same row to its printed precision.

    Within one unit of the last printed digit: the commissions round (or truncate) their shares.
    """
    for pct, part, whole in _SHARES:
        if not all(c in frame.columns for c in (pct, part, whole)):
            continue
        for i, (share, count, base) in enumerate(zip(frame[pct], frame[part], frame[whole], strict=True)):
            if pd.isna(share) or pd.isna(count) or pd.isna(base) or base == 0:
                continue
            ratio = 100 * int(count) / int(base)
            step = _printed_step(raw[pct].iloc[i])
            if abs(ratio - float(share)) >= step:
                raise _fail(label, raw, i, pct, f"{raw[pct].iloc[i]} does not agree with {part} / {whole} = "
                            f"{int(count)} / {int(base)} = {ratio:.4f} %; expected them to agree to the printed "
                            f"precision ({step:g})")


def _check_counts(frame: pd.DataFrame, label: str) -> None:
    """Counts must be internally consistent: parts add up to those who took part, no more than registered."""
    parts = [c for c in _COUNT_PARTS if c in frame.columns]
    if "took_part" in frame.columns and parts:
        _check_parts_sum(frame, parts, label)
    for part, whole in (("took_part", "registered_voters"), ("ballots_received", "registered_voters"),
                        ("ballots_cast", "registered_voters")):
        if part in frame.columns and whole in frame.columns:
            over = frame[part].notna() & frame[whole].notna() & (frame[part] > frame[whole])
            if over.any():
                i = int(frame.index[over][0])
                raise DataError(f"{label}: {_row_label(frame, i)}: {part} = {frame[part].iloc[i]!s} exceeds {whole} = "
                                f"{frame[whole].iloc[i]!s}; expected at most the number registered")


def _check_parts_sum(frame: pd.DataFrame, parts: list[str], label: str) -> None:
    for i, row in enumerate(frame.to_dict("records")):
        whole = row["took_part"]
        if pd.isna(whole):
            continue
        given = {p: row[p] for p in parts if not pd.isna(row[p])}
        total = sum(int(v) for v in given.values())
        names = " + ".join(given)
        if len(given) == len(_COUNT_PARTS) and total != whole:
            raise DataError(
                f"{label}: {_row_label(frame, i)}: {names} = {total}, but took_part = {whole} "
                f"(difference {total - whole}); expected the four parts to add up to all who took part"
            )
        if given and total > whole:
            raise DataError(f"{label}: {_row_label(frame, i)}: {names} = {total} exceeds took_part = {whole}; "
                            f"expected the parts to be at most all who took part")


def _cast_unit_ids(frame: pd.DataFrame, name: str, root: str) -> None:
    """Turn unit-id columns into an ordered categorical in the units' display order."""
    if name == "units":
        order = list(frame.sort_values("display_order")["unit_id"])
    elif any(c in frame.columns for c in _UNIT_KEY_COLUMNS):
        order = unit_order(root)
    else:
        return
    dtype = pd.CategoricalDtype(order, ordered=True)
    for column in _UNIT_KEY_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("object").where(frame[column].notna(), None).astype(dtype)


def unit_order(folder: Path | str | None = None) -> list[str]:
    """unit_id values in display order (oblasts, then the three cities)."""
    units = table("units", folder)
    return [str(u) for u in units.sort_values("display_order")["unit_id"]]


def boundaries(folder: Path | str | None = None) -> geopandas.GeoDataFrame:
    """Return the 17 units of 5 June 2022 as a GeoDataFrame (WGS84) with ``unit_id`` as categorical."""
    import geopandas

    root = _resolve(folder)
    path = root / "boundaries" / "units_2022.geojson"
    _stat_or_fail(path, "the unit boundaries")
    frame = geopandas.read_file(path)
    order = unit_order(root)
    unknown = sorted(set(frame["unit_id"]) - set(order))
    missing = sorted(set(order) - set(frame["unit_id"]))
    if unknown or missing:
        raise DataError(f"{_file_label(path)}: unit_id values do not match data/units.csv "
                        f"(unknown: {unknown or 'none'}; missing: {missing or 'none'})")
    frame["unit_id"] = frame["unit_id"].astype(pd.CategoricalDtype(order, ordered=True))
    return frame.sort_values("unit_id").reset_index(drop=True)
