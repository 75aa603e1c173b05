"""Results of the 2022 referendum: approval measured on stated bases, the adoption rule, units against the nation.

Used by notebooks 03 (approval) and 04 (regional distribution). Every function takes the typed tables of
:mod:`helpers.load` and returns a small DataFrame (or a figure) whose columns name their denominator.
Nothing here fills a missing figure: where a unit has no published value the result says so, and where
only a statement (a bound) exists, the result carries the statement and marks its basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import plots, stats

if TYPE_CHECKING:
    import geopandas

REFERENDUM_2022 = pd.Timestamp("2022-06-05")
PARTS = ("yes_votes", "no_votes", "invalid", "both_marked")
PART_LABELS = {
    "yes_votes": "Yes",
    "no_votes": "No",
    "invalid": "Invalid ballots",
    "both_marked": "Both answers marked (valid, not counted)",
}
BASIS_FIGURE = "published figure"
BASIS_STATEMENT = "statement (a bound, not a figure)"
VOTERS_COVERED = "voters covered"
HOURS = (10, 12, 14, 16, 18, 20, 22)


def _one_stage(national: pd.DataFrame, stage: str, date: pd.Timestamp = REFERENDUM_2022) -> pd.Series:
    rows = national[(national["referendum_date"] == date) & (national["stage"] == stage)]
    if len(rows) != 1:
        raise ValueError(f"expected one national row for {date.date()} stage {stage!r}, found {len(rows)}")
    return rows.iloc[0]


def share_of_answered(yes: float, no: float) -> float:
    """Yes as a percentage of those who answered yes or no: 100 * yes / (yes + no)."""
    if yes < 0 or no < 0 or yes + no == 0:
        raise ValueError(f"yes and no must be non-negative and not both zero, got {yes}, {no}")
    return 100.0 * yes / (yes + no)


def decomposition(national: pd.DataFrame, stage: str = "final") -> pd.DataFrame:
    """All who took part split into yes, no, invalid and both-marked, with counts and shares.

    ``published_pct`` is the commission's figure; ``derived_pct`` is count / took part, recomputed here
    to two decimals as a check. Raises if the four counts do not add up to the participants.
    """
    row = _one_stage(national, stage)
    took_part = int(row["took_part"])
    counts = [int(row[p]) for p in PARTS]
    if sum(counts) != took_part:
        raise ValueError(f"the four parts add to {sum(counts):,}, not to the {took_part:,} who took part")
    frame = pd.DataFrame({
        "part": [PART_LABELS[p] for p in PARTS],
        "count": counts,
        "published_pct": [float(row[p.replace("_votes", "") + "_pct"]) for p in PARTS],
        "derived_pct": [round(100.0 * c / took_part, 2) for c in counts],
    })
    total = pd.DataFrame({"part": ["All who took part"], "count": [took_part], "published_pct": [100.0],
                          "derived_pct": [100.0]})
    return pd.concat([frame, total], ignore_index=True).set_index("part")


def official_like_for_like(national: pd.DataFrame, stage: str = "final") -> pd.DataFrame:
    """The official yes share on the three bases: all who took part, valid ballots, yes + no."""
    row = _one_stage(national, stage)
    yes, no = int(row["yes_votes"]), int(row["no_votes"])
    took_part, invalid = int(row["took_part"]), int(row["invalid"])
    valid = took_part - invalid
    return pd.DataFrame({
        "denominator": ["all who took part (commission)", "valid ballots", "answered yes or no (as exit polls)"],
        "base_count": [took_part, valid, yes + no],
        "yes_pct": [round(100.0 * yes / took_part, 2), round(100.0 * yes / valid, 2),
                    round(share_of_answered(yes, no), 2)],
    }).set_index("denominator")


def exit_poll_intervals(polls: pd.DataFrame, design_effects: Sequence[float] = (1.0, 2.0, 4.0),
                        level: float = 0.95, date: pd.Timestamp = REFERENDUM_2022) -> pd.DataFrame:
    """Wilson intervals of each poll's yes share (of yes + no answers) under several design effects.

    Design effect 1 is the simple-random-sample interval from the stated sample; exit polls sample
    polling stations (clusters), so the true interval is wider by an unknown factor. A poll whose stated
    sample counts "voters covered" rather than interviews is flagged in ``sample_kind``.
    """
    rows = []
    chosen = polls[(polls["referendum_date"] == date) & polls["yes_pct"].notna() & polls["sample_size"].notna()]
    for _, poll in chosen.iterrows():
        text = f"{poll['method_notes']} {poll['notes']}".lower()
        kind = "voters covered (not interviews)" if VOTERS_COVERED in text else "respondents / interviews"
        for deff in design_effects:
            n_eff = stats.effective_sample_size(float(poll["sample_size"]), deff)
            interval = stats.proportion_interval(float(poll["yes_pct"]), n_eff, level=level, method="wilson")
            rows.append({
                "organisation": str(poll["organisation_en"]),
                "yes_pct": float(poll["yes_pct"]),
                "stated_n": int(poll["sample_size"]),
                "sample_kind": kind,
                "stations": poll["polling_stations"],
                "stated_moe_pct": poll["margin_of_error_pct"],
                "design_effect": deff,
                "effective_n": round(n_eff),
                "low": round(interval.low, 2),
                "high": round(interval.high, 2),
                "width_pts": round(interval.high - interval.low, 2),
            })
    return pd.DataFrame(rows)


def stage_changes(national: pd.DataFrame, before: str = "preliminary", after: str = "final") -> pd.DataFrame:
    """Counts and published shares at two result stages of 2022 and the change between them."""
    columns = ["registered_voters", "took_part", *PARTS, "turnout_pct", "yes_pct", "no_pct"]
    first, second = _one_stage(national, before), _one_stage(national, after)
    frame = pd.DataFrame({before: first[columns], after: second[columns]})
    frame["change"] = frame[after] - frame[before]
    return frame


@dataclass(frozen=True)
class RuleCheck:
    """The two adoption conditions and the per-unit basis of the majority condition."""

    turnout_pct: float
    turnout_threshold_pct: float
    units: pd.DataFrame
    units_needed: int

    @property
    def turnout_met(self) -> bool:
        return self.turnout_pct > self.turnout_threshold_pct

    @property
    def units_with_majority(self) -> int:
        return int(self.units["majority"].sum())

    @property
    def units_on_figure(self) -> int:
        return int((self.units["basis"] == BASIS_FIGURE).sum())

    @property
    def adopted(self) -> bool:
        return self.turnout_met and self.units_with_majority >= self.units_needed


def adoption_rule(national: pd.DataFrame, unit_results: pd.DataFrame, bounds: pd.DataFrame, stage: str = "final",
                  turnout_threshold_pct: float = 50.0, share_needed: float = 2 / 3) -> RuleCheck:
    """Check turnout > 50 % of the electorate and a yes majority in at least 2/3 of the units.

    A unit's majority rests on its published yes share (of all who took part) where one exists at
    ``stage``; otherwise on the strongest published lower bound on yes (a statement). A unit with
    neither is reported with ``majority`` False and basis "nothing published".
    """
    row = _one_stage(national, stage)
    unit_ids = list(unit_results["unit_id"].cat.categories)
    figures = (unit_results[(unit_results["stage"] == stage) & unit_results["yes_pct"].notna()]
               .groupby("unit_id", observed=True)["yes_pct"].first())
    lower = bounds[(bounds["stage"] == stage) & (bounds["measure"] == "yes_pct") & (bounds["bound"] == "lower")]
    records = []
    for unit in unit_ids:
        if unit in figures.index:
            value = float(figures[unit])
            records.append({"unit_id": unit, "basis": BASIS_FIGURE, "yes_pct": value, "yes_above": pd.NA,
                            "majority": value > 50.0, "statement": ""})
            continue
        mine = lower[lower["unit_id"] == unit].sort_values("value", ascending=False)
        if len(mine):
            best = mine.iloc[0]
            inclusive = bool(best["inclusive"])
            value = float(best["value"])
            majority = value > 50.0 or (value == 50.0 and not inclusive)
            records.append({"unit_id": unit, "basis": BASIS_STATEMENT, "yes_pct": pd.NA, "yes_above": value,
                            "majority": majority, "statement": str(best["statement"])})
        else:
            records.append({"unit_id": unit, "basis": "nothing published", "yes_pct": pd.NA, "yes_above": pd.NA,
                            "majority": False, "statement": ""})
    units = pd.DataFrame(records)
    units["unit_id"] = pd.Categorical(units["unit_id"], categories=unit_ids, ordered=True)
    units["yes_pct"] = units["yes_pct"].astype("Float64")
    units["yes_above"] = units["yes_above"].astype("Float64")
    needed = -(-len(unit_ids) * share_needed // 1)  # ceiling
    return RuleCheck(float(row["turnout_pct"]), turnout_threshold_pct, units, int(needed))


def past_referendums(history: pd.DataFrame) -> pd.DataFrame:
    """Referendums since 1991 with turnout, the yes share and what that share is a share of."""
    refs = history[history["kind"] == "referendum"].sort_values("date")
    out = refs[["date", "name", "turnout_pct", "winner_or_yes_pct", "yes_pct_basis"]].copy()
    out["yes_pct_basis"] = out["yes_pct_basis"].fillna("not stated")
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out.rename(columns={"winner_or_yes_pct": "yes_pct"}).set_index("date")


# ---------------------------------------------------------------- regional (notebook 04)

def _hour(timestamps: pd.Series) -> pd.Series:
    hours: pd.Series = timestamps.dt.hour.astype(int)
    return hours


def unit_table(units: pd.DataFrame, timeline: pd.DataFrame, unit_results: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: kind, macro-region, 22:00 turnout and the preliminary yes / no shares where published.

    Turnout at 22:00 is ballots received / registered voters; yes and no are shares of all who took part.
    Where two sources give the same unit figure (they agree in every case), the first is used.
    """
    at22 = timeline[(timeline["scope"] == "unit") & (_hour(timeline["timestamp"]) == 22)]
    turnout = at22.set_index("unit_id")["turnout_pct"]
    prelim = unit_results[unit_results["stage"] == "preliminary"]
    yes = prelim[prelim["yes_pct"].notna()].groupby("unit_id", observed=True)["yes_pct"].first()
    no = prelim[prelim["no_pct"].notna()].groupby("unit_id", observed=True)["no_pct"].first()
    frame = units.set_index("unit_id")[["name_en", "kind", "macro_region", "polling_utc_offset"]].copy()
    frame["turnout_2200_pct"] = turnout.reindex(frame.index).astype("Float64")
    frame["yes_prelim_pct"] = yes.reindex(frame.index).astype("Float64")
    frame["no_prelim_pct"] = no.reindex(frame.index).astype("Float64")
    return frame


def map_frame(shapes: geopandas.GeoDataFrame, table: pd.DataFrame) -> geopandas.GeoDataFrame:
    """Boundaries joined with :func:`unit_table` (float columns, NaN where not published, for plotting)."""
    values = table[["name_en", "kind", "turnout_2200_pct", "yes_prelim_pct", "no_prelim_pct"]].copy()
    for column in ("turnout_2200_pct", "yes_prelim_pct", "no_prelim_pct"):
        values[column] = values[column].astype(float)
    values.index = values.index.astype(str)
    merged = shapes.assign(unit_id=shapes["unit_id"].astype(str)).merge(values, left_on="unit_id",
                                                                         right_index=True, how="left")
    return merged


def label_units(shapes: geopandas.GeoDataFrame, column: str, ax: Axes, digits: int = 1) -> None:
    """Write each unit's short name and value (or "not published") at a point inside it."""
    for _, row in shapes.iterrows():
        point = row.geometry.representative_point()
        value = row[column]
        short = str(row["name_en"]).replace(" Region", "").replace(" (city)", "")
        text = f"{short}\n{value:.{digits}f}" if value == value else f"{short}\nnot published"
        ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=6.5, linespacing=0.95,
                    bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})


def turnout_wide(timeline: pd.DataFrame) -> pd.DataFrame:
    """Polling-day turnout (ballots received / registered, %) as units x hours (capital time)."""
    units = timeline[timeline["scope"] == "unit"].assign(hour=lambda d: _hour(d["timestamp"]))
    wide = units.pivot(index="unit_id", columns="hour", values="turnout_pct")
    wide.columns.name = "hour"
    return wide.astype(float)


def national_curve(timeline: pd.DataFrame) -> pd.Series:
    """National polling-day turnout by hour (capital time), as published."""
    nat = timeline[timeline["scope"] == "national"]
    curve: pd.Series = pd.Series(nat["turnout_pct"].astype(float).to_numpy(),
                                 index=_hour(nat["timestamp"]).to_numpy(), name="national")
    return curve


def cities_vs_oblasts(timeline: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per reporting hour: the 14 oblasts' median and range, the national figure, and each city's value and rank.

    Rank 1 is the highest turnout of the 17 units. No group mean is computed: registered voters per
    unit are mostly unpublished, so an unweighted mean would not be the turnout of any group.
    """
    wide = turnout_wide(timeline)
    kinds = units.set_index("unit_id")["kind"].astype(str)
    kinds.index = kinds.index.astype(str)
    wide.index = wide.index.astype(str)
    oblasts = wide[kinds.reindex(wide.index) == "oblast"]
    ranks = wide.rank(ascending=False, method="min")
    out = pd.DataFrame({
        "national": national_curve(timeline),
        "oblast_min": oblasts.min(),
        "oblast_median": oblasts.median(),
        "oblast_max": oblasts.max(),
    })
    for city in kinds[kinds == "city"].index:
        out[f"{city}"] = wide.loc[city]
        out[f"{city}_rank"] = ranks.loc[city].astype(int)
    out.index.name = "hour"
    return out


def macro_region_summary(timeline: pd.DataFrame, units: pd.DataFrame, hour: int = 22) -> pd.DataFrame:
    """Turnout at ``hour`` by macro-region: n units, median, lowest and highest unit (not a group turnout)."""
    wide = turnout_wide(timeline)
    wide.index = wide.index.astype(str)
    info = units.set_index("unit_id")
    info.index = info.index.astype(str)
    frame = pd.DataFrame({"macro_region": info["macro_region"].astype(str), "turnout": wide[hour],
                          "name": info["name_en"].astype(str)})
    rows = []
    for region, group in frame.groupby("macro_region", sort=False):
        ordered = group.sort_values("turnout")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        rows.append({"macro_region": region, "n_units": len(group), "median_pct": group["turnout"].median(),
                     "lowest": f"{low['name']} {low['turnout']:.2f}",
                     "highest": f"{high['name']} {high['turnout']:.2f}"})
    return pd.DataFrame(rows).sort_values("median_pct", ascending=False).set_index("macro_region")


def unit_summary(unit: str, table: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """One unit's published preliminary results and 22:00 turnout next to the nation's (empty = not published)."""
    row = table.loc[unit]
    prelim = _one_stage(national, "preliminary")
    at22 = _one_stage(national, "turnout_2200")
    return pd.DataFrame({
        "measure": ["turnout at 22:00 (ballots received / registered, %)",
                    "yes, preliminary (% of all who took part)", "no, preliminary (% of all who took part)"],
        str(row["name_en"]): [row["turnout_2200_pct"], row["yes_prelim_pct"], row["no_prelim_pct"]],
        "Kazakhstan": [at22["turnout_pct"], prelim["yes_pct"], prelim["no_pct"]],
    }).set_index("measure")


def plot_unit(unit: str, timeline: pd.DataFrame, table: pd.DataFrame) -> Figure:
    """One unit's polling-day turnout curve against the nation's, with the UTC+5 caveat where it applies."""
    wide = turnout_wide(timeline)
    wide.index = wide.index.astype(str)
    nat = national_curve(timeline)
    info = table.loc[[unit]].iloc[0]
    curve = wide.loc[[unit]].iloc[0]
    name = str(info["name_en"])
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.plot(nat.index, nat.to_numpy(), color=plots.NATIONAL, linestyle="--", marker="s", label="Kazakhstan")
    ax.plot(wide.columns, curve.to_numpy(), color=plots.HIGHLIGHT, marker="o", label=name)
    ax.set_xticks(list(HOURS), [f"{h}:00" for h in HOURS])
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    last = float(curve.iloc[-1])
    gap = last - float(nat.iloc[-1])
    word = "above" if gap >= 0 else "below"
    title = f"{name}: {last:.2f} % at 22:00, {abs(gap):.1f} points {word} the nation"
    note = ""
    if int(info["polling_utc_offset"]) == 5:
        note = " Polls here closed at 21:00 capital time: its 20:00 figure repeats 18:00."
    plots.finish(ax, title, "CEC polling-day reports (turnout_timeline), capital time UTC+6." + note,
                 xlabel="Time of report (capital time, UTC+6)",
                 ylabel="Turnout (ballots received / registered, %)")
    return fig
