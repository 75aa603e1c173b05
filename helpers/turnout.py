"""Turnout on 5 June 2022: the polling-day reports, the stages of the count, rankings, the forecast, history.

The commission reported turnout every two hours **on the capital's clock** (UTC+6). Polls were open
07:00-20:00 local time, and the five western units (Aktobe, Atyrau, West Kazakhstan, Mangistau,
Kyzylorda) kept UTC+5, so at 20:00 capital time their polls were still open for another hour. Their
20:00 figures repeat their 18:00 figures: no fresh count, not a real standstill. :func:`timeline`
marks such reports (``repeat_while_open``) from two independent facts, the clock (``polling_utc_offset``
and the 20:00 local close) and the data (the value equals the previous report), so no chart has to
draw them as a flat line.

Intraday figures count citizens who had **received a ballot** by the hour; the results (preliminary,
final) count citizens who **took part** according to the protocols. Both are shares of registered
voters. Everything computed here is **derived** and labelled so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers import load, plots, stats

if TYPE_CHECKING:
    import geopandas

CAPITAL_UTC_OFFSET_2022 = 6  # Nur-Sultan time on 5 June 2022
POLLS_OPEN_LOCAL = 7
POLLS_CLOSE_LOCAL = 20
NATIONAL_LABEL = "Kazakhstan (national)"
REFERENDUM_2022 = pd.Timestamp("2022-06-05")
KAZISS_SURVEY_ID = "KAZISS_2022-05"
KAZISS_INDICATOR = "intend to participate in the referendum"
#: votes in ``elections_history`` whose turnout is not a final figure (the table's ``notes`` say so).
NON_FINAL_TURNOUT = {"2019-06-09": "preliminary", "2021-01-10": "preliminary", "2023-03-19": "20:10 on polling day"}

STAGE_MEASURES = {
    "turnout_2000": "ballots received by 20:00 (capital time)",
    "turnout_2200": "ballots received by 22:00 (capital time)",
    "preliminary": "took part (protocols, 6 June)",
    "final": "took part (protocols, final, 7 June)",
}


def clock_hours(timestamps: pd.Series) -> pd.Series:
    """Hours after midnight on the capital's clock (the offset each timestamp carries), e.g. 20.0 or 9.5.

    The one reading of a report's time: 2022 reports carry UTC+6, 2024/2026 UTC+5 (see helpers.compare).
    """
    local = pd.Series([ts.tz_localize(None) for ts in timestamps], index=timestamps.index)
    return local.dt.hour + local.dt.minute / 60.0


def timeline() -> pd.DataFrame:
    """The 2022 polling-day reports in long form, nation first, then the units in display order.

    Columns: ``timestamp`` (capital time), ``hour`` (capital clock), ``series`` (English name, or
    "Kazakhstan (national)"), ``unit_id`` (missing for the nation), ``kind`` (oblast / city / national),
    ``polling_utc_offset``, ``local_hour`` (the unit's own clock), ``polls_open`` (the unit's polls were
    open when the report was taken; for the nation: any unit's), ``repeat_while_open`` (the figure
    equals the unit's previous report although its polls were open: a carried-forward figure, not a
    count) and ``turnout_pct`` (ballots received / registered voters, as published).
    """
    raw = load.table("turnout_timeline")
    units = load.table("units").set_index("unit_id")
    frame = raw.loc[:, ["timestamp", "scope", "unit_id", "turnout_pct"]].copy()
    frame["hour"] = clock_hours(frame["timestamp"]).astype("int64")
    unit_key = frame["unit_id"].astype("string")
    names = units["name_en"].astype("string")
    frame["series"] = unit_key.map(names).fillna(NATIONAL_LABEL).astype("string")
    frame["kind"] = unit_key.map(units["kind"].astype("string")).fillna("national").astype("string")
    offsets = unit_key.map(units["polling_utc_offset"]).astype("Int64")
    frame["polling_utc_offset"] = offsets
    shift = (CAPITAL_UTC_OFFSET_2022 - offsets).astype("Int64")
    frame["local_hour"] = (frame["hour"] - shift).astype("Int64")
    unit_open = (frame["local_hour"] >= POLLS_OPEN_LOCAL) & (frame["local_hour"] < POLLS_CLOSE_LOCAL)
    any_open = unit_open.groupby(frame["hour"]).transform("any")
    frame["polls_open"] = unit_open.where(frame["scope"] == "unit", any_open).astype(bool)
    order = [NATIONAL_LABEL, *names.tolist()]
    frame["series"] = pd.Categorical(frame["series"], categories=order, ordered=True)
    frame = frame.sort_values(["series", "hour"]).reset_index(drop=True)
    previous = frame.groupby("series", observed=True)["turnout_pct"].shift(1)
    repeat = (frame["turnout_pct"] == previous).fillna(False).astype(bool)
    frame["repeat_while_open"] = repeat & frame["polls_open"] & (frame["scope"] == "unit")
    columns = ["timestamp", "hour", "series", "unit_id", "kind", "polling_utc_offset", "local_hour",
               "polls_open", "repeat_while_open", "turnout_pct"]
    return frame.loc[:, columns]


def timeline_wide(long: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reporting hour (capital time) x series, turnout % of registered voters (ballots received so far)."""
    data = long if long is not None else timeline()
    wide = data.pivot(index="hour", columns="series", values="turnout_pct")
    wide.columns = wide.columns.astype("string")
    wide.columns.name = None
    wide.index.name = "hour (capital time)"
    return wide


def national_stages() -> pd.DataFrame:
    """The 2022 national turnout at 20:00, 22:00, preliminary and final: what each counts and how they differ.

    ``count`` is ballots received (intraday) or took part (results); ``turnout_pct`` as published;
    ``count_minus_final`` and ``pct_minus_final`` are derived differences from the final result.
    ``pct_fits_list`` says whether count / registered_voters rounds to the published percentage, and
    ``list_note`` (empty where it does) says which list the percentage fits instead (the 22:00 row:
    printed with 11,732,699, it fits only the results' 11,734,642).
    """
    table = load.table("national_results")
    rows = table[table["referendum_date"] == REFERENDUM_2022].copy()
    rows["stage"] = pd.Categorical(rows["stage"], categories=list(STAGE_MEASURES), ordered=True)
    rows = rows.sort_values("stage").reset_index(drop=True)
    count = rows["ballots_received"].fillna(rows["took_part"]).astype("Int64")
    final = rows.loc[rows["stage"] == "final"].iloc[0]
    out = pd.DataFrame({
        "stage": rows["stage"].astype("string"),
        "what is counted": rows["stage"].astype("string").map(STAGE_MEASURES),
        "announced": rows["announced_date"].dt.strftime("%Y-%m-%d"),
        "count": count,
        "registered_voters": rows["registered_voters"].astype("Int64"),
        "turnout_pct": rows["turnout_pct"].astype("Float64"),
    })
    out["count_minus_final"] = (out["count"] - int(final["took_part"])).astype("Int64")
    out["pct_minus_final"] = (out["turnout_pct"] - float(final["turnout_pct"])).round(2).astype("Float64")
    fits = [round(stats.percent(int(c), int(r)), 2) == float(p)
            for c, r, p in zip(out["count"], out["registered_voters"], out["turnout_pct"], strict=True)]
    out["pct_fits_list"] = pd.Series(fits, dtype="bool")
    out["list_note"] = pd.Series([_list_note(int(c), int(r), float(p), int(final["registered_voters"])) if not ok
                                  else "" for c, r, p, ok in zip(out["count"], out["registered_voters"],
                                                                 out["turnout_pct"], fits, strict=True)],
                                 dtype="string")
    return out


def _list_note(count: int, registered: int, pct: float, final_registered: int) -> str:
    """Why a published percentage does not fit the voter list printed beside it (and which list it fits)."""
    printed = round(stats.percent(count, registered), 2)
    note = f"{count:,} / {registered:,} gives {printed:.2f} %, not the published {pct:.2f} %"
    if round(stats.percent(count, final_registered), 2) == pct:
        note += f"; {pct:.2f} % fits the results' list of {final_registered:,}"
    return note


def unit_final_vs_2200() -> pd.DataFrame:
    """Units with a published final turnout (only Almaty city and Turkestan) against their 22:00 figure.

    ``preliminary_pct_derived`` is took part / registered from the preliminary counts, where both were
    published (Almaty city only); it is derived, not a published figure.
    """
    results = load.table("unit_results")
    wide = timeline_wide()
    names = load.table("units").set_index("unit_id")["name_en"].astype("string")
    final = results[(results["stage"] == "final") & results["turnout_pct"].notna()]
    prelim = results[(results["stage"] == "preliminary") & results["took_part"].notna()
                     & results["registered_voters"].notna()]
    rows = []
    for unit_id, pct in zip(final["unit_id"].astype("string"), final["turnout_pct"], strict=True):
        name = str(names[unit_id])
        at_2200 = float(str(wide.at[22, name]))
        match = prelim[prelim["unit_id"].astype("string") == unit_id]
        derived = (100 * float(match["took_part"].iloc[0]) / float(match["registered_voters"].iloc[0])
                   if len(match) else float("nan"))
        rows.append({"unit": name, "turnout_2200_pct": at_2200, "preliminary_pct_derived": derived,
                     "final_pct": float(pct), "final_minus_2200_pp": round(float(pct) - at_2200, 2)})
    out = pd.DataFrame(rows)
    for column in ("turnout_2200_pct", "preliminary_pct_derived", "final_pct", "final_minus_2200_pp"):
        out[column] = out[column].astype("Float64")
    out.loc[out["preliminary_pct_derived"].isna(), "preliminary_pct_derived"] = pd.NA
    return out


def ranking(hour: int = 22) -> pd.DataFrame:
    """Units ranked by turnout at ``hour`` (capital time), highest first; ties share a rank.

    22:00 is the last report that covers every unit after all domestic polls had closed.
    ``minus_national_pp`` is the unit's figure minus the national figure at that hour (derived).
    """
    data = timeline()
    if hour not in set(data["hour"]):
        raise ValueError(f"no report at {hour}:00; reports at {sorted(set(data['hour']))}")
    at = data[data["hour"] == hour]
    national = float(at.loc[at["kind"] == "national", "turnout_pct"].iloc[0])
    units = at[at["kind"] != "national"].copy()
    units["minus_national_pp"] = (units["turnout_pct"] - national).round(2).astype("Float64")
    units = units.sort_values(["turnout_pct", "series"], ascending=[False, True])
    units.insert(0, "rank", units["turnout_pct"].rank(ascending=False, method="min").astype("int64"))
    units["series"] = units["series"].astype("string")
    out = units.loc[:, ["rank", "series", "unit_id", "kind", "polling_utc_offset", "turnout_pct",
                        "minus_national_pp"]].rename(columns={"series": "unit"})
    return out.reset_index(drop=True)


def cities_vs_oblasts(long: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per reporting hour: the nation, the 14 oblasts' median, minimum and maximum, and each city's standing.

    The oblast summary is over units, unweighted: registered voters per unit were published for only a few
    units, so a weighted oblast average cannot be formed. Reports carried forward while polls were open
    (``repeat_while_open``) are left out of the oblast summary (``oblasts_n`` counts the oblasts kept).
    For each city (column named after it, e.g. "Almaty (city)") there are three more columns:
    ``"<city> rank"`` (1 = highest published figure of the units reporting at that hour, ties share a rank,
    as :func:`ranking`), ``"<city> oblasts above"`` (how many of the ``oblasts_n`` oblasts had a higher
    turnout) and ``"<city> share of oblasts above"`` (that count / ``oblasts_n``, a fraction).
    Notebooks 02, 04 and 05 show views of this one table.
    """
    data = long if long is not None else timeline()
    fresh = data[~data["repeat_while_open"]]
    oblast_rows = fresh[fresh["kind"] == "oblast"]
    oblasts = oblast_rows.groupby("hour")["turnout_pct"]
    out = pd.DataFrame({
        "national": data[data["kind"] == "national"].set_index("hour")["turnout_pct"],
        "oblasts_n": oblasts.count().astype("int64"),
        "oblasts_median": oblasts.median(),
        "oblasts_min": oblasts.min(),
        "oblasts_max": oblasts.max(),
    })
    units = data[data["kind"] != "national"].copy()
    units["rank"] = units.groupby("hour")["turnout_pct"].rank(ascending=False, method="min")
    for name, city in units[units["kind"] == "city"].groupby("series", observed=True, sort=True):
        city = city.set_index("hour")
        if city["turnout_pct"].isna().all():
            continue
        above = [int((oblast_rows.loc[oblast_rows["hour"] == hour, "turnout_pct"] > pct).sum())
                 for hour, pct in city["turnout_pct"].items()]
        out[str(name)] = city["turnout_pct"]
        out[f"{name} rank"] = city["rank"].astype("int64")
        out[f"{name} oblasts above"] = pd.Series(above, index=city.index, dtype="int64")
        out[f"{name} share of oblasts above"] = out[f"{name} oblasts above"] / out["oblasts_n"]
    out.columns = out.columns.astype("string")
    out.index.name = "hour (capital time)"
    return out


def cities_summary(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """A reader's view of :func:`cities_vs_oblasts`: the oblasts compared, and each city's figure, rank and gap.

    Columns: ``oblasts_n``, ``oblasts_min``, ``oblasts_median``, ``oblasts_max``, then for each city
    ``"<city>"`` (turnout %), ``"<city> rank"`` (of the 17 units) and ``"<city> minus lowest oblast"``
    (points, derived; negative = below every oblast compared). At 20:00 only the 9 eastern oblasts are
    compared (the western figures were carried forward), so that row is not like the others.
    """
    data = table if table is not None else cities_vs_oblasts()
    out = data.loc[:, ["oblasts_n", "oblasts_min", "oblasts_median", "oblasts_max"]].copy()
    for city in [str(c) for c in data.columns if str(c).endswith("(city)")]:
        out[city] = data[city]
        out[f"{city} rank"] = data[f"{city} rank"]
        out[f"{city} minus lowest oblast"] = (data[city] - data["oblasts_min"]).astype(float).round(2)
    return out


@dataclass(frozen=True)
class Forecast:
    """A survey's stated intention to vote as a forecast, with its interval, against the outcome."""

    organisation: str
    method: str
    fieldwork: str
    interval: stats.Interval
    outcome_pct: float
    outcome_label: str
    source_url: str

    @property
    def outcome_inside(self) -> bool:
        """Whether the outcome lies inside the survey's interval."""
        return self.interval.low <= self.outcome_pct <= self.interval.high

    @property
    def error_pp(self) -> float:
        """Survey estimate minus outcome, in percentage points (derived)."""
        return self.interval.estimate - self.outcome_pct


def survey_forecast(survey_id: str = KAZISS_SURVEY_ID, indicator: str = KAZISS_INDICATOR,
                    level: float = 0.95) -> Forecast:
    """A pre-vote survey's intention-to-vote share with its Wilson interval, against the final turnout.

    The outcome is the final turnout: citizens who took part / registered voters (68.05 %). The interval
    assumes a simple random sample of the published size; the design effect is not published.
    """
    surveys = load.table("surveys")
    row = surveys[(surveys["survey_id"] == survey_id) & (surveys["indicator"] == indicator)]
    if len(row) != 1:
        raise ValueError(f"no single row for survey {survey_id!r}, indicator {indicator!r}")
    survey = row.iloc[0]
    if pd.isna(survey["value_pct"]) or pd.isna(survey["sample_size"]):
        raise ValueError(f"survey {survey_id!r} publishes no exact share or sample size for {indicator!r}")
    interval = stats.proportion_interval(float(survey["value_pct"]), int(survey["sample_size"]), level=level)
    results = load.table("national_results")
    final = results[(results["referendum_date"] == REFERENDUM_2022) & (results["stage"] == "final")].iloc[0]
    fieldwork = f"{survey['fieldwork_start']:%d %b} - {survey['fieldwork_end']:%d %b %Y}"
    return Forecast(
        organisation=str(survey["organisation_en"]), method=str(survey["method"]), fieldwork=fieldwork,
        interval=interval, outcome_pct=float(str(final["turnout_pct"])),
        outcome_label="final turnout (took part / registered voters)", source_url=str(survey["source_url"]),
    )


def history() -> pd.DataFrame:
    """Every national vote since 1991 with its turnout (% of registered voters), oldest first.

    Adds ``year``, ``rank`` (1 = highest turnout of all listed votes), ``is_2022_referendum`` and
    ``figure_stage`` ("final", or what the figure is where no final turnout was found, from
    :data:`NON_FINAL_TURNOUT`): ranks mix final and non-final figures.
    """
    table = load.table("elections_history").sort_values("date").reset_index(drop=True)
    out = table.loc[:, ["date", "kind", "name", "turnout_pct", "winner_or_yes_pct", "yes_pct_basis"]].copy()
    out.insert(1, "year", out["date"].dt.year.astype("int64"))
    out["rank"] = out["turnout_pct"].rank(ascending=False, method="min").astype("Int64")
    out["is_2022_referendum"] = (out["date"] == REFERENDUM_2022) & (out["kind"] == "referendum")
    out["figure_stage"] = pd.Series([NON_FINAL_TURNOUT.get(f"{d:%Y-%m-%d}", "final") for d in out["date"]],
                                    dtype="string")
    return out


# ---------------------------------------------------------------------------------------------- charts

def plot_timeline_grid(long: pd.DataFrame | None = None, *, ncols: int = 6, title: str | None = None,
                       source: str | None = None) -> Figure:
    """Small multiples: one panel per unit (the nation in grey behind), the nation's own panel first.

    A report carried forward while the unit's polls were open is drawn as a hollow marker off the line;
    the line joins the two real counts around it with a dotted segment. Grey shading marks the hours after
    the unit's polls had closed (20:00 local); western units (UTC+5) say so inside their panel. A rise after
    a unit's polls had closed (Almaty city, 20:00 to 22:00) is annotated. ``title`` (the finding) and
    ``source`` are placed around the legend, which sits under the panels.
    """
    data = long if long is not None else timeline()
    series = list(data["series"].cat.categories)
    nrows = int(np.ceil(len(series) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(13, 2.35 * nrows + 0.7), sharex=True, sharey=True)
    national = data[data["kind"] == "national"].set_index("hour")["turnout_pct"].astype(float)
    for ax, name in zip(axes.flat, series, strict=False):
        rows = data[data["series"] == name].set_index("hour")
        ax.plot(national.index, national.to_numpy(), color=plots.CONTEXT, lw=1.6, ls="--", zorder=1)
        offset = rows["polling_utc_offset"].iloc[0]
        close = POLLS_CLOSE_LOCAL + (CAPITAL_UTC_OFFSET_2022 - int(offset)) if not pd.isna(offset) else None
        if close is not None:
            ax.axvspan(close, 23, color="#EEEEEE", zorder=0)
        real = rows[~rows["repeat_while_open"]]["turnout_pct"].astype(float)
        colour = plots.NATIONAL if name == NATIONAL_LABEL else plots.YES
        marker = "s" if name == NATIONAL_LABEL else "o"
        solid = real[real.index <= 18] if rows["repeat_while_open"].any() else real
        ax.plot(solid.index, solid.to_numpy(), color=colour, lw=1.8, marker=marker, ms=3.5, zorder=3)
        stale = rows[rows["repeat_while_open"]]["turnout_pct"].astype(float)
        if len(stale):
            after = real[real.index >= 18]
            ax.plot(after.index, after.to_numpy(), color=colour, lw=1.5, ls=":", marker=marker, ms=3.5, zorder=3)
            ax.plot(stale.index, stale.to_numpy(), ls="none", marker="o", ms=6, mfc="white",
                    mec=plots.HIGHLIGHT, mew=1.5, zorder=4)
        if close is not None and close < 22 and not len(stale):
            _annotate_rise_after_close(ax, rows, close)
        kind = rows["kind"].iloc[0]
        ax.set_title(str(name), fontsize=9.5, fontweight="bold" if kind != "oblast" else "normal")
        if not pd.isna(offset) and int(offset) == 5:
            ax.text(22.6, 4, "UTC+5: polls\nclosed 21:00", ha="right", va="bottom", fontsize=8, color="#333333")
        ax.set_xticks([10, 14, 18, 22])
        ax.set_xlim(9, 23)
        ax.set_ylim(0, 90)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.4)
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("% of registered voters", fontsize=9)
    for ax in axes[-1, :]:
        ax.set_xlabel("hour, capital time", fontsize=9)
    handles: list[Artist] = [
        Line2D([], [], color=plots.YES, marker="o", ms=4, label="unit: ballots received so far"),
        Line2D([], [], color=plots.CONTEXT, ls="--", lw=1.6, label="nation (same in every panel)"),
        Line2D([], [], ls="none", marker="o", ms=6, mfc="white", mec=plots.HIGHLIGHT, mew=1.5,
               label="20:00 figure repeats 18:00 while polls were still open (not a count)"),
        Line2D([], [], color=plots.YES, ls=":", label="no count between 18:00 and 22:00"),
        Patch(color="#EEEEEE", label="unit's polls closed (20:00 local)"),
    ]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=9)
    if title is not None:
        fig.suptitle(title, x=0.0, ha="left", fontsize=12, fontweight="bold")
    if source is not None:
        plots.add_source(fig, source)
        fig.texts[-1].set_y(-0.085)  # under the legend
    return fig


def _annotate_rise_after_close(ax: Axes, rows: pd.DataFrame, close: int) -> None:
    """Mark a figure that still rose between the last report before the close and a report after it."""
    values = rows["turnout_pct"].astype(float)
    before, later = values.get(close), values.get(close + 2)
    if before is None or later is None or not later > before:
        return
    ax.annotate(f"{before:.2f} → {later:.2f} after\npolls closed (unexplained)", (close + 2, later),
                xytext=(22.6, 3), ha="right", va="bottom", fontsize=8, color="#333333",
                arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.8})


def plot_history(hist: pd.DataFrame | None = None) -> Figure:
    """Turnout of every national vote since 1991, one marker style per kind of vote, 2022 highlighted.

    Figures that are not final (``figure_stage``) are drawn hollow and named, so a reader can see which
    ranks mix stages.
    """
    data = hist if hist is not None else history()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    styles = {"referendum": ("D", plots.YES), "presidential": ("o", plots.PALETTE[1]),
              "mazhilis": ("s", plots.PALETTE[2])}
    final = data["figure_stage"] == "final"
    for kind, (marker, colour) in styles.items():
        label = "referendum" if kind == "referendum" else ("presidential" if kind == "presidential"
                                                           else "Mazhilis (parliament)")
        part = data[(data["kind"] == kind) & final]
        ax.plot(part["date"], part["turnout_pct"].astype(float), ls="none", marker=marker, ms=7, color=colour,
                label=label)
        other = data[(data["kind"] == kind) & ~final]
        ax.plot(other["date"], other["turnout_pct"].astype(float), ls="none", marker=marker, ms=7,
                mfc="white", mec=colour, mew=1.8)
    for row in data[~final].to_dict("records"):
        ax.annotate(str(row["figure_stage"]), (row["date"], float(row["turnout_pct"])), xytext=(0, -15),
                    textcoords="offset points", ha="center", fontsize=8, color="#333333")
    target = data[data["is_2022_referendum"]].iloc[0]
    pct = float(target["turnout_pct"])
    ax.plot([target["date"]], [pct], ls="none", marker="D", ms=9, color=plots.YES, mec=plots.NATIONAL, mew=1.5)
    ax.annotate(f"5 June 2022 referendum: {pct:.2f} %", (target["date"], pct), xytext=(-25, -70),
                textcoords="offset points", ha="right", fontsize=9, color=plots.NATIONAL,
                arrowprops={"arrowstyle": "->", "color": plots.NATIONAL})
    ax.axhline(50, color="#444444", lw=0.8, ls=":")
    ax.text(data["date"].iloc[0], 51, "50 % validity threshold for a referendum", fontsize=8, color="#444444")
    ax.set_ylim(40, 100)
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="none", marker="o", ms=7, mfc="white", mec="#555555", mew=1.8,
                          label="hollow: not a final figure (named below it)"))
    ax.legend(handles=handles, loc="lower left", fontsize=8, ncol=2)
    return fig


def plot_ranking(ranked: pd.DataFrame | None = None) -> Figure:
    """Horizontal bars of turnout at 22:00 by unit: oblasts grey, cities in their own colours and hatched.

    Western (UTC+5) units carry the tag in their axis label, clear of the bars and the national line.
    """
    data = ranked if ranked is not None else ranking(22)
    national = float(data["turnout_pct"].iloc[0] - data["minus_national_pp"].iloc[0])
    fig, ax = plt.subplots(figsize=(8.5, 6.2))
    ordered = data.iloc[::-1].reset_index(drop=True)
    labels = []
    for i, row in enumerate(ordered.to_dict("records")):
        city = row["kind"] == "city"
        west = int(row["polling_utc_offset"]) == 5
        colour = plots.unit_style(str(row["unit_id"]))["color"]
        ax.barh(i, float(row["turnout_pct"]), color=colour, hatch=plots.HATCHES[1] if city else "",
                edgecolor="white", height=0.75)
        ax.text(float(row["turnout_pct"]) + 0.8, i, f"{float(row['turnout_pct']):.2f}", va="center", fontsize=8,
                zorder=5, bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})
        labels.append(f"{row['unit']}" + (" (UTC+5)" if west else ""))
    ax.set_yticks(range(len(ordered)), labels, fontsize=9)
    ax.axvline(national, color=plots.NATIONAL, ls="--", lw=1)
    ax.text(national - 0.8, len(ordered) - 0.3, f"nation {national:.2f}", fontsize=8, ha="right")
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(ordered) + 0.2)
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[Patch(color=plots.unit_style("oblast")["color"], label="oblast"),
                       Patch(facecolor="#777777", hatch=plots.HATCHES[1], edgecolor="white",
                             label="city (own colour)")],
              loc="lower right", fontsize=8)
    return fig


def plot_cities_vs_oblasts(table: pd.DataFrame | None = None) -> Figure:
    """The oblasts' range (band) and median against each city and the nation, per reporting hour.

    At 20:00 the band and median cover only the oblasts with a fresh count (the 9 eastern ones): that point of
    the median is drawn hollow and the band there is labelled, since its jump is an artefact of the change.
    """
    data = table if table is not None else cities_vs_oblasts()
    fig, ax = plt.subplots(figsize=(8.5, 5.0))
    hours = data.index.to_numpy()
    full = int(data["oblasts_n"].max())
    few = "".join(f"; {int(n)} at {h}:00" for h, n in zip(hours.tolist(), data["oblasts_n"], strict=True)
                  if int(n) < full)
    ax.fill_between(hours, data["oblasts_min"].astype(float), data["oblasts_max"].astype(float),
                    color=plots.CONTEXT, alpha=0.5, label=f"oblasts: lowest to highest ({full}{few})")
    median = data["oblasts_median"].astype(float)
    ax.plot(hours, median.to_numpy(), color="#666666", lw=2, marker="s", ms=4, label="oblasts: median (unweighted)")
    for hour, n, med, top in zip(hours.tolist(), data["oblasts_n"], median, data["oblasts_max"].astype(float),
                                 strict=True):
        if int(n) < full:
            ax.plot([hour], [med], ls="none", marker="s", ms=7, mfc="white", mec="#666666", mew=1.5)
            ax.annotate(f"{hour}:00: band and median cover\nonly the {int(n)} eastern oblasts\n"
                        "(western figures carried forward)",
                        (hour, float(top)), xytext=(0, 8), textcoords="offset points",
                        ha="center", va="bottom", fontsize=8, color="#333333")
    ax.plot(hours, data["national"].astype(float), color=plots.NATIONAL, lw=1.5, ls="--", label="nation")
    names = {str(v): str(k) for k, v in load.table("units").set_index("unit_id")["name_en"].astype(str).items()}
    for city in [str(c) for c in data.columns if str(c).endswith("(city)")]:
        style = plots.unit_style(names.get(city, city))
        ax.plot(hours, data[city].astype(float), color=style["color"], lw=1.8, ls=style["linestyle"],
                marker=style["marker"], ms=5, label=city)
    ax.set_xticks(hours, [f"{h}:00" for h in hours])
    ax.set_ylim(0, 100)
    ax.legend(loc="lower right", fontsize=8, ncol=2)
    return fig


_MAP_LABEL_SHIFT = {"north_kazakhstan": (-1.6, -0.2), "turkestan": (0.4, 1.2)}  # degrees, clear of city call-outs


def plot_map(shapes: geopandas.GeoDataFrame, column: str, legend_label: str, *, vmin: float | None = None,
             vmax: float | None = None) -> Figure:
    """Choropleth of ``column`` (darker = higher) with each oblast's short name and value, and the three
    cities called out beside the map (:func:`helpers.plots.label_cities`)."""
    fig, ax = plt.subplots(figsize=(9.5, 5.6))
    plots.choropleth(shapes, column, ax=ax, legend_label=legend_label, vmin=vmin, vmax=vmax)
    for row in shapes[shapes["unit_id"].astype(str).map(lambda u: u not in plots.CITY_STYLES)].to_dict("records"):
        point = row["geometry"].representative_point()
        value = row[column]
        shown = "not published" if value is None or value != value else f"{float(value):.1f}"
        name = str(row["name_en"])
        short = name if name == "Almaty Region" else name.removesuffix(" Region")  # not to be read as the city
        dx, dy = _MAP_LABEL_SHIFT.get(str(row["unit_id"]), (0.0, 0.0))
        ax.annotate(f"{short}\n{shown}", (point.x + dx, point.y + dy), ha="center", va="center", fontsize=8,
                    linespacing=1.0, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    plots.label_cities(shapes, column, ax)
    return fig


def plot_forecast(forecasts: list[Forecast]) -> Figure:
    """Each survey's intention-to-vote share with its interval, against the final turnout (vertical line)."""
    fig, ax = plt.subplots(figsize=(8.5, 1.4 + 0.8 * len(forecasts)))
    for i, f in enumerate(forecasts):
        iv = f.interval
        ax.errorbar(iv.estimate, i, xerr=[[iv.estimate - iv.low], [iv.high - iv.estimate]], fmt="o",
                    color=plots.YES, capsize=5, ms=7)
        ax.text(iv.high + 0.5, i, f"{iv.estimate:.1f} ({iv.low:.1f}-{iv.high:.1f})", va="center", fontsize=8)
    outcome = forecasts[0].outcome_pct
    ax.axvline(outcome, color=plots.HIGHLIGHT, lw=2, ls="--")
    ax.text(outcome + 0.3, len(forecasts) - 0.45, f"final turnout {outcome:.2f}", color=plots.HIGHLIGHT, fontsize=8)
    ax.set_yticks(range(len(forecasts)), [f"{f.organisation.split('(')[-1].rstrip(')')}: {f.method}, "
                                          f"{f.fieldwork}" for f in forecasts], fontsize=8)
    ax.set_ylim(-0.6, len(forecasts) - 0.2)
    ax.set_xlim(55, 85)
    ax.grid(axis="y", visible=False)
    return fig
