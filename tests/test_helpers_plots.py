"""The house chart builders and the Chart output (picture + the data it draws)."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from PIL import Image

from helpers import i18n, plots

FRAME = pd.DataFrame({
    "unit_id": ["turkestan", "shymkent", "almaty_city"],
    "unit": ["Turkestan Region", "Shymkent (city)", "Almaty (city)"],
    "turnout_pct": [80.66, 72.53, 33.30],
})


@pytest.fixture(autouse=True)
def _style() -> None:
    plots.set_style()


def finished(ax: plt.Axes, data: pd.DataFrame = FRAME) -> plots.Chart:
    return plots.finish(ax, "Turkestan highest, Almaty city lowest", "CEC report of 22:00", data=data,
                        xlabel="ballots received (% of registered voters)", units={"turnout_pct": "% of registered"})


def test_finish_returns_the_picture_and_the_data_as_csv_and_closes_the_figure() -> None:
    ax = plots.ranked_bars(FRAME, "turnout_pct", "unit")
    chart = finished(ax)
    bundle, metadata = chart._repr_mimebundle_()
    assert chart.png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(chart.png)) as picture:
        width = picture.size[0]
    assert metadata["image/png"]["width"] == round(width / 2)  # 200 dpi shown at 100
    csv = bundle["text/csv"]
    assert csv.splitlines()[:3] == ["# Chart: Turkestan highest, Almaty city lowest", "# Source: CEC report of 22:00",
                                    "# Column turnout_pct: % of registered"]
    back = pd.read_csv(io.StringIO(csv), comment="#")
    pd.testing.assert_frame_equal(back, FRAME)
    assert bundle["text/plain"] == "Chart: Turkestan highest, Almaty city lowest"
    assert plt.get_fignums() == []
    assert ax.get_xlabel() == "ballots received (% of registered voters)"


def test_finish_refuses_a_chart_without_its_data_or_with_units_for_missing_columns() -> None:
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="pass the data the chart draws"):
        plots.finish(ax, "t", "s", data=pd.DataFrame())
    with pytest.raises(ValueError, match=r"columns the data does not have: \['yes_pct'\]"):
        plots.finish(ax, "t", "s", data=FRAME, units={"yes_pct": "%"})
    plt.close("all")


def test_a_multi_panel_figure_takes_the_title_as_its_own() -> None:
    fig, _ = plt.subplots(1, 2)
    chart = plots.finish(fig, "Two panels", "s", data=FRAME)
    assert fig.get_suptitle() == "Two panels" and chart.title == "Two panels"


def test_ranked_bars_keep_the_frames_order_and_mark_cities_by_colour_and_hatch() -> None:
    ax = plots.ranked_bars(FRAME, "turnout_pct", "unit", reference=("nation", 68.44))
    by_height = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True))
    assert [by_height[y] for y in sorted(by_height, reverse=True)] == list(FRAME["unit"])  # first row on top
    bars = ax.patches[:3]
    assert [b.get_hatch() or "" for b in bars] == ["", plots.HATCHES[1], plots.HATCHES[1]]
    assert [t.get_text().strip() for t in ax.texts[:3]] == ["80.66", "72.53", "33.30"]
    assert any(line.get_xdata()[0] == 68.44 for line in ax.get_lines())
    plt.close("all")


def test_small_multiples_draw_one_panel_per_series_and_hide_the_rest() -> None:
    long = pd.DataFrame({"unit": ["A", "A", "B", "B", "C", "C"], "hour": [10, 12] * 3,
                         "turnout_pct": [5.0, 10.0, 6.0, 12.0, 7.0, 9.0]})
    fig, panels = plots.small_multiples(long, "hour", "turnout_pct", "unit", ncols=2,
                                        reference=long[long["unit"] == "A"])
    assert list(panels) == ["A", "B", "C"]
    assert sum(ax.get_visible() for ax in fig.axes) == 3
    assert list(panels["B"].get_lines()[-1].get_ydata()) == [6.0, 12.0]
    plt.close("all")


def test_dot_interval_draws_a_hollow_point_where_there_is_no_interval() -> None:
    polls = pd.DataFrame({"organisation": ["Institute of Democracy (research association)",
                                           "Institute for Comprehensive Social Research 'SOCIS-A'"],
                          "yes_pct": [79.4, 76.7], "low": [78.0, None], "high": [80.8, None]})
    ax = plots.dot_interval(polls, "yes_pct", "low", "high", "organisation", style="organisation",
                            references={"official": 80.53})
    hollow = [line for line in ax.get_lines() if isinstance(line, Line2D) and line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1 and list(hollow[0].get_xdata()) == [76.7]
    plt.close("all")


def test_labelled_scatter_names_only_the_units_asked_for() -> None:
    ax = plots.labelled_scatter(FRAME, "turnout_pct", "turnout_pct", "unit", named={"almaty_city"})
    assert [t.get_text() for t in ax.texts] == ["Almaty (city)"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["oblast", "Almaty (city)", "Shymkent (city)"]
    plt.close("all")


def test_a_chart_in_another_language_records_every_text_it_draws_and_translates_its_csv_headers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREF_LANG", "ru")
    ax = plots.ranked_bars(FRAME, "turnout_pct", "unit")
    ax.legend(handles=[Line2D([], [], label="national")])
    bundle, metadata = finished(ax)._repr_mimebundle_()
    drawn = metadata["chart_text"]
    assert "Turkestan highest, Almaty city lowest" in drawn and "80,66" in drawn  # bar labels in ru format
    assert "ballots received (% of registered voters)" in drawn and "national" in drawn
    assert "Shymkent (city)" in drawn  # tick labels
    assert any(line.endswith("CEC report of 22:00") for line in drawn)  # the source line
    header = next(line for line in bundle["text/csv"].splitlines() if not line.startswith("#"))
    assert header == f"unit_id,{i18n.translated('unit', 'ru')},turnout_pct"  # unit_id, turnout_pct: no message
    assert "unit," not in header
    assert bundle["text/plain"].startswith("Chart: ")  # the marker the site reads stays as it is


def test_an_english_chart_carries_no_text_record() -> None:
    metadata = finished(plots.ranked_bars(FRAME, "turnout_pct", "unit"))._repr_mimebundle_()[1]
    assert "chart_text" not in metadata


def test_the_text_of_a_map_leaves_out_the_axes_it_does_not_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KZREF_LANG", "kk")
    fig, ax = plt.subplots()
    ax.set_xlabel("Geodetic longitude [degree]")
    ax.set_title("Карта")
    ax.set_axis_off()
    drawn = plots.figure_text(fig)
    plt.close(fig)
    assert "Карта" in drawn and "Geodetic longitude [degree]" not in drawn
