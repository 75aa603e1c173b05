"""2022, 2024 and 2026 side by side: national figures, polling-day curves, exit polls, units.

Kazakhstan's three referendums of 2022-2026 (constitutional amendments, 5 June 2022; nuclear power plant,
6 October 2024; new Constitution, 15 March 2026) are compared on like-for-like bases only:

* turnout = took part / registered (results) or ballots issued / the day's list (polling-day reports);
* the commission's yes = share of all who took part; the exit polls' yes = share of yes+no answers, so
  polls are compared with the official yes / (yes + no);
* clock: 2022 reports carry capital time UTC+6, 2024 and 2026 capital time UTC+5 (single time zone since
  1 March 2024); curves are aligned on the capital's local clock (:func:`helpers.turnout.clock_hours`).

Units: today's 20 regions map onto the 17 units of 2022 (Abai -> East Kazakhstan, Jetisu -> Almaty
Region, Ulytau -> Karaganda). :func:`aggregate_to_2022` sums counts only when every part is present and
refuses to combine percentages unless voter-list weights are given for every part.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from helpers import load, overview, plots, results, stats, tables, turnout, units

REFERENDUMS: dict[str, str] = {
    "2022-06-05": "2022 constitutional amendments",
    "2024-10-06": "2024 nuclear power plant",
    "2026-03-15": "2026 new Constitution",
}
NEW_REGIONS = ("Abai Region", "Jetisu Region", "Ulytau Region")  # carved out on 8 June 2022 (unit_splits)
NOT_PUBLISHED = "not published"
UNDETERMINED = "undetermined (poll base not stated)"
TURNOUT = "turnout (% of registered)"
YES_SHARE, NO_SHARE = "yes (% of all who took part)", "no (% of all who took part)"
COUNT_LABELS = {"yes_votes": "yes (votes)", "no_votes": "no (votes)", "took_part": "took part (votes)"}


def _f(value: Any) -> float:
    """A table cell as a float (pandas' cell types are too wide for the type checker)."""
    return float(value)


class AggregationError(ValueError):
    """A measure that cannot honestly be carried from today's 20 units to the 17 of 2022."""


def label(date: pd.Timestamp | str) -> str:
    """Short name of a referendum from its polling date."""
    return REFERENDUMS[pd.Timestamp(date).strftime("%Y-%m-%d")]


# --- national ---------------------------------------------------------------------------------------------

def national_table() -> pd.DataFrame:
    """One row per referendum at its final stage: published turnout and yes, plus the derived bases.

    ``turnout %`` is took part / registered, ``yes % of took part`` the commission's share (both as
    published); ``yes % of yes+no`` and ``yes % of registered`` are derived from the counts here, rounded
    to two decimals like the published figures.
    """
    rows = []
    for date in REFERENDUMS:
        r = overview.national_result(date, "final")
        rows.append({
            "referendum": label(date),
            "registered": r.registered_voters,
            "took part": r.took_part,
            "turnout % of registered": r.turnout_pct,
            "yes % of took part": r.yes_pct,
            "yes % of yes+no": round(overview.yes_of_answered(r.yes_votes, r.no_votes), 2),
            "yes % of registered": stats.percent(r.yes_votes, r.registered_voters, 2),
        })
    return pd.DataFrame(rows).set_index("referendum")


# --- polling-day curves -------------------------------------------------------------------------------------

def _first_per_slot(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Keep the first-listed row where two sources report the same slot (data README's rule)."""
    return frame.drop_duplicates(subset=keys, keep="first")


def national_curves() -> pd.DataFrame:
    """Polling-day national turnout of the three referendums (ballots issued / the day's list, in %).

    Columns: referendum, timestamp (capital time), utc_offset, clock (hours, capital local clock),
    turnout_pct. 2022 runs to 22:00 (western units closed at 22:00 capital time); 2024/2026 to 20:00.
    """
    early = load.table("turnout_timeline")
    early = early[early["scope"] == "national"].assign(referendum_date=pd.Timestamp("2022-06-05"))
    later = load.table("later_turnout_timeline")
    later = _first_per_slot(later[later["scope"] == "national"], ["timestamp", "referendum_date"])
    frame = pd.concat([early.loc[:, ["referendum_date", "timestamp", "turnout_pct"]],
                       later.loc[:, ["referendum_date", "timestamp", "turnout_pct"]]], ignore_index=True)
    return _with_clock(frame)


def _with_clock(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["referendum"] = [label(d) for d in out["referendum_date"]]
    out["utc_offset"] = [ts.utcoffset().total_seconds() / 3600 for ts in out["timestamp"]]
    out["clock"] = turnout.clock_hours(out["timestamp"])
    out["turnout_pct"] = out["turnout_pct"].astype(float)
    return out.sort_values(["referendum_date", "timestamp"]).reset_index(drop=True)


def unit_curves() -> pd.DataFrame:
    """Polling-day turnout by unit for the three referendums, keyed by the 2022 unit.

    2022 rows carry the 2022 unit's name; 2024/2026 rows keep today's ``unit_name`` (a 2022 unit that was
    split has two curves, not an average: the voter lists of the parts were not published).
    """
    early = load.table("turnout_timeline")
    early = early[early["scope"] == "unit"].assign(referendum_date=pd.Timestamp("2022-06-05"))
    early = early.rename(columns={"unit_id": "parent_unit_id"})
    early["unit_name"] = [load_name(u) for u in early["parent_unit_id"]]
    later = load.table("later_turnout_timeline")
    later = _first_per_slot(later[later["scope"] == "unit"], ["timestamp", "referendum_date", "unit_name"])
    cols = ["referendum_date", "timestamp", "parent_unit_id", "unit_name", "turnout_pct"]
    early = early.loc[:, cols].astype({"parent_unit_id": str})
    later = later.loc[:, cols].astype({"parent_unit_id": str})
    frame = _with_clock(pd.concat([early, later], ignore_index=True))
    frame["parent_unit_id"] = frame["parent_unit_id"].astype(pd.CategoricalDtype(load.unit_order(), ordered=True))
    return frame.sort_values(["parent_unit_id", "referendum_date", "unit_name", "timestamp"]).reset_index(drop=True)


def load_name(unit_id: object) -> str:
    """English name of a 2022 unit."""
    units = load.table("units").set_index("unit_id")
    return str(units.loc[str(unit_id), "name_en"])


# --- exit polls ---------------------------------------------------------------------------------------------

def exit_polls_vs_results(level: float = 0.95) -> pd.DataFrame:
    """Every exit poll against the official result on its own base.

    Built on :func:`helpers.results.exit_poll_intervals` (design effect 1) for each referendum. Poll yes is
    a share of respondents answering yes or no (2026: the base is not stated; no "no" share was published).
    The Wilson interval uses the published sample only where it counts completed interviews, and assumes
    simple random sampling (exit polls are clustered by polling station: the true interval is wider by an
    unknown design effect).
    """
    polls = load.table("exit_polls").sort_values(["referendum_date", "yes_pct"])
    national = national_table()
    intervals = {(label(date), str(poll["organisation"])): poll for date in REFERENDUMS
                 for poll in results.exit_poll_intervals(polls, design_effects=(1.0,), level=level, date=date,
                                                         unsampled=True).to_dict("records")}
    rows = []
    for row in polls.to_dict("records"):
        name = label(row["referendum_date"])
        poll = intervals[(name, str(row["organisation_en"]))]
        interviews = poll["sample_kind"] == results.SAMPLE_INTERVIEWS
        official = _f(national.loc[name, "yes % of yes+no"])
        rows.append({
            "referendum": name,
            "organisation": str(row["organisation_en"]),
            "poll yes %": float(row["yes_pct"]),
            "poll base": "yes+no answers" if not pd.isna(row["no_pct"]) else "respondents (base not stated)",
            "interviews": int(poll["stated_n"]) if interviews else pd.NA,
            "low": _f(poll["low"]) if interviews else np.nan,
            "high": _f(poll["high"]) if interviews else np.nan,
            "official yes % of yes+no": official,
            "official yes % of took part": _f(national.loc[name, "yes % of took part"]),
            "official − poll (points)": round(official - float(row["yes_pct"]), 2),
            "poll against official": (UNDETERMINED if pd.isna(row["no_pct"]) else
                                      "below" if float(row["yes_pct"]) < official else "not below"),
            "sample": str(poll["sample_kind"]),
            "poll turnout %": float(row["turnout_pct"]) if not pd.isna(row["turnout_pct"]) else np.nan,
            "official turnout %": _f(national.loc[name, "turnout % of registered"]),
        })
    frame = pd.DataFrame(rows)
    frame["interviews"] = frame["interviews"].astype("Int64")
    return frame


def exit_polls_view(level: float = 0.95) -> pd.DataFrame:
    """:func:`exit_polls_vs_results` for readers: short poll names, bases and the interval's method in headers."""
    polls = exit_polls_vs_results(level)
    pct = f"{level:.0%}".replace("%", " %")
    reasons = {results.SAMPLE_COVERED: "no interval (voters covered, not interviews)",
               results.SAMPLE_NONE: "no interval (sample not published)"}
    shown = pd.DataFrame({
        "referendum": polls["referendum"].str[:4],
        "poll": [plots.poll_label(o) for o in polls["organisation"]],
        "poll yes (%; base in next column)": polls["poll yes %"],
        "poll base": polls["poll base"],
        f"{pct} Wilson interval (simple random sample assumed)": [
            reasons.get(kind, f"{lo:.2f} – {hi:.2f}")
            for kind, lo, hi in zip(polls["sample"], polls["low"], polls["high"], strict=True)],
        "official yes (% of yes+no answers)": polls["official yes % of yes+no"],
        "official yes (% of all who took part)": polls["official yes % of took part"],
        "poll against official yes+no share": polls["poll against official"],
        "poll turnout (%)": polls["poll turnout %"],
        "official turnout (% of registered)": polls["official turnout %"],
    })
    return tables.readable(shown, decimals={"poll yes (%; base in next column)": 1, "poll turnout (%)": 1})


# --- 20 -> 17 units --------------------------------------------------------------------------------------------

def parts_of_2022_units() -> dict[str, list[str]]:
    """Today's unit names inside each 2022 unit (from the later timeline's full lists and unit_splits)."""
    later = load.table("later_turnout_timeline")
    later = later[later["scope"] == "unit"]
    splits = load.table("unit_splits")
    parts: dict[str, set[str]] = {u: set() for u in load.unit_order()}
    for name, parent in zip(later["unit_name"], later["parent_unit_id"], strict=True):
        parts[str(parent)].add(str(name))
    for new_region, parent in zip(splits["new_region_en"], splits["parent_unit_id"], strict=True):
        if str(new_region) not in parts[str(parent)]:
            raise AggregationError(f"{new_region} (carved from {parent}) is missing from the later timeline")
    return {unit: sorted(names) for unit, names in parts.items()}


def aggregate_to_2022(frame: pd.DataFrame, column: str, weights: str | None = None) -> pd.DataFrame:
    """Carry ``column`` of a today's-units table (``unit_name``, ``parent_unit_id``) onto the 17 units.

    Counts are summed; percentages need ``weights`` (e.g. registered voters for a turnout, took part for a
    yes share) and become the weighted mean. A 2022 unit gets a value only if every one of its parts is
    present (and weighted); otherwise the value is missing and ``status`` says what is lacking. Raises
    :class:`AggregationError` for a percentage column without weights — a plain mean of the parts'
    percentages is not the unit's percentage.
    """
    is_share = column.endswith("_pct") or "%" in column
    if is_share and weights is None:
        raise AggregationError(
            f"{column!r} is a percentage: it can be combined across parts only weighted by its denominator "
            "(pass weights=, e.g. registered_voters); the plain mean of percentages is not the unit's share")
    if not is_share and weights is not None:
        raise AggregationError(f"{column!r} is a count: sum it, do not weight it")
    expected = parts_of_2022_units()
    rows = []
    for unit in load.unit_order():
        group = frame[frame["parent_unit_id"].astype(str) == unit]
        if group.empty:
            continue
        duplicated = sorted(group["unit_name"][group["unit_name"].duplicated()].astype(str))
        if duplicated:
            raise AggregationError(f"{unit}: {', '.join(duplicated)} appear more than once; one row per part")
        values = group.set_index("unit_name")[column]
        have = {str(n) for n, v in values.items() if not pd.isna(v)}
        if weights is not None:
            w = group.set_index("unit_name")[weights]
            have &= {str(n) for n, v in w.items() if not pd.isna(v)}
        missing = [p for p in expected[unit] if p not in have]
        value: float = np.nan
        if missing and len(expected[unit]) == 1:
            status = NOT_PUBLISHED
        elif missing:
            what = "no weight or value" if weights is not None else "not published"
            status = f"incomplete: {what} for {', '.join(missing)} (part of the 2022 unit)"
        else:
            parts = expected[unit]
            if weights is None:
                value = float(sum(float(values[p]) for p in parts))
            else:
                total = sum(float(w[p]) for p in parts)
                value = sum(float(values[p]) * float(w[p]) for p in parts) / total
            status = "one-to-one" if len(parts) == 1 else f"combined from {len(parts)} parts"
        rows.append({"unit_id": unit, column: value, "parts": ", ".join(expected[unit]), "status": status})
    out = pd.DataFrame(rows, columns=["unit_id", column, "parts", "status"])
    out["unit_id"] = out["unit_id"].astype(pd.CategoricalDtype(load.unit_order(), ordered=True))
    return out


def unit_comparison() -> pd.DataFrame:
    """Every per-unit measure published for 2022 and for a later referendum, on the 2022 units.

    Later counts are carried to the 2022 unit with :func:`aggregate_to_2022`; shares of a one-to-one unit
    are taken as published; shares of a split unit are left missing (no voter lists for the parts).
    Columns: unit_id, measure (with its denominator), and one column per referendum, with the stage.
    """
    early = load.table("unit_results")
    early = early.groupby(["unit_id", "stage"], observed=True).first().reset_index()
    later = load.table("later_unit_results")
    expected = parts_of_2022_units()
    measures = {"turnout_pct": TURNOUT, "yes_pct": YES_SHARE, "no_pct": NO_SHARE}
    records: dict[tuple[str, str], dict[str, str]] = {}

    def put(unit: str, measure: str, referendum: str, text: str) -> None:
        records.setdefault((unit, measure), {})[referendum] = text

    for row in early.to_dict("records"):
        for column, measure in measures.items():
            if not pd.isna(row[column]):
                put(str(row["unit_id"]), measure, label("2022-06-05"), f"{float(row[column]):.2f} ({row['stage']})")
    for date, group in later.groupby("referendum_date"):
        name = label(str(date)[:10])
        for row in group.to_dict("records"):
            unit = str(row["parent_unit_id"])
            for column, measure in measures.items():
                if pd.isna(row[column]):
                    continue
                if len(expected[unit]) == 1:
                    put(unit, measure, name, f"{_f(row[column]):.2f} ({row['stage']})")
                else:
                    put(unit, measure, name, f"not combinable: {row['unit_name']} only, no voter lists")
        took = aggregate_to_2022(group, "took_part").set_index("unit_id")
        for count, measure in (("yes_votes", YES_SHARE), ("no_votes", NO_SHARE)):
            carried = aggregate_to_2022(group, count)
            for row in carried.to_dict("records"):
                unit = str(row["unit_id"])
                whole: Any = took.loc[unit, "took_part"]
                if not pd.isna(row[count]) and not pd.isna(whole):
                    records.setdefault((unit, measure), {}).setdefault(
                        name, f"{stats.percent(row[count], _f(whole)):.2f} (derived from counts)")
                elif str(row["status"]).startswith("incomplete") and len(expected[unit]) > 1:
                    put(unit, COUNT_LABELS.get(count, count), name, str(row["status"]))
    first = label("2022-06-05")
    for (unit, measure), values in records.items():
        if first not in values and measure in (YES_SHARE, NO_SHARE):
            bound = _strongest_bound(unit, measure.split()[0] + "_pct")
            if bound:
                values[first] = bound
    rows = [{"unit_id": unit, "measure": measure, **values} for (unit, measure), values in records.items()]
    out = pd.DataFrame(rows).reindex(columns=["unit_id", "measure", *REFERENDUMS.values()])
    out["unit_id"] = out["unit_id"].astype(pd.CategoricalDtype(load.unit_order(), ordered=True))
    out = out[out[list(REFERENDUMS.values())[1:]].notna().any(axis=1)]  # only units with a later figure
    return out.sort_values(["unit_id", "measure"]).reset_index(drop=True).fillna(NOT_PUBLISHED)


def unit_comparison_view() -> pd.DataFrame:
    """:func:`unit_comparison` for readers: unit names, one row per unit and measure."""
    return tables.readable(unit_comparison()).set_index(["unit", "measure"])


def mapping_view() -> pd.DataFrame:
    """The 2022 units that were split, with today's units inside each (from :func:`parts_of_2022_units`)."""
    names = units.english_names()
    rows = [{"2022 unit": names[u], "today's units": ", ".join(p), "parts": len(p)}
            for u, p in parts_of_2022_units().items() if len(p) > 1]
    return pd.DataFrame(rows).set_index("2022 unit")


def curves_view() -> pd.DataFrame:
    """National polling-day turnout (% of the day's voter list) by capital clock time, one column per vote."""
    curves = national_curves()
    wide = curves.pivot(index="clock", columns="referendum", values="turnout_pct")
    wide.index = [f"{int(h):02d}:{round(h % 1 * 60):02d}" for h in wide.index]
    wide.index.name = "capital clock time"
    wide.columns.name = None
    shown = tables.readable(wide, {c: f"{c} (%)" for c in wide.columns}, missing="no report")
    return shown


def _strongest_bound(unit: str, measure: str, stage: str = "preliminary") -> str:
    """The tightest published 2022 bound on ``measure`` for ``unit`` as text (e.g. "> 75 (bound, preliminary)")."""
    bounds = load.table("unit_result_bounds")
    rows = bounds[(bounds["unit_id"].astype(str) == unit) & (bounds["measure"] == measure)
                  & (bounds["stage"] == stage)]
    if rows.empty:
        return ""
    lower = rows[rows["bound"] == "lower"]
    best = lower.sort_values("value").iloc[-1] if not lower.empty else rows.sort_values("value").iloc[0]
    sign = {("lower", False): ">", ("lower", True): "≥", ("upper", False): "<",
            ("upper", True): "≤"}[(str(best["bound"]), bool(best["inclusive"]))]
    notes = str(best["notes"]).lower()
    kind = "inferred bound" if "inferred" in notes else ("stated bound, source excerpt cut off" if "cut off" in notes
                                                         else "stated bound")
    return f"{sign} {_f(best['value']):g} ({kind}, {stage})"


# --- charts ------------------------------------------------------------------------------------------------

def plot_national() -> Figure:
    """Turnout and yes of the three referendums, each yes on two bases (took part; yes+no)."""
    table = national_table()
    measures = [("turnout % of registered", "turnout (% of registered)"),
                ("yes % of took part", "yes (% of all who took part)"),
                ("yes % of yes+no", "yes (% of yes+no answers)")]
    _fig, ax = plt.subplots(figsize=(8, 4.2))
    width = 0.26
    for i, (column, name) in enumerate(measures):
        xs = np.arange(len(table)) + (i - 1) * width
        bars = ax.bar(xs, table[column], width, color=plots.PALETTE[i], hatch=plots.HATCHES[i],
                      edgecolor="white", label=name)
        ax.bar_label(bars, fmt="%.2f", fontsize=8, padding=2)
    ax.set_xticks(np.arange(len(table)), [str(r) for r in table.index])
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", fontsize=8, ncols=3)
    return plots.finish(ax, "2026 had the highest turnout and yes of the three; 2024 the lowest",
                        "national_results (final stage); yes % of yes+no derived from the counts",
                        ylabel="percent (base in the legend)")


def plot_national_curves() -> Figure:
    """National polling-day turnout of the three referendums on the capital's local clock."""
    curves = national_curves()
    _fig, ax = plt.subplots(figsize=(8, 4.5))
    for i, (name, group) in enumerate(curves.groupby("referendum", sort=False)):
        offset = int(group["utc_offset"].iloc[0])
        ax.plot(group["clock"], group["turnout_pct"], marker=plots.MARKERS[i], linestyle=plots.LINESTYLES[i],
                color=plots.PALETTE[i], label=f"{name} (capital clock UTC+{offset})")
    final = national_table()["turnout % of registered"]
    for i, value in enumerate(final):
        ax.plot(23.2, value, marker=plots.MARKERS[i], color=plots.PALETTE[i], markerfacecolor="white")
    ax.text(23.2, float(final.max()) + 3, "final\n(took part)", ha="center", fontsize=8)
    ax.axvline(20, color=plots.CONTEXT, linestyle=":")
    ax.text(20.1, 8, "polls close\n20:00 local", fontsize=8, color="#555555")
    hours = list(range(10, 23, 2))
    ax.set_xticks(hours, [f"{h}:00" for h in hours])
    ax.set_xlim(9.3, 23.9)
    ax.set_ylim(0, 85)
    ax.legend(loc="upper left", fontsize=8)
    return plots.finish(ax, "2022 started fastest, 2026 finished highest, 2024 trailed from 14:00",
                        "turnout_timeline (2022), later_turnout_timeline (2024, 2026), national_results (final)",
                        xlabel="capital's local clock time",
                        ylabel="turnout so far, % of the day's voter list")


def _panel_title(unit: str) -> str:
    name = load_name(unit)
    if unit == "nur_sultan":
        return "Nur-Sultan / Astana"
    return name if unit == "almaty_region" else name.replace(" Region", "")


def plot_unit_curves() -> Figure:
    """One panel per 2022 unit: its 2022 curve and the 2024/2026 curves of today's unit(s) inside it.

    Every panel carries its own hour labels; the legend sits in the empty cells, outside every panel.
    """
    curves = unit_curves()
    order = load.unit_order()
    fig, axes = plt.subplots(4, 5, figsize=(12, 10), sharex=True, sharey=True, layout="none")
    fig.subplots_adjust(left=0.075, right=0.99, bottom=0.085, top=0.92, hspace=0.32, wspace=0.2)
    flat = list(axes.flat)
    years = list(REFERENDUMS.values())
    for ax, unit in zip(flat, order, strict=False):
        group = curves[curves["parent_unit_id"].astype(str) == unit]
        for i, name in enumerate(years):
            part = group[group["referendum"] == name]
            parts = sorted(part["unit_name"].unique(), key=lambda n: (str(n) in NEW_REGIONS, str(n)))
            for j, today in enumerate(parts):
                line = part[part["unit_name"] == today]
                ax.plot(line["clock"], line["turnout_pct"], color=plots.PALETTE[i], linestyle=plots.LINESTYLES[i],
                        marker=plots.MARKERS[i], markersize=3.5 if j == 0 else 4.5,
                        linewidth=1.2 if j == 0 else 0.8, markerfacecolor=plots.PALETTE[i] if j == 0 else "white")
                if j > 0 and i == len(years) - 1:
                    ax.text(0.04, 0.93, f"hollow: {today}", transform=ax.transAxes, fontsize=8, va="top")
        ax.set_title(_panel_title(unit), fontsize=10,
                     fontweight="bold" if unit in plots.CITY_STYLES else "normal")
        ax.set_xticks([10, 14, 18, 22], ["10", "14", "18", "22"])
        ax.tick_params(labelbottom=True, labelleft=True, labelsize=9)
    for ax in flat[len(order):]:
        ax.set_visible(False)
    styles: list[Any] = list(plots.LINESTYLES)
    handles = [Line2D([], [], color=plots.PALETTE[i], linestyle=styles[i], marker=plots.MARKERS[i], label=name)
               for i, name in enumerate(years)]
    handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="white", linewidth=0.8,
                          label="hollow: the region carved out in 2022 (not averaged)"))
    fig.legend(handles=handles, loc="center", bbox_to_anchor=(0.7, 0.12), fontsize=9, frameon=False)
    fig.supxlabel("capital's local clock time, hour (2022 UTC+6, 2024/2026 UTC+5)", fontsize=10, y=0.035)
    fig.supylabel("turnout so far, % of the day's voter list", fontsize=10, x=0.02)
    fig.suptitle("Almaty city had the lowest turnout of the units reported in all three votes",
                 fontweight="bold", x=0.02, y=0.975, ha="left")
    plots.add_source(fig, "turnout_timeline, later_turnout_timeline; 2022 western units were on UTC+5 "
                          "(one hour behind the capital); 2026 at 20:00: 18 of the 20 units reported")
    fig.texts[-1].set_position((0.02, 0.005))  # inside the fixed layout, under the axis label
    return fig


def plot_exit_polls() -> Figure:
    """Every exit poll of the three referendums with its nominal interval against the official yes.

    Unlike the 2022-only charts of :mod:`helpers.results` (design effects) and :mod:`helpers.claims`, this one
    sets the three votes side by side. Polls keep the house name and style (:func:`helpers.plots.poll_label`,
    :func:`helpers.plots.poll_style`). The 2026 polls state no base, so they are drawn against both official
    shares (yes+no answers and all who took part) and their comparison is marked undetermined.
    """
    polls = exit_polls_vs_results()
    _fig, ax = plt.subplots(figsize=(8.5, 5.2))
    labels = []
    for y, row in enumerate(polls.to_dict("records")):
        style = plots.poll_style(str(row["organisation"]))
        ax.plot(row["poll yes %"], y, marker=style["marker"], color=style["color"], linestyle="none",
                markersize=8, markeredgecolor=plots.NATIONAL, markeredgewidth=0.6, zorder=3)
        if not pd.isna(row["low"]):
            ax.hlines(y, row["low"], row["high"], color=style["color"], linewidth=2.5, zorder=2)
        ax.plot(row["official yes % of yes+no"], y, marker="|", markersize=16, markeredgewidth=2,
                color=plots.NATIONAL)
        if row["poll against official"] == UNDETERMINED:
            ax.plot(row["official yes % of took part"], y, marker="|", markersize=16, markeredgewidth=2,
                    color="#888888")
        labels.append(f"{row['referendum'][:4]}  {plots.poll_label(str(row['organisation']))}")
    ax.set_yticks(range(len(polls)), labels, fontsize=9)
    ax.invert_yaxis()
    undetermined = polls.index[polls["poll against official"] == UNDETERMINED]
    if len(undetermined):
        ax.axhspan(undetermined.min() - 0.5, undetermined.max() + 0.5, color="#F2F2F2", zorder=0)
        ax.text(0.01, (undetermined.min() - 0.4), "2026: poll base not stated, so above or below is undetermined",
                transform=ax.get_yaxis_transform(), fontsize=8, va="top", color="#333333")
    ax.plot([], [], marker="|", markersize=14, markeredgewidth=2, color=plots.NATIONAL, linestyle="none",
            label="official yes, % of yes+no answers")
    ax.plot([], [], marker="|", markersize=14, markeredgewidth=2, color="#888888", linestyle="none",
            label="official yes, % of all who took part (2026 only)")
    ax.plot([], [], color="#555555", linewidth=2.5,
            label="poll with 95 % Wilson interval (simple random sample assumed)")
    ax.legend(loc="lower left", fontsize=8)
    ax.set_xlim(62, 92)
    judged = polls[polls["poll against official"] != UNDETERMINED]
    below = int((judged["poll against official"] == "below").sum())
    years = " and ".join(sorted({str(r)[:4] for r in judged["referendum"]}))
    share = f"All {below}" if below == len(judged) else f"{below} of the {len(judged)}"
    return plots.finish(ax, f"{share} exit polls of {years} came in below the official yes",
                        "exit_polls, national_results (final); intervals only where the sample counts "
                        "interviews; 2026 polls published no 'no' share",
                        xlabel="yes, % (2022, 2024 polls: of yes+no answers; 2026 polls: base not stated)")
