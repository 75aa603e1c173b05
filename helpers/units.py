"""Find a unit (one of the 17 that voted on 5 June 2022) by what a reader types.

Accepted: the unit_id (``almaty_city``); the ISO 3166-2 code valid in June 2022 (``KZ-ALA``) and today's
numeric code (``KZ-75``); the English, Russian and Kazakh names, with or without the generic word ("Region",
"oblast", "область", "облысы", "city", "город", "қаласы" ...); the alternates of ``data/units.csv`` (Astana,
Jambyl, Qostanay, ЗКО, WKO ...), older names there without their note in brackets (Aktyubinsk, Guryev,
Uralsk, Kyzyl-Orda ...); a few forms readers type that the table does not list (Астана, Караганда, БҚО ...).
Case, punctuation, accents and the Kazakh letters (қ ғ ң ү ұ ө ә і һ typed as к г н у у о а и х) are ignored.

:func:`resolve` also returns a line for the reader when the name is not the unit's name of 5 June 2022
(today's name or code, an older name) or could mean two units: a bare "Almaty"/"Алматы" is the city (the
region's names in data/units.csv always carry a word for region: Almaty Region, Алматинская область, Алматы
облысы), and the note says how to name the region. Regions created
after polling day (Abai, Jetisu, Ulytau) are refused with the unit they were part of then; a near miss
is refused with the closest units suggested.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from helpers import load
from helpers.errors import UnknownUnitError
from helpers.i18n import _, language

_OBLAST_WORDS = {"region", "oblast", "oblys", "oblysy", "province", "obl", "область", "обл", "облысы", "облыс"}
_CITY_WORDS = {"city", "g", "город", "г", "каласы", "к"}  # қаласы, қ. once the Kazakh letters are folded
_GENERIC_WORDS = _OBLAST_WORDS | _CITY_WORDS | {"of", "the"}
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,()'’«»\"“”/]+")
_BRACKET = re.compile(r"\s*\(([^)]*)\)")
_CODE = re.compile(r"kz \w{2,3}")
_KAZAKH_LETTERS = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ү": "у", "ұ": "у", "ө": "о", "ә": "а", "і": "и",
                                 "һ": "х", "ё": "е", "й": "и"})

# ISO 3166-2:KZ numeric codes, in use since the ISO update of November 2022 that also added the three new regions
# (pycountry 24.6.1; /work/shared/reference/units/NOTES.md, discrepancy 2). On 5 June 2022 the letter codes of
# data/units.csv were valid.
TODAY_CODES = {
    "akmola": "KZ-11", "aktobe": "KZ-15", "almaty_region": "KZ-19", "atyrau": "KZ-23", "west_kazakhstan": "KZ-27",
    "zhambyl": "KZ-31", "karaganda": "KZ-35", "kostanay": "KZ-39", "kyzylorda": "KZ-43", "mangistau": "KZ-47",
    "pavlodar": "KZ-55", "north_kazakhstan": "KZ-59", "turkestan": "KZ-61", "east_kazakhstan": "KZ-63",
    "nur_sultan": "KZ-71", "almaty_city": "KZ-75", "shymkent": "KZ-79",
}
# Today's names of a unit renamed after 5 June 2022: the capital, Nur-Sultan then, is Astana again (the later
# data, reference/later/*.csv, name it "Astana (city)").
_TODAY_NAMES = {"nur_sultan": ("Astana", "Astana city", "Астана", "город Астана", "Астана қаласы")}
# Forms readers type that data/units.csv does not list: Russian short names (the Kazakh ones are found by
# folding the Kazakh letters) and the Kazakh abbreviations beside the Russian ЗКО, ВКО, СКО of the table.
_EXTRA_NAMES = {
    "karaganda": ("Караганда",), "mangistau": ("Мангистау",), "turkestan": ("Туркестан",),
    "west_kazakhstan": ("БҚО",), "east_kazakhstan": ("ШҚО",), "north_kazakhstan": ("СҚО",),
}
# Russian forms of older names listed in data/units.csv: (unit_id, the listed name they translate).
_EXTRA_OLDER = {
    "Алма-Ата": ("almaty_city", "Alma-Ata (former name)"),
    "Целиноград": ("nur_sultan", "Tselinograd (former city name)"),
    "Южно-Казахстанская область": ("turkestan", "South Kazakhstan Region (name until 2018)"),
    "ЮКО": ("turkestan", "South Kazakhstan Region (name until 2018)"),
}
# Names of the regions created on 8 June 2022, beside the English name and code of data/unit_splits.csv.
_LATER_NAMES = {
    "KZ-10": ("Abai", "Abay", "Абай", "Абайская область", "Абай облысы"),
    "KZ-33": ("Jetisu", "Zhetisu", "Zhetysu", "Jetysu", "Жетісу", "Жетысу", "Жетысуская область", "Жетісу облысы"),
    "KZ-62": ("Ulytau", "Ulytaū", "Улытау", "Ұлытау", "Улытауская область", "Ұлытау облысы"),
}


class Resolution(NamedTuple):
    """A unit found by :func:`resolve`: its unit_id and one line for the reader, or None when the name needs none."""

    unit_id: str
    note: str | None


@dataclass(frozen=True)
class _Name:
    """One way of naming a unit: tier 0 a listed name or code, 1 the same without its generic word, 2 an older
    name without its note in brackets; ``note`` (with ``{typed}``) when the name is not the 5 June 2022 one."""

    unit_id: str
    kind: str
    tier: int
    note: str | None = None


_Index = dict[str, list[_Name]]


def _normalise(name: str) -> str:
    """Case-fold, fold accents and Kazakh letters, unify separators: ``'Nur-Sultan (city)'`` -> ``'nur sultan city'``.
    """
    text = unicodedata.normalize("NFKC", name).casefold().translate(_KAZAKH_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(part for part in _SEPARATORS.split(text) if part)


def _strip_generic(key: str) -> str:
    return " ".join(word for word in key.split() if word not in _GENERIC_WORDS)


def _names_of(row: pd.Series) -> list[str]:
    names = [row["unit_id"], row["iso_3166_2"], row["name_en"], row["name_ru"], row["name_kk"]]
    return [str(n) for n in names + _alternates(row) if isinstance(n, str) and n]


def _alternates(row: pd.Series) -> list[str]:
    alternates = row["alt_names"]
    return [a.strip() for a in alternates.split(";") if a.strip()] if isinstance(alternates, str) else []


def _kind_hint(key: str) -> str | None:
    """'oblast' or 'city' when the name says which (e.g. "Almaty oblast"), else None."""
    words = set(key.split())
    if words & _OBLAST_WORDS and not words & _CITY_WORDS:
        return "oblast"
    if words & _CITY_WORDS and not words & _OBLAST_WORDS:
        return "city"
    return None


def _add(index: _Index, name: str, entry: _Name, *, loose: bool = True) -> None:
    key = _normalise(name)
    index.setdefault(key, []).append(entry)
    short = _strip_generic(key)
    if loose and short and short != key:
        index.setdefault(short, []).append(_Name(entry.unit_id, entry.kind, max(entry.tier, 1), entry.note))


def _older_note(alternate: str, english: str) -> str:
    return _("“{{typed}}” is read as {unit}, its name on 5 June 2022 (data/units.csv lists “{listed}” among its "
             "names).").format(unit=english, listed=alternate)


def _split_off(unit_id: str, folder: str | None) -> str:
    """', and it still included Jetisu Region (split off on 8 June 2022)' for a unit split later, else ''."""
    splits = load.table("unit_splits", folder)
    parts = splits[splits["parent_unit_id"].astype(str) == unit_id]
    return "".join(_(", and it still included {region} (split off on {day:%-d %B %Y}, data/unit_splits.csv)").format(
        region=row["new_region_en"], day=pd.Timestamp(row["created_date"])) for _i, row in parts.iterrows())


def _add_row(index: _Index, row: pd.Series, folder: str | None) -> None:
    unit_id, kind, english = str(row["unit_id"]), str(row["kind"]), str(row["name_en"])
    for name in _names_of(row):
        _add(index, name, _Name(unit_id, kind, 0))
    for alternate in _alternates(row):
        bracket = _BRACKET.search(alternate)
        bare = _BRACKET.sub("", alternate).strip()
        if bracket and bare and _strip_generic(_normalise(bracket.group(1))):  # "(former name)", not "(city)"
            _add(index, bare, _Name(unit_id, kind, 2, _older_note(alternate, english)))
    code = TODAY_CODES.get(unit_id)
    if code:
        note = _("“{{typed}}” is today's ISO 3166-2 code of {unit} (numeric codes since November 2022); on 5 June "
                 "2022 its code was {then}{split}.").format(unit=english, then=row["iso_3166_2"],
                                                            split=_split_off(unit_id, folder))
        _add(index, code, _Name(unit_id, kind, 0, note), loose=False)
    for name in _TODAY_NAMES.get(unit_id, ()):
        note = _("“{{typed}}” is read as {unit}, the city's name on 5 June 2022 (it was renamed Astana after "
                 "June 2022).").format(unit=english)
        _add(index, name, _Name(unit_id, kind, 0, note))
    for name in _EXTRA_NAMES.get(unit_id, ()):
        _add(index, name, _Name(unit_id, kind, 0))
    for name, (older_of, listed) in _EXTRA_OLDER.items():
        if older_of == unit_id:
            _add(index, name, _Name(unit_id, kind, 0, _older_note(listed, english)))


@lru_cache(maxsize=4)
def _indexes(folder: str | None) -> _Index:
    """Normalised name -> every way a unit is named so (several units where a name is shared)."""
    index: _Index = {}
    for _i, row in load.table("units", folder).iterrows():
        _add_row(index, row, folder)
    return index


def _folder_key(folder: Path | str | None) -> str | None:
    return None if folder is None else str(folder)


def _candidates(index: _Index, key: str, hint: str | None) -> list[_Name]:
    """The best-tier names that fit ``key`` (exact first, then without its generic word) and the kind it says."""
    found = index.get(key) or index.get(_strip_generic(key)) or []
    if hint is not None:
        found = [name for name in found if name.kind == hint]
    best = min((name.tier for name in found), default=0)
    return [name for name in found if name.tier == best]


def resolve(name: str, folder: Path | str | None = None) -> Resolution:
    """The unit_id for what a reader typed, with a line to show when the name needs one (else ``note`` None).

    The note says what the place was called on 5 June 2022 when ``name`` is today's name or code or an older
    name, and which unit a name that fits a city and a region is read as. Raises :class:`UnknownUnitError`
    (with the closest units, or the 2022 unit a later region was part of) when nothing fits.
    """
    if not isinstance(name, str) or not name.strip():
        raise UnknownUnitError(repr(name) if not isinstance(name, str) else name, [],
                               note=_("expected the name or code of one of the 17 units of 5 June 2022, such as "
                                      "'Almaty (city)', 'Astana' or 'KZ-AKM'"))
    folder_key = _folder_key(folder)
    index = _indexes(folder_key)
    key = _normalise(name)
    hint = _kind_hint(key)
    found = _candidates(index, key, hint)
    unit_ids = list(dict.fromkeys(entry.unit_id for entry in found))
    cities = [entry.unit_id for entry in found if entry.kind == "city"]
    if len(unit_ids) > 1 and len(set(cities)) == 1 and hint is None:
        unit_ids = [cities[0]]  # "Almaty": the city; the region's names all carry a word for region
    if len(unit_ids) != 1:
        raise _unknown(name, folder, [english_names(folder)[u] for u in unit_ids])
    unit_id = unit_ids[0]
    around = index.get(key) or index.get(_strip_generic(key)) or []  # an older name is noted at any tier
    notes = [entry.note for entry in [*found, *around] if entry.unit_id == unit_id and entry.note]
    note = notes[0].replace("{typed}", name.strip()) if notes else _city_or_region_note(index, name, key, hint,
                                                                                        unit_id, folder)
    return Resolution(unit_id, note)


def _city_or_region_note(index: _Index, name: str, key: str, hint: str | None, unit_id: str,
                         folder: Path | str | None) -> str | None:
    """The line for a bare name that is a city's and, with its word for region, a region's ("Almaty", "Алматы")."""
    if hint is not None:
        return None
    around = index.get(_strip_generic(key), [])
    if not any(e.unit_id == unit_id and e.kind == "city" for e in around):
        return None
    regions = list(dict.fromkeys(e.unit_id for e in around if e.kind == "oblast"))
    if not regions:
        return None
    units = load.table("units", folder).set_index("unit_id")
    region = units.loc[regions[0]]
    return _("“{typed}” alone is read as the city, {city}; the region's name always has its word for region: "
             "write “{region}” ({ru}, {kk}) for it.").format(
        typed=name.strip(), city=units.at[unit_id, "name_en"], region=region["name_en"], ru=region["name_ru"],
        kk=region["name_kk"])


def lookup(name: str, folder: Path | str | None = None) -> str:
    """Return the unit_id for a name or code, or raise :class:`UnknownUnitError` with suggestions."""
    return resolve(name, folder).unit_id


def _unknown(name: str, folder: Path | str | None, shared_by: list[str]) -> UnknownUnitError:
    if shared_by:
        return UnknownUnitError(name, shared_by, note=_("the name fits {units}; write the one you mean in full").format(
            units=" and ".join(shared_by)))
    later = _later_region(name, folder)
    if later is not None:
        region, parent = later
        return UnknownUnitError(name, [parent], note=f"{region} did not exist on 5 June 2022: it was part of "
                                f"{english_names(folder)[parent]} then (data/unit_splits.csv).")
    if _CODE.fullmatch(_normalise(name)):
        return UnknownUnitError(name, [], note=_("no unit has this ISO 3166-2 code; the codes of 5 June 2022 are "
                                                 "KZ-AKM, KZ-ALA ... (data/units.csv), today's KZ-11, KZ-75 ..."))
    return UnknownUnitError(name, _suggest(name, folder))


@lru_cache(maxsize=4)
def _later_index(folder: str | None) -> dict[str, tuple[str, str]]:
    """Normalised name (without generic words) of a region created after 5 June 2022 -> (English name, parent)."""
    later: dict[str, tuple[str, str]] = {}
    for _i, row in load.table("unit_splits", folder).iterrows():
        code = str(row["new_region_iso"])
        names = [str(row["new_region_en"]), code, *_LATER_NAMES.get(code, ())]
        for name in names:
            later[_strip_generic(_normalise(name))] = (str(row["new_region_en"]), str(row["parent_unit_id"]))
    return later


def _later_region(name: str, folder: Path | str | None = None) -> tuple[str, str] | None:
    """(English name, parent unit_id) if ``name`` is a region created after 5 June 2022 (Abai, Jetisu, Ulytau)."""
    key = _strip_generic(_normalise(name))
    return _later_index(_folder_key(folder)).get(key) if key else None


def _suggest(name: str, folder: Path | str | None = None, limit: int = 3) -> list[str]:
    """English names of the units whose names are closest to ``name`` (both units where a close name is shared)."""
    index = _indexes(_folder_key(folder))
    key = _normalise(name)
    tried = {key, _strip_generic(key)} - {""}
    scores: dict[str, float] = {}
    for candidate, entries in index.items():
        score = max(difflib.SequenceMatcher(None, typed, candidate).ratio() for typed in tried) if tried else 0.0
        if any(len(typed) >= 3 and candidate.startswith(typed) for typed in tried):
            score = max(score, 0.75)
        for entry in entries:
            scores[entry.unit_id] = max(scores.get(entry.unit_id, 0.0), score)
    best = max(scores.values(), default=0.0)
    ranked = sorted((u for u, s in scores.items() if s >= max(0.6, best - 0.12)), key=lambda u: -scores[u])
    english = english_names(folder)
    return [english[u] for u in ranked[:limit]]


def english_names(folder: Path | str | None = None) -> dict[str, str]:
    """unit_id -> English name, in display order (the names of error messages, whatever the run's language)."""
    return names("en", folder)


def names(lang: str | None = None, folder: Path | str | None = None) -> dict[str, str]:
    """unit_id -> name in ``lang`` (the run's language when None: ``KZREF_LANG``), in display order."""
    lang = _language(lang)
    units = load.table("units", folder).sort_values("display_order")
    return dict(zip(units["unit_id"].astype(str), units[f"name_{lang}"].astype(str), strict=True))


def _language(lang: str | None) -> str:
    """``lang`` checked, or the run's language."""
    chosen = language() if lang is None else lang
    if chosen not in {"en", "ru", "kk"}:
        raise ValueError(f"lang must be 'en', 'ru' or 'kk', not {chosen!r}")
    return chosen


def name_of(unit: str, lang: str | None = None, folder: Path | str | None = None) -> str:
    """The unit's name in ``lang`` (the run's language when None); ``unit`` may be any accepted name or code."""
    return names(_language(lang), folder)[lookup(unit, folder)]


# Short forms for charts and tables: the generic word dropped or abbreviated; Almaty's two units kept apart.
_SHORT_FORMS = {
    "en": ((" Region", ""), (" (city)", "")),
    "ru": ((" область", " обл."), ("город ", "г. ")),
    "kk": ((" облысы", ""), (" қаласы", " қ.")),
}
_ALMATY_SHORT = {("almaty_region", "en"): "Almaty Region", ("almaty_city", "en"): "Almaty city",
                 ("almaty_region", "kk"): "Алматы облысы"}  # "Almaty" / "Алматы" alone would be ambiguous


def short_name(unit: str, lang: str | None = None, folder: Path | str | None = None) -> str:
    """A chart label for the unit: ``Akmola``, ``Nur-Sultan``, ``Almaty Region``, ``Almaty city`` (en);
    ``Акмолинская обл.``, ``г. Алматы`` (ru); ``Ақмола``, ``Алматы облысы``, ``Алматы қ.`` (kk)."""
    lang = _language(lang)
    unit_id = lookup(unit, folder)
    if (unit_id, lang) in _ALMATY_SHORT:
        return _ALMATY_SHORT[unit_id, lang]
    name = names(lang, folder)[unit_id]
    for generic, short in _SHORT_FORMS[lang]:
        name = name.replace(generic, short)
    return name


def named(frame: pd.DataFrame, column: str = "unit_id", as_: str = "unit",
          folder: Path | str | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with the unit name of ``column`` (in the run's language) in a new column ``as_``."""
    known = names(None, folder)
    if as_ in frame.columns:
        raise ValueError(f"the frame already has a column {as_!r}; choose another name with as_=")
    unknown = sorted({str(u) for u in frame[column].dropna()} - set(known))
    if unknown:
        raise UnknownUnitError(unknown[0], _suggest(unknown[0], folder))
    result = frame.copy()
    result.insert(list(frame.columns).index(column) + 1, as_,
                  frame[column].astype("object").map(lambda u: known.get(str(u)) if pd.notna(u) else pd.NA))
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
