"""Election-forensics checks that fit 17 units and the polling-day reports (notebook 06).

Four families, each with its null and its power stated by the notebook:

- the turnout-yes relation across the few units with published shares (slope and correlation, bootstrap
  intervals, and the smallest correlation ``n`` points could distinguish from zero);
- last-digit and 0-and-5 tests on the intraday regional turnout percentages against a Monte-Carlo null,
  and their power against a given share of fabricated rounded figures;
- reporting consistency of the polling-day reports (decreases, repeated values, figures that moved after
  the unit's polls had closed, the electorate changing between reports, final turnout below 22:00);
- nothing at the precinct level: those methods need polling-station protocols that are not in ``data/``.

Last digits are taken from the published *text* of a figure (``decimal.Decimal``), never from a float:
``round(x * 100) % 10`` turns a figure published as ``68.1`` into a final digit 0 that nobody published.
A figure published with fewer decimals than the test needs has no such digit (``None``); the notebook
excludes those and shows what counting them as 0 would change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure
from scipy import stats as sps

from helpers import load, plots, units

REFERENDUM_DAY = "2022-06-05"
POLLS_OPEN_LOCAL = 7  # hour, local time
POLLS_CLOSE_LOCAL = 20  # hour, local time
CAPITAL_UTC_OFFSET = 6  # Nur-Sultan time in June 2022, the commission's reporting clock
NULL_ELECTORATE = (300_000, 1_200_000)  # range of unit voter lists used by the "ratio" null
NULL_TURNOUT = (0.10, 0.85)  # range of turnout shares used by the "ratio" null
PATTERNS = {"tenths": (0,), "twentieths": (0, 5)}  # final digits a fabricated, rounded figure ends in

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# --- published text and last digits ------------------------------------------------------------------

def published_text(name: str, column: str, folder: Path | str | None = None) -> pd.DataFrame:
    """The typed table ``name`` with ``column`` also as the text the source published (``<column>_text``).

    The loader casts numbers to ``Float64`` and so forgets whether a source printed ``72``, ``72.0`` or
    ``72.00``; the digit tests need that. The raw cell is read from the CSV and checked against the typed
    value row by row, so the two cannot drift apart.
    """
    typed = load.table(name, folder)
    raw = list(load.published_text(name, folder)[column].fillna(""))
    if len(raw) != len(typed):
        raise ValueError(f"{name}: {len(raw)} text rows but {len(typed)} typed rows")
    for position, (text, value) in enumerate(zip(raw, typed[column], strict=True)):
        same = (text == "" and pd.isna(value)) or (text != "" and not pd.isna(value)
                                                   and float(Decimal(text)) == float(value))
        if not same:
            raise ValueError(f"{name}, row {position + 1}: text {text!r} does not match value {value!r}")
    typed[f"{column}_text"] = raw
    return typed


def decimals_published(text: str) -> int:
    """Number of decimals written in a published figure (``"72"`` -> 0, ``"68.1"`` -> 1, ``"57.70"`` -> 2)."""
    try:
        exponent = Decimal(text.strip()).as_tuple().exponent
    except InvalidOperation:
        raise ValueError(f"not a number as published: {text!r}") from None
    if not isinstance(exponent, int):
        raise ValueError(f"not a finite number: {text!r}")
    return max(0, -exponent)


def last_digit(text: str, decimals: int = 2) -> int | None:
    """The digit in the ``decimals``-th decimal place of a published figure, from its text.

    Returns ``None`` when the source printed fewer decimals (the digit was not published: ``"68.1"`` may be
    68.10 with the zero dropped, or a rounding of anything from 68.05 to 68.149). Raises ``ValueError`` if
    it printed more, because then the ``decimals``-th digit is not the last one.
    """
    written = decimals_published(text)
    if written < decimals:
        return None
    if written > decimals:
        raise ValueError(f"{text!r} has {written} decimals, more than the {decimals} the test expects")
    return int(Decimal(text.strip()).scaleb(decimals)) % 10


def intraday_digits(folder: Path | str | None = None) -> pd.DataFrame:
    """One row per unit report 10:00-22:00 with its published text, final digit and whether the tests use it.

    A report equal to the same unit's previous report is a carried-forward value (the western units'
    20:00 repeats 18:00; eastern units' 22:00 repeats 20:00), not a new draw: ``use`` is False and
    ``reason`` says why. So is a figure published with fewer than two decimals.
    """
    frame = published_text("turnout_timeline", "turnout_pct", folder)
    frame = frame[frame["scope"] == "unit"].sort_values(["unit_id", "timestamp"], kind="stable")
    text = frame["turnout_pct_text"]
    previous = text.groupby(frame["unit_id"], observed=True).shift(1)
    repeat = [p is not None and isinstance(p, str) and Decimal(p) == Decimal(t)
              for p, t in zip(previous, text, strict=True)]
    out = pd.DataFrame({
        "timestamp": frame["timestamp"],
        "unit_id": frame["unit_id"],
        "published": text,
        "decimals": [decimals_published(t) for t in text],
        "digit": pd.array([last_digit(t) if decimals_published(t) >= 2 else None for t in text], dtype="Int64"),
        "repeat_of_previous": repeat,
    })
    reasons = []
    for rep, dec in zip(out["repeat_of_previous"], out["decimals"], strict=True):
        if rep:
            reasons.append("repeats the unit's previous report")
        elif dec < 2:
            reasons.append(f"published with {dec} decimal{'s' if dec != 1 else ''}")
        else:
            reasons.append("")
    out["reason"] = reasons
    out["use"] = out["reason"] == ""
    return out.sort_values(["timestamp", "unit_id"], kind="stable").reset_index(drop=True)


# --- digit tests ---------------------------------------------------------------------------------------

def digit_counts(digits: npt.ArrayLike) -> IntArray:
    """Counts of the digits 0..9; a 2-D array gives one row of counts per row (simulation)."""
    arr = np.asarray(digits, dtype=np.int64)
    if arr.size and (arr.min() < 0 or arr.max() > 9):
        raise ValueError("digits must be between 0 and 9")
    two_d = arr.reshape(1, -1) if arr.ndim == 1 else arr
    rows = two_d.shape[0]
    flat = (two_d + 10 * np.arange(rows, dtype=np.int64)[:, None]).ravel()
    counts = np.bincount(flat, minlength=10 * rows).reshape(rows, 10).astype(np.int64)
    return counts[0] if arr.ndim == 1 else counts


def chi_square_statistic(counts: npt.ArrayLike) -> FloatArray:
    """Pearson chi-square of digit counts against equal frequencies (``scipy.stats.chisquare``), per row."""
    arr = np.atleast_2d(np.asarray(counts, dtype=float))
    return np.asarray(sps.chisquare(arr, axis=1).statistic, dtype=np.float64)


def zero_five_count(counts: npt.ArrayLike) -> IntArray:
    """How many final digits are 0 or 5, per row of counts."""
    arr = np.atleast_2d(np.asarray(counts, dtype=np.int64))
    return np.asarray(arr[:, 0] + arr[:, 5], dtype=np.int64)


def simulate_null_digits(n: int, n_sims: int, rng: np.random.Generator, null: str = "ratio") -> IntArray:
    """``n_sims`` x ``n`` final digits of honest two-decimal turnout percentages.

    ``null="uniform"``: the digit is uniform on 0..9. ``null="ratio"`` (more literal): each figure is
    100 x ballots / registered rounded half-up to two decimals, with a voter list uniform on
    :data:`NULL_ELECTORATE` and a turnout share uniform on :data:`NULL_TURNOUT` (exact integer arithmetic).
    One hundredth of a percent is 30-120 voters there, so the digit is uniform to within noise.
    """
    if null == "uniform":
        return rng.integers(0, 10, size=(n_sims, n), dtype=np.int64)
    if null != "ratio":
        raise ValueError(f"null must be 'uniform' or 'ratio', not {null!r}")
    registered = rng.integers(NULL_ELECTORATE[0], NULL_ELECTORATE[1] + 1, size=(n_sims, n), dtype=np.int64)
    share = rng.uniform(NULL_TURNOUT[0], NULL_TURNOUT[1], size=(n_sims, n))
    ballots = np.floor(share * registered).astype(np.int64)
    hundredths = (20_000 * ballots + registered) // (2 * registered)  # round half up
    return np.asarray(hundredths % 10, dtype=np.int64)


def monte_carlo_p(observed: npt.ArrayLike, null_statistics: npt.ArrayLike) -> FloatArray:
    """One-sided Monte-Carlo p-value(s): (1 + #null >= observed) / (1 + #null)."""
    null = np.sort(np.asarray(null_statistics, dtype=float))
    obs = np.atleast_1d(np.asarray(observed, dtype=float))
    at_least = null.size - np.searchsorted(null, obs - 1e-9, side="left")
    return np.asarray((1 + at_least) / (1 + null.size), dtype=np.float64)


@dataclass(frozen=True)
class DigitTest:
    """Result of the last-digit (chi-square) and 0-and-5 tests on one sample of final digits."""

    n: int
    counts: tuple[int, ...]
    chi_square: float
    p_chi_square_asymptotic: float
    p_chi_square_monte_carlo: float
    zero_five: int
    zero_five_expected: float
    p_zero_five_binomial: float
    p_zero_five_monte_carlo: float
    n_simulations: int
    null: str
    seed: int

    def table(self) -> pd.DataFrame:
        """The two tests as a small reader's table: what was seen, what chance gives, and the p-values."""
        return pd.DataFrame({
            "test": ["are all ten last digits equally common? (chi-square statistic)",
                     "are 0s and 5s too common? (count of figures ending in 0 or 5)"],
            "figures": [self.n, self.n],
            "observed": [f"{self.chi_square:.2f}", f"{self.zero_five}"],
            "expected by chance": [f"{9:.2f}", f"{self.zero_five_expected:.0f}"],
            "p (simulated)": [f"{self.p_chi_square_monte_carlo:.3f}", f"{self.p_zero_five_monte_carlo:.3f}"],
            "p (formula: chi-square with 9 degrees of freedom / binomial)":
                [f"{self.p_chi_square_asymptotic:.3f}", f"{self.p_zero_five_binomial:.3f}"],
        }).set_index("test")


def digit_test(digits: Sequence[int] | npt.ArrayLike, n_sims: int = 20_000, seed: int = 2022,
               null: str = "ratio") -> DigitTest:
    """Chi-square test of uniform final digits and a one-sided test for excess 0s and 5s.

    Both p-values come from ``n_sims`` samples of the same size simulated under ``null``
    (:func:`simulate_null_digits`, fixed ``seed``); the asymptotic chi-square (9 df) and the exact binomial
    (p = 0.2, one-sided ``greater``, ``scipy.stats.binomtest``) p-values are shown beside them.
    """
    arr = np.asarray(digits, dtype=np.int64)
    if arr.ndim != 1 or arr.size < 10:
        raise ValueError("digit_test needs a flat sample of at least 10 digits")
    counts = digit_counts(arr)
    n = int(arr.size)
    chi = float(chi_square_statistic(counts)[0])
    zf = int(zero_five_count(counts)[0])
    null_counts = digit_counts(simulate_null_digits(n, n_sims, np.random.default_rng(seed), null))
    return DigitTest(
        n=n,
        counts=tuple(int(c) for c in counts),
        chi_square=chi,
        p_chi_square_asymptotic=float(sps.chi2.sf(chi, 9)),
        p_chi_square_monte_carlo=float(monte_carlo_p(chi, chi_square_statistic(null_counts))[0]),
        zero_five=zf,
        zero_five_expected=0.2 * n,
        p_zero_five_binomial=float(sps.binomtest(zf, n, 0.2, alternative="greater").pvalue),
        p_zero_five_monte_carlo=float(monte_carlo_p(zf, zero_five_count(null_counts))[0]),
        n_simulations=n_sims,
        null=null,
        seed=seed,
    )


def fabricate(digits: npt.ArrayLike, share: float, pattern: str, rng: np.random.Generator) -> IntArray:
    """Replace ``round(share * n)`` digits of every simulated sample by those of rounded, made-up figures.

    ``pattern="tenths"``: the figure was rounded to a tenth, so its final digit is 0; ``"twentieths"``:
    rounded to 0.05, final digit 0 or 5 at random. The first columns are replaced (the simulated digits are
    independent and identically distributed, so which positions does not matter).
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    if pattern not in PATTERNS:
        raise ValueError(f"pattern must be one of {sorted(PATTERNS)}, not {pattern!r}")
    out = np.array(digits, dtype=np.int64, copy=True)
    k = round(share * out.shape[-1])
    choices = np.asarray(PATTERNS[pattern], dtype=np.int64)
    out[..., :k] = rng.choice(choices, size=(*out.shape[:-1], k))
    return out


def power_table(n: int, shares: Sequence[float], n_sims: int = 5_000, alpha: float = 0.05,
                seed: int = 2022, null: str = "ratio") -> pd.DataFrame:
    """How often each test rejects at ``alpha`` when a share of the ``n`` figures is fabricated and rounded.

    For each share and pattern, ``n_sims`` samples are simulated under ``null``, doctored with
    :func:`fabricate`, and tested against an independent Monte-Carlo null of ``4 * n_sims`` samples. The
    row with share 0 is the test's false-alarm rate (it should be close to, and not above, ``alpha``).
    """
    rng = np.random.default_rng(seed)
    null_counts = digit_counts(simulate_null_digits(n, 4 * n_sims, rng, null))
    null_chi, null_zf = chi_square_statistic(null_counts), zero_five_count(null_counts)
    rows = []
    for pattern in PATTERNS:
        for share in shares:
            sample = fabricate(simulate_null_digits(n, n_sims, rng, null), share, pattern, rng)
            counts = digit_counts(sample)
            rows.append({
                "pattern": pattern,
                "share fabricated": share,
                "figures fabricated": round(share * n),
                "power chi-square": float(np.mean(monte_carlo_p(chi_square_statistic(counts), null_chi) <= alpha)),
                "power 0-and-5": float(np.mean(monte_carlo_p(zero_five_count(counts), null_zf) <= alpha)),
            })
    return pd.DataFrame(rows)


def null_band(n: int, n_sims: int = 20_000, level: float = 0.95, seed: int = 2022,
              null: str = "ratio") -> pd.DataFrame:
    """Per digit, the central ``level`` range of its count in samples of ``n`` honest figures."""
    counts = digit_counts(simulate_null_digits(n, n_sims, np.random.default_rng(seed), null))
    tail = (1 - level) / 2
    return pd.DataFrame({
        "digit": np.arange(10),
        "low": np.quantile(counts, tail, axis=0, method="inverted_cdf").astype(int),
        "high": np.quantile(counts, 1 - tail, axis=0, method="inverted_cdf").astype(int),
    })


# --- the turnout-yes relation --------------------------------------------------------------------------

def ols_slope(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Least-squares slope of ``y`` on ``x``; 0.0 if ``x`` is constant.

    Plain numpy (the bootstrap calls it ~10,000 times; ``scipy.stats.linregress`` gives the same value,
    see the tests, at 50 times the cost). A bootstrap resample that draws one unit every time has no
    slope; counting it as 0 (no relation) keeps the bootstrap free of undefined values and is stated
    wherever the interval is shown.
    """
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xc = xa - xa.mean()
    sxx = float(xc @ xc)
    if sxx <= 1e-12:
        return 0.0
    return float(xc @ (ya - ya.mean())) / sxx


def pearson(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Pearson correlation (same value as ``scipy.stats.pearsonr``); 0.0 if either variable is constant."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    xc, yc = xa - xa.mean(), ya - ya.mean()
    sxx, syy = float(xc @ xc), float(yc @ yc)
    if sxx <= 1e-12 or syy <= 1e-12:
        return 0.0
    return float(np.clip(float(xc @ yc) / np.sqrt(sxx * syy), -1.0, 1.0))


def relation_intervals(frame: pd.DataFrame, x: str, y: str, level: float = 0.95, seed: int = 2022,
                       methods: Sequence[str] = ("percentile",)) -> pd.DataFrame:
    """Slope and correlation of ``y`` on ``x`` with bootstrap intervals (:func:`helpers.stats.bootstrap_interval`,
    units resampled as pairs, fixed ``seed``), one row per statistic and bootstrap method.

    Percentile by default: with five or six units BCa's skew correction moves its ends into the extreme
    tail of the resamples (where the resamples that draw one unit repeatedly sit) and reports -1, 0 or 1.
    """
    from helpers import stats

    rows = []
    for name, statistic in (("slope (points per point of turnout)", ols_slope), ("correlation (Pearson r)", pearson)):
        for method in methods:
            interval = stats.bootstrap_interval([frame[x], frame[y]], statistic, level=level, seed=seed,
                                                method=method)
            rows.append({"statistic": name, "n units": len(frame), "estimate": round(interval.estimate, 2),
                         "low": round(interval.low, 2), "high": round(interval.high, 2),
                         "interval": f"{level:.0%}, {interval.method}"})
    return pd.DataFrame(rows)


def leave_one_out(frame: pd.DataFrame, x: str, y: str, label: str = "unit") -> pd.DataFrame:
    """Slope and correlation with each unit left out in turn: how much one unit carries the result."""
    rows = [{"left out": "none", "n units": len(frame), "slope": round(ols_slope(frame[x], frame[y]), 2),
             "correlation": round(pearson(frame[x], frame[y]), 2)}]
    for index, row in frame.iterrows():
        rest = frame.drop(index=index)
        rows.append({"left out": str(row[label]), "n units": len(rest), "slope": round(ols_slope(rest[x], rest[y]), 2),
                     "correlation": round(pearson(rest[x], rest[y]), 2)})
    return pd.DataFrame(rows)


def turnout_and_shares(measure: str = "yes_pct", folder: Path | str | None = None) -> pd.DataFrame:
    """Units with a published preliminary ``measure`` (yes_pct or no_pct) beside their 22:00 turnout.

    Turnout is the commission's 22:00 figure (citizens who had received a ballot / registered voters),
    the one turnout measure published for every unit after all domestic polls had closed. Sources that
    give the same unit's share must agree (they do); otherwise this raises.
    """
    if measure not in {"yes_pct", "no_pct"}:
        raise ValueError("measure must be 'yes_pct' or 'no_pct'")
    results = load.table("unit_results", folder)
    results = results[(results["stage"] == "preliminary") & results[measure].notna()]
    per_unit = results.groupby("unit_id", observed=True)[measure].agg(["min", "max"])
    if (per_unit["min"] != per_unit["max"]).any():
        disagree = list(per_unit.index[per_unit["min"] != per_unit["max"]])
        raise ValueError(f"sources disagree on {measure} for {disagree}")
    timeline = load.table("turnout_timeline", folder)
    at_22 = timeline[(timeline["scope"] == "unit") & (timeline["timestamp"].dt.hour == 22)]
    turnout = at_22.set_index("unit_id")["turnout_pct"]
    out = pd.DataFrame({
        "unit_id": per_unit.index.astype(str),
        "turnout_2200_pct": [float(turnout[u]) for u in per_unit.index],
        measure: per_unit["min"].astype(float).to_numpy(),
    })
    names = load.table("units", folder).set_index("unit_id")["name_en"]
    out.insert(1, "unit", [str(names[u]) for u in out["unit_id"]])
    return out.reset_index(drop=True)


def critical_correlation(n: int, alpha: float = 0.05) -> float:
    """Smallest |r| that a two-sided test of zero correlation rejects with ``n`` points (t distribution)."""
    if n < 3:
        raise ValueError("need at least 3 points")
    t = float(sps.t.ppf(1 - alpha / 2, n - 2))
    return t / float(np.sqrt(n - 2 + t * t))


def correlation_power(n: int, rhos: Sequence[float], alpha: float = 0.05, n_sims: int = 20_000,
                      seed: int = 2022) -> pd.DataFrame:
    """Share of ``n``-point bivariate-normal samples with true correlation ``rho`` whose |r| reaches the
    critical value: the power of a correlation test at this n."""
    rng = np.random.default_rng(seed)
    crit = critical_correlation(n, alpha)
    rows = []
    for rho in rhos:
        cov = [[1.0, rho], [rho, 1.0]]
        draws = rng.multivariate_normal([0.0, 0.0], cov, size=(n_sims, n))
        x, y = draws[..., 0], draws[..., 1]
        xc, yc = x - x.mean(axis=1, keepdims=True), y - y.mean(axis=1, keepdims=True)
        r = (xc * yc).sum(axis=1) / np.sqrt((xc**2).sum(axis=1) * (yc**2).sum(axis=1))
        rows.append({"true correlation": rho, "power": float(np.mean(np.abs(r) >= crit))})
    return pd.DataFrame(rows)


# --- reporting consistency -----------------------------------------------------------------------------

def polls_close(utc_offset: int) -> pd.Timestamp:
    """When a unit's polls closed (20:00 local) on the capital's clock (UTC+6 in June 2022)."""
    hour = POLLS_CLOSE_LOCAL + CAPITAL_UTC_OFFSET - utc_offset
    return pd.Timestamp(f"{REFERENDUM_DAY}T{hour:02d}:00:00+{CAPITAL_UTC_OFFSET:02d}:00").tz_convert(load.CAPITAL_TZ)


def timeline_checks(folder: Path | str | None = None) -> pd.DataFrame:
    """Every unit report with its change since the unit's previous report and three flags.

    ``decrease``: the cumulative figure fell. ``repeat``: identical to the previous report.
    ``moved_after_close``: the figure changed between two reports that were both made after the unit's
    polls had closed: a change that new voting cannot explain.
    ``polls_open``: the report was made while the unit's polls were still open. For the repository's data
    this is :func:`helpers.turnout.timeline`'s flag (which also marks the carried-forward western 20:00
    figures); for another data folder it follows from :func:`polls_close` (the two agree; see the tests).
    """
    timeline = load.table("turnout_timeline", folder)
    offsets = load.table("units", folder).set_index("unit_id")["polling_utc_offset"]
    frame = timeline[timeline["scope"] == "unit"].sort_values(["unit_id", "timestamp"], kind="stable")
    close = frame["unit_id"].map(lambda u: polls_close(int(offsets[u]))).astype(frame["timestamp"].dtype)
    if folder is None:
        from helpers import turnout

        shared = turnout.timeline()
        shared = shared[shared["unit_id"].notna()]
        open_at = {(str(u), t): bool(o) for u, t, o in
                   zip(shared["unit_id"], shared["timestamp"], shared["polls_open"], strict=True)}
        polls_open = pd.Series([open_at[(str(u), t)] for u, t in zip(frame["unit_id"], frame["timestamp"],
                                                                         strict=True)], index=frame.index)
    else:
        polls_open = frame["timestamp"] < close
    grouped = frame.groupby("unit_id", observed=True)
    previous_open = polls_open.groupby(frame["unit_id"], observed=True).shift(1)
    out = pd.DataFrame({
        "unit_id": frame["unit_id"],
        "timestamp": frame["timestamp"],
        "polls_close": close,
        "turnout_pct": frame["turnout_pct"].astype(float),
        "previous_pct": grouped["turnout_pct"].shift(1).astype(float),
    })
    out["change_pt"] = (out["turnout_pct"] - out["previous_pct"]).round(2)
    out["polls_open"] = polls_open.astype(bool)
    out["decrease"] = out["change_pt"] < 0
    out["repeat"] = out["change_pt"] == 0
    out["moved_after_close"] = previous_open.eq(False) & (out["change_pt"] != 0)
    return out.sort_values(["timestamp", "unit_id"], kind="stable").reset_index(drop=True)


def flagged(checks: pd.DataFrame) -> pd.DataFrame:
    """The flagged rows of :func:`timeline_checks`, one line each, with the flag named."""
    rows = []
    for flag, label in (("decrease", "figure fell"), ("repeat", "same as previous report"),
                        ("moved_after_close", "changed after polls had closed")):
        for _, row in checks[checks[flag]].iterrows():
            rows.append({"flag": label, "unit_id": str(row["unit_id"]),
                         "report": row["timestamp"].strftime("%H:%M"),
                         "polls closed": row["polls_close"].strftime("%H:%M"),
                         "previous %": row["previous_pct"], "this report %": row["turnout_pct"],
                         "change (points)": row["change_pt"]})
    columns = ["flag", "unit_id", "report", "polls closed", "previous %", "this report %", "change (points)"]
    return pd.DataFrame(rows, columns=columns)


def implied_electorate(count: int, pct_text: str) -> tuple[int, int]:
    """Integer voter-list sizes ``r`` for which ``100 * count / r`` rounds to the published percentage.

    The published text's own number of decimals sets the rounding interval (``"43.7"`` is wider than
    ``"43.70"``). Half-up rounding; the bounds are inclusive.
    """
    pct = Decimal(pct_text.strip())
    half = Decimal(1).scaleb(-decimals_published(pct_text)) / 2
    low_share, high_share = pct - half, pct + half  # the unrounded percent lies in [low, high)
    # r > 100 * count / high  and  r <= 100 * count / low
    smallest = int((Decimal(100 * count) / high_share).to_integral_value(rounding="ROUND_FLOOR")) + 1
    largest = int((Decimal(100 * count) / low_share).to_integral_value(rounding="ROUND_FLOOR"))
    return smallest, largest


def electorate_reports(folder: Path | str | None = None) -> pd.DataFrame:
    """National voter-list sizes as published with each 2022 report and result, with the list sizes each
    report's count and percentage imply, and the percentage recomputed on the printed list."""
    timeline = published_text("turnout_timeline", "turnout_pct", folder)
    national = timeline[(timeline["scope"] == "national") & timeline["ballots_cumulative"].notna()]
    rows = []
    for _, row in national.iterrows():
        low, high = implied_electorate(int(row["ballots_cumulative"]), row["turnout_pct_text"])
        printed = row["registered_voters"]
        rows.append({"report": row["timestamp"].strftime("%H:%M, 5 June"), "counted": "ballots received",
                     "count": int(row["ballots_cumulative"]), "published %": row["turnout_pct_text"],
                     "list printed with it": None if pd.isna(printed) else int(printed),
                     "implied list, low": low, "implied list, high": high})
    results = published_text("national_results", "turnout_pct", folder)
    results = results[(results["referendum_date"] == pd.Timestamp(REFERENDUM_DAY))
                      & results["stage"].isin(["preliminary", "final"])]
    for _, row in results.iterrows():
        low, high = implied_electorate(int(row["took_part"]), row["turnout_pct_text"])
        rows.append({"report": f"{row['stage']} result", "counted": "took part", "count": int(row["took_part"]),
                     "published %": row["turnout_pct_text"], "list printed with it": int(row["registered_voters"]),
                     "implied list, low": low, "implied list, high": high})
    out = pd.DataFrame(rows)
    out["list printed with it"] = out["list printed with it"].astype("Int64")
    recomputed = [None if pd.isna(r) else round(100 * c / r, 4)
                  for c, r in zip(out["count"], out["list printed with it"], strict=True)]
    out["% on printed list (derived)"] = pd.array(recomputed, dtype="Float64")
    out["printed list fits"] = [pd.NA if pd.isna(r) else bool(lo <= r <= hi) for r, lo, hi in
                                zip(out["list printed with it"], out["implied list, low"], out["implied list, high"],
                                    strict=True)]
    return out


def final_below_2200() -> pd.DataFrame:
    """Turnout at 22:00 (ballots received) against the final result (took part), where both are published.

    Built from :func:`helpers.turnout.national_stages` and :func:`helpers.turnout.unit_final_vs_2200`
    (the turnout notebook's tables), one row per place, with the counts where published.
    """
    from helpers import turnout

    stages = turnout.national_stages().set_index("stage")
    pct = {str(k): float(v) for k, v in stages["turnout_pct"].items()}
    count = {str(k): int(v) for k, v in stages["count"].items()}
    rows = [{"place": "Kazakhstan (national)", "22:00 % (ballots received)": pct["turnout_2200"],
             "preliminary % (took part)": pct["preliminary"], "final % (took part)": pct["final"],
             "22:00 count": count["turnout_2200"], "final count": count["final"]}]
    for _, row in turnout.unit_final_vs_2200().iterrows():
        prelim = row["preliminary_pct_derived"]
        rows.append({"place": str(row["unit"]), "22:00 % (ballots received)": float(row["turnout_2200_pct"]),
                     "preliminary % (took part)": None if pd.isna(prelim) else round(float(prelim), 2),
                     "final % (took part)": float(row["final_pct"]), "22:00 count": None, "final count": None})
    out = pd.DataFrame(rows)
    out["preliminary % (took part)"] = out["preliminary % (took part)"].astype("Float64")
    out["change 22:00 to final (points)"] = (out["final % (took part)"] - out["22:00 % (ballots received)"]).round(2)
    for column in ("22:00 count", "final count"):
        out[column] = out[column].astype("Int64")
    out["change (count)"] = out["final count"] - out["22:00 count"]
    return out


# --- tables for readers --------------------------------------------------------------------------------

def digit_usage(digits: pd.DataFrame) -> pd.DataFrame:
    """How many intraday figures enter the digit test and why the others do not (from :func:`intraday_digits`)."""
    status = [("used in the test" if use else f"left out: {reason}")
              for use, reason in zip(digits["use"], digits["reason"], strict=True)]
    counts = pd.Series(status).value_counts(sort=False)
    order = sorted(counts.index, key=lambda s: (not s.startswith("used"), s))
    out = counts.reindex(order).rename("figures").to_frame()
    out.index.name = "unit turnout figure, 10:00-22:00"
    return out


POWER_COLUMNS = {  # (pattern, column of :func:`power_table`) -> plain label
    ("tenths", "power 0-and-5"): "0-and-5 test (made-up figures end in 0, or in 0 or 5)",
    ("tenths", "power chi-square"): "all-digits test, made-up figures end in 0",
    ("twentieths", "power chi-square"): "all-digits test, made-up figures end in 0 or 5",
}


def power_summary(power: pd.DataFrame) -> pd.DataFrame:
    """:func:`power_table` as one row per number of made-up figures, one column per test and pattern.

    The 0-and-5 test reacts the same to figures ending in 0 and to figures ending in 0 or 5 (both add
    to the count of 0s and 5s), so only its "tenths" column is shown.
    """
    wide = {}
    for (pattern, column), label in POWER_COLUMNS.items():
        rows = power[power["pattern"] == pattern].set_index("figures fabricated")
        wide[label] = rows[column]
    out = pd.DataFrame(wide)
    out.index.name = "made-up figures among those tested"
    return out


# --- charts --------------------------------------------------------------------------------------------

def plot_relation(yes: pd.DataFrame, no: pd.DataFrame, source: str) -> Figure:
    """Yes and no shares against 22:00 turnout (two panels, from :func:`turnout_and_shares`), with the
    unweighted least-squares line drawn only across the range of the data. Cities keep their house style."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharex=True)
    for ax, frame, column, label in ((axes[0], yes, "yes_pct", "Yes"), (axes[1], no, "no_pct", "No")):
        x, y = frame["turnout_2200_pct"].astype(float), frame[column].astype(float)
        slope = ols_slope(x, y)
        xs = np.array([x.min(), x.max()])
        ax.plot(xs, y.mean() + slope * (xs - x.mean()), color=plots.NATIONAL, linestyle=":", linewidth=1,
                label=f"least-squares line ({slope:+.2f} points per point)")
        cities = frame["unit_id"].isin(list(plots.CITY_STYLES))
        ax.scatter(x[~cities], y[~cities], color="#555555", marker="o", s=40, label="oblast", zorder=3)
        for unit_id in frame.loc[cities, "unit_id"]:
            style = plots.unit_style(unit_id)
            here = frame["unit_id"] == unit_id
            ax.scatter(x[here], y[here], color=style["color"], marker=style["marker"], s=60, zorder=4,
                       label=str(frame.loc[here, "unit"].iloc[0]))
        for _, row in frame[~cities].iterrows():
            offset, align = ((-6, -12), "right") if row["unit_id"] == "atyrau" else ((5, 4), "left")
            ax.annotate(str(row["unit"]).replace(" Region", ""), (row["turnout_2200_pct"], row[column]),
                        textcoords="offset points", xytext=offset, ha=align, fontsize=8)
        ax.set_xlim(25, 80)
        ax.set_xlabel("Turnout at 22:00, % of registered voters (ballots received)")
        ax.set_ylabel(f"{label}, % of all who took part (preliminary)")
        ax.set_title(f"{label}: {len(frame)} units with a published share", loc="left", fontsize=10)
        ax.legend(fontsize=8, loc="lower right" if column == "yes_pct" else "lower left")
    fig.suptitle("Yes rises and no falls with turnout in the few units with published shares,\n"
                 "the units that were named because their yes was lowest", x=0.0, ha="left",
                 fontweight="bold", fontsize=12)
    plots.add_source(fig, source)
    return fig


def plot_digits(test: DigitTest, band: pd.DataFrame, source: str) -> Figure:
    """Counts of the final digits (0 and 5 hatched) against the range honest samples of the same size give."""
    _, ax = plt.subplots()
    ax.bar(band["digit"], band["high"] - band["low"], bottom=band["low"], width=0.9, color=plots.CONTEXT,
           alpha=0.6, label=f"95 % range of each count in honest samples of {test.n} (simulated)")
    ax.bar(range(10), test.counts, color=plots.PALETTE[0], width=0.6, edgecolor="black", linewidth=0.5,
           label=f"published figures (n = {test.n})")
    for d in (0, 5):
        ax.bar(d, test.counts[d], color=plots.PALETTE[0], width=0.6, edgecolor="black", hatch=plots.HATCHES[1],
               linewidth=0.5)
    ax.axhline(test.n / 10, color=plots.NATIONAL, linestyle="--", linewidth=1,
               label=f"expected count ({test.n / 10:.0f})")
    ax.set_xticks(range(10))
    top = int(max(band["high"].max(), max(test.counts)))
    ax.set_yticks(range(0, top + 5, 4))
    ax.set_ylim(0, top + 6)
    ax.legend(loc="upper left", fontsize=8)
    return plots.finish(ax, "Every last digit of the intraday turnout figures is as common as honest rounding "
                        f"allows\n(0 and 5, hatched: {test.zero_five} of {test.n}, against "
                        f"{test.zero_five_expected:.0f} expected)", source,
                        xlabel="Last (second decimal) digit of a unit's turnout, % of registered voters",
                        ylabel="Number of figures")


def plot_power(summary: pd.DataFrame, n: int, source: str) -> Figure:
    """Power of the digit tests on ``n`` figures (from :func:`power_summary`) against the number made up."""
    _, ax = plt.subplots()
    styles = [(plots.NATIONAL, "-", "o"), (plots.PALETTE[0], "--", "s"), (plots.PALETTE[1], ":", "D")]
    for (label, values), (colour, linestyle, marker) in zip(summary.items(), styles, strict=True):
        ax.plot(summary.index, values, color=colour, linestyle=linestyle, marker=marker, label=str(label))
    right = float(summary.index.max())
    for level, text, style in ((0.9, "nine times in ten", "-"), (0.05, "5 % false alarms", ":")):
        ax.axhline(level, color=plots.CONTEXT, linewidth=1, linestyle=style)
        ax.annotate(text, (right, level), textcoords="offset points", xytext=(-4, 4), ha="right", fontsize=8)
    ax.set_ylim(0, 1.04)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.14), fontsize=8)
    return plots.finish(ax, f"With {n} figures, the digit tests catch made-up, rounded figures nine times in ten\n"
                        "only when about 15 are made up, and about half the time when 10 are", source,
                        xlabel=f"Made-up, rounded figures among the {n} tested",
                        ylabel="Share of samples flagged (power)")


def plot_timeline_checks(checks: pd.DataFrame, offsets: pd.Series, source: str) -> Figure:
    """Every unit's polling-day turnout curve (from :func:`timeline_checks`), repeats and changes after the
    polls had closed marked, and the two closing times (``offsets``: unit_id -> UTC offset) drawn and named.

    Cities keep their house style (:func:`helpers.plots.unit_style`); eastern oblasts are grey, the western
    (UTC+5) ones orange dash-dot. The legend sits outside the axes so that it never covers a curve.
    """
    west_colour, west_line = plots.PALETTE[1], "-."
    _, ax = plt.subplots(figsize=(10, 5))
    names = units.english_names()
    for unit_id, series in checks.groupby("unit_id", observed=True):
        hours = series["timestamp"].dt.hour
        if unit_id in plots.CITY_STYLES:
            style = plots.unit_style(str(unit_id))
            ax.plot(hours, series["turnout_pct"], color=style["color"], linestyle=style["linestyle"],
                    linewidth=2, zorder=3, label=names[str(unit_id)])
        elif int(offsets[unit_id]) != CAPITAL_UTC_OFFSET:
            ax.plot(hours, series["turnout_pct"], color=west_colour, linestyle=west_line, linewidth=1.2, zorder=2)
        else:
            ax.plot(hours, series["turnout_pct"], color=plots.CONTEXT, linewidth=1, zorder=1)
    west = sorted({str(u) for u in checks["unit_id"] if int(offsets[u]) != CAPITAL_UTC_OFFSET})
    east_oblasts = sorted({str(u) for u in checks["unit_id"]} - set(west) - set(plots.CITY_STYLES))
    ax.plot([], [], color=plots.CONTEXT, linewidth=1, label=f"{len(east_oblasts)} eastern oblasts")
    ax.plot([], [], color=west_colour, linestyle=west_line, linewidth=1.2,
            label=f"{len(west)} western oblasts (UTC+5)")
    repeats = checks[checks["repeat"]]
    ax.scatter(repeats["timestamp"].dt.hour, repeats["turnout_pct"], marker="s", facecolors="white",
               edgecolors="black", zorder=4, s=30, label=f"same as the unit's previous report ({len(repeats)})")
    moved = checks[checks["moved_after_close"]]
    moved_names = ", ".join(names[str(u)] for u in moved["unit_id"])
    ax.scatter(moved["timestamp"].dt.hour, moved["turnout_pct"], marker="D", facecolors="none",
               edgecolors="black", linewidths=1.5, zorder=5, s=80,
               label=f"changed after the unit's polls had closed ({moved_names})")
    east_close, west_close = POLLS_CLOSE_LOCAL, POLLS_CLOSE_LOCAL + CAPITAL_UTC_OFFSET - 5
    ax.axvline(east_close, color="black", linewidth=0.9, linestyle=":",
               label=f"eastern polls close ({east_close}:00)")
    ax.axvline(west_close, color=plots.PALETTE[1], linewidth=0.9, linestyle=":",
               label=f"western polls close ({west_close}:00 capital time)")
    ax.set_xticks(range(10, 23, 2))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return plots.finish(ax, "No curve ever falls; the flat ends are carried-forward reports,\n"
                        "and only Almaty city moved after its polls had closed", source,
                        xlabel="Report time, 5 June 2022 (capital time, UTC+6)",
                        ylabel="Turnout, % of registered voters (ballots received)")
