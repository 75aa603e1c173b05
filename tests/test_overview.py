"""Tests for helpers.overview against published figures (data/README.md)."""

from __future__ import annotations

import pytest

from helpers import overview


def test_final_2022_result_is_the_published_one() -> None:
    r = overview.national_result()
    assert (r.registered_voters, r.took_part, r.yes_votes) == (11_734_642, 7_985_769, 6_163_516)
    assert r.valid == 7_779_845 and r.answered == 7_653_986  # README "Denominators"


def test_denominators_reproduce_published_and_readme_shares() -> None:
    table = overview.yes_denominators().set_index("denominator")
    shares = table["yes_share_pct"].astype(float).round(2).to_dict()
    took_part = "all who took part (the commission's base)"
    assert shares[took_part] == 77.18 == table.at[took_part, "published_pct"]
    assert shares["valid ballots"] == 79.22
    assert shares["answered yes or no"] == 80.53
    assert shares["registered voters (the whole electorate)"] == 52.52
    # the widest base gives the smallest share
    assert list(table["yes_share_pct"]) == sorted(table["yes_share_pct"], reverse=True)


def test_turnout_reproduces_68_05_and_breakdowns_close() -> None:
    r = overview.national_result()
    assert round(100 * r.took_part / r.registered_voters, 2) == r.turnout_pct == 68.05
    ballots = overview.ballot_breakdown()
    assert int(ballots["count"].sum()) == r.took_part
    assert ballots["share_of_took_part_pct"].astype(float).round(2).tolist() == [77.18, 18.66, 2.58, 1.58]
    electorate = overview.electorate_breakdown()
    assert int(electorate["count"].sum()) == r.registered_voters
    assert float(electorate["share_of_registered_pct"].sum()) == pytest.approx(100)


def test_yes_of_answered_definition() -> None:
    assert overview.yes_of_answered(3, 1) == 75.0
    with pytest.raises(ValueError):
        overview.yes_of_answered(0, 0)


def test_national_row_reads_any_stage_but_only_one_row() -> None:
    assert overview.national_row(stage="turnout_2200")["turnout_pct"] == 68.44
    with pytest.raises(ValueError, match="no single"):
        overview.national_row("2022-06-05", "turnout_2100")


def test_intraday_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="intraday"):
        overview.national_result(stage="turnout_2200")
    with pytest.raises(ValueError, match="no single"):
        overview.national_result("2023-01-01")


def test_rules_come_from_constitution_facts() -> None:
    rules = overview.rules()
    assert list(rules["fact_id"]) == list(overview.RULE_FACTS)
    assert rules.set_index("fact_id").at["units_counted_for_two_thirds_rule_2022", "value"] == "17"


def test_ballot_question_in_three_languages_names_the_6_may_draft() -> None:
    question = overview.ballot_question().set_index("language")
    assert list(question.index) == list(overview.BALLOT_QUESTION_FACTS)
    # the draft law was published on 6 May 2022 (decree No. 888): every version must say so
    assert "May 6, 2022" in question.at["English (press translation)", "wording"]
    assert "6 мая 2022" in question.at["Russian", "wording"]
    assert "6 мамырда" in question.at["Kazakh", "wording"]
    assert question["wording"].str.endswith("?").all()
    assert question["source_url"].str.startswith("http").all()
    assert question["notes"].str.len().gt(0).all()
