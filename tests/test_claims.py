"""The claims table: checked against figures worked out by hand from the published counts."""

from __future__ import annotations

import pytest

from helpers import claims, overview


def test_a_third_of_the_constitution_is_33_of_98() -> None:
    row = claims.claims_table(compact=False).loc["third_of_constitution"]
    assert "33 / 98 = 33.7 %" in row["computation"]  # 33/98 = 0.3367
    assert row["verdict"] == "accurate"


def test_yes_share_on_three_bases() -> None:
    # 6,163,516 yes, 1,490,470 no, 7,985,769 took part, 11,734,642 registered (final, commission)
    assert overview.yes_of_answered(6_163_516, 1_490_470) == pytest.approx(80.53, abs=0.005)
    stages = claims.stage_figures()
    assert stages.loc["final", "yes % of yes+no (derived)"] == pytest.approx(80.53)
    assert stages.loc["final", "yes % of took part (recomputed)"] == pytest.approx(77.18)
    assert "52.52 % of registered" in claims.claims_table(compact=False).loc["yes_share", "data"]


def test_recomputed_turnout_reproduces_every_published_stage_but_the_2200_electorate_quirk() -> None:
    stages = claims.stage_figures()
    diff = (stages["turnout % (published)"].astype(float) - stages["turnout % (recomputed)"]).abs()
    assert diff.loc[["turnout_2000", "preliminary", "final"]].max() < 0.005
    # 68.44 % reproduces only with 11,734,642, not with the printed 11,732,699 (data README, discrepancy 6)
    assert diff.loc["turnout_2200"] == pytest.approx(0.01, abs=0.001)


def test_survey_wilson_interval_contains_the_preliminary_turnout() -> None:
    interval = claims.survey_intention()
    # Wilson 95 % for 796.8 / 1200: 63.7 to 69.0 (hand computation: centre 0.6637, half-width 0.0266)
    assert interval.low == pytest.approx(63.67, abs=0.05)
    assert interval.high == pytest.approx(69.03, abs=0.05)
    assert interval.low <= 68.06 <= interval.high


def test_exit_polls_span_the_stated_range_and_all_fall_short_of_the_result() -> None:
    polls = claims.exit_polls_2022()
    assert polls["yes % of yes+no answers"].min() == pytest.approx(74.8)
    assert polls["yes % of yes+no answers"].max() == pytest.approx(79.4)
    assert (polls["official minus poll (points)"] > 0).all()
    # SOCIS-A's 350,000 are voters covered, not interviews: no interval may be computed from it
    socis = polls[polls["organisation"].str.contains("SOCIS")]
    assert socis["low"].isna().all()


def test_2022_turnout_is_below_most_earlier_national_votes() -> None:
    higher, total = claims.earlier_votes_with_higher_turnout(68.05)
    assert total == 13  # 1991 .. 2021 in elections_history
    assert higher == 10  # only 2004 (56.49), 2007 (64.56) and 2021 (63.3) were lower


def test_almaty_city_trails_every_oblast_and_shymkent_tops_them_at_10() -> None:
    table = claims.cities_vs_oblasts()
    assert len(table) == 7 * 3
    almaty = table[table["city"] == "almaty_city"]
    assert (almaty["oblasts higher"] == almaty["oblasts"]).all()
    # at 20:00 the five western units (UTC+5) were still voting and repeated 18:00: left out
    assert table.set_index(["hour", "city"]).loc[("20:00", "almaty_city"), "oblasts"] == 14 - 5
    ten = table[(table["hour"] == "10:00") & (table["city"] == "shymkent")].iloc[0]
    assert ten["oblasts higher"] == 0 and ten["city turnout %"] == pytest.approx(34.19)


def test_turnout_spread_at_2200_runs_from_almaty_city_to_turkestan() -> None:
    last = claims.turnout_spread().set_index("hour").loc["22:00"]
    assert (last["lowest"], last["highest"]) == ("Almaty (city)", "Turkestan Region")
    assert last["range (points)"] == pytest.approx(80.66 - 33.30)
    assert last["middle half (points)"] < last["range (points)"]
    assert last["units"] == 17


def test_published_unit_shares_never_fill_a_missing_unit() -> None:
    shares = claims.published_unit_shares()
    assert len(shares) == 17
    assert int(shares["yes_pct"].notna().sum()) == 5
    akmola = shares.set_index("unit_id").loc["akmola"]
    assert akmola["yes_pct"] is not None and str(akmola["yes_pct"]) == "<NA>"
    assert "yes > 75" in akmola["bounds"]
    # inclusive upper bound from Informburo's list (no share at most the national 18.66): printed as ≤
    assert any("no ≤ 18.66" in b for b in shares["bounds"])


def test_every_claim_has_a_known_verdict_and_a_speaker() -> None:
    table = claims.claims_table(compact=False)
    assert table.index.is_unique
    assert set(table["verdict"]) <= set(claims.VERDICTS)
    assert table["speaker"].str.len().min() > 0
    for needed in ("yes_share", "exit_poll_range", "turnout", "survey_vs_turnout", "seventy_high",
                   "third_of_constitution", "laws_tukumov", "laws_udartsev", "regions_vs_cities",
                   "even_distribution", "no_gross_violations", "all_amendments_accepted"):
        assert needed in table.index


def test_a_made_up_verdict_is_refused() -> None:
    with pytest.raises(ValueError):
        claims.Claim("x", "t", "y", "z", "1", "2", "3", "mostly true", "why")  # type: ignore[arg-type]


def test_high_turnout_is_judged_against_both_yardsticks_and_flags_preliminary_figures() -> None:
    row = claims.claims_table(compact=False).loc["seventy_high"]
    assert row["verdict"] == "depends on the comparison"
    # 68.05 - 50 = 18 points above the threshold; 2019 and 2021 turnouts in the table are preliminary
    assert "18 points above the 50 % validity threshold" in row["data"]
    assert claims.non_final_before() == ["2019 (preliminary)", "2021 (preliminary)"]


def test_consolidation_claim_keeps_its_uncheckable_part() -> None:
    row = claims.claims_table(compact=False).loc["three_exit_polls"]
    assert "consolidation" in row["claim"]
    assert row["verdict"] == "not checkable with this data"


def test_every_verdict_has_a_meaning_and_the_counts_add_up() -> None:
    counts = claims.verdict_counts()
    assert list(counts.index) == list(claims.VERDICTS)
    assert counts["claims"].sum() == 15
    assert counts["meaning"].str.len().min() > 10


def test_reader_views_show_names_not_ids_and_no_gaps_as_nan() -> None:
    shares = claims.published_unit_shares_view()
    assert "Akmola Region" in shares.index and "akmola" not in shares.index
    assert shares.loc["Akmola Region"].iloc[0] == "not published"
    view = claims.cities_vs_oblasts_view()
    assert view.loc["20:00", "Almaty (city): oblasts with higher turnout"] == "9 of 9"
    polls = claims.exit_polls_view()
    assert polls.loc["SOCIS-A"].iloc[3] == "no interval (not interviews)"
    full = claims.claims_view()
    assert list(full.index) == list(range(1, 16))
    assert claims.number("seventy_high") == 10
