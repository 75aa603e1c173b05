"""Find a unit (one of the 17 that voted on 5 June 2022) by any of its names or codes.

Accepted: the unit_id (``almaty_city``), the ISO 3166-2 code valid in June 2022 (``KZ-ALA``), the English,
Russian and Kazakh names, and the alternates listed in ``data/units.csv`` (Astana for Nur-Sultan, Jambyl,
Turkistan, Mangystau, Qostanay ...). Case, punctuation and the generic words "Region", "oblast",
"область", "облысы", "city", "қаласы" ... are ignored where that leaves no doubt. A bare "Almaty" is
ambiguous (the city or the region) and is refused with both suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import load
from helpers.errors import UnknownUnitError

_OBLAST_WORDS = {"region", "oblast", "oblysy", "province", "obl", "область", "обл", "облысы"}
_CITY_WORDS = {"city", "g", "город", "г", "қаласы", "қ"}
_GENERIC_WORDS = _OBLAST_WORDS | _CITY_WORDS | {"of", "the"}
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,()'’«»\"/]+")
_AMBIGUOUS = "__ambiguous__"


def _normalise(name: str) -> str:
    """Case-fold, unify letters and separators: ``'Nur-Sultan (city)'`` -> ``'nur sultan city'``."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    return " ".join(part for part in _SEPARATORS.split(text) if part)


def _strip_generic(key: str) -> str:
    return " ".join(word for word in key.split() if word not in _GENERIC_WORDS)


def _names_of(row: pd.Series) -> list[str]:
    names = [row["unit_id"], row["iso_3166_2"], row["name_en"], row["name_ru"], row["name_kk"]]
    alternates = row["alt_names"]
    if isinstance(alternates, str):
        names += [a.strip() for a in alternates.split(";") if a.strip()]
    return [str(n) for n in names if isinstance(n, str) and n]


def _kind_hint(key: str) -> str | None:
    """'oblast' or 'city' when the name says which (e.g. "Almaty oblast"), else None."""
    words = set(key.split())
    if words & _OBLAST_WORDS and not words & _CITY_WORDS:
        return "oblast"
    if words & _CITY_WORDS and not words & _OBLAST_WORDS:
        return "city"
    return None


def _add_loose(index: dict[str, str], short: str, unit_id: str) -> None:
    index[short] = unit_id if index.get(short, unit_id) == unit_id else _AMBIGUOUS


@lru_cache(maxsize=4)
def _indexes(folder: str | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Normalised name -> unit_id, and per kind the generic-word-free forms (ambiguous ones marked)."""
    units = load.table("units", folder)
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    by_kind: dict[str, dict[str, str]] = {"oblast": {}, "city": {}}
    for _, row in units.iterrows():
        unit_id = str(row["unit_id"])
        for name in _names_of(row):
            key = _normalise(name)
            exact[key] = unit_id
            short = _strip_generic(key)
            if short:
                _add_loose(loose, short, unit_id)
                _add_loose(by_kind.setdefault(str(row["kind"]), {}), short, unit_id)
    for short, unit_id in loose.items():
        exact.setdefault(short, unit_id)
    return exact, by_kind


def _index(folder: str | None) -> dict[str, str]:
    return _indexes(folder)[0]


def _folder_key(folder: Path | str | None) -> str | None:
    return None if folder is None else str(folder)


def lookup(name: str, folder: Path | str | None = None) -> str:
    """Return the unit_id for a name or code, or raise :class:`UnknownUnitError` with suggestions."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownUnitError(str(name), [])
    exact, by_kind = _indexes(_folder_key(folder))
    key = _normalise(name)
    hint = _kind_hint(key)
    unit_id = exact.get(key)
    if unit_id is None:
        short = _strip_generic(key)
        unit_id = by_kind[hint].get(short) if hint else exact.get(short)
    if unit_id is None or unit_id == _AMBIGUOUS:
        later = _later_region(name, folder)
        if later is not None:
            region, parent = later
            raise UnknownUnitError(name, [parent], note=f"{region} did not exist on 5 June 2022: it was part of "
                                   f"{english_names(folder)[parent]} then (data/unit_splits.csv).")
        raise UnknownUnitError(name, _suggest(name, folder))
    return unit_id


def _later_region(name: str, folder: Path | str | None = None) -> tuple[str, str] | None:
    """(English name, parent unit_id) if ``name`` is a region created after 5 June 2022 (Abai, Jetisu, Ulytau)."""
    splits = load.table("unit_splits", folder)
    key = _strip_generic(_normalise(name))
    for _, row in splits.iterrows():
        names = [str(row["new_region_en"]), str(row["new_region_iso"])]
        if key and key in {_strip_generic(_normalise(n)) for n in names}:
            return str(row["new_region_en"]), str(row["parent_unit_id"])
    return None


def _suggest(name: str, folder: Path | str | None = None, limit: int = 3) -> list[str]:
    """English names of the units whose names are closest to ``name``."""
    index = _index(_folder_key(folder))
    key = _normalise(name)
    candidates = [k for k, v in index.items() if v != _AMBIGUOUS]
    close = difflib.get_close_matches(key, candidates, n=12, cutoff=0.5)
    close += [k for k in candidates if key and (k.startswith(key) or key in k.split())]
    english = english_names(folder)
    seen: list[str] = []
    for match in close:
        label = english[index[match]]
        if label not in seen:
            seen.append(label)
    return seen[:limit]


def english_names(folder: Path | str | None = None) -> dict[str, str]:
    """unit_id -> English name, in display order."""
    units = load.table("units", folder).sort_values("display_order")
    return dict(zip(units["unit_id"].astype(str), units["name_en"].astype(str), strict=True))


def name_of(unit: str, lang: str = "en", folder: Path | str | None = None) -> str:
    """The unit's name in ``lang`` ("en", "ru" or "kk"); ``unit`` may be any accepted name or code."""
    if lang not in {"en", "ru", "kk"}:
        raise ValueError(f"lang must be 'en', 'ru' or 'kk', not {lang!r}")
    unit_id = lookup(unit, folder)
    units = load.table("units", folder).set_index("unit_id")
    return str(units.at[unit_id, f"name_{lang}"])


def named(frame: pd.DataFrame, column: str = "unit_id", as_: str = "unit",
          folder: Path | str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with the English unit name of ``column`` in a new column ``as_`` (next to it)."""
    names = english_names(folder)
    if as_ in frame.columns:
        raise ValueError(f"the frame already has a column {as_!r}; choose another name with as_=")
    unknown = sorted({str(u) for u in frame[column].dropna()} - set(names))
    if unknown:
        raise UnknownUnitError(unknown[0], _suggest(unknown[0], folder))
    result = frame.copy()
    result.insert(list(frame.columns).index(column) + 1, as_,
                  frame[column].astype("object").map(lambda u: names.get(str(u)) if pd.notna(u) else pd.NA))
    return result


_CAPITAL_UTC_OFFSET_2022 = 6  # the capital's clock, on which the commission reported on 5 June 2022
_POLLS_OPEN_LOCAL, _POLLS_CLOSE_LOCAL = 7, 20  # polls were open 07:00-20:00 on each unit's own clock


def _offsets(unit_ids: pd.Series, folder: Path | str | None) -> pd.Series:
    """Each row's unit's UTC offset on 5 June 2022 (NA where the row is not a unit, e.g. national)."""
    table = load.table("units", folder).set_index("unit_id")["polling_utc_offset"]
    offsets = dict(zip(table.index.astype(str), table.astype(int), strict=True))
    known = unit_ids.dropna().astype(str)
    unknown = sorted(set(known) - set(offsets))
    if unknown:
        raise UnknownUnitError(unknown[0], _suggest(unknown[0], folder))
    return unit_ids.astype("object").map(lambda u: offsets[str(u)] if pd.notna(u) else pd.NA).astype("Int64")


def local_hour(unit_ids: pd.Series, capital_hours: pd.Series | int, folder: Path | str | None = None) -> pd.Series:
    """The hour of a capital-time report on each unit's own clock on 5 June 2022 (five units kept UTC+5)."""
    return capital_hours - (_CAPITAL_UTC_OFFSET_2022 - _offsets(unit_ids, folder))


def polls_close_hour(unit_ids: pd.Series, folder: Path | str | None = None) -> pd.Series:
    """When each unit's polls closed on 5 June 2022, in capital time: 20:00 in the east, 21:00 on UTC+5."""
    return _POLLS_CLOSE_LOCAL + (_CAPITAL_UTC_OFFSET_2022 - _offsets(unit_ids, folder))


def polls_open(unit_ids: pd.Series, capital_hours: pd.Series | int, folder: Path | str | None = None) -> pd.Series:
    """Whether each unit's polls were still open at a capital-time report on 5 June 2022 (False for non-units).

    A report that repeats the unit's previous figure while its polls were open is carried forward, not a count.
    """
    hours = local_hour(unit_ids, capital_hours, folder)
    return (hours.ge(_POLLS_OPEN_LOCAL) & hours.lt(_POLLS_CLOSE_LOCAL)).fillna(False).astype(bool)


def carried_forward(timeline: pd.DataFrame, folder: Path | str | None = None) -> pd.Series:
    """Which rows of a 5 June 2022 timeline repeat the unit's previous report while its polls were still open.

    Such a figure is carried forward, not a count: the five units on UTC+5 repeated their 18:00 figure at 20:00
    (capital time), an hour before their polls closed. One rule for every notebook that picks a report: draw
    and count these figures as what they are. ``timeline`` needs ``unit_id`` (NA for national rows), ``hour``
    (capital time) and ``turnout_pct``; the result is aligned with its index (False for national rows).
    """
    missing = {"unit_id", "hour", "turnout_pct"} - set(timeline.columns)
    if missing:
        raise KeyError(f"carried_forward needs the columns unit_id, hour and turnout_pct; missing {sorted(missing)}")
    ordered = timeline.sort_values("hour", kind="stable")
    is_unit = ordered["unit_id"].notna()
    previous = ordered.groupby(ordered["unit_id"].astype("object"), dropna=True)["turnout_pct"].shift()
    repeats = (ordered["turnout_pct"] == previous).fillna(False).astype(bool)
    still_open = polls_open(ordered["unit_id"], ordered["hour"], folder)
    return (repeats & still_open & is_unit).reindex(timeline.index).astype(bool)
