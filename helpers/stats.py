"""Intervals for samples (polls, surveys) and bootstraps for the few-unit comparisons.

Thin, named wrappers around statsmodels and scipy, so every notebook computes an interval the same way
and says which method it used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Interval:
    """A point estimate with its interval, in the units of the estimate (percent for shares)."""

    estimate: float
    low: float
    high: float
    level: float
    method: str

    def __str__(self) -> str:
        return (f"{self.estimate:.1f} ({self.level:.0%} interval {self.low:.1f}-{self.high:.1f}, "
                f"{self.method})")


def proportion_interval(share_pct: float, n: float, level: float = 0.95, method: str = "wilson") -> Interval:
    """Interval for a share (in percent) observed in a simple random sample of size ``n``.

    Uses :func:`statsmodels.stats.proportion.proportion_confint` (Wilson by default). The count is
    ``share_pct / 100 * n``; published shares are rounded, which moves the interval by far less than its
    width. Cluster samples (exit polls by polling station) need :func:`effective_sample_size` first.
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 <= share_pct <= 100:
        raise ValueError(f"share_pct must be a percentage between 0 and 100, not {share_pct}")
    if n <= 0:
        raise ValueError(f"n must be a positive sample size, not {n}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    low, high = proportion_confint(share_pct / 100 * n, n, alpha=1 - level, method=method)
    return Interval(share_pct, 100 * float(low), 100 * float(high), level, f"{method.capitalize()}, n = {n:,.0f}")


def effective_sample_size(n: float, design_effect: float) -> float:
    """Sample size after a design effect (variance inflation) of ``design_effect`` >= 1."""
    if design_effect < 1:
        raise ValueError(f"a design effect is at least 1 (no clustering), not {design_effect}")
    return n / design_effect


def implied_design_effect(share_pct: float, n: float, margin_pct: float, level: float = 0.95) -> float:
    """The design effect a published margin of error implies: (margin / simple-random-sample margin)².

    E.g. 74.8 % yes, n = 24,000 and a published ±2 points imply about 13: the pollster's margin is
    √13 ≈ 3.6 times the one a simple random sample of that size would have (normal approximation).
    """
    from scipy.stats import norm

    if not 0 < share_pct < 100:
        raise ValueError(f"share_pct must be strictly between 0 and 100, not {share_pct}")
    if n <= 0 or margin_pct <= 0:
        raise ValueError(f"n and margin_pct must be positive, not {n} and {margin_pct}")
    p = share_pct / 100
    simple_margin = 100 * float(norm.ppf(0.5 + level / 2)) * (p * (1 - p) / n) ** 0.5
    return float((margin_pct / simple_margin) ** 2)


def _paired(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``x`` and ``y`` as float arrays of one equal length >= 3 with no missing values, or a ValueError."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"paired samples must be two 1-D sequences of equal length, got {a.shape} and {b.shape}")
    if len(a) < 3:
        raise ValueError("a rank correlation needs at least 3 pairs")
    if np.isnan(a).any() or np.isnan(b).any():
        raise ValueError("the samples contain missing values; drop the incomplete pairs first")
    return a, b


def _spearman(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], axis: int = -1) -> npt.NDArray[np.float64]:
    """Spearman's rho along ``axis`` (ties get their average rank); NaN where one side is constant."""
    from scipy.stats import rankdata

    rx = rankdata(x, axis=axis)
    ry = rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    spread = np.sqrt((rx * rx).sum(axis=axis) * (ry * ry).sum(axis=axis))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((rx * ry).sum(axis=axis) / spread, dtype=float)


def rank_correlation(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman's rank correlation of paired ``x`` and ``y``: -1 (ranks reversed) to +1 (same order).

    Ties get their average rank. NaN if one side has a single value throughout.
    """
    a, b = _paired(x, y)
    return float(_spearman(a, b))


def rank_correlation_interval(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    level: float = 0.95,
    n_resamples: int = 9999,
    seed: int = 2022,
    method: str = "BCa",
) -> Interval:
    """Spearman's rho with a bootstrap interval: the pairs (units) are resampled with replacement.

    Wraps :func:`scipy.stats.bootstrap` (paired, fixed seed). With a handful of units the interval is
    wide; that width is the point: it says how little a few units can pin down. Where many tied values
    leave rho undefined in some resamples (one side constant), BCa cannot be computed; the interval is
    then the percentile interval of the resamples where rho is defined, and ``method`` says so.
    """
    import warnings

    from scipy.stats import DegenerateDataWarning, bootstrap

    a, b = _paired(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap((a, b), _spearman, paired=True, vectorized=True, confidence_level=level,
                           n_resamples=n_resamples, method=method, rng=np.random.default_rng(seed))
    low, high = (float(v) for v in result.confidence_interval)
    label = f"Spearman's rho, {method} bootstrap, {n_resamples} resamples, n = {len(a)}"
    if not (np.isfinite(low) and np.isfinite(high)):
        defined = result.bootstrap_distribution[np.isfinite(result.bootstrap_distribution)]
        low, high = (float(v) for v in np.quantile(defined, [(1 - level) / 2, (1 + level) / 2]))
        label = (f"Spearman's rho, percentile bootstrap ({method} not computable), {len(defined)} of "
                 f"{n_resamples} resamples with rho defined, n = {len(a)}")
    return Interval(rank_correlation(a, b), low, high, level, label)


def rank_correlation_p_value(x: npt.ArrayLike, y: npt.ArrayLike, n_permutations: int = 9999,
                             seed: int = 2022) -> float:
    """Two-sided permutation p-value of Spearman's rho: how often shuffled pairings give a rho as far from 0.

    Wraps :func:`scipy.stats.permutation_test` (pairings shuffled, fixed seed); with more possible
    pairings than ``n_permutations`` the p-value is estimated (twice the smaller one-sided share, the
    observed pairing counted among the shuffles) and can be no smaller than ``2 / (n_permutations + 1)``.
    """
    from scipy.stats import permutation_test

    a, b = _paired(x, y)
    result = permutation_test((a, b), _spearman, permutation_type="pairings", vectorized=True,
                              n_resamples=n_permutations, alternative="two-sided", rng=np.random.default_rng(seed))
    return float(result.pvalue)


def holm_adjusted(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of p-values for looking at several at once (in the order given).

    An adjusted p-value below 0.05 keeps the chance of any false "significant" result among all of
    them at most 5 %.
    """
    values = [float(p) for p in p_values]
    bad = [p for p in values if not 0 <= p <= 1]
    if bad:
        raise ValueError(f"p-values lie between 0 and 1, not {bad}")
    m = len(values)
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(sorted(range(m), key=lambda i: values[i])):
        running = max(running, min(1.0, (m - rank) * values[index]))
        adjusted[index] = running
    return adjusted
