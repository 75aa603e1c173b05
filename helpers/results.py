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
from matplotlib.lines import Line2D

from helpers import overview, plots, stats, tables, turnout
from helpers.units import english_names

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
SAMPLE_INTERVIEWS = "respondents / interviews"
SAMPLE_COVERED = "voters covered (not interviews)"
SAMPLE_NONE = "sample not published"
HOURS = (10, 12, 14, 16, 18, 20, 22)


def decomposition(national: pd.DataFrame, stage: str = "final") -> pd.DataFrame:
    """All who took part split into yes, no, invalid and both-marked, with counts and shares.

    ``published_pct`` is the commission's figure; ``derived_pct`` is count / took part, recomputed here
    to two decimals as a check. Raises if the four counts do not add up to the participants.
    """
    row = overview.national_row(REFERENDUM_2022, stage, national)
    took_part = int(row["took_part"])
    counts = [int(row[p]) for p in PARTS]
    if sum(counts) != took_part:
        raise ValueError(f"the four parts add to {sum(counts):,}, not to the {took_part:,} who took part")
    frame = pd.DataFrame({
        "part": [PART_LABELS[p] for p in PARTS],
        "count": counts,
        "published_pct": [float(row[p.replace("_votes", "") + "_pct"]) for p in PARTS],
        "derived_pct": [stats.percent(c, took_part, 2) for c in counts],
    })
    total = pd.DataFrame({"part": ["All who took part"], "count": [took_part], "published_pct": [100.0],
                          "derived_pct": [100.0]})
    return pd.concat([frame, total], ignore_index=True).set_index("part")


def official_like_for_like(national: pd.DataFrame, stage: str = "final") -> pd.DataFrame:
    """The official yes share on the three bases: all who took part, valid ballots, yes + no."""
    row = overview.national_row(REFERENDUM_2022, stage, national)
    yes, no = int(row["yes_votes"]), int(row["no_votes"])
    took_part, invalid = int(row["took_part"]), int(row["invalid"])
    valid = took_part - invalid
    return pd.DataFrame({
        "denominator": ["all who took part (commission)", "valid ballots", "answered yes or no (as exit polls)"],
        "base_count": [took_part, valid, yes + no],
        "yes_pct": [stats.percent(yes, took_part, 2), stats.percent(yes, valid, 2),
                    round(overview.yes_of_answered(yes, no), 2)],
    }).set_index("denominator")


def exit_poll_intervals(polls: pd.DataFrame, design_effects: Sequence[float] = (1.0, 2.0, 4.0),
                        level: float = 0.95, date: pd.Timestamp | str = REFERENDUM_2022,
                        unsampled: bool = False) -> pd.DataFrame:
    """Wilson intervals of each poll's yes share (of yes + no answers) under several design effects.

    The project's one exit-poll table: notebook 03 shows it whole, :func:`helpers.claims.exit_polls_2022` and
    :func:`helpers.compare.exit_polls_vs_results` build their views on it. Design effect 1 is the
    simple-random-sample interval from the stated sample; exit polls sample polling stations (clusters), so
    the true interval is wider by an unknown factor.

    Only a sample of completed interviews (:data:`SAMPLE_INTERVIEWS`) gets an interval. A poll whose stated
    sample counts "voters covered" (:data:`SAMPLE_COVERED`, SOCIS-A's 350,000) gets one row with its point,
    its stated sample and margin of error, and no interval (``design_effect``, ``effective_n``, ``low``,
    ``high``, ``width_pts`` empty): the number of interviews is unknown. Polls of ``date`` without a
    published sample are left out, unless ``unsampled`` (then one row each, ``sample_kind``
    :data:`SAMPLE_NONE`, no interval). ``has_interval`` says which rows carry one.
    """
    rows: list[dict[str, object]] = []
    chosen = polls[(polls["referendum_date"] == pd.Timestamp(date)) & polls["yes_pct"].notna()]
    for _, poll in chosen.iterrows():
        text = f"{poll['method_notes']} {poll['notes']}".lower()
        base = {"organisation": str(poll["organisation_en"]), "yes_pct": float(poll["yes_pct"])}
        if pd.isna(poll["sample_size"]):
            if unsampled:
                rows.append({**base, "stated_n": pd.NA, "sample_kind": SAMPLE_NONE, "has_interval": False})
            continue
        kind = SAMPLE_COVERED if VOTERS_COVERED in text else SAMPLE_INTERVIEWS
        stated = {**base, "stated_n": int(poll["sample_size"]), "sample_kind": kind,
                  "stations": poll["polling_stations"], "stated_moe_pct": poll["margin_of_error_pct"]}
        if kind != SAMPLE_INTERVIEWS:
            rows.append({**stated, "has_interval": False})
            continue
        for deff in design_effects:
            n_eff = stats.effective_sample_size(float(poll["sample_size"]), deff)
            interval = stats.proportion_interval(float(poll["yes_pct"]), n_eff, level=level, method="wilson")
            rows.append({
                **stated,
                "has_interval": True,
                "design_effect": float(deff),
                "effective_n": round(n_eff),
                "low": round(interval.low, 2),
                "high": round(interval.high, 2),
                "width_pts": round(interval.high - interval.low, 2),
            })
    columns = ["organisation", "yes_pct", "stated_n", "sample_kind", "stations", "stated_moe_pct", "has_interval",
               "design_effect", "effective_n", "low", "high", "width_pts"]
    frame = pd.DataFrame(rows).reindex(columns=columns)
    for column in ("stated_n", "stations", "effective_n"):
        frame[column] = frame[column].astype("Int64")
    for column in ("yes_pct", "stated_moe_pct", "design_effect", "low", "high", "width_pts"):
        frame[column] = frame[column].astype("Float64").to_numpy(dtype=float, na_value=float("nan"))
    frame["has_interval"] = frame["has_interval"].astype(bool)
    return frame


NO_INTERVAL = "no interval (sample is not a count of interviews)"


def exit_poll_display(intervals: pd.DataFrame) -> pd.DataFrame:
    """:func:`exit_poll_intervals` for readers: short poll names, headers naming base, level and method.

    Rows without an interval say why instead of showing an empty cell.
    """
    frame = intervals.copy()
    frame["organisation"] = frame["organisation"].map(plots.poll_label)
    shown = tables.readable(
        frame[["organisation", "yes_pct", "stated_n", "sample_kind", "design_effect", "effective_n", "low", "high",
               "width_pts"]],
        {"organisation": "poll", "yes_pct": "yes (% of yes + no answers)", "stated_n": "sample as published",
         "sample_kind": "the sample counts", "design_effect": "design effect (assumed)",
         "effective_n": "effective sample (sample / design effect)", "low": "95 % Wilson interval: low (%)",
         "high": "95 % Wilson interval: high (%)", "width_pts": "interval width (points)"},
        decimals={"yes_pct": 1, "design_effect": 0},
    )
    no_interval = ~intervals["has_interval"].to_numpy()
    for column in shown.columns[4:]:
        shown.loc[no_interval, column] = NO_INTERVAL if column.startswith("design") else "none"
    return shown


def poll_samples(intervals: pd.DataFrame) -> pd.DataFrame:
    """One row per poll: the sample, stations and margin of error as the pollster published them."""
    first = intervals.drop_duplicates("organisation").reset_index(drop=True)
    first = first.assign(organisation=first["organisation"].map(plots.poll_label))
    return tables.readable(
        first[["organisation", "stated_n", "sample_kind", "stations", "stated_moe_pct"]],
        {"organisation": "poll", "stated_n": "sample as published", "sample_kind": "the sample counts",
         "stations": "polling stations", "stated_moe_pct": "published margin of error (\u00b1 points)"},
        decimals=1,
    )


STAGE_ROWS = {
    "registered_voters": "registered voters", "took_part": "took part", "yes_votes": "yes (votes)",
    "no_votes": "no (votes)", "invalid": "invalid ballots", "both_marked": "both answers marked (valid, not counted)",
    "turnout_pct": "turnout (% of registered voters)", "yes_pct": "yes (% of all who took part)",
    "no_pct": "no (% of all who took part)",
}


def stage_changes(national: pd.DataFrame, before: str = "preliminary", after: str = "final") -> pd.DataFrame:
    """Counts and published shares at two result stages of 2022 and the change between them."""
    columns = ["registered_voters", "took_part", *PARTS, "turnout_pct", "yes_pct", "no_pct"]
    first = overview.national_row(REFERENDUM_2022, before, national)
    second = overview.national_row(REFERENDUM_2022, after, national)
    frame = pd.DataFrame({before: first[columns], after: second[columns]})
    frame["change"] = frame[after] - frame[before]
    return frame


def stage_changes_display(national: pd.DataFrame, before: str = "preliminary", after: str = "final") -> pd.DataFrame:
    """:func:`stage_changes` for readers: plain row names, counts with separators, shares to two decimals."""
    frame = stage_changes(national, before, after)
    rows = {}
    for key, row in frame.iterrows():
        share = str(key).endswith("_pct")
        rows[STAGE_ROWS[str(key)]] = [f"{float(v):+.2f}" if share and c == "change" else f"{float(v):.2f}" if share
                                      else f"{int(v):+,}" if c == "change" else f"{int(v):,}"
                                      for c, v in row.items()]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[f"{before} (6 June)" if before == "preliminary"
                                                                  else before, f"{after} (7 June)"
                                                                  if after == "final" else after, "change"])


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
    row = overview.national_row(REFERENDUM_2022, stage, national)
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


def rule_table(check: RuleCheck) -> pd.DataFrame:
    """Per unit, for readers: the yes share or the bound it rests on, the basis, the majority and the source."""
    frame = check.units
    shown = []
    for row in frame.to_dict("records"):
        if row["basis"] == BASIS_FIGURE:
            yes = f"{float(row['yes_pct']):.2f}"
            source = "unit_results (published figure)"
        elif pd.notna(row["yes_above"]):
            yes = f"above {float(row['yes_above']):g} (statement)"
            source = str(row["statement"]).split(",")[0]
        else:
            yes, source = tables.MISSING, ""
        shown.append({"unit": english_names()[str(row["unit_id"])], "yes (% of all who took part)": yes,
                      "basis": str(row["basis"]), "majority (> 50 %)": "yes" if row["majority"] else "no",
                      "source": source})
    return pd.DataFrame(shown)


def past_referendums(history: pd.DataFrame) -> pd.DataFrame:
    """Referendums since 1991 with turnout, the yes share and what that share is a share of."""
    refs = history[history["kind"] == "referendum"].sort_values("date")
    out = refs[["date", "name", "turnout_pct", "winner_or_yes_pct", "yes_pct_basis"]].copy()
    out["yes_pct_basis"] = out["yes_pct_basis"].fillna("not stated")
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out.rename(columns={"winner_or_yes_pct": "yes_pct"}).set_index("date")


# ---------------------------------------------------------------- regional (notebook 04)

def _hour(timestamps: pd.Series) -> pd.Series:
    """Whole hour of each report on the capital's clock (:func:`helpers.turnout.clock_hours`)."""
    hours: pd.Series = turnout.clock_hours(timestamps).astype(int)
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
    values = values.drop(columns=[c for c in ("name_en", "kind") if c in shapes.columns])
    merged = shapes.assign(unit_id=shapes["unit_id"].astype(str)).merge(values, left_on="unit_id",
                                                                         right_index=True, how="left")
    return merged


def short_name(name_en: str) -> str:
    """A unit's English name without "Region", cities as "X city"; Almaty Region keeps "Region" (vs the city)."""
    if name_en.endswith(" (city)"):
        return name_en.replace(" (city)", " city")
    short = name_en.removesuffix(" Region")
    return name_en if short == "Almaty" else short


def label_units(shapes: geopandas.GeoDataFrame, column: str, ax: Axes, digits: int = 1) -> None:
    """Write each unit's short name and value (or "not published") at a point inside it."""
    for _, row in shapes.iterrows():
        point = row.geometry.representative_point()
        value = row[column]
        short = short_name(str(row["name_en"]))
        text = f"{short}\n{value:.{digits}f}" if value == value else f"{short}\nnot published"
        ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=8, linespacing=0.95,
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


def cities_vs_oblasts() -> pd.DataFrame:
    """Notebook 04's view of :func:`helpers.turnout.cities_vs_oblasts`: the nation, the oblasts' median and range,
    and each city with its rank among the 17 units at that hour (the oblasts-above columns left out).

    The oblast median and range are unweighted over units and leave out figures carried forward while a
    unit's polls were still open (hence 9 oblasts at 20:00). No group mean is computed: registered voters
    per unit are mostly unpublished, so it would not be any group's turnout.
    """
    full = turnout.cities_vs_oblasts()
    return full.loc[:, [c for c in full.columns if "oblasts above" not in str(c)]]


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
        median = round(float(group["turnout"].median()), 2)
        rows.append({"macro_region": region, "n_units": len(group), "median_pct": median,
                     "lowest": f"{low['name']} {low['turnout']:.2f}",
                     "highest": f"{high['name']} {high['turnout']:.2f}"})
    return pd.DataFrame(rows).sort_values("median_pct", ascending=False).set_index("macro_region")


def unit_summary(unit: str, table: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """One unit's published preliminary results and 22:00 turnout next to the nation's (empty = not published)."""
    row = table.loc[unit]
    prelim = overview.national_row(REFERENDUM_2022, "preliminary", national)
    at22 = overview.national_row(REFERENDUM_2022, "turnout_2200", national)
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
    style = plots.unit_style(unit) if unit in plots.CITY_STYLES else {"color": plots.HIGHLIGHT, "marker": "o",
                                                                       "linestyle": "-"}
    ax.plot(wide.columns, curve.to_numpy(), color=style["color"], marker=style["marker"],
            linestyle=style["linestyle"], label=name)
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


# ---------------------------------------------------------------- charts

BOUNDARY_NOTE = ("Boundaries of polling day, 5 June 2022 (17 units; Abai, Jetisu and Ulytau were created "
                 "on 8 June 2022 and are drawn inside their parent units).")


def plot_decomposition(decomp: pd.DataFrame, source: str) -> Figure:
    """Horizontal bars of the four parts of all who took part, labelled with count and share."""
    parts = decomp.drop(index="All who took part").iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    colours = [plots.BOTH_MARKED, plots.INVALID, plots.NO, plots.YES][-len(parts):]
    bars = ax.barh(parts.index, parts["count"] / 1e6, color=colours, edgecolor="black", linewidth=0.5,
                   hatch=None)
    for bar, hatch in zip(bars, ["xxx", "...", "///", ""], strict=False):
        bar.set_hatch(hatch)
    for y, (count, pct) in enumerate(zip(parts["count"], parts["published_pct"], strict=True)):
        ax.text(count / 1e6 + 0.08, y, f"{count:,}  ({pct:.2f} %)", va="center", fontsize=9)
    ax.set_xlim(0, 8.2)
    total = int(decomp["count"].iloc[-1])
    yes_pct, no_pct = decomp["published_pct"].iloc[0], decomp["published_pct"].iloc[1]
    plots.finish(ax, f"Of the {total:,} who took part, {yes_pct:.2f} % said yes and {no_pct:.2f} % no", source,
                 xlabel="Ballots (millions); % = share of all who took part", ylabel="")
    return fig


def plot_exit_polls(intervals: pd.DataFrame, official_pct: float, took_part_pct: float, title: str,
                    source: str) -> Figure:
    """Each 2022 poll's yes share with its 95 % Wilson interval at each design effect, against the official result.

    Notebook 03's chart: how the intervals widen with the design effect. A poll without an interval (its
    stated sample is not a count of interviews) is drawn as its point only, hollow, with the reason beside it.
    The claims chart (one nominal interval per poll) and the compare chart (every poll of three referendums)
    draw the same table differently.
    """
    polls = list(dict.fromkeys(intervals["organisation"]))
    with_interval = intervals[intervals["has_interval"]]
    deffs = sorted(set(with_interval["design_effect"]))
    fig, ax = plt.subplots(figsize=(8.5, 4.4))
    offsets = [(-0.18 + 0.36 * i / max(len(deffs) - 1, 1)) for i in range(len(deffs))]
    for p, org in enumerate(polls):
        mine = intervals[intervals["organisation"] == org]
        if not bool(mine["has_interval"].any()):
            row = mine.iloc[0]
            ax.plot(float(row["yes_pct"]), p, marker="D", markersize=7, markerfacecolor="white",
                    markeredgecolor=plots.NATIONAL, linestyle="none")
            ax.annotate(f"{row['yes_pct']:.1f} %: point only. Its {int(row['stated_n']):,} are voters covered,\n"
                        "not interviews; the number of interviews is unknown, so no interval",
                        (float(row["yes_pct"]), p), xytext=(0, -10), textcoords="offset points", ha="center",
                        va="top", fontsize=8, color="#333333")
            continue
        for d, deff in enumerate(deffs):
            row = mine[mine["design_effect"] == deff].iloc[0]
            y = p + offsets[d]
            ax.errorbar(row["yes_pct"], y, xerr=[[row["yes_pct"] - row["low"]], [row["high"] - row["yes_pct"]]],
                        fmt=plots.MARKERS[d], color=plots.PALETTE[d], capsize=3, markersize=5,
                        label=f"design effect {deff:g}" if p == 0 else None)
    ax.axvline(official_pct, color=plots.NATIONAL, linestyle="-", linewidth=1.5)
    ax.text(official_pct - 0.1, -0.6, f"official, of yes + no:\n{official_pct:.2f} %", fontsize=8.5, ha="right",
            va="top")
    ax.axvline(took_part_pct, color=plots.CONTEXT, linestyle=":", linewidth=1.5)
    ax.text(took_part_pct + 0.1, len(polls) - 0.3, f"official, of all who took part:\n{took_part_pct:.2f} % "
            "(not comparable)", fontsize=8, color="#555555", va="bottom")
    ax.set_yticks(range(len(polls)), [plots.poll_label(o) for o in polls])
    ax.set_ylim(-0.8, len(polls) - 0.2)
    ax.invert_yaxis()
    ax.set_xlim(min(73.0, float(with_interval["low"].min()) - 0.5),
                max(82.0, float(with_interval["high"].max()) + 0.5))
    ax.legend(loc="lower left", fontsize=8, title="95 % Wilson interval", title_fontsize=8)
    plots.finish(ax, title, source,
                 xlabel="Yes, % of those answering yes or no", ylabel="")
    return fig


def plot_adoption(check: RuleCheck, stage: str, source: str) -> Figure:
    """Per unit: the published yes share (dot) or the published lower bound (an open arrow "> bound"), against 50 %."""
    frame = check.units.iloc[::-1].reset_index(drop=True)
    names = english_names()
    fig, ax = plt.subplots(figsize=(8, 6.2))
    for y, (_, row) in enumerate(frame.iterrows()):
        if row["basis"] == BASIS_FIGURE:
            city = str(row["unit_id"]) in plots.CITY_STYLES
            style = plots.unit_style(str(row["unit_id"]))
            ax.plot(float(row["yes_pct"]), y, marker=style["marker"] if city else "o",
                    color=style["color"] if city else plots.YES, markersize=7, linestyle="none")
            ax.text(float(row["yes_pct"]) - 1, y, f"{row['yes_pct']:.2f}", ha="right", va="center", fontsize=8)
        elif pd.notna(row["yes_above"]):
            low = float(row["yes_above"])
            ax.plot(low, y, marker="|", color=plots.YES, markersize=10, markeredgewidth=2, linestyle="none")
            ax.annotate("", xy=(low + 6, y), xytext=(low, y),
                        arrowprops={"arrowstyle": "-|>", "color": plots.YES, "linewidth": 1.2})
            ax.text(low + 6.8, y, f"> {low:g} (statement)", va="center", fontsize=8, color="#333333")
    ax.axvline(50, color=plots.NO, linestyle="--", linewidth=1.2)
    ax.text(50.5, len(frame) - 0.6, "majority: more than 50 %", color=plots.NO, fontsize=8)
    ax.set_yticks(range(len(frame)), [names[str(u)] for u in frame["unit_id"]])
    ax.set_xlim(40, 100)
    ax.set_ylim(-0.7, len(frame) + 0.2)
    handles = [Line2D([], [], marker="o", color=plots.YES, linestyle="none", markersize=7,
                      label="published yes share (a figure; cities in their own colour and marker)"),
               Line2D([], [], marker="|", color=plots.YES, linestyle="none", markersize=10, markeredgewidth=2,
                      label="lower bound: yes above it (a statement, not a figure)")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.13), fontsize=8, ncol=1)
    plots.finish(ax, f"{check.units_with_majority} of 17 units had a yes majority at the {stage} stage; "
                 f"{check.units_on_figure} of them on a published figure", source,
                 xlabel="Yes, % of all who took part", ylabel="")
    return fig


def plot_past_referendums(frame: pd.DataFrame, title: str, source: str) -> Figure:
    """Yes share of each referendum, labelled with its denominator."""
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    years = list(frame.index)
    valid = frame["yes_pct_basis"].str.startswith("valid")
    bars = ax.bar(years, frame["yes_pct"], color=[plots.CONTEXT if v else plots.YES for v in valid],
                  edgecolor="black", linewidth=0.5)
    for bar, v, pct in zip(bars, valid, frame["yes_pct"], strict=True):
        bar.set_hatch("..." if v else "")
        ax.text(bar.get_x() + bar.get_width() / 2, pct + 1, f"{pct:.2f} %\n"
                + ("of valid votes" if v else "of all who took part"), ha="center", fontsize=8)
    ax.set_ylim(0, 115)
    ax.set_yticks(range(0, 101, 20))
    plots.finish(ax, title, source, xlabel="Referendum (polling day)",
                 ylabel="Yes (%; denominator on each bar)")
    return fig


def plot_map(shapes: geopandas.GeoDataFrame, column: str, title: str, legend_label: str, source: str,
             vmin: float | None = None, vmax: float | None = None,
             missing_label: str = "no published figure") -> Figure:
    """Choropleth of ``column`` (darker = higher): each oblast labelled with its short name and value, the three
    cities called out beside the map (:func:`helpers.plots.label_cities`), units without a figure hatched with
    ``missing_label`` in the legend, never coloured."""
    fig, ax = plt.subplots(figsize=(9.5, 5.6))
    plots.choropleth(shapes, column, ax=ax, legend_label=legend_label, vmin=vmin, vmax=vmax,
                     missing_label=missing_label)
    oblasts = shapes[shapes["unit_id"].astype(str).map(lambda u: u not in plots.CITY_STYLES)]
    label_units(oblasts, column, ax)
    plots.label_cities(shapes, column, ax)
    ax.set_title(title)
    plots.add_source(fig, f"{source} {BOUNDARY_NOTE}")
    return fig


def plot_no_shares(table: pd.DataFrame, national_no: float, title: str, source: str) -> Figure:
    """Published preliminary 'no' shares by unit (bars); units with only the inferred bound '<= national' get an
    open bracket at the national figure and a leftward arrow, never a bar (their figures are unknown)."""
    frame = table.sort_values("no_prelim_pct", ascending=True, na_position="first")
    fig, ax = plt.subplots(figsize=(8, 5.8))
    names = [str(n) for n in frame["name_en"]]
    shown = False
    for y, value in enumerate(frame["no_prelim_pct"]):
        if pd.notna(value):
            ax.barh(y, float(value), color=plots.NO, edgecolor="black", linewidth=0.5)
            ax.text(float(value) + 0.3, y, f"{value:.2f}", va="center", fontsize=8)
        else:
            ax.plot(national_no, y, marker="$]$", color="#555555", markersize=9, linestyle="none",
                    label=None if shown else f"not published: inferred \u2264 {national_no:.2f}")
            ax.annotate("", xy=(national_no - 4, y), xytext=(national_no - 0.3, y),
                        arrowprops={"arrowstyle": "-|>", "color": "#777777", "linewidth": 1.0})
            ax.text(national_no - 4.4, y, f"\u2264 {national_no:.2f}", ha="right", va="center", fontsize=8,
                    color="#444444")
            shown = True
    ax.axvline(national_no, color=plots.NATIONAL, linestyle="--", linewidth=1.2,
               label=f"Kazakhstan: {national_no:.2f}")
    ax.set_yticks(range(len(frame)), names)
    ax.set_ylim(-0.7, len(frame) - 0.3)
    ax.set_xlim(0, 32)
    ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.95)
    plots.finish(ax, title, source,
                 xlabel="No, % of all who took part (preliminary, 6 June)", ylabel="")
    return fig


def plot_turnout_vs_yes(table: pd.DataFrame, check: RuleCheck, title: str, source: str) -> Figure:
    """22:00 turnout against the preliminary yes share for the units that have both; the rest as bounds.

    The cities keep their house style (:func:`helpers.plots.unit_style`); a city shown only as a bound is named.
    """
    fig, ax = plt.subplots(figsize=(8, 4.8))
    both = table[table["yes_prelim_pct"].notna()]
    bounds = check.units.set_index(check.units["unit_id"].astype(str))
    shown = False
    for unit, row in table.iterrows():
        if pd.notna(row["yes_prelim_pct"]):
            continue
        above = bounds["yes_above"].astype(float).get(str(unit), float("nan"))
        if above == above:
            city = str(unit) in plots.CITY_STYLES
            colour = plots.unit_style(str(unit))["color"] if city else "#999999"
            label = "_nolegend_" if shown else "yes not published: stated above 75 (a bound, not a figure)"
            x = float(row["turnout_2200_pct"])
            ax.annotate("", xy=(x, above + 7), xytext=(x, above),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.6})
            ax.plot(x, above, marker="_", markersize=9, markeredgewidth=2, color=colour, linestyle="none",
                    label=label)
            shown = True
            if city:
                ax.annotate(short_name(str(row["name_en"])) + f"\n({x:.2f} %, yes > {above:g})", (x, above + 7),
                            xytext=(0, 4), textcoords="offset points", ha="center", va="bottom", fontsize=8)
    first = True
    for i, (unit, row) in enumerate(both.sort_values("turnout_2200_pct").iterrows()):
        city = str(unit) in plots.CITY_STYLES
        style = plots.unit_style(str(unit))
        x, y = float(row["turnout_2200_pct"]), float(row["yes_prelim_pct"])
        ax.plot(x, y, marker=style["marker"] if city else "o", color=style["color"] if city else plots.YES,
                markersize=7, linestyle="none", zorder=3,
                label=f"published yes share (n = {len(both)})" if first else "_nolegend_")
        first = False
        ax.annotate(short_name(str(row["name_en"])), (x, y), xytext=(0, 8 if i % 2 else -13),
                    textcoords="offset points", fontsize=8, ha="center")
    ax.set_xlim(25, 85)
    ax.set_ylim(60, 92)
    handles = [Line2D([], [], marker="o", color=plots.YES, linestyle="none", markersize=7,
                      label=f"published yes share (n = {len(both)}; cities in their own colour and marker)"),
               Line2D([], [], marker="$\\uparrow$", color="#999999", linestyle="none", markersize=10,
                      label="yes not published: stated above 75 (a bound, not a figure)")]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
    plots.finish(ax, title, source, xlabel="Turnout at 22:00 (ballots received / registered, %)",
                 ylabel="Yes, preliminary (% of all who took part)")
    return fig
