"""A finding and its alternatives: does it hold under the other choices a critic would try?

A headline is one analytic choice's result until it is shown under the others (a specification curve, after
Simonsohn, Simmons and Nelson). The notebook computes the finding once per alternative, in its own cells,
and keeps a boolean per alternative: does the finding's own test pass? This module turns that into the
table a reader sees and the one phrase the text and the README use, so that what they say about robustness
is computed, never typed.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.i18n import _
from helpers.text import listing


def verdict(holds: pd.Series | Mapping[str, bool]) -> str:
    """One phrase for a finding's alternatives: ``holds under all 14 alternatives tried``, or what it depends on.

    ``holds``: alternative name -> whether the finding holds under it (the default choice included).
    """
    series = pd.Series(holds, dtype="object")
    if series.empty:
        raise ValueError("a finding needs at least one alternative to be judged robust")
    bad = [str(name) for name, value in series.items() if not isinstance(value, bool | np.bool_)]
    if bad:
        raise TypeError(f"holds must be True or False for every alternative; not for {bad}")
    total = len(series)
    held = [str(name) for name, value in series.items() if value]
    failed = [str(name) for name, value in series.items() if not value]
    if not failed:
        return _("holds under all {n} alternatives tried").format(n=total) if total > 1 else _(
            "holds under the one alternative tried")
    if not held:
        return _("holds under none of the {n} alternatives tried").format(n=total)
    return _("depends on the choice: holds under {k} of {n} alternatives tried, not under {failing}").format(
        k=len(held), n=total, failing=listing(failed))


def table(results: pd.DataFrame, *, holds: str = "holds") -> pd.DataFrame:
    """The alternatives as a reader's table: every column of ``results``, with ``holds`` shown as yes / no.

    ``results`` has one row per alternative (index or a column naming it) and a boolean column ``holds``.
    """
    if holds not in results.columns:
        raise KeyError(f"results has no column {holds!r} saying whether the finding holds")
    values = results[holds]
    if not values.map(lambda v: isinstance(v, bool | np.bool_)).all():
        raise TypeError(f"column {holds!r} must hold True or False for every alternative")
    shown = results.copy()
    shown[holds] = values.map({True: _("yes"), False: _("no")})
    return shown.rename(columns={holds: _("finding holds?")})
