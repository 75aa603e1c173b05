"""The seed article's claims, checked against the data: one :class:`Claim` per checkable statement.

The seed article is the KazISS expert platform's write-up of the 5 June 2022 referendum (June 2022). Each
claim is paraphrased (never quoted), names its speaker, states the figure the article gives, the figure
the data gives, the computation that links them and a verdict from :data:`VERDICTS` with one reason.
Every figure in a claim is computed here from the typed tables of :mod:`helpers.load`; nothing is typed
in by hand except what the article itself says. The evidence tables behind the verdicts
(:func:`stage_figures`, :func:`exit_polls_2022`, :func:`helpers.turnout.history`, :func:`cities_vs_oblasts`,
:func:`turnout_spread`, :func:`published_unit_shares`) are public so the notebook can show them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers import load, overview, plots, results, stats, tables, turnout, units

Verdict = Literal["accurate", "accurate with caveat", "depends on the comparison", "inaccurate",
                  "not checkable with this data"]
VERDICTS: tuple[Verdict, ...] = ("accurate", "accurate with caveat", "depends on the comparison", "inaccurate",
                                 "not checkable with this data")
#: What each verdict means (the notebook shows this table next to the verdicts).
VERDICT_MEANINGS: dict[Verdict, str] = {
    "accurate": "the data give the stated figure or fact, on the stated base",
    "accurate with caveat": "right as far as the data go, but the data leave out something the claim needs "
                            "(a base, a weight, part of the country)",
    "depends on the comparison": "the figure is (roughly) right, but the judgement on it (e.g. 'high') holds "
                                 "against one yardstick and fails against another; both are shown",
    "inaccurate": "the data contradict the claim as read here",
    "not checkable with this data": "a plan, an opinion or an inference that these tables cannot test",
}
STAGE_LABELS = {
    "turnout_2000": "20:00 report, polling day",
    "turnout_2200": "22:00 report, polling day",
    "preliminary": "preliminary result (6 June)",
    "final": "final result (7 June)",
}
REFERENDUM_2022 = pd.Timestamp("2022-06-05")
CITY_KIND = "city"


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the article and what the data says about it."""

    claim_id: str
    topic: str
    speaker: str
    claim: str
    stated: str
    data: str
    computation: str
    verdict: Verdict
    why: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {self.verdict!r}")


# --- evidence tables -------------------------------------------------------------------------------------

def stage_figures() -> pd.DataFrame:
    """The four 2022 national stages: what was counted, the published turnout and yes, both recomputed."""
    frame = load.table("national_results")
    frame = frame[frame["referendum_date"] == REFERENDUM_2022]
    out = []
    for row in frame.to_dict("records"):
        result = not pd.isna(row["took_part"])
        counted = row["took_part"] if result else row["ballots_received"]
        out.append({
            "stage": row["stage"],
            "counted": "took part (protocols)" if result else "had received a ballot",
            "count": int(counted),
            "registered_voters": int(row["registered_voters"]),
            "turnout % (published)": row["turnout_pct"],
            "turnout % (recomputed)": stats.percent(counted, row["registered_voters"], 2),
            "yes % of took part (published)": row["yes_pct"],
            "yes % of took part (recomputed)": (stats.percent(row["yes_votes"], row["took_part"], 2)
                                                if result else np.nan),
            "yes % of yes+no (derived)": (round(overview.yes_of_answered(row["yes_votes"], row["no_votes"]), 2)
                                          if result else np.nan),
        })
    return pd.DataFrame(out).set_index("stage")


def stage_view() -> pd.DataFrame:
    """:func:`stage_figures` for readers: stage names in words, every header naming its base."""
    frame = stage_figures().rename(index=STAGE_LABELS)
    frame.index.name = "stage"
    return tables.readable(frame, {
        "counted": "who is counted", "count": "count", "registered_voters": "registered voters",
        "turnout % (published)": "turnout (% of registered), published",
        "turnout % (recomputed)": "turnout (% of registered), recomputed",
        "yes % of took part (published)": "yes (% of all who took part), published",
        "yes % of took part (recomputed)": "yes (% of all who took part), recomputed",
        "yes % of yes+no (derived)": "yes (% of yes+no answers), derived",
    }, missing="not a result stage")


def exit_polls_2022(level: float = 0.95) -> pd.DataFrame:
    """The 2022 exit polls with a nominal Wilson interval where the sample counts completed interviews.

    A view of :func:`helpers.results.exit_poll_intervals` at design effect 1. SOCIS-A's 350,000 is "voters
    covered", not interviews (see the row's notes), so no interval is given for it. The intervals assume
    simple random sampling; exit polls sample polling stations (clusters), so the true uncertainty is wider
    by an unknown design effect.
    """
    polls = results.exit_poll_intervals(load.table("exit_polls"), design_effects=(1.0,), level=level,
                                        unsampled=True)
    final = overview.national_row(stage="final")
    official = overview.yes_of_answered(final["yes_votes"], final["no_votes"])
    interviews = polls["sample_kind"] == results.SAMPLE_INTERVIEWS
    return pd.DataFrame({
        "organisation": polls["organisation"],
        "yes % of yes+no answers": polls["yes_pct"],
        "sample (as published)": polls["stated_n"],
        "interviews?": ["yes" if i else "no (voters covered)" for i in interviews],
        "low": polls["low"].where(interviews, np.nan),
        "high": polls["high"].where(interviews, np.nan),
        "official yes % of yes+no": round(official, 2),
        "official minus poll (points)": [round(official - y, 2) for y in polls["yes_pct"]],
    })


def exit_polls_view(level: float = 0.95) -> pd.DataFrame:
    """:func:`exit_polls_2022` for readers: short poll names, the interval's level and method in the header."""
    polls = exit_polls_2022(level)
    pct = f"{level:.0%}".replace("%", " %")
    shown = pd.DataFrame({
        "poll": [plots.poll_label(o) for o in polls["organisation"]],
        "yes (% of yes+no answers)": polls["yes % of yes+no answers"],
        "sample as published": polls["sample (as published)"].astype("Int64"),
        "sample counts interviews?": polls["interviews?"],
        f"{pct} Wilson interval (simple random sample assumed)": [
            "no interval (not interviews)" if pd.isna(lo) else f"{lo:.2f} – {hi:.2f}"
            for lo, hi in zip(polls["low"], polls["high"], strict=True)],
        "official yes (% of yes+no answers)": polls["official yes % of yes+no"],
        "official minus poll (points)": polls["official minus poll (points)"],
    }).set_index("poll")
    return tables.readable(shown, decimals={"yes (% of yes+no answers)": 1})


def earlier_votes_with_higher_turnout(turnout_pct: float, before: pd.Timestamp = REFERENDUM_2022) -> tuple[int, int]:
    """(how many national votes before ``before`` had a higher turnout than ``turnout_pct``, how many there were)."""
    history = turnout.history()
    earlier = history[(history["date"] < before) & history["turnout_pct"].notna()]
    return int((earlier["turnout_pct"] > turnout_pct).sum()), len(earlier)


def non_final_before(before: pd.Timestamp = REFERENDUM_2022) -> list[str]:
    """Years of the national votes before ``before`` whose turnout in the table is not a final figure."""
    history = turnout.history()
    earlier = history[(history["date"] < before) & (history["figure_stage"] != "final")]
    return [f"{int(y)} ({stage})" for y, stage in zip(earlier["year"], earlier["figure_stage"], strict=True)]


def _timeline_units() -> pd.DataFrame:
    """Unit reports from :func:`helpers.turnout.timeline`, without figures carried forward while polls were open.

    At 20:00 capital time the five western units (UTC+5) were still voting and their 20:00 figures repeat
    18:00; those five are left out of that hour's comparison rather than compared as if fresh.
    """
    rows = turnout.timeline()
    rows = rows[rows["unit_id"].notna() & ~rows["repeat_while_open"].astype(bool)].copy()
    rows["hour"] = rows["timestamp"].dt.strftime("%H:%M")
    return rows


def cities_vs_oblasts() -> pd.DataFrame:
    """At each reporting hour, each city's turnout against the 14 oblasts (unweighted: no voter lists).

    A long view (one row per hour and city) of :func:`helpers.turnout.cities_vs_oblasts`. Columns: hour
    (capital time, UTC+6), city (unit_id), city turnout, oblast median, oblast minimum, how many of the
    oblasts reported a higher turnout and what share of them, and how many oblasts had a fresh figure at that
    hour (the western units' carried-forward 20:00 figures are left out). Turnout = ballots received /
    registered voters.
    """
    wide = turnout.cities_vs_oblasts()
    ids = load.table("units").set_index("name_en")["unit_id"].astype(str)
    cities = [str(c) for c in wide.columns if str(c) in ids.index]
    out = [{
        "hour": f"{hour:02d}:00",
        "city": ids[city],
        "city turnout %": float(row[city]),
        "oblast median %": float(row["oblasts_median"]),
        "oblast min %": float(row["oblasts_min"]),
        "oblasts higher": int(row[f"{city} oblasts above"]),
        "share of oblasts higher": float(row[f"{city} share of oblasts above"]),
        "oblasts": int(row["oblasts_n"]),
    } for hour, row in wide.iterrows() for city in cities]
    return pd.DataFrame(out)


def cities_vs_oblasts_view() -> pd.DataFrame:
    """Per report: for each city, how many of the oblasts with a fresh figure had a higher turnout ("13 of 14")."""
    table = cities_vs_oblasts()
    names = units.english_names()
    wide = pd.DataFrame({
        f"{names[str(city)]}: oblasts with higher turnout": pd.Series(
            [f"{h} of {n}" for h, n in zip(group["oblasts higher"], group["oblasts"], strict=True)],
            index=group["hour"].to_numpy())
        for city, group in table.groupby("city", sort=False)})
    wide.index.name = "report (capital time, UTC+6)"
    return wide


def turnout_spread() -> pd.DataFrame:
    """Spread of unit turnout (% of registered, ballots received) across the units at each hour.

    ``lowest`` and ``highest`` are English unit names; ``middle half (points)`` is the interquartile range
    (the 75th minus the 25th percentile); ``median of all units %`` is over every unit reporting a fresh
    figure (cities included, unweighted), not the oblast median.
    """
    rows = _timeline_units()
    out = []
    for hour, group in rows.groupby("hour", sort=True):
        values = pd.Series(group["turnout_pct"].astype(float).to_numpy(), index=group["series"].astype(str))
        q1, q3 = np.percentile(values, [25, 75])
        out.append({
            "hour": hour, "units": len(values),
            "min %": values.min(), "lowest": str(values.idxmin()),
            "max %": values.max(), "highest": str(values.idxmax()),
            "range (points)": round(values.max() - values.min(), 2),
            "middle half (points)": round(float(q3 - q1), 2),
            "median of all units %": float(values.median()),
        })
    return pd.DataFrame(out)


def turnout_spread_view() -> pd.DataFrame:
    """:func:`turnout_spread` for readers (turnout = ballots received, % of registered voters)."""
    return tables.readable(turnout_spread().set_index("hour").rename_axis("report (capital time, UTC+6)"), {
        "units": "units with a fresh figure", "min %": "lowest turnout (%)", "lowest": "lowest unit",
        "max %": "highest turnout (%)", "highest": "highest unit", "range (points)": "range (points)",
        "middle half (points)": "spread of the middle half of units (points)",
        "median of all units %": "median of all units reporting (%)",
    })


def published_unit_shares(stage: str = "preliminary") -> pd.DataFrame:
    """Per-unit yes and no shares (% of all who took part) at ``stage``, one row per unit, with the bounds.

    Sources that agree are merged (first published value kept). Units without a figure show the published
    bound instead (e.g. yes > 75), never a filled value; ``≤``/``≥`` mark inclusive bounds, and a bound
    is tagged "(inferred)" or "(source excerpt cut off)" where its notes say so.
    """
    published = load.table("unit_results")
    published = published[published["stage"] == stage]
    merged = published.groupby("unit_id", observed=True)[["yes_pct", "no_pct"]].first()
    bounds = load.table("unit_result_bounds")
    bounds = bounds[bounds["stage"] == stage]
    out = []
    for unit in load.unit_order():
        text = []
        for b in bounds[bounds["unit_id"] == unit].to_dict("records"):
            sign = {("lower", False): ">", ("lower", True): "≥", ("upper", False): "<",
                    ("upper", True): "≤"}[(str(b["bound"]), bool(b["inclusive"]))]
            notes = str(b["notes"]).lower()
            basis = " (inferred)" if "inferred" in notes else (" (source excerpt cut off)" if "cut off" in notes
                                                                else "")
            text.append(f"{str(b['measure']).replace('_pct', '')} {sign} {float(b['value']):g}{basis}")
        yes = merged.loc[unit, "yes_pct"] if unit in merged.index else pd.NA
        no = merged.loc[unit, "no_pct"] if unit in merged.index else pd.NA
        out.append({"unit_id": unit, "yes_pct": yes, "no_pct": no, "bounds": "; ".join(sorted(text))})
    frame = pd.DataFrame(out)
    frame["yes_pct"] = frame["yes_pct"].astype("Float64")
    frame["no_pct"] = frame["no_pct"].astype("Float64")
    return frame


def published_unit_shares_view(stage: str = "preliminary") -> pd.DataFrame:
    """:func:`published_unit_shares` for readers: unit names, "not published" gaps, bases in the headers."""
    return tables.readable(published_unit_shares(stage), {
        "yes_pct": f"yes (% of all who took part, {stage})", "no_pct": f"no (% of all who took part, {stage})",
        "bounds": "bounds (% of all who took part; see the data README)",
    }).set_index("unit")


def constitution_fact(fact_id: str) -> str:
    """The ``value`` of one row of ``constitution_facts``."""
    facts = load.table("constitution_facts").set_index("fact_id")
    return str(facts.loc[fact_id, "value"])


def constitution_view(fact_ids: list[str]) -> pd.DataFrame:
    """Rows of ``constitution_facts`` (fact, value, unit) for readers, in the order given."""
    facts = load.table("constitution_facts").set_index("fact_id").loc[fact_ids, ["fact", "value", "unit"]]
    return tables.readable(facts.reset_index(drop=True)).set_index("fact")


def survey_intention(level: float = 0.95) -> stats.Interval:
    """The KazISS May 2022 share intending to vote, with its Wilson interval from the stated n."""
    surveys = load.table("surveys")
    row = surveys[(surveys["survey_id"] == "KAZISS_2022-05")
                  & surveys["indicator"].str.contains("intend to participate")].iloc[0]
    return stats.proportion_interval(float(row["value_pct"]), float(row["sample_size"]), level)


def survey_view(level: float = 0.95) -> pd.DataFrame:
    """The survey's share and interval next to both turnouts, and the gap to each (stating its base)."""
    interval = survey_intention(level)
    pre = float(overview.national_row(stage="preliminary")["turnout_pct"])
    fin = float(overview.national_row(stage="final")["turnout_pct"])
    pct = f"{level:.0%}".replace("%", " %")
    return pd.DataFrame({
        "figure": ["KazISS survey, May 2022: intend to vote (% of 1,200 respondents)",
                   f"{pct} Wilson interval (simple random sample assumed)",
                   "turnout, preliminary (% of registered): the figure the speaker quoted",
                   "turnout, final (% of registered)",
                   "gap: preliminary turnout minus survey (points)",
                   "gap: final turnout minus survey (points; notebook 02 uses this base)"],
        "value": [f"{interval.estimate:.1f}", f"{interval.low:.1f} – {interval.high:.1f}", f"{pre:.2f}",
                  f"{fin:.2f}", f"{pre - interval.estimate:.2f}", f"{fin - interval.estimate:.2f}"],
    }).set_index("figure")


# --- the claims ------------------------------------------------------------------------------------------

def _claim_yes() -> Claim:
    pre, fin = overview.national_row(stage="preliminary"), overview.national_row(stage="final")
    return Claim(
        "yes_share", "yes share", "article text (KazISS)",
        "By the commission's preliminary data, this share of voters backed the amendments.",
        "77.18 % (preliminary)",
        f"preliminary {pre['yes_pct']:.2f} %, final {fin['yes_pct']:.2f} % of all who took part; "
        f"{overview.yes_of_answered(fin['yes_votes'], fin['no_votes']):.2f} % of yes+no; "
        f"{stats.percent(fin['yes_votes'], fin['registered_voters']):.2f} % of registered",
        f"{int(pre['yes_votes']):,} / {int(pre['took_part']):,} = "
        f"{stats.percent(pre['yes_votes'], pre['took_part']):.2f} %",
        "accurate",
        "The figure and the stage match the commission; the base is all who took part, and the final count "
        "kept 77.18 %.",
    )


def _claim_exit_range() -> Claim:
    polls = exit_polls_2022()
    low, high = polls["yes % of yes+no answers"].min(), polls["yes % of yes+no answers"].max()
    official = float(polls["official yes % of yes+no"].iloc[0])
    return Claim(
        "exit_poll_range", "exit-poll range", "article text (KazISS)",
        "Exit polls put support for the amendments in this range.",
        "74.8–79.4 %",
        f"{len(polls)} polls: {low:.1f}–{high:.1f} % of yes+no answers; official {official:.2f} % of yes+no",
        f"lowest and highest of the {len(polls)} exit polls; official 6,163,516 / (6,163,516 + 1,490,470)",
        "accurate with caveat",
        f"The range is reported correctly, but on the like-for-like base (yes+no) the official {official:.2f} % "
        "lies above all three polls.",
    )


def _claim_three_polls() -> Claim:
    polls = exit_polls_2022()
    n = len(polls)
    names = ", ".join(plots.poll_label(o) for o in polls["organisation"])
    return Claim(
        "three_exit_polls", "three exit polls as proof of consolidation", "Yerkin Tukumov (KazISS)",
        "The high turnout and the exit polls of three companies prove that citizens have reached a new level "
        "of consolidation.",
        "3 companies; 'proof of consolidation'",
        f"{n} exit polls recorded for 2022 ({names}); no measure of consolidation",
        "count of 2022 rows in exit_polls; the inference itself has no figure to check",
        "not checkable with this data",
        f"The checkable part holds ({n} companies did publish exit polls), but turnout and poll shares cannot "
        "show 'a new level of consolidation', an interpretation these tables cannot test; the turnout was "
        "not high by the country's own record (claim 10).",
    )


def _claim_turnout() -> Claim:
    pre, fin = overview.national_row(stage="preliminary"), overview.national_row(stage="final")
    late = overview.national_row(stage="turnout_2200")
    return Claim(
        "turnout", "turnout", "Yerkin Tukumov (KazISS)",
        "By the commission, this share of citizens took part in the referendum.",
        "68.06 %",
        f"preliminary {pre['turnout_pct']:.2f} %, final {fin['turnout_pct']:.2f} %, "
        f"22:00 ballots received {late['turnout_pct']:.2f} % (of registered)",
        f"{int(pre['took_part']):,} / {int(pre['registered_voters']):,} = "
        f"{stats.percent(pre['took_part'], pre['registered_voters']):.2f} %",
        "accurate",
        "It is the preliminary figure (took part / registered); the final one, announced the next day, is "
        "0.01 point lower.",
    )


def _claim_validity() -> Claim:
    fin = overview.national_row(stage="final")
    threshold = constitution_fact("validity_turnout_threshold")
    return Claim(
        "valid_quorum", "validity", "article text (KazISS)",
        "The referendum is valid: the turnout quorum for adopting the amendments was met.",
        "quorum met",
        f"final turnout {fin['turnout_pct']:.2f} % of registered; threshold: {threshold.replace('>', 'more than ')} %",
        f"{fin['turnout_pct']:.2f} > 50", "accurate" if float(fin["turnout_pct"]) > 50 else "inaccurate",
        "Turnout cleared the validity threshold of more than half of registered voters by 18 points.",
    )


def _claim_survey() -> Claim:
    interval = survey_intention()
    pre = overview.national_row(stage="preliminary")
    turnout = float(pre["turnout_pct"])
    inside = interval.low <= turnout <= interval.high
    return Claim(
        "survey_vs_turnout", "survey as a forecast", "Yerkin Tukumov (KazISS)",
        "KazISS's early-May phone survey of 1,200 people found this share willing to vote, almost the same "
        "as the turnout.",
        "66.4 % of 1,200 vs 68.06 %",
        f"survey {interval.estimate:.1f} % (95 % Wilson interval {interval.low:.1f}–{interval.high:.1f}); "
        f"preliminary turnout {turnout:.2f} % of registered",
        f"Wilson interval for 66.4 % of n = 1,200; gap to the preliminary turnout the speaker quoted "
        f"{turnout - interval.estimate:.2f} points",
        "accurate with caveat" if inside else "inaccurate",
        "The turnout lies inside the survey's nominal interval, but a phone sample's stated intention is "
        "not a forecast of a turnout counted against the voter register (design effect and weighting not "
        "published).",
    )


def _claim_high_turnout() -> Claim:
    fin = overview.national_row(stage="final")
    final_pct = float(fin["turnout_pct"])
    higher, total = earlier_votes_with_higher_turnout(final_pct)
    history = turnout.history()
    earlier = history[history["date"] < REFERENDUM_2022]
    referendums = earlier[earlier["kind"] == "referendum"]
    median = float(earlier["turnout_pct"].astype(float).median())
    threshold = float(constitution_fact("validity_turnout_threshold").lstrip("<>= "))  # stored as ">50"
    flagged = ", ".join(non_final_before())
    return Claim(
        "seventy_high", "is 70 % high?", "Ramazan Sarpekov",
        "Turnout of 70 % is a high figure.",
        "70 %",
        f"final {final_pct:.2f} % of registered; {final_pct - threshold:.0f} points above the {threshold:g} % "
        f"validity threshold; {higher} of {total} earlier national votes had a higher turnout (median "
        f"{median:.2f} %; {flagged} are not final figures); both earlier referendums at least "
        f"{np.floor(float(referendums['turnout_pct'].min())):.0f} %",
        f"{final_pct:.2f} against the {threshold:g} % threshold and against the {total} national votes "
        "1991–2021 in elections_history",
        "depends on the comparison",
        f"68.05 % rounds to the stated 70 %. It is high against the validity threshold (more than half of "
        f"registered voters) but low against Kazakhstan's own record: {higher} of the {total} earlier "
        "national votes had a higher turnout.",
    )


def _claim_third() -> Claim:
    amended = int(constitution_fact("articles_amended_2022"))
    articles = int(constitution_fact("articles_1995_constitution"))
    share = stats.percent(amended, articles)
    return Claim(
        "third_of_constitution", "a third of the Constitution", "Ramazan Sarpekov",
        "Amendments to 33 articles were proposed, a third of the Constitution.",
        "33 articles = 1/3",
        f"{amended} of {articles} articles (1995 text) = {share:.1f} %",
        f"{amended} / {articles} = {share:.1f} % (1/3 = 33.3 %)",
        "accurate" if abs(share - 100 / 3) < 1 else "inaccurate",
        "33 of the 98 articles of the 1995 Constitution is 33.7 %, a third.",
    )


def _claim_laws(speaker: str, stated: str, claim_id: str, claim: str) -> Claim:
    signed = int(constitution_fact("laws_signed_post_referendum"))
    new = int(constitution_fact("new_laws_among_signed"))
    return Claim(
        claim_id, "laws to follow", speaker, claim, stated,
        f"{signed} laws signed at the post-referendum ceremony (autumn 2022), {new} of them new",
        "constitution_facts: laws signed after the referendum, new laws among them",
        "not checkable with this data",
        f"A plan, not a count: the data hold only the {signed} laws signed at one ceremony, which neither "
        "confirms nor refutes the total adopted later.",
    )


def _claim_month() -> Claim:
    decree = constitution_fact("decree_calling_referendum_2022")
    called = pd.Timestamp(decree.split(" of ")[-1])
    days = (REFERENDUM_2022 - called).days
    return Claim(
        "month_of_explaining", "a month of explaining", "Sergey Udartsev (also Suleimen, Sarpekov)",
        "The amendments were explained to the public for a month before the vote.",
        "a month",
        f"decree calling the vote {decree}; {days} days to polling day",
        f"2022-06-05 − {called.date()} = {days} days",
        "accurate with caveat",
        "The campaign lasted a month, but the data cannot show how much explaining happened in it.",
    )


def _claim_regions_vs_cities() -> Claim:
    table = cities_vs_oblasts()
    hours = table["hour"].nunique()
    names = units.english_names()
    summary = []
    for city, group in table.groupby("city", sort=False):
        fraction = group["share of oblasts higher"]
        low, high = float(fraction.min()), float(fraction.max())
        span = f"{low:.0%}" if low == high else f"{low:.0%} to {high:.0%}"
        summary.append(f"{names[str(city)]} {span}")
    return Claim(
        "regions_vs_cities", "regions more active than cities", "Talgat Kaliyev",
        "Second half of one sentence, read as turnout: the regions (oblasts) voted more actively than the "
        "central cities.",
        "regions > cities",
        f"share of the oblasts (% of those with a fresh figure) with a higher turnout than the city, across the "
        f"{hours} polling-day reports: " + "; ".join(summary),
        "each city's turnout (ballots received / registered) vs each oblast with a fresh figure, at every "
        "reporting hour (unweighted)",
        "accurate with caveat",
        "Nur-Sultan and Almaty city trailed (nearly) every oblast at every hour, but Shymkent sat mid-table "
        "and led all units at 10:00; no per-unit voter lists, so no weighted oblast total.",
    )


def _claim_even() -> Claim:
    spread = turnout_spread().set_index("hour").iloc[-1]
    shares = published_unit_shares()
    yes = shares["yes_pct"].dropna().astype(float)
    return Claim(
        "even_distribution", "an even vote across the regions", "Talgat Kaliyev",
        "First half of the same sentence, read as the spread of turnout (and of yes) between units: the vote "
        "was distributed evenly across the regions.",
        "even",
        f"22:00 turnout (% of registered) from {spread['min %']:.2f} % in {spread['lowest']} to "
        f"{spread['max %']:.2f} % in {spread['highest']}, range {spread['range (points)']:.1f} points, middle "
        f"half of units within {spread['middle half (points)']:.1f} points; published yes (% of all who took "
        f"part) {yes.min():.2f}–{yes.max():.2f} % in {len(yes)} units, above 75 % (stated) in 12 others",
        "range and interquartile range of unit turnout at 22:00; lowest and highest published yes shares",
        "inaccurate",
        "Read as spread, turnout ranged over more than 47 points between units and yes over at least 10; the "
        "speaker's own gloss (cities behind the regions, claim 8) also describes an uneven vote. Only the "
        "yes majority (above 50 % in all 17 units) was uniform.",
    )


def _claim_violations() -> Claim:
    return Claim(
        "no_gross_violations", "no gross violations", "Ramazan Sarpekov",
        "Officially, no gross violations were found during the vote.",
        "none", "no table on violations, complaints or observer findings",
        "—", "not checkable with this data",
        "Testing it needs observer reports, complaint registers and polling-station protocols, none of "
        "which is in this data.",
    )


def _claim_all_accepted() -> Claim:
    fin = overview.national_row(stage="final")
    majority_units = int(constitution_fact("units_with_absolute_yes_majority_2022"))
    amendments = constitution_fact("amendments_in_2022_package")
    shares = published_unit_shares()
    return Claim(
        "all_amendments_accepted", "all amendments accepted", "Ramazan Sarpekov",
        "All the amendments were accepted.",
        "all",
        f"one question on the whole package ({amendments} amendments); yes {fin['yes_pct']:.2f} % of all who "
        f"took part; yes > 50 % in {majority_units} of 17 units (commission statement; "
        f"{int(shares['yes_pct'].notna().sum())} units with a figure)",
        "national yes > 50 % and a yes majority in at least 12 of 17 units (adoption rule)",
        "accurate with caveat",
        "The package was voted on as one, so it passed or failed whole; the 17-unit majority rests on the "
        "chair's statement, as per-unit results for most units were not published.",
    )


def claims() -> list[Claim]:
    """Every checked claim, in the article's order."""
    return list(_claims())


@lru_cache(maxsize=1)
def _claims() -> tuple[Claim, ...]:
    return (
        _claim_yes(), _claim_exit_range(), _claim_validity(), _claim_turnout(), _claim_survey(),
        _claim_three_polls(),
        _claim_laws("Yerkin Tukumov (KazISS)", "more than 20", "laws_tukumov",
                    "Parliament will have to revise constitutional laws and adopt over 20 new laws."),
        _claim_regions_vs_cities(), _claim_even(), _claim_high_turnout(), _claim_violations(),
        _claim_all_accepted(), _claim_third(), _claim_month(),
        _claim_laws("Sergey Udartsev", "about 20", "laws_udartsev",
                    "State bodies now have to adopt about 20 laws, amended or new."),
    )


def claims_table(compact: bool = True) -> pd.DataFrame:
    """The claims as a DataFrame indexed by claim_id; ``compact`` keeps topic, speaker, claim, stated, verdict."""
    frame = pd.DataFrame([asdict(c) for c in claims()]).set_index("claim_id")
    if compact:
        return frame.loc[:, ["topic", "speaker", "claim", "stated", "verdict"]]
    return frame


def number(claim_id: str) -> int:
    """The claim's number in the verdicts table (1 = first in the article)."""
    return [c.claim_id for c in claims()].index(claim_id) + 1


_VIEW_LABELS = {"topic": "topic", "speaker": "who", "claim": "what the article says (paraphrase)",
                "stated": "figure stated", "data": "what the data show", "computation": "computation",
                "verdict": "verdict", "why": "why"}


def claims_view(claim_ids: list[str] | None = None, columns: list[str] | None = None) -> pd.DataFrame:
    """Reader-facing claims: numbered rows (no internal ids), plain headers, every cell in full.

    ``columns`` picks from topic, speaker, claim, stated, data, computation, verdict, why (default: all).
    """
    frame = claims_table(compact=False)
    frame.insert(0, "no.", range(1, len(frame) + 1))
    if claim_ids is not None:
        frame = frame.loc[claim_ids]
    chosen = columns if columns is not None else list(_VIEW_LABELS)
    shown = frame.set_index("no.").loc[:, chosen].rename(columns=_VIEW_LABELS)
    return shown


def verdict_counts() -> pd.DataFrame:
    """How many claims got each verdict, with what the verdict means."""
    counts = claims_table()["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0)
    return pd.DataFrame({"claims": counts.astype(int), "meaning": [VERDICT_MEANINGS[v] for v in VERDICTS]},
                        index=pd.Index(list(VERDICTS), name="verdict"))


# --- charts ------------------------------------------------------------------------------------------------

def plot_exit_polls() -> Figure:
    """The three 2022 exit polls (yes % of yes+no) with nominal Wilson intervals, against both official bases.

    The claim's chart: design effect 1 only, no interval for a "voters covered" sample, and the official
    share of all who took part shown as the base the article's comparison must not use. Polls keep their
    house name and style (:func:`helpers.plots.poll_label`, :func:`helpers.plots.poll_style`).
    """
    polls = exit_polls_2022()
    final = overview.national_row(stage="final")
    _fig, ax = plt.subplots(figsize=(8, 3.4))
    for i, row in enumerate(polls.to_dict("records")):
        y = len(polls) - 1 - i
        style = plots.poll_style(str(row["organisation"]))
        ax.plot(float(row["yes % of yes+no answers"]), y, marker=style["marker"], color=style["color"],
                linestyle="none", markersize=9, markeredgecolor=plots.NATIONAL, markeredgewidth=0.6)
        if not pd.isna(row["low"]):
            ax.hlines(y, float(row["low"]), float(row["high"]), color=style["color"], linewidth=2.5)
        else:
            ax.annotate("no interval: 350,000 = voters covered, not interviews",
                        (float(row["yes % of yes+no answers"]), y), xytext=(10, 6), textcoords="offset points",
                        fontsize=8)
    official = float(polls["official yes % of yes+no"].iloc[0])
    ax.axvline(official, color=plots.NATIONAL, linestyle="-")
    ax.axvline(float(final["yes_pct"]), color="#777777", linestyle="--")
    ax.text(official, len(polls) - 0.45, f" official {official:.2f} %\n (of yes+no)", fontsize=8, va="top")
    ax.text(float(final["yes_pct"]), len(polls) - 0.45, f"{float(final['yes_pct']):.2f} % of all who took part "
            "(not comparable) ", fontsize=8, va="top", ha="right", color="#444444")
    ax.set_yticks(range(len(polls)), [plots.poll_label(str(o)) for o in polls["organisation"]][::-1])
    ax.set_ylim(-0.6, len(polls) + 0.1)
    ax.set_xlim(73, 82)
    return plots.finish(ax, "All three exit polls fell short of the official yes share on their own base",
                        "exit_polls, national_results (final); lines are 95 % Wilson intervals assuming simple "
                        "random sampling (design effect unknown, so too narrow)",
                        xlabel="yes, % of those answering yes or no")


def plot_turnout_history() -> Figure:
    """The national votes of 1991 to June 2022 (notebook 02's chart, cut at the referendum), with both yardsticks.

    The 50 % validity threshold and the earlier votes are the two comparisons the "high" turnout claim can
    be read against; the claimed 70 % is a dashed line. Not-final figures (2019, 2021) are hollow.
    """
    history = turnout.history()
    upto = history[history["date"] <= REFERENDUM_2022].reset_index(drop=True)
    fig = turnout.plot_history(upto)
    ax = fig.axes[0]
    ax.axhline(70, color="#777777", linestyle="--", linewidth=1)
    ax.text(upto["date"].iloc[0], 71, "claimed: 70 %", fontsize=8, color="#444444")
    final = float(upto.loc[upto["is_2022_referendum"], "turnout_pct"].iloc[0])
    higher, total = earlier_votes_with_higher_turnout(final)
    return plots.finish(ax, f"68.05 % clears the 50 % threshold, but {higher} of the {total} earlier national "
                            "votes had a higher turnout",
                        "elections_history (1991 to June 2022; hollow: not a final figure), constitution_facts "
                        "(threshold)",
                        xlabel="date of the vote", ylabel="turnout, % of registered voters")


def plot_cities_vs_oblasts() -> Figure:
    """Each city's polling-day turnout against the range and median of the oblasts, report by report.

    The same table as notebook 02's and 04's charts (:func:`helpers.turnout.cities_vs_oblasts`) and the same
    city styles (:func:`helpers.plots.unit_style`), drawn for the claim: the oblast band and median, the
    three cities, no nation line.
    """
    table = turnout.cities_vs_oblasts()
    hours = [f"{hour:02d}:00" for hour in table.index]
    x = list(range(len(hours)))
    ids = load.table("units").set_index("name_en")["unit_id"].astype(str)
    counts = sorted(set(int(n) for n in table["oblasts_n"]), reverse=True)
    band = f"oblasts with a fresh figure ({' or '.join(str(c) for c in counts)}): lowest to highest"
    _fig, ax = plt.subplots(figsize=(8, 4.6))
    ax.fill_between(x, table["oblasts_min"].astype(float), table["oblasts_max"].astype(float), color=plots.CONTEXT,
                    alpha=0.5, label=band)
    ax.plot(x, table["oblasts_median"].astype(float), color="#555555", linestyle="-", linewidth=2,
            label="median of those oblasts")
    for city in [str(c) for c in table.columns if str(c) in ids.index]:
        style = plots.unit_style(ids[city])
        ax.plot(x, table[city].astype(float), marker=style["marker"], linestyle=style["linestyle"],
                color=style["color"], label=city)
    ax.set_xticks(x, hours)
    ax.set_ylim(0, 90)
    ax.legend(loc="upper left", fontsize=8)
    fewer = [h for h, n in zip(hours, table["oblasts_n"], strict=True) if int(n) < max(counts)]
    note = (f"; at {', '.join(fewer)} the western oblasts (UTC+5) were still voting and repeated 18:00, so they "
            "are left out" if fewer else "")
    return plots.finish(ax, "Almaty city and Nur-Sultan trailed the oblasts all day; Shymkent did not",
                        f"turnout_timeline, units (capital time, UTC+6){note}",
                        xlabel="report (capital time, UTC+6)",
                        ylabel="turnout so far, % of registered\n(ballots received)")


def plot_unit_spread(hour: str = "22:00") -> Figure:
    """Every unit's turnout at ``hour`` (capital time), sorted, with the 17-unit median and the middle half."""
    rows = _timeline_units()
    at = rows[rows["hour"] == hour].sort_values("turnout_pct")
    values = at["turnout_pct"].astype(float).to_numpy()
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    _fig, ax = plt.subplots(figsize=(8, 5.2))
    y = np.arange(len(at))
    ax.axvspan(q1, q3, color=plots.CONTEXT, alpha=0.4,
               label=f"middle half of the units (25th to 75th percentile): {q3 - q1:.1f} points wide")
    ax.axvline(med, color=plots.NATIONAL, linestyle="--", label=f"median of all {len(values)} units: {med:.2f} %")
    for yi, (unit, value) in enumerate(zip(at["unit_id"].astype(str), values, strict=True)):
        style = plots.unit_style(unit)
        colour = style["color"] if unit in plots.CITY_STYLES else "#555555"
        ax.plot(value, yi, marker=style["marker"] if unit in plots.CITY_STYLES else "o", linestyle="none",
                color=colour, markersize=8 if unit in plots.CITY_STYLES else 6)
    ax.plot([], [], marker="o", linestyle="none", color="#555555", label="oblast")
    ax.set_yticks(y, [str(s) for s in at["series"]], fontsize=9)
    ax.set_xlim(30, 85)
    ax.legend(loc="upper left", fontsize=8)
    return plots.finish(ax, f"At {hour} unit turnout ran from {values.min():.1f} % to {values.max():.1f} %: "
                            "not an even vote",
                        "turnout_timeline, units (cities in their own colour and marker, named on the axis)",
                        xlabel="turnout at 22:00, % of registered (ballots received)")
