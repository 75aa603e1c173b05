"""One national row of ``national_results``, and yes as a share of yes + no answers.

What is left of the module behind notebook 01 (which now derives its tables in its own cells): the two
functions :mod:`helpers.results` still calls. Delete this module when nothing imports it any more.
"""

from __future__ import annotations

import pandas as pd

from helpers import load, stats

REFERENDUM_2022 = "2022-06-05"


def national_row(referendum_date: str | pd.Timestamp = REFERENDUM_2022, stage: str = "final",
                 table: pd.DataFrame | None = None) -> pd.Series:
    """The one row of ``national_results`` for a referendum and stage, any stage (intraday or result).

    ``table`` is the typed ``national_results`` table (loaded when omitted).
    """
    frame = table if table is not None else load.table("national_results")
    rows = frame[(frame["referendum_date"] == pd.Timestamp(referendum_date)) & (frame["stage"] == stage)]
    if len(rows) != 1:
        known = sorted({f"{d:%Y-%m-%d}/{s}" for d, s in zip(frame["referendum_date"], frame["stage"], strict=True)})
        raise ValueError(f"no single national result for {str(referendum_date)[:10]!r}, stage {stage!r}; "
                         f"known: {known}")
    return rows.iloc[0]


def yes_of_answered(yes: float, no: float) -> float:
    """Yes as a percentage of those who answered yes or no, ``100 * yes / (yes + no)`` (the exit polls' base).

    Unrounded; refuses negative counts or no answers at all.
    """
    if yes < 0 or no < 0 or yes + no == 0:
        raise ValueError(f"yes and no must be non-negative and not both zero, got {yes}, {no}")
    return stats.percent(yes, yes + no)
