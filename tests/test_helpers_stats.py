"""Intervals: checked against published textbook values and their defining properties."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import stats


def test_wilson_interval_matches_the_textbook_value() -> None:
    # Wilson 95 % interval for 50 successes in 100 trials: 0.4038 to 0.5962 (Brown, Cai & DasGupta 2001).
    interval = stats.proportion_interval(50.0, 100)
    assert interval.low == pytest.approx(40.38, abs=0.01)
    assert interval.high == pytest.approx(59.62, abs=0.01)
    assert "Wilson" in interval.method and "n = 100" in interval.method


def test_wilson_interval_is_asymmetric_near_the_edge_and_stays_inside_0_100() -> None:
    interval = stats.proportion_interval(2.0, 50)
    assert 0 <= interval.low < interval.estimate < interval.high <= 100
    assert interval.estimate - interval.low < interval.high - interval.estimate


def test_interval_narrows_with_sample_size_and_widens_with_design_effect() -> None:
    small = stats.proportion_interval(66.4, 1200)
    large = stats.proportion_interval(66.4, 24000)
    clustered = stats.proportion_interval(66.4, stats.effective_sample_size(24000, 4.0))
    width = lambda i: i.high - i.low  # noqa: E731
    assert width(large) < width(small)
    assert width(clustered) > width(large)


@pytest.mark.parametrize(("share", "n"), [(-1, 100), (101, 100), (50, 0)])
def test_impossible_inputs_are_refused(share: float, n: int) -> None:
    with pytest.raises(ValueError):
        stats.proportion_interval(share, n)


def test_design_effect_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        stats.effective_sample_size(100, 0.5)


def test_implied_design_effect_inverts_the_margin_of_a_clustered_sample() -> None:
    from scipy.stats import norm

    from helpers.stats import implied_design_effect

    # the margin a simple random sample of n/deff would have gives back deff
    share, n, deff = 74.8, 24000, 6.0
    margin = 100 * norm.ppf(0.975) * (0.748 * 0.252 / (n / deff)) ** 0.5
    assert implied_design_effect(share, n, margin) == pytest.approx(deff)
    assert round(implied_design_effect(74.8, 24000, 2.0), 1) == 13.3  # Qogamdyq Pikir, review finding 4
    with pytest.raises(ValueError, match="strictly between 0 and 100"):
        implied_design_effect(100.0, 10, 1.0)


def test_rank_correlation_matches_the_textbook_values_and_ignores_the_scale() -> None:
    # Spearman's rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)); for these ranks sum(d^2) = 10, n = 7: 1 - 60/336.
    x = [1, 2, 3, 4, 5, 6, 7]
    y = [2, 1, 4, 3, 7, 5, 6]
    assert stats.rank_correlation(x, y) == pytest.approx(1 - 60 / 336)
    assert stats.rank_correlation(x, [v ** 3 for v in x]) == pytest.approx(1.0)
    assert stats.rank_correlation(x, [-v for v in x]) == pytest.approx(-1.0)
    assert stats.rank_correlation(np.exp(x), y) == pytest.approx(stats.rank_correlation(x, y))


def test_rank_correlation_gives_ties_their_average_rank() -> None:
    # ranks of y with a tie: [1, 2.5, 2.5, 4]; Pearson of [1, 2, 3, 4] with those ranks = 0.9486832980505138.
    assert stats.rank_correlation([1, 2, 3, 4], [10, 20, 20, 40]) == pytest.approx(0.9486832980505138)
    assert np.isnan(stats.rank_correlation([1, 2, 3], [5, 5, 5]))


def test_rank_correlation_interval_is_reproducible_covers_the_estimate_and_narrows_with_n() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=200)
    y = x + rng.normal(size=200)
    small = stats.rank_correlation_interval(x[:17], y[:17], n_resamples=1999)
    assert small == stats.rank_correlation_interval(x[:17], y[:17], n_resamples=1999)
    assert small.low <= small.estimate <= small.high
    assert small.low >= -1 and small.high <= 1
    large = stats.rank_correlation_interval(x, y, n_resamples=1999)
    assert large.high - large.low < small.high - small.low
    assert large.low > 0.4, "a strong rank correlation's interval should stay well above zero with 200 pairs"
    assert "n = 17" in small.method and "Spearman" in small.method


def test_rank_correlation_p_value_separates_a_strong_link_from_none() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=17)
    linked = stats.rank_correlation_p_value(x, x + 0.2 * rng.normal(size=17), n_permutations=1999)
    unrelated = stats.rank_correlation_p_value(x, rng.normal(size=17), n_permutations=1999)
    assert linked == pytest.approx(2 / 2000), "no shuffle beats a near-perfect ordering: the smallest p possible"
    assert unrelated > 0.05
    assert stats.rank_correlation_p_value(x, -x, n_permutations=999) == pytest.approx(2 / 1000), "two-sided"


@pytest.mark.parametrize(("x", "y", "message"), [([1, 2, 3], [1, 2], "equal length"), ([1, 2], [1, 2], "at least 3"),
                                                 ([1, 2, float("nan")], [1, 2, 3], "missing values")])
def test_rank_correlation_refuses_unpaired_tiny_or_incomplete_samples(x: list[float], y: list[float],
                                                                     message: str) -> None:
    for function in (stats.rank_correlation, stats.rank_correlation_interval, stats.rank_correlation_p_value):
        with pytest.raises(ValueError, match=message):
            function(x, y)


def test_holm_adjustment_matches_the_worked_example() -> None:
    # sorted 0.005, 0.01, 0.03, 0.04 -> 4 x 0.005, 3 x 0.01, 2 x 0.03, max(0.06, 1 x 0.04); back in the given order.
    assert stats.holm_adjusted([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert stats.holm_adjusted([0.5, 0.9]) == pytest.approx([1.0, 1.0]), "capped at 1"
    assert stats.holm_adjusted([]) == []
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.holm_adjusted([0.2, 1.5])


def test_rank_correlation_interval_falls_back_to_percentiles_when_ties_make_bca_undefined() -> None:
    # 14 units, half of them tied on x (as regional unemployment rates are): some resamples have a constant x.
    x = [4.5, 4.6, 4.8, 4.8, 4.8, 4.8, 4.9, 4.9, 4.9, 4.9, 4.9, 4.9, 4.9, 5.1]
    y = [77.4, 57.1, 72.3, 58.1, 75.5, 77.5, 69.4, 73.8, 79.9, 69.6, 67.7, 61.2, 75.5, 80.7]
    interval = stats.rank_correlation_interval(x, y)
    assert np.isfinite(interval.low) and np.isfinite(interval.high)
    assert -1 <= interval.low <= interval.estimate <= interval.high <= 1
    assert "percentile bootstrap (BCa not computable)" in interval.method
