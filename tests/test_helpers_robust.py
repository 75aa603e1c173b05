"""The shared pieces of 'a finding and its alternatives' and of text that follows the parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import ParameterError, load, params, robust, text, units
from helpers.i18n import fmt, language


def test_verdict_all_none_and_some() -> None:
    assert robust.verdict({"base A": True, "base B": True, "base C": True}) == "holds under all 3 alternatives tried"
    assert robust.verdict({"only": True}) == "holds under the one alternative tried"
    assert robust.verdict({"x": False, "y": False}) == "holds under none of the 2 alternatives tried"
    assert robust.verdict(pd.Series({"2019 on": True, "2016 on": False, "before June 2022": False})) == (
        "depends on the choice: holds under 1 of 3 alternatives tried, not under 2016 on and before June 2022")


def test_verdict_accepts_numpy_booleans_and_refuses_other_values() -> None:
    assert robust.verdict(pd.Series([5.0, 1.0], index=["a", "b"]) > 2) == (
        "depends on the choice: holds under 1 of 2 alternatives tried, not under b")
    with pytest.raises(TypeError, match="True or False"):
        robust.verdict({"a": 1, "b": True})
    with pytest.raises(ValueError, match="at least one alternative"):
        robust.verdict({})


def test_table_shows_yes_and_no() -> None:
    results = pd.DataFrame({"share": [80.5, 77.2]}, index=["yes + no", "all who took part"])
    results["holds"] = results["share"] > 78
    shown = robust.table(results)
    assert list(shown["finding holds?"]) == ["yes", "no"]
    assert list(shown["share"]) == [80.5, 77.2]
    assert "holds" in results.columns  # the caller's frame is left as it was
    with pytest.raises(TypeError):
        robust.table(pd.DataFrame({"holds": [1, 0]}))
    with pytest.raises(KeyError, match="holds"):
        robust.table(pd.DataFrame({"x": [True]}))


def test_listing_reads_right_for_every_length() -> None:
    assert text.listing(["a"]) == "a"
    assert text.listing(["a", "b"]) == "a and b"
    assert text.listing(["a", "b", "c"]) == "a, b and c"
    assert text.listing([], empty="none of them") == "none of them"
    with pytest.raises(ValueError, match="no items"):
        text.listing([])
    assert text.count(0, "{n} units", none="no units") == "no units"
    assert text.count(0, "{n} units") == "0 units"
    assert text.count(1, "{n} unit") == "1 unit"
    with pytest.raises(ValueError, match=r"no \{n\}"):
        text.count(2, "units")
    with pytest.raises(ValueError, match="negative"):
        text.count(-1, "{n} units")


@pytest.mark.parametrize(("lang", "n", "expected"), [
    ("en", 1, "1st"), ("en", 2, "2nd"), ("en", 3, "3rd"), ("en", 11, "11th"), ("en", 12, "12th"),
    ("en", 13, "13th"), ("en", 15, "15th"), ("en", 21, "21st"), ("en", 22, "22nd"), ("en", 101, "101st"),
    ("ru", 15, "15-е"), ("kk", 1, "1-ші"), ("kk", 6, "6-шы"), ("kk", 9, "9-шы"), ("kk", 10, "10-шы"),
    ("kk", 15, "15-ші"), ("kk", 16, "16-шы"), ("kk", 20, "20-шы"), ("kk", 50, "50-ші"), ("kk", 100, "100-ші"),
])
def test_ordinals_read_right_in_each_language(monkeypatch: pytest.MonkeyPatch, lang: str, n: int,
                                             expected: str) -> None:
    monkeypatch.setenv("KZREF_LANG", lang)
    assert text.ordinal(n) == expected


def test_an_ordinal_needs_a_positive_whole_number() -> None:
    with pytest.raises(ValueError, match="from 1"):
        text.ordinal(0)


@pytest.mark.parametrize(("lang", "phrases"), [
    ("ru", {1: "1 регион", 3: "3 региона", 5: "5 регионов", 21: "21 регион"}),
])
def test_a_count_takes_every_plural_form_of_the_language(monkeypatch: pytest.MonkeyPatch, lang: str,
                                                        phrases: dict[int, str]) -> None:
    # Russian needs three forms; gettext picks them by the catalog's plural rule, text.count fills in n.
    import gettext
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=lang)
    catalog.add(("{n} unit", "{n} units"), ("{n} регион", "{n} региона", "{n} регионов"))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    for n, expected in phrases.items():
        assert text.count(n, translations.ngettext("{n} unit", "{n} units", n)) == expected


def test_enough_stops_a_choice_that_leaves_too_few() -> None:
    params.enough("EXCLUDE_UNITS", ["a"], left=16, need=6, what="a rank correlation")
    params.enough("EXCLUDE_UNITS", ["a"], left=6, need=6, what="a rank correlation")
    with pytest.raises(ParameterError, match=r"EXCLUDE_UNITS = \['a'\] leaves 5; a rank correlation needs at least 6"):
        params.enough("EXCLUDE_UNITS", ["a"], left=5, need=6, what="a rank correlation")


def test_choices_note_is_empty_for_the_written_choices_and_names_each_change() -> None:
    assert params.choices_note({"REPORT_HOUR": 22, "UNIT": "x"}, {"REPORT_HOUR": 22, "UNIT": "x"}) == ""
    note = params.choices_note({"REPORT_HOUR": 22, "UNIT": "x"}, {"REPORT_HOUR": 20, "UNIT": "x"})
    assert "`REPORT_HOUR`: `22` → `20`" in note and "UNIT" not in note
    assert params.changed_choices({"A": 1, "B": 2}, {"A": 1, "B": 3}) == ["B"]
    with pytest.raises(KeyError, match="same parameters"):
        params.changed_choices({"A": 1}, {"B": 1})


def test_carried_forward_flags_exactly_the_utc5_units_at_20() -> None:
    timeline = load.table("turnout_timeline")
    timeline["hour"] = timeline["timestamp"].dt.hour
    flagged = timeline[units.carried_forward(timeline)]
    on_utc5 = set(load.table("units").query("polling_utc_offset == 5")["unit_id"].astype(str))
    assert set(flagged["unit_id"].astype(str)) == on_utc5
    assert set(flagged["hour"]) == {20}
    # the flag depends on the figures, not on the hour alone: a 20:00 figure that moved is a count
    moved = timeline.copy()
    aktobe_20 = (moved["unit_id"] == "aktobe") & (moved["hour"] == 20)
    moved.loc[aktobe_20, "turnout_pct"] = moved.loc[aktobe_20, "turnout_pct"] + 1
    assert not units.carried_forward(moved)[aktobe_20].any()
    # shuffled rows give the same flags, aligned with the caller's index
    shuffled = timeline.sample(frac=1, random_state=1)
    assert units.carried_forward(shuffled).sort_index().equals(units.carried_forward(timeline).sort_index())
    # a repeat after the polls closed is not carried forward (an eastern unit repeating 20:00 at 22:00)
    late = timeline.copy()
    akmola = late["unit_id"] == "akmola"
    at_20 = late.loc[akmola & (late["hour"] == 20), "turnout_pct"].iloc[0]
    late.loc[akmola & (late["hour"] == 22), "turnout_pct"] = at_20
    assert not units.carried_forward(late)[akmola].any()
    with pytest.raises(KeyError, match="hour"):
        units.carried_forward(timeline.drop(columns="hour"))


def test_numbers_are_formatted_for_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert language() == "en"
    assert fmt.percent(68.0549, 2) == "68.05\u00a0%"
    assert fmt.integer(11734642) == "11,734,642"
    assert fmt.signed(-0.383, 2) == "\u22120.38" and fmt.signed(0.383, 2) == "+0.38" and fmt.signed(0.001, 2) == "0.00"
    monkeypatch.setenv("KZREF_LANG", "ru")
    assert fmt.percent(68.0549, 2) == "68,05\u00a0%"
    assert fmt.integer(11734642).replace("\u00a0", " ") == "11 734 642"
    monkeypatch.setenv("KZREF_LANG", "de")
    with pytest.raises(ParameterError, match="KZREF_LANG = 'de'"):
        language()
    with pytest.raises(ValueError):
        fmt.integer(np.float64(2.5))
