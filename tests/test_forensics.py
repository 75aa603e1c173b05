"""Tests for helpers.forensics: digit extraction, the digit tests' size and power, the consistency checks.

Checked against defining properties (uniform digits are rarely rejected, all-zero digits always are) and
against the facts data/README.md states about the published figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy import stats as sps

from helpers import forensics as f
from tests.conftest import set_cell

# --- digits --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "digit"), [("57.70", 0), ("32.25", 5), ("0.29", 9), ("80.66", 6), ("100.00", 0)])
def test_last_digit_from_text(text: str, digit: int) -> None:
    assert f.last_digit(text) == digit


@pytest.mark.parametrize("text", ["72", "68.1", "43.7"])
def test_short_figures_have_no_second_decimal(text: str) -> None:
    assert f.last_digit(text) is None


def test_more_decimals_than_expected_is_an_error() -> None:
    with pytest.raises(ValueError, match="3 decimals"):
        f.last_digit("12.345")
    with pytest.raises(ValueError, match="not a number"):
        f.decimals_published("12,34")


def test_intraday_digits_real_data() -> None:
    digits = f.intraday_digits()
    assert len(digits) == 119  # 17 units x 7 reports
    repeats = digits[digits["repeat_of_previous"]]
    # README: the five western units repeat 18:00 at 20:00; 11 of 12 eastern units repeat 20:00 at 22:00
    assert len(repeats) == 16
    hours = repeats["timestamp"].dt.hour
    assert set(repeats.loc[hours == 20, "unit_id"].astype(str)) == {
        "aktobe", "atyrau", "west_kazakhstan", "mangistau", "kyzylorda"}
    assert (hours == 22).sum() == 11 and "almaty_city" not in set(repeats["unit_id"].astype(str))
    short = digits[digits["decimals"] < 2]
    assert sorted(short["published"]) == ["68.1", "68.1", "72"]
    assert short["digit"].isna().all()
    assert digits["use"].sum() == 100


def test_published_text_matches_values() -> None:
    frame = f.published_text("turnout_timeline", "turnout_pct")
    for text, value in zip(frame["turnout_pct_text"], frame["turnout_pct"], strict=True):
        assert Decimal(text) == Decimal(str(value))


# --- digit tests: size and power -----------------------------------------------------------------------


def test_null_digits_are_uniform() -> None:
    rng = np.random.default_rng(1)
    counts = f.digit_counts(f.simulate_null_digits(1000, 200, rng, "ratio").ravel())
    assert counts.sum() == 200_000
    assert sps.chisquare(counts).pvalue > 0.001
    assert np.all(np.abs(counts / 200_000 - 0.1) < 0.005)


def test_digit_counts_rows() -> None:
    counts = f.digit_counts(np.array([[0, 0, 9], [1, 2, 3]]))
    assert counts.tolist() == [[2, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 1, 1, 1, 0, 0, 0, 0, 0, 0]]
    assert f.chi_square_statistic(counts[0]).item() == pytest.approx(sps.chisquare(counts[0]).statistic)
    with pytest.raises(ValueError):
        f.digit_counts([10])


def test_uniform_digits_are_rarely_rejected() -> None:
    """Size: under the null the Monte-Carlo p-value is (close to) uniform, below 0.05 about 5 % of the time."""
    rng = np.random.default_rng(7)
    p_chi, p_zf = [], []
    for _ in range(200):
        result = f.digit_test(rng.integers(0, 10, 100), n_sims=2000, seed=int(rng.integers(1 << 30)))
        p_chi.append(result.p_chi_square_monte_carlo)
        p_zf.append(result.p_zero_five_monte_carlo)
    assert 0.01 <= np.mean(np.array(p_chi) <= 0.05) <= 0.10
    assert np.mean(np.array(p_zf) <= 0.05) <= 0.10
    assert sps.kstest(p_chi, "uniform").pvalue > 0.001
    assert 0.4 < np.median(p_chi) < 0.6


def test_all_zero_digits_are_detected() -> None:
    result = f.digit_test([0] * 100, n_sims=2000)
    assert result.chi_square == pytest.approx(900.0)
    assert result.zero_five == 100
    assert result.p_chi_square_monte_carlo == pytest.approx(1 / 2001)
    assert result.p_zero_five_monte_carlo == pytest.approx(1 / 2001)
    assert result.p_zero_five_binomial < 1e-60


def test_real_digit_test_numbers() -> None:
    digits = f.intraday_digits()
    result = f.digit_test(digits.loc[digits["use"], "digit"].astype(int))
    assert result.n == 100 and result.counts == (8, 8, 7, 12, 8, 8, 13, 11, 12, 13)
    assert result.chi_square == pytest.approx(5.2)
    assert result.zero_five == 16
    assert 0.7 < result.p_chi_square_monte_carlo < 0.9
    assert result.p_chi_square_asymptotic == pytest.approx(sps.chi2.sf(5.2, 9))


def test_power_rises_with_the_share_fabricated() -> None:
    table = f.power_table(100, [0.0, 0.1, 0.3], n_sims=1000)
    for pattern in f.PATTERNS:
        rows = table[table["pattern"] == pattern]
        assert rows["power chi-square"].iloc[0] <= 0.08  # false-alarm rate near alpha
        assert rows["power 0-and-5"].iloc[0] <= 0.08
        assert rows["power chi-square"].is_monotonic_increasing
        assert rows["power 0-and-5"].iloc[-1] > 0.99  # 30 of 100 figures rounded: always caught


def test_fabricate_replaces_the_stated_share() -> None:
    rng = np.random.default_rng(3)
    base = np.full((4, 50), 7)
    doctored = f.fabricate(base, 0.2, "twentieths", rng)
    assert ((doctored != 7).sum(axis=1) == 10).all()
    assert set(np.unique(doctored)) <= {0, 5, 7}
    with pytest.raises(ValueError):
        f.fabricate(base, 1.5, "tenths", rng)


# --- turnout-yes relation ------------------------------------------------------------------------------


def test_slope_and_correlation_agree_with_library_versions() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=6), rng.normal(size=6)
    assert f.ols_slope(x, y) == pytest.approx(sps.linregress(x, y).slope)
    assert f.ols_slope(x, y) == pytest.approx(np.polyfit(x, y, 1)[0])
    assert f.pearson(x, y) == pytest.approx(sps.pearsonr(x, y).statistic)
    assert f.ols_slope([1, 1, 1], [1, 2, 3]) == 0.0
    assert f.pearson([1, 2, 3], [4, 4, 4]) == 0.0


def test_turnout_and_shares_uses_published_units() -> None:
    yes = f.turnout_and_shares("yes_pct")
    assert set(yes["unit_id"]) == {"aktobe", "atyrau", "west_kazakhstan", "mangistau", "almaty_city"}
    assert yes.set_index("unit_id").loc["almaty_city", "turnout_2200_pct"] == pytest.approx(33.30)
    assert yes.set_index("unit_id").loc["almaty_city", "yes_pct"] == pytest.approx(65.22)
    no = f.turnout_and_shares("no_pct")
    assert len(no) == 6 and "kostanay" in set(no["unit_id"])


def test_critical_correlation() -> None:
    assert f.critical_correlation(5) == pytest.approx(0.878, abs=1e-3)  # textbook table value
    power = f.correlation_power(5, [0.0], n_sims=20_000)
    assert power["power"].iloc[0] == pytest.approx(0.05, abs=0.01)


# --- consistency ---------------------------------------------------------------------------------------


def test_polls_close_on_capital_clock() -> None:
    assert f.polls_close(6).strftime("%H:%M") == "20:00"
    assert f.polls_close(5).strftime("%H:%M") == "21:00"


def test_consistency_on_real_data() -> None:
    checks = f.timeline_checks()
    assert not checks["decrease"].any()  # README: 0 decreases
    moved = checks[checks["moved_after_close"]]
    assert moved["unit_id"].astype(str).tolist() == ["almaty_city"]
    assert moved["previous_pct"].iloc[0] == pytest.approx(32.25)
    assert moved["turnout_pct"].iloc[0] == pytest.approx(33.30)
    west_20 = checks[(checks["timestamp"].dt.hour == 20) & checks["repeat"]]
    assert set(west_20["unit_id"].astype(str)) == {"aktobe", "atyrau", "west_kazakhstan", "mangistau", "kyzylorda"}
    assert west_20["polls_open"].all()  # 20:00 capital time = 19:00 local in the west
    # the western units' 22:00 change is their first report after closing, not a move after closing
    assert not checks[(checks["unit_id"] == "aktobe") & (checks["timestamp"].dt.hour == 22)]["moved_after_close"].any()
    assert len(f.flagged(checks)) == 17


def test_constructed_decrease_is_flagged(data_copy: Path) -> None:
    set_cell(data_copy / "turnout_timeline.csv", {"timestamp": "2022-06-05T14:00:00+06:00", "unit_id": "akmola"},
             "turnout_pct", "40.00")
    checks = f.timeline_checks(data_copy)
    falls = checks[checks["decrease"]]
    assert falls["unit_id"].astype(str).tolist() == ["akmola"]
    assert falls["change_pt"].iloc[0] == pytest.approx(40.00 - 41.31)
    assert "figure fell" in set(f.flagged(checks)["flag"])


def test_implied_electorate_bounds_are_exact() -> None:
    # README: implied ranges 14:00 11,720,732-11,722,926, 20:00 11,731,069-11,732,804 (rounded ends)
    low, high = f.implied_electorate(6_262_973, "53.43")
    assert abs(low - 11_720_732) <= 1 and abs(high - 11_722_926) <= 1
    low, high = f.implied_electorate(7_936_655, "67.65")
    assert abs(low - 11_731_069) <= 1 and abs(high - 11_732_804) <= 1
    for count, text in ((6_262_973, "53.43"), (8_030_739, "68.44"), (5_122_577, "43.7")):
        low, high = f.implied_electorate(count, text)
        places = f.decimals_published(text)
        exp = Decimal(1).scaleb(-places)

        def shown(r: int, c: int = count, e: Decimal = exp) -> Decimal:
            return (Decimal(100 * c) / Decimal(r)).quantize(e, rounding="ROUND_HALF_UP")

        assert shown(low) == shown(high) == Decimal(text)
        assert shown(low - 1) != Decimal(text) and shown(high + 1) != Decimal(text)


def test_electorate_reports_real_data() -> None:
    table = f.electorate_reports().set_index("report")
    assert table.loc["14:00, 5 June", "list printed with it"] == 11_722_536
    assert table.loc["20:00, 5 June", "list printed with it"] == 11_732_699
    assert table.loc["final result", "list printed with it"] == 11_734_642
    # README: 68.44 % at 22:00 does not reproduce with the printed 11,732,699, only with 11,734,642
    assert not table.loc["22:00, 5 June", "printed list fits"]
    low, high = table.loc["22:00, 5 June", ["implied list, low", "implied list, high"]]
    assert int(str(low)) <= 11_734_642 <= int(str(high))
    assert table["printed list fits"].dropna().sum() == 4


def test_final_below_2200() -> None:
    table = f.final_below_2200().set_index("place")
    assert table.loc["Kazakhstan (national)", "change (count)"] == -44_970  # README: 8,030,739 -> 7,985,769
    assert table.loc["Turkestan Region", "change 22:00 to final (points)"] == pytest.approx(80.31 - 80.66)
    assert table.loc["Almaty (city)", "change 22:00 to final (points)"] == pytest.approx(32.99 - 33.30)
    assert table.loc["Almaty (city)", "preliminary % (took part)"] == pytest.approx(33.04)  # README, derived
    assert (table["change 22:00 to final (points)"] < 0).all()


def test_polls_open_flag_agrees_with_clock() -> None:
    """The shared timeline flag (helpers.turnout) and this module's closing times give the same answer."""
    checks = f.timeline_checks()
    assert (checks["polls_open"] == (checks["timestamp"] < checks["polls_close"])).all()
    assert checks["polls_open"].sum() == 17 * 5 + 5  # 10:00-18:00 everywhere, 20:00 in the west


# --- reader tables and charts --------------------------------------------------------------------------

def test_digit_usage_accounts_for_every_figure() -> None:
    usage = f.digit_usage(f.intraday_digits())["figures"]
    assert usage.sum() == 119  # 17 units x 7 reports (data/README.md)
    assert usage.index[0] == "used in the test" and usage.iloc[0] == 100
    assert usage["left out: repeats the unit's previous report"] == 16
    assert not any(str(label) in {"True", "False"} for label in usage.index)


def test_power_summary_reshapes_without_changing_values() -> None:
    power = f.power_table(100, [0.0, 0.2], n_sims=200, seed=1)
    summary = f.power_summary(power)
    assert list(summary.index) == [0, 20]
    assert list(summary.columns) == list(f.POWER_COLUMNS.values())
    zero_five = power[(power["pattern"] == "tenths") & (power["figures fabricated"] == 20)]["power 0-and-5"]
    assert summary.loc[20, f.POWER_COLUMNS[("tenths", "power 0-and-5")]] == zero_five.iloc[0]


@pytest.fixture
def agg() -> Iterator[None]:
    import matplotlib

    matplotlib.use("Agg")
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _data_points(ax: Axes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for line in ax.get_lines():
        xs = np.asarray(line.get_xdata(), dtype=float)
        ys = np.asarray(line.get_ydata(), dtype=float)
        if xs.size and line.get_marker() not in (None, "None", ""):
            points += [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    return points


def test_plot_relation_lines_stay_inside_the_data(agg: None) -> None:
    yes, no = f.turnout_and_shares("yes_pct"), f.turnout_and_shares("no_pct")
    fig = f.plot_relation(yes, no, "tables turnout_timeline and unit_results")
    assert isinstance(fig, Figure)
    for ax, frame in zip(fig.axes, (yes, no), strict=True):
        fitted = [line for line in ax.get_lines() if "least-squares" in str(line.get_label())]
        assert len(fitted) == 1
        xs = np.asarray(fitted[0].get_xdata(), dtype=float)
        assert min(xs) == pytest.approx(frame["turnout_2200_pct"].min())
        assert max(xs) == pytest.approx(frame["turnout_2200_pct"].max())
        assert "% of registered voters" in ax.get_xlabel() and "% of all who took part" in ax.get_ylabel()
        labels = ax.get_legend_handles_labels()[1]
        assert "Almaty (city)" in labels  # the city keeps its house style and is named
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "turnout_timeline" in texts and "national_results" not in texts


def test_plot_digits_and_power(agg: None) -> None:
    test = f.digit_test([d % 10 for d in range(100)], n_sims=500)
    fig = f.plot_digits(test, f.null_band(100, n_sims=500), "table turnout_timeline")
    ax = fig.axes[0]
    assert "honest rounding" in ax.get_title() and ax.get_ylabel() == "Number of figures"
    power = f.power_table(100, [0.0, 0.1, 0.15, 0.2, 0.3, 0.4], n_sims=300, seed=3)
    fig = f.plot_power(f.power_summary(power), 100, "simulation")
    ax = fig.axes[0]
    assert "nine times in ten" in ax.get_title() and "100" in ax.get_xlabel()
    # the legend covers no data point
    fig.canvas.draw()
    legend = ax.get_legend()
    assert legend is not None
    box = legend.get_window_extent()
    for x, y in _data_points(ax):
        px, py = ax.transData.transform((x, y))
        assert not (box.x0 <= px <= box.x1 and box.y0 <= py <= box.y1), (x, y)


def test_plot_timeline_checks_names_closing_times_and_cities(agg: None) -> None:
    from helpers import load

    offsets = load.table("units").set_index("unit_id")["polling_utc_offset"]
    fig = f.plot_timeline_checks(f.timeline_checks(), offsets, "tables turnout_timeline and units")
    ax = fig.axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "eastern polls close (20:00)" in labels
    assert "western polls close (21:00 capital time)" in labels
    assert {"Nur-Sultan (city)", "Almaty (city)", "Shymkent (city)"} <= set(labels)
    assert "5 western oblasts (UTC+5)" in labels and "9 eastern oblasts" in labels
    assert "% of registered voters" in ax.get_ylabel()
