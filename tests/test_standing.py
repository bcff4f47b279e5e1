""""Where we stand" (socialdash.standing): sentences, gaps, headline figures and the like-for-like
response figures, with hand-computed values (issue 12)."""

import pandas as pd
import pytest

from socialdash import formatting, response_times as rt, standing
from socialdash.viewstate import View
from socialdash.warehouse import open_warehouse
from tests import fixture_response_times as fx


def card(**columns) -> pd.DataFrame:
    base = {"org_id": ["nw", "co"], "name": ["Northwind Air", "Contoso Airlines"], "is_self": [True, False]}
    return pd.DataFrame({**base, **columns})


def test_values_that_differ_read_differently_and_the_relative_gap_shows():
    # the demo's 30 days: 2,155,893 likes against 2,157,343 were "2.16M against 2.16M, behind by 1,450 (0%)"
    lines = standing.standings(card(likes=[2155893.0, 2157343.0]), ("likes",))
    # 1,450 / 2,157,343 = 0.067 % → "0.1%" (the first decimal that shows a digit)
    assert lines[0].sentence == ("Trails on likes: 2.156M against 2.157M for Contoso Airlines, behind by 1,450 "
                                 "(0.1%); ranks 2 of 2.")
    assert "'s" not in lines[0].sentence  # never "Contoso Airlines's"


def test_gaps_with_the_precision_they_need():
    assert standing.gap("likes", 2155893, 2157343) == "1,450 (0.1%)"
    assert standing.gap("likes", 1_000_000, 1_000_001) == "1"  # 0.0001 %: left out, not "0%"
    assert standing.gap("likes", 195, 10) == "185 (1,850%)"
    # 0.04 points between 40.72 % and 40.68 %: not "0.0 percentage points"
    assert standing.gap("share_of_voice", 0.4072, 0.4068) == "0.04 percentage points"
    assert standing.gap("median_response_minutes", 517, 49) == "7.8 h"  # 468 min, formatting.minutes
    assert standing.gap("posting_frequency", 0.484, 0.452) == "0.03/day (7%)"  # 0.032 / 0.452 = 7.1 %


def test_tied_first_needs_a_value():
    lines = standing.standings(card(likes=[0.0, None]), ("likes",))
    assert lines == []  # only one organization has a figure: nothing to compare
    lines = standing.standings(card(likes=[12.0, 12.0]), ("likes",))
    assert lines[0].sentence == "Tied first on likes with Contoso Airlines at 12."


def test_progress_is_never_capped():
    assert [standing.progress_text(p) for p in (1.05, 0.999, 1.0, 0.5, None)] == ["105%", "99.9%", "100%", "50%", "—"]


@pytest.fixture(scope="module")
def rt_con(tmp_path_factory):
    c = open_warehouse(fx.build(str(tmp_path_factory.mktemp("standing") / "rt.duckdb")))
    yield c
    c.close()


def test_headline_response_figures_are_the_like_for_like_ones(rt_con):
    view = View(fx.PERIOD)
    c = standing.headline_card(rt_con, view, fx.SETTINGS, fx.NOW).set_index("org_id")
    # Like for like on X only (Third has no Bluesky item, only Acme has Facebook ones; Silent has none):
    # Acme's X responses 15 20 30 60 2000 10080 → median (30 + 60) / 2 = 45 min (over all platforms it is
    # 75 min); SLA a1 a2 a9 a16 = 4 of 8; Rival 10 20 50 → 20 min, 3/3; Third 120 40 → 80 min, 1/3
    assert c.loc["acme", "median_response_minutes"] == pytest.approx(45)
    assert c.loc["acme", "sla_attainment"] == pytest.approx(0.5)
    assert c.loc["rival", "median_response_minutes"] == pytest.approx(20)
    assert c.loc["third", "median_response_minutes"] == pytest.approx(80)
    assert pd.isna(c.loc["silent", "median_response_minutes"])  # not compared: no figure, no rank
    assert standing.response_platforms(c.reset_index()) == ("x",)
    # the figures and ranks are those of the Response times page's comparison
    lfl = rt.comparison(rt_con, view, fx.SETTINGS, fx.NOW).like_for_like.set_index("org_id")
    for key in standing.RESPONSE_METRICS:
        assert c.loc[lfl.index, key].tolist() == pytest.approx(lfl[key].tolist())


def test_the_rank_names_its_platforms_and_a_change_of_platforms_shows_no_change(rt_con):
    from socialdash import metrics

    view = View(fx.PERIOD)
    now = standing.headline_card(rt_con, view, fx.SETTINGS, fx.NOW)
    before = standing.headline_card(rt_con, metrics.previous_view(view), fx.SETTINGS, fx.NOW)
    # the previous two weeks: Acme (pa1, pa2, a0) and Rival (rp1) on X: the same platforms, so a change shows
    assert standing.response_platforms(before) == ("x",)
    coop = {"coop_index": None, "model": None}
    rows = standing.kpi_rows(now, before, coop, coop).set_index("metric")
    # median 45 min, rank 2 of 3 (Rival 20 < 45 < Third 80)
    assert rows.loc["median_response_minutes", "value_text"] == "45 min"
    assert rows.loc["median_response_minutes", "rank_text"].startswith("Rank 2 of 3 like for like (X)")
    assert "X only" in rows.loc["median_response_minutes", "formula"]
    # compared on other platforms before: no change shown, no "was"
    moved = before.assign(response_platforms="bluesky,x")
    rows = standing.kpi_rows(now, moved, coop, coop).set_index("metric")
    assert rows.loc["median_response_minutes", "delta_text"] is None
    assert rows.loc["median_response_minutes", "rank_text"] == "Rank 2 of 3 like for like (X)"


def test_no_change_is_neutral_on_the_cards():
    frame = card(audience=[1000.0, 900.0], follower_growth_pct=[0.1, 0.2], likes=[5.0, 6.0],
                 engagement_rate=[0.0201, 0.03], share_of_voice=[0.5, 0.5], median_response_minutes=[10.0, 20.0],
                 sla_attainment=[0.5, 0.6], interactions=[3, 3], response_platforms="x")
    before = frame.assign(audience=[1000.0, 900.0], engagement_rate=[0.0200, 0.03], median_response_minutes=[12.0, 20.0])
    coop = {"coop_index": None, "model": None}
    rows = standing.kpi_rows(frame, before, coop, coop).set_index("metric")
    # 0.0201 − 0.0200 = 0.01 pp: "no change", grey and without an arrow (not "+0.0 pp" in green)
    assert rows.loc["engagement_rate", "delta_text"] == "no change"
    assert rows.loc["audience", "delta_text"] == "no change"
    assert formatting.delta_style("engagement_rate", "no change") == {"delta_color": "off", "delta_arrow": "off"}
    # 2 minutes faster: lower is better, so green for "-2 min"
    assert rows.loc["median_response_minutes", "delta_text"] == "-2 min"
    assert formatting.delta_style("median_response_minutes", "-2 min")["delta_color"] == "inverse"
