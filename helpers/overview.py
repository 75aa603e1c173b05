"""The national result in one row, and the yes vote measured against every denominator.

The commission publishes yes, no, invalid and both-marked ballots as shares of **all who took part**.
Other bases are in use (exit polls: those who answered yes or no; the Arabic Wikipedia: valid ballots),
and the whole electorate tells how many registered voters actively said yes. The shares computed here
are **derived** (they are not in any table); each row names its numerator and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from helpers import load, plots, stats

REFERENDUM_2022 = "2022-06-05"

#: fact_id values of ``constitution_facts`` that state the validity and adoption rules, in reading order.
RULE_FACTS = (
    "validity_turnout_threshold",
    "adoption_rule_constitutional_amendments",
    "units_counted_for_two_thirds_rule_2022",
    "units_with_absolute_yes_majority_2022",
    "cec_resolution_on_results_2022",
    "amendments_entry_into_force_2022",
)

#: fact_id values of ``constitution_facts`` holding the question on the ballot, by language (English first).
BALLOT_QUESTION_FACTS = {
    "English (press translation)": "ballot_question_en",
    "Russian": "ballot_question_ru",
    "Kazakh": "ballot_question_kk",
}


@dataclass(frozen=True)
class NationalResult:
    """One published national result (counts as published; percentages as published by the commission)."""

    referendum_date: str
    stage: str
    registered_voters: int
    took_part: int
    yes_votes: int
    no_votes: int
    invalid: int | None
    both_marked: int | None
    turnout_pct: float
    yes_pct: float
    source_url: str

    @property
    def valid(self) -> int | None:
        """Valid ballots: took part minus invalid (the both-marked ballots are valid but count for neither)."""
        return None if self.invalid is None else self.took_part - self.invalid

    @property
    def answered(self) -> int:
        """Ballots answering yes or no."""
        return self.yes_votes + self.no_votes


def _int_or_none(value: object) -> int | None:
    return None if value is None or value is pd.NA else int(str(value))


def national_row(referendum_date: str | pd.Timestamp = REFERENDUM_2022, stage: str = "final",
                 table: pd.DataFrame | None = None) -> pd.Series:
    """The one row of ``national_results`` for a referendum and stage, any stage (intraday or result).

    ``table`` is the typed ``national_results`` table (loaded when omitted). The project's only lookup
    of a national row: :func:`national_result` and the results, claims and compare modules use it.
    """
    frame = table if table is not None else load.table("national_results")
    rows = frame[(frame["referendum_date"] == pd.Timestamp(referendum_date)) & (frame["stage"] == stage)]
    if len(rows) != 1:
        known = sorted({f"{d:%Y-%m-%d}/{s}" for d, s in zip(frame["referendum_date"], frame["stage"], strict=True)})
        raise ValueError(f"no single national result for {str(referendum_date)[:10]!r}, stage {stage!r}; "
                         f"known: {known}")
    return rows.iloc[0]


def national_result(referendum_date: str = REFERENDUM_2022, stage: str = "final") -> NationalResult:
    """The row of ``national_results`` for one referendum and stage (a results stage: preliminary or final)."""
    row = national_row(referendum_date, stage)
    if pd.isna(row["took_part"]):
        raise ValueError(f"stage {stage!r} is an intraday count of ballots received, not a result")
    return NationalResult(
        referendum_date=referendum_date,
        stage=stage,
        registered_voters=int(row["registered_voters"]),
        took_part=int(row["took_part"]),
        yes_votes=int(row["yes_votes"]),
        no_votes=int(row["no_votes"]),
        invalid=_int_or_none(row["invalid"]),
        both_marked=_int_or_none(row["both_marked"]),
        turnout_pct=float(row["turnout_pct"]),
        yes_pct=float(row["yes_pct"]),
        source_url=str(row["source_url"]),
    )


def yes_of_answered(yes: float, no: float) -> float:
    """Yes as a percentage of those who answered yes or no, ``100 * yes / (yes + no)`` (the exit polls' base).

    Unrounded; refuses negative counts or no answers at all.
    """
    if yes < 0 or no < 0 or yes + no == 0:
        raise ValueError(f"yes and no must be non-negative and not both zero, got {yes}, {no}")
    return stats.percent(yes, yes + no)


def _shares(counts: pd.Series, whole: pd.Series | int) -> pd.Series:
    """:func:`helpers.stats.percent` of each count (missing where the count or its base is missing)."""
    wholes = whole if isinstance(whole, pd.Series) else pd.Series([whole] * len(counts), index=counts.index)
    values = [pd.NA if pd.isna(c) or pd.isna(w) else stats.percent(int(c), int(w))
              for c, w in zip(counts, wholes, strict=True)]
    return pd.Series(values, index=counts.index, dtype="Float64")


def yes_denominators(result: NationalResult | None = None) -> pd.DataFrame:
    """The yes vote as a share of four bases (derived), widest base last.

    Columns: ``denominator`` (what the base is), ``base_count``, ``yes_votes``, ``yes_share_pct`` (derived,
    unrounded), ``published_pct`` (the commission's figure where it uses that base, else missing).
    """
    r = result if result is not None else national_result()
    rows: list[dict[str, object]] = [
        {"denominator": "answered yes or no", "base_count": r.answered, "published_pct": pd.NA},
        {"denominator": "valid ballots", "base_count": r.valid, "published_pct": pd.NA},
        {"denominator": "all who took part (the commission's base)", "base_count": r.took_part,
         "published_pct": r.yes_pct},
        {"denominator": "registered voters (the whole electorate)", "base_count": r.registered_voters,
         "published_pct": pd.NA},
    ]
    frame = pd.DataFrame(rows)
    frame["base_count"] = frame["base_count"].astype("Int64")
    frame.insert(2, "yes_votes", pd.Series([r.yes_votes] * len(frame), dtype="Int64"))
    frame.insert(3, "yes_share_pct", _shares(frame["yes_votes"], frame["base_count"]))
    frame["published_pct"] = frame["published_pct"].astype("Float64")
    return frame


def ballot_breakdown(result: NationalResult | None = None) -> pd.DataFrame:
    """Who took part, by what their ballot said: counts as published, shares of all who took part (derived)."""
    r = result if result is not None else national_result()
    parts = [("yes", r.yes_votes), ("no", r.no_votes), ("invalid", r.invalid),
             ("both answers marked (valid, not counted)", r.both_marked)]
    frame = pd.DataFrame({"ballot": [p[0] for p in parts],
                          "count": pd.array([p[1] for p in parts], dtype="Int64")})
    frame["share_of_took_part_pct"] = _shares(frame["count"], r.took_part)
    return frame


def electorate_breakdown(result: NationalResult | None = None) -> pd.DataFrame:
    """The whole electorate split into yes, no, other ballots and those who did not take part (derived)."""
    r = result if result is not None else national_result()
    other = r.took_part - r.answered
    parts = [("said yes", r.yes_votes), ("said no", r.no_votes),
             ("took part, neither yes nor no counted (invalid or both marked)", other),
             ("did not take part", r.registered_voters - r.took_part)]
    frame = pd.DataFrame({"group": [p[0] for p in parts],
                          "count": pd.array([p[1] for p in parts], dtype="Int64")})
    frame["share_of_registered_pct"] = _shares(frame["count"], r.registered_voters)
    return frame


def rules() -> pd.DataFrame:
    """The validity and adoption rules (and how 2022 met them) from ``constitution_facts``, in reading order."""
    facts = load.table("constitution_facts").set_index("fact_id")
    missing = [f for f in RULE_FACTS if f not in facts.index]
    if missing:
        raise ValueError(f"constitution_facts lacks {missing}")
    return facts.loc[list(RULE_FACTS), ["fact", "value", "unit", "source_url"]].reset_index()


def ballot_question() -> pd.DataFrame:
    """The question on the 2022 ballot from ``constitution_facts``: one row per language.

    Columns: ``language``, ``wording`` (as stored), ``source_url`` (the page it was copied from) and
    ``notes`` (which press reprint it is, and that it is not the official ballot). English first.
    """
    facts = load.table("constitution_facts").set_index("fact_id")
    missing = [f for f in BALLOT_QUESTION_FACTS.values() if f not in facts.index]
    if missing:
        raise ValueError(f"constitution_facts lacks {missing}")
    rows = facts.loc[list(BALLOT_QUESTION_FACTS.values()), ["value", "source_url", "notes"]]
    out = rows.rename(columns={"value": "wording"}).reset_index(drop=True)
    out.insert(0, "language", list(BALLOT_QUESTION_FACTS))
    return out.astype({"language": "string", "wording": "string", "source_url": "string", "notes": "string"})


# ---------------------------------------------------------------------------------------------- charts

def plot_denominators(table: pd.DataFrame | None = None) -> Figure:
    """Horizontal bars: the same yes votes as a share of each base, the commission's base highlighted."""
    data = table if table is not None else yes_denominators()
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    ordered = data.iloc[::-1].reset_index(drop=True)
    for i, row in enumerate(ordered.to_dict("records")):
        official = not pd.isna(row["published_pct"])
        ax.barh(i, float(row["yes_share_pct"]), color=plots.YES if official else plots.CONTEXT,
                hatch="" if official else plots.HATCHES[1], edgecolor="white", height=0.7)
        ax.text(float(row["yes_share_pct"]) + 1, i,
                f"{float(row['yes_share_pct']):.2f} % = {int(row['yes_votes']):,} / {int(row['base_count']):,}",
                va="center", fontsize=8)
    ax.set_yticks(range(len(ordered)), [str(d) for d in ordered["denominator"]], fontsize=9)
    ax.set_xlim(0, 115)
    ax.set_xticks(range(0, 101, 20))
    ax.grid(axis="y", visible=False)
    return fig


def plot_electorate(table: pd.DataFrame | None = None) -> Figure:
    """One stacked bar of the whole electorate: yes, no, other ballots, did not take part (labelled in place)."""
    data = table if table is not None else electorate_breakdown()
    fig, ax = plt.subplots(figsize=(9, 2.4))
    colours = [plots.YES, plots.NO, plots.INVALID, "#FFFFFF"]
    short = ["said yes", "said no", "invalid or both marked", "did not take part"]
    left = 0.0
    for i, row in enumerate(data.to_dict("records")):
        width = float(row["share_of_registered_pct"])
        ax.barh(0, width, left=left, color=colours[i % len(colours)], edgecolor="#555555",
                hatch=plots.HATCHES[i % len(plots.HATCHES)], height=0.6)
        label = f"{short[i % len(short)]}\n{width:.2f} %"
        if width > 8:
            ax.text(left + width / 2, 0, label, ha="center", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
        else:
            ax.annotate(label.replace("\n", " "), (left + width / 2, 0.3), xytext=(0, 14),
                        textcoords="offset points", ha="center", fontsize=8,
                        arrowprops={"arrowstyle": "-", "color": "#555555"})
        left += width
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, 0.9)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    return fig
