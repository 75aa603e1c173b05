"""Reader-facing tables: names, precision and gaps."""

from __future__ import annotations

import pandas as pd

from helpers import load, tables


def test_readable_names_units_formats_numbers_and_marks_gaps() -> None:
    results = load.table("unit_results")
    almaty = results[(results["unit_id"] == "almaty_city") & results["registered_voters"].notna()]
    shown = tables.readable(almaty[["unit_id", "registered_voters", "yes_pct", "turnout_pct"]].reset_index(drop=True))
    assert list(shown.columns) == ["unit", "registered voters", "yes (%)", "turnout (%)"]
    assert shown.iloc[0].tolist() == ["Almaty (city)", "1,129,117", "65.22", "not published"]


def test_labels_and_per_column_decimals_win() -> None:
    frame = pd.DataFrame({"share": pd.array([80.5269, None], dtype="Float64"), "ok": pd.array([True, None])})
    shown = tables.readable(frame, {"share": "yes (% of yes + no)"}, decimals={"share": 1}, missing="–")
    assert shown["yes (% of yes + no)"].tolist() == ["80.5", "–"]
    assert shown["ok"].tolist() == ["yes", "–"]


def test_header_spells_out_suffixes() -> None:
    assert tables._header("no_votes") == "no (votes)"
    assert tables._header("both_marked_pct") == "both marked (%)"
    assert tables._header("took_part") == "took part"


def test_every_exit_poll_organisation_and_city_has_one_distinct_style() -> None:
    from helpers import plots

    organisations = set(load.table("exit_polls")["organisation_en"].astype(str))
    styles = [tuple(sorted(plots._poll_style(o).items())) for o in sorted(organisations)]
    assert len({plots.poll_label(o) for o in organisations}) == len(organisations)
    assert len(set(styles)) == len(organisations)
    cities = load.table("units").query("kind == 'city'")["unit_id"].astype(str)
    city_styles = {tuple(sorted(plots.unit_style(c).items())) for c in cities}
    assert len(city_styles) == 3
    assert plots.unit_style("akmola") == plots.unit_style("pavlodar") == plots._OBLAST_STYLE


def test_readable_blanks_row_numbers_but_keeps_a_meaningful_index() -> None:
    import pandas as pd

    numbered = tables.readable(pd.DataFrame({"turnout_pct": [68.05, 63.66]}))
    assert list(numbered.index) == ["", ""] and "0" not in numbered.to_string().split()
    by_hour = tables.readable(pd.DataFrame({"turnout_pct": [28.59, 68.44]}, index=pd.Index([10, 22], name="hour")))
    assert list(by_hour.index) == [10, 22]
