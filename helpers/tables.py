"""Tables for readers: plain headers, unit names instead of ids, one precision, "not published" for gaps.

Notebooks compute with typed frames and show :func:`readable` versions of them, so that a journalist never
meets ``yes_pct``, ``<NA>`` or ``77.180000`` in a table.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers import units
from helpers.i18n import N_, _, fmt

_MISSING = N_("not published")
_SUFFIXES = (("_pct", " (%)"), ("_votes", " (votes)"))
_UNIT_COLUMNS = ("unit_id", "parent_unit_id")


def _header(column: str) -> str:
    """A plain-words header for a column name: ``yes_pct`` -> ``yes (%)``, ``took_part`` -> ``took part``."""
    text = column
    for suffix, replacement in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)] + replacement
            break
    return text.replace("_", " ")


def _cell(value: object, decimals: int, missing: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return _(missing)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return fmt.symbols(f"{value:,}")
    if isinstance(value, float):
        return fmt.symbols(f"{value:,.{decimals}f}")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    return str(value)


def readable(
    frame: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    decimals: int | Mapping[str, int] = 2,
    missing: str = _MISSING,
) -> pd.DataFrame:
    """A copy of ``frame`` as text for display.

    - unit-id columns become unit names in the run's language (the column header says "unit", in English in
      every language: notebook code refers to it; translate it with ``labels`` where it is shown last);
    - whole numbers get thousands separators, other numbers ``decimals`` places (per column if a mapping);
    - empty cells read ``missing`` ("not published" unless told otherwise), booleans "yes"/"no";
    - headers come from ``labels`` where given, otherwise from :func:`_header`;
    - a plain row-number index is left blank (a meaningful index, such as units or hours, is kept).
    """
    labels = dict(labels or {})
    names = units.names()  # in the run's language (KZREF_LANG): data/units.csv's name_en / name_ru / name_kk
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        series = frame[column]
        if column in _UNIT_COLUMNS:
            series = series.astype("object").map(lambda u: names.get(str(u), u) if pd.notna(u) else u)
            labels.setdefault(column, "unit")  # not translated: notebooks index readable tables by it
        places = decimals.get(column, 2) if isinstance(decimals, Mapping) else decimals
        integer_like = pd.api.types.is_integer_dtype(series.dtype)
        values = [int(v) if integer_like and pd.notna(v) else v for v in series.astype("object")]
        shown[labels.get(column, _header(str(column)))] = [_cell(v, places, missing) for v in values]
    if isinstance(frame.index, pd.RangeIndex):  # row numbers 0, 1, 2 mean nothing to a reader
        shown.index = pd.Index([""] * len(shown))
    return shown
