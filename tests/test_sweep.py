"""The sweep's grid covers every parameter, its checks catch what they are for, and a sample of it runs here.

The whole sweep is ``make sweep`` (tests/sweep.py). Its fast sample in the test suite: the mechanical checks
run on tests/test_parameters.py's runs (one other value and one bad value per notebook, so no notebook runs
twice), and here on one refused value, a single text where a list is expected.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import papermill
import pytest

from tests import notebook_runs, sweep


def test_the_grid_names_every_parameter_of_every_notebook_and_nothing_else() -> None:
    assert set(sweep.grid()) == set(sweep.parameterised()), "every notebook with a parameters cell needs grid values"
    for stem, table in sweep.grid().items():
        cell = sweep.parameters_cell(stem)
        assert set(table) == set(cell), (
            f"{stem}: parameters without grid values {sorted(set(cell) - set(table))}; "
            f"grid values for no parameter {sorted(set(table) - set(cell))}")
        for name, values in table.items():
            assert cell[name] in values, f"{stem}: the committed {name} = {cell[name]!r} is not among {values}"
            assert len(values) >= 2, f"{stem}: {name} has no value to try besides the committed one"


def test_combinations_and_refusals_name_only_parameters_the_notebook_has() -> None:
    for stem, combos in sweep.COMBINATIONS.items():
        for case in combos:
            assert case.stem == stem and set(case.parameters) <= set(sweep.parameters_cell(stem)), case
    for stem, bad in sweep.REFUSED.items():
        for parameters in bad:
            assert set(parameters) <= set(sweep.parameters_cell(stem)), (stem, parameters)
    assert set(sweep.REFUSED) == set(sweep.grid()), "every notebook needs at least one value it must refuse"


def test_the_grid_takes_its_finite_sets_from_the_data() -> None:
    table = sweep.grid()
    assert table["02_turnout"]["REPORT_HOUR"] == [10, 12, 14, 16, 18, 20, 22]
    assert len(table["04_regional"]["UNIT"]) == 17 and "Almaty (city)" in table["04_regional"]["UNIT"]
    years = table["05_claims_checked"]["RECENT_VOTES_FROM"]
    assert years[0] == 1991 and 2019 in years and years == sorted(set(years))
    assert set(table["02_turnout"]["REPORT_HOUR"]) <= set(table["07_three_referendums"]["REPORT_HOUR"])
    assert ["2022-06-05", "2024-10-06", "2026-03-15"] in table["07_three_referendums"]["COMPARE"]


def _nb(*outputs: dict[str, Any]) -> dict[str, Any]:
    return {"cells": [{"cell_type": "code", "outputs": list(outputs)}]}


def _markdown(text: str) -> dict[str, Any]:
    return {"output_type": "display_data", "data": {"text/markdown": text}}


@pytest.mark.parametrize("sentence", [
    "The three cities, set against the article's contrast: ; then the rest.", "Left out: .", "Kyzylorda, , Atyrau",
    "Almaty city and .", "Units excluded: []", "The turnout was nan %.", "Shown for None.", "Yes share <NA>.",
    "Carried forward ().",
])
def test_check_run_finds_an_empty_list_or_missing_value_in_a_sentence(sentence: str) -> None:
    case = sweep.Case("08_what_went_with_turnout", {})
    kinds = [kind for kind, _ in sweep.check_run(case, _nb(_markdown(sentence)), {})]
    assert kinds == ["empty or missing value in a sentence"]


def test_check_run_passes_a_clean_sentence_and_finds_stderr() -> None:
    case = sweep.Case("02_turnout", {})
    clean = _nb(_markdown("At 22:00 Kyzylorda turned out most: 78.24 % of registered voters, and Almaty least."),
                _markdown("**What we found.** None fell; `units.carried_forward()` marks the repeats."))
    assert sweep.check_run(case, clean, {}) == []
    warned = _nb({"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: invalid value\n"})
    assert sweep.check_run(case, warned, {}) == [("stderr", "RuntimeWarning: invalid value")]


def test_check_run_wants_the_choices_note_exactly_when_a_value_differs_and_the_choice_named() -> None:
    note = _markdown(sweep.note_marker() + " (`REPORT_HOUR` 22 → 20). …")
    named = _markdown("At 20:00 the five units on UTC+5 repeat their 18:00 figures.")
    committed = {"REPORT_HOUR": 22}
    changed = sweep.Case("02_turnout", {"REPORT_HOUR": 20})
    assert sweep.check_run(changed, _nb(note, named), committed) == []
    assert [k for k, _ in sweep.check_run(changed, _nb(named), committed)] == ["choices note missing"]
    assert [k for k, _ in sweep.check_run(changed, _nb(note), committed)] == ["choice not named"]
    same = sweep.Case("02_turnout", {"REPORT_HOUR": 22})
    assert [k for k, _ in sweep.check_run(same, _nb(note), committed)] == ["choices note at the committed values"]


def test_check_run_wants_each_unit_left_out_named() -> None:
    case = sweep.Case("08_what_went_with_turnout", {"EXCLUDE_UNITS": ["almaty_city", "shymkent"]})
    note = _markdown(sweep.note_marker() + " (…).")
    told = _markdown("Left out of every correlation: Almaty city and Shymkent (city).")
    assert sweep.check_run(case, _nb(note, told), {"EXCLUDE_UNITS": []}) == []
    half = _markdown("Left out of every correlation: Almaty city.")
    failures = sweep.check_run(case, _nb(note, half), {"EXCLUDE_UNITS": []})
    assert [k for k, _ in failures] == ["choice not named"] and "Shymkent" in failures[0][1]


def _error(ename: str, evalue: str) -> Any:
    return SimpleNamespace(ename=ename, evalue=evalue, cell_index=0)


def test_check_refusal_wants_one_clear_line_from_the_projects_checks() -> None:
    case = sweep.Case("08_what_went_with_turnout", {"EXCLUDE_UNITS": "2024"}, "refused")
    good = _error("ParameterError", "EXCLUDE_UNITS = '2024' is a text; expected a list such as ['almaty_city']")
    assert sweep.check_refusal(case, good, None) == []
    letters = _error("ParameterError", "EXCLUDE_UNITS: '2', '0', '2', '4' not allowed; choose from 'akmola'")
    assert [k for k, _ in sweep.check_refusal(case, letters, None)] == ["text refused letter by letter"]
    raw = _error("TypeError", "'NoneType' object is not iterable")
    assert [k for k, _ in sweep.check_refusal(case, raw, None)] == ["refusal unclear (raw error)"]
    unnamed = _error("UnknownUnitError", "Unknown unit '2024': expected one of the 17 units")
    assert [k for k, _ in sweep.check_refusal(case, unnamed, None)] == ["refusal does not name the parameter"]
    vague = _error("ParameterError", "EXCLUDE_UNITS is wrong\nsee the docs")
    assert sorted(k for k, _ in sweep.check_refusal(case, vague, None)) == [
        "refusal does not say what is allowed", "refusal not one line"]


def test_sample_a_single_text_where_a_list_is_expected_is_refused_as_a_whole(tmp_path: Path) -> None:
    """The sweep's refused sample: 08's EXCLUDE_UNITS given as one text (the issue's letter-by-letter case)."""
    case = sweep.Case("08_what_went_with_turnout", {"EXCLUDE_UNITS": "almaty_city"}, "refused")
    out = tmp_path / "08.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        notebook_runs.run_with_parameters(sweep.NOTEBOOKS / f"{case.stem}.ipynb", out, case.parameters)
    import json

    executed = json.loads(out.read_text(encoding="utf-8"))
    assert sweep.check_refusal(case, failure.value, executed) == []
