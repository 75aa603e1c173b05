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


def test_bootstrap_is_reproducible_and_covers_the_estimate() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=40)
    y = 0.8 * x + rng.normal(scale=0.5, size=40)
    corr = lambda a, b: float(np.corrcoef(a, b)[0, 1])  # noqa: E731
    first = stats.bootstrap_interval([x, y], corr, n_resamples=999)
    second = stats.bootstrap_interval([x, y], corr, n_resamples=999)
    assert first == second
    assert first.low < first.estimate < first.high
    assert first.low > 0.5, "a strong correlation's interval should stay well above zero"


def test_bootstrap_refuses_unpaired_or_tiny_samples() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        stats.bootstrap_interval([[1, 2, 3], [1, 2]], lambda a, b: 0.0)
    with pytest.raises(ValueError, match="at least 3"):
        stats.bootstrap_interval([[1, 2], [1, 2]], lambda a, b: 0.0)


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
