"""Tests that kill the mutants of helpers/stats.py that the first suite let live (``make mutation``):
each bound, argument and fallback is pinned by a value worked out by hand or by scipy directly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm, spearmanr

from helpers import stats

Z95 = 1.959963984540054


def wilson(successes: float, n: float, z: float) -> tuple[float, float]:
    """Wilson's score interval, written out (Wilson 1927), in percent."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


@pytest.mark.parametrize(("share", "n", "level"), [(66.4, 1200, 0.95), (12.5, 80, 0.90), (99.0, 300, 0.99)])
def test_proportion_interval_is_wilsons_formula(share: float, n: int, level: float) -> None:
    interval = stats.proportion_interval(share, n, level=level)
    low, high = wilson(share / 100 * n, n, float(norm.ppf(0.5 + level / 2)))
    assert (interval.low, interval.high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
    assert (interval.estimate, interval.level) == (share, level)
    assert interval.method == f"Wilson, n = {n:,}"


def test_proportion_interval_passes_the_method_on() -> None:
    interval = stats.proportion_interval(50.0, 100, method="normal")
    assert (interval.low, interval.high) == (pytest.approx(50 - Z95 * 5), pytest.approx(50 + Z95 * 5))
    assert interval.method == "Normal, n = 100"


@pytest.mark.parametrize("share", [0.0, 100.0])
def test_proportion_interval_accepts_the_edges(share: float) -> None:
    interval = stats.proportion_interval(share, 10)
    assert 0 <= interval.low <= interval.high <= 100


@pytest.mark.parametrize(("share", "n", "level", "named"), [
    (-0.01, 10, 0.95, "share_pct"), (100.01, 10, 0.95, "share_pct"), (50, 0, 0.95, "n must"),
    (50, -1, 0.95, "n must"), (50, 10, 0.0, "level"), (50, 10, 1.0, "level"),
])
def test_proportion_interval_refuses_impossible_arguments(share: float, n: int, level: float, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        stats.proportion_interval(share, n, level=level)


def test_interval_prints_estimate_level_bounds_and_method() -> None:
    assert str(stats.proportion_interval(50.0, 100)) == "50.0 (95% interval 40.4-59.6, Wilson, n = 100)"


def test_effective_sample_size_divides_by_the_design_effect() -> None:
    assert stats.effective_sample_size(24000, 4.0) == 6000
    assert stats.effective_sample_size(1200, 1.0) == 1200
    with pytest.raises(ValueError, match="at least 1"):
        stats.effective_sample_size(1200, 0.999)


def test_implied_design_effect_is_the_squared_ratio_of_margins() -> None:
    simple = 100 * Z95 * math.sqrt(0.5 * 0.5 / 100)  # 9.8 points for n = 100 at 50 %
    assert stats.implied_design_effect(50, 100, simple) == pytest.approx(1.0)
    assert stats.implied_design_effect(50, 100, 2 * simple) == pytest.approx(4.0)
    z90 = float(norm.ppf(0.95))
    margin90 = 100 * z90 * math.sqrt(0.3 * 0.7 / 400)
    assert stats.implied_design_effect(30, 400, margin90, level=0.90) == pytest.approx(1.0)


@pytest.mark.parametrize(("share", "n", "margin"), [(0, 100, 2), (100, 100, 2), (50, 0, 2), (50, 100, 0),
                                                    (50, -5, 2), (50, 100, -1)])
def test_implied_design_effect_refuses_impossible_arguments(share: float, n: float, margin: float) -> None:
    with pytest.raises(ValueError):
        stats.implied_design_effect(share, n, margin)


@pytest.mark.parametrize(("x", "y", "named"), [
    ([1, 2, 3], [1, 2], "equal length"), ([[1, 2, 3]], [[1, 2, 3]], "1-D"), ([1, 2], [2, 1], "at least 3"),
    ([1, 2, float("nan")], [1, 2, 3], "missing"), ([1, 2, 3], [1, float("nan"), 3], "missing"),
])
def test_paired_samples_are_checked(x: list[float], y: list[float], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        stats.rank_correlation(x, y)


def test_three_pairs_are_enough() -> None:
    assert stats.rank_correlation([1, 2, 3], [3, 1, 2]) == pytest.approx(-0.5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rank_correlation_equals_scipy_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.integers(0, 5, 12), rng.integers(0, 4, 12)
    assert stats.rank_correlation(x, y) == pytest.approx(float(spearmanr(x, y).statistic), abs=1e-12)


def test_rank_correlation_of_a_constant_side_is_nan() -> None:
    assert math.isnan(stats.rank_correlation([1, 1, 1, 1], [1, 2, 3, 4]))
    assert math.isnan(stats.rank_correlation([1, 2, 3, 4], [5, 5, 5, 5]))


def test_spearman_works_along_the_last_axis_of_resamples() -> None:
    x = np.array([[1.0, 2, 3, 4], [4, 3, 2, 1]])
    y = np.array([[1.0, 2, 3, 4], [1, 2, 3, 4]])
    assert stats._spearman(x, y).tolist() == pytest.approx([1.0, -1.0])


X = [68.1, 61.5, 72.0, 55.2, 80.3, 77.7, 64.0, 59.9, 70.4, 66.6]
Y = [77.0, 70.2, 81.1, 69.0, 85.5, 79.0, 75.4, 66.1, 80.0, 71.3]


def test_rank_correlation_interval_reports_level_resamples_and_n() -> None:
    interval = stats.rank_correlation_interval(X, Y, level=0.9, n_resamples=999)
    assert interval.level == 0.9
    assert interval.method == "Spearman's rho, BCa bootstrap, 999 resamples, n = 10"
    assert interval.estimate == pytest.approx(float(spearmanr(X, Y).statistic))
    assert -1 <= interval.low < interval.estimate < interval.high <= 1


def test_rank_correlation_interval_is_scipys_bootstrap_with_the_seed() -> None:
    from scipy.stats import bootstrap

    interval = stats.rank_correlation_interval(X, Y, level=0.8, n_resamples=499, seed=7, method="percentile")
    expected = bootstrap((np.array(X), np.array(Y)), stats._spearman, paired=True, vectorized=True,
                         confidence_level=0.8, n_resamples=499, method="percentile",
                         rng=np.random.default_rng(7)).confidence_interval
    assert (interval.low, interval.high) == (pytest.approx(expected.low), pytest.approx(expected.high))
    assert interval.method.startswith("Spearman's rho, percentile bootstrap, 499 resamples")
    other = stats.rank_correlation_interval(X, Y, level=0.8, n_resamples=499, seed=8, method="percentile")
    assert (other.low, other.high) != (interval.low, interval.high)


def test_rank_correlation_interval_fallback_uses_the_defined_resamples_at_the_level() -> None:
    x, y = [1, 1, 1, 1, 2, 2], [3, 1, 4, 1, 5, 9]
    interval = stats.rank_correlation_interval(x, y, level=0.8, n_resamples=400, seed=3)
    assert interval.method.startswith("Spearman's rho, percentile bootstrap (BCa not computable), ")
    assert interval.method.endswith("of 400 resamples with rho defined, n = 6")
    defined = int(interval.method.split("), ")[1].split(" of")[0])
    assert 0 < defined < 400
    assert np.isfinite(interval.low) and np.isfinite(interval.high) and interval.low < interval.high
    wider = stats.rank_correlation_interval(x, y, level=0.99, n_resamples=400, seed=3)
    assert wider.low <= interval.low and wider.high >= interval.high
    assert (wider.low, wider.high) != (interval.low, interval.high)


def test_rank_correlation_p_value_is_exact_for_few_pairs() -> None:
    """Four pairs in the same order: 1 of the 24 pairings has rho = 1 and 1 has rho = -1, so p = 2/24."""
    assert stats.rank_correlation_p_value([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(2 / 24)
    assert stats.rank_correlation_p_value([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(2 / 24)


def test_rank_correlation_p_value_is_estimated_with_the_seed_and_its_floor() -> None:
    x, y = list(range(10)), list(range(10))
    assert stats.rank_correlation_p_value(x, y, n_permutations=99) == pytest.approx(2 / 100)
    a = stats.rank_correlation_p_value(X, Y, n_permutations=199, seed=1)
    b = stats.rank_correlation_p_value(X, Y, n_permutations=199, seed=1)
    c = stats.rank_correlation_p_value(X, [*Y[1:], Y[0]], n_permutations=199, seed=2)
    assert a == b and 0 < a < 0.05 and c > 0.05


def test_holm_adjustment_by_hand() -> None:
    # sorted: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04 -> kept at the running 0.06
    assert stats.holm_adjusted([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert stats.holm_adjusted([0.5, 0.6]) == [1.0, 1.0]
    assert stats.holm_adjusted([0.2]) == [0.2]
    assert stats.holm_adjusted([]) == []
    assert stats.holm_adjusted([0.0, 1.0]) == [0.0, 1.0]


@pytest.mark.parametrize("bad", [-0.01, 1.01])
def test_holm_refuses_what_is_no_p_value(bad: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.holm_adjusted([0.5, bad])


def test_smallest_arguments_are_accepted() -> None:
    assert stats.proportion_interval(50.0, 1).high > 50
    assert stats.implied_design_effect(0.5, 1, 0.5) > 0


def test_implied_design_effect_refusal_names_the_arguments() -> None:
    with pytest.raises(ValueError, match="n and margin_pct must be positive, not 0 and 2"):
        stats.implied_design_effect(50, 0, 2)


def test_holm_caps_at_one() -> None:
    assert stats.holm_adjusted([0.6, 0.7]) == [1.0, 1.0]


def test_defaults_are_the_documented_seed_and_resamples() -> None:
    shifted = [*Y[3:], *Y[:3]]
    assert stats.rank_correlation_p_value(X, shifted) == stats.rank_correlation_p_value(X, shifted, 9999, 2022)
    default = stats.rank_correlation_interval(X, shifted)
    explicit = stats.rank_correlation_interval(X, shifted, 0.95, 9999, 2022)
    assert (default.low, default.high) == (explicit.low, explicit.high)
    assert "BCa bootstrap, 9999 resamples" in default.method


def test_p_value_depends_on_the_seed_only() -> None:
    shifted = [*Y[3:], *Y[:3]]
    first = stats.rank_correlation_p_value(X, shifted, n_permutations=299, seed=5)
    assert first == stats.rank_correlation_p_value(X, shifted, n_permutations=299, seed=5)
    others = {stats.rank_correlation_p_value(X, shifted, n_permutations=299, seed=s) for s in range(6, 10)}
    assert others - {first}


def test_fallback_interval_is_the_quantiles_of_the_defined_resamples() -> None:
    import warnings

    from scipy.stats import DegenerateDataWarning, bootstrap

    x, y = np.array([1.0, 1, 1, 1, 2, 2]), np.array([3.0, 1, 4, 1, 5, 9])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap((x, y), stats._spearman, paired=True, vectorized=True, confidence_level=0.8,
                           n_resamples=400, method="BCa", rng=np.random.default_rng(3))
    dist = result.bootstrap_distribution[np.isfinite(result.bootstrap_distribution)]
    low, high = np.quantile(dist, [0.1, 0.9])
    interval = stats.rank_correlation_interval(x, y, level=0.8, n_resamples=400, seed=3)
    assert (interval.low, interval.high) == (pytest.approx(low), pytest.approx(high))
