"""The overview through Streamlit's AppTest, on the hand-computed fixture."""

import re

import pytest

from tests import fixture_response_times as rtx
from tests.apptest import captions, metric, opener, plain, table


@pytest.fixture()
def app(fixture_db, monkeypatch):
    return opener(monkeypatch, fixture_db)


def test_kpis_follow_the_link_and_metrics_md(app):
    # The fixture's time zone is New York; the dashboard without a config counts days in UTC,
    # so only figures that do not depend on the zone are checked here (see test_metrics.py).
    at = app(start="2026-01-05", end="2026-01-11")
    assert not at.exception
    assert [m.label for m in at.metric] == [
        "Audience", "Follower growth %", "Likes", "Engagement rate",
        "Share of voice", "Median response time", "SLA attainment", "Co-op index"]
    assert metric(at, "Audience").value == "2,200"
    assert metric(at, "Audience").delta == "+500 (29%)"  # against 1,700 up to Jan 4
    assert metric(at, "Follower growth %").value == "22.2%"  # 400 / 1800
    assert metric(at, "Follower growth %").delta == ""  # no count on Dec 29: no change to show
    assert metric(at, "Median response time").value == "90 min"
    assert "Rank 2 of 3" in [c.value for c in at.caption]
    assert all(m.help for m in at.metric)  # every figure carries its formula


def test_selecting_organizations_changes_the_ranks(app):
    at = app(start="2026-01-05", end="2026-01-11", orgs="acme,other")
    assert not at.exception
    text = " ".join(md.value for md in at.markdown)
    assert "Leads on audience: 2,200, ahead of Other (400)" in text
    assert at.query_params["orgs"] == "acme,other"


def test_a_bad_link_is_ignored_with_a_visible_notice(app):
    at = app(start="2026-01-05", end="nonsense", departments="care,ghost")
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Ignored the period" in w for w in warnings)
    assert any("1 department" in w and "'ghost'" in w for w in warnings)
    # the link is rewritten to the view actually shown
    assert at.query_params["departments"] == "care"
    assert "end" not in at.query_params and at.query_params["period"] == "last-30-days"  # the default shown


def test_a_broken_config_is_named_and_the_page_still_works(app, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("sla_minutes = -5\n")
    monkeypatch.setenv("SOCIAL_CONFIG", str(bad))
    at = app(start="2026-01-05", end="2026-01-11")
    assert not at.exception
    assert any("sla_minutes" in e.value and "greater than 0" in e.value for e in at.error)
    assert len(at.metric) == 8


def test_changing_a_filter_writes_the_url(app):
    at = app(start="2026-01-05", end="2026-01-11")
    at.sidebar.multiselect(key="f_platforms").set_value(["bluesky"]).run()
    assert not at.exception
    assert at.query_params["platforms"] == "bluesky"
    assert metric(at, "Audience").value == "700"


def test_an_empty_warehouse_loads_the_demo_and_says_so(tmp_path, monkeypatch):
    at = opener(monkeypatch, str(tmp_path / "fresh" / "social.duckdb"), timeout=120)()
    banner = " ".join(i.value for i in at.info)
    assert "Demo data" in banner and "python -m connectors refresh" in banner
    assert len(at.metric) == 8
    assert metric(at, "Audience").value not in ("—", "0")


# --- Issue 12 ---------------------------------------------------------------------------------------------

def shown_text(at) -> str:
    """Everything the page writes: Markdown, captions, alerts, card values and deltas, table cells."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [f"{m.value} {m.delta}" for m in at.metric]
    for d in at.dataframe:
        parts.append(plain(d.value).astype(str).to_string())
    return "\n".join(parts)


def test_an_empty_period_says_so_ranks_nothing_and_draws_nothing(app):
    at = app(start="2020-01-01", end="2020-01-31")
    # without a config the dashboard counts days in UTC: the fixture's first data is the counts of 1 Jan 2026
    assert [i.value for i in at.info] == [
        "No data for 01 Jan 2020 – 31 Jan 2020: the warehouse's data starts on 01 Jan 2026. Choose a later period."]
    assert len(at.metric) == 0 and len(at.get("plotly_chart")) == 0
    text = shown_text(at)
    assert "Rank" not in text and "Tied first" not in text and "Leads on" not in text
    for bad in ("None", "nan", "NaT", "<NA>"):
        assert not re.search(rf"\b{bad}\b", text), bad


def test_a_period_where_only_some_organizations_have_data(app):
    # 1–4 Jan 2026 (UTC): Other's first follower count is Jan 5; Acme's and Rival's data start after Jan 1,
    # so their totals over the period are left out and only levels (audience) are ranked
    at = app(start="2026-01-01", end="2026-01-04")
    assert "No data in this period for Other." in captions(at)
    # Acme on Jan 4: x 1000 + bluesky 500 + help 200 = 1,700 against Rival's 3,000 (x only so far)
    assert metric(at, "Audience").value == "1,700"
    assert "Rank 2 of 2" in captions(at)
    assert metric(at, "Likes").value == "—"
    assert "Not ranked: no value this period" in captions(at)
    side = table(at, "Organization").set_index("Organization")
    assert side.loc["Other"].drop("Median response").isna().all()  # shown as "—" (placeholder), never 0
    assert side.loc["Other", "Median response"] == "—"
    # one line naming them (Acme, Rival: Other has no data at all), each platform's reason on hover
    assert ("Totals over the period (posts, likes, engagements, share of voice) are left out and not ranked for "
            "Acme, Rival: their data does not cover the whole period (from 01 Jan 2026)") in captions(at)


def test_cards_use_the_neutral_style_for_no_change(app, monkeypatch):
    from socialdash import standing
    from streamlit.proto.Metric_pb2 import Metric

    real = standing.kpi_rows

    def with_no_change(*args):  # a change that rounds to zero, as formatting.delta writes it
        rows = real(*args)
        rows.loc[rows["metric"] == "engagement_rate", "delta_text"] = "no change"
        return rows

    monkeypatch.setattr(standing, "kpi_rows", with_no_change)
    at = app(start="2026-01-05", end="2026-01-11")
    rate = metric(at, "Engagement rate")
    assert rate.delta == "no change"
    assert (rate.proto.color, rate.proto.direction) == (Metric.GRAY, Metric.NONE)  # grey, no arrow
    # lower is better for response time: 90 min like for like (X) against i10's 5 min is worse: red, up
    med = metric(at, "Median response time")
    assert med.delta == "+85 min" and (med.proto.color, med.proto.direction) == (Metric.RED, Metric.UP)


def test_side_by_side_has_separators_durations_and_every_column(app):
    at = app(start="2026-01-05", end="2026-01-11")
    side = next(d for d in at.dataframe if plain(d.value).columns[0] == "Organization")
    frame = plain(side.value)
    assert frame.columns.tolist() == ["Organization", "Audience", "Growth %", "Likes", "Engagements", "Eng. rate",
                                      "Share of voice", "Posts", "Median response", "SLA"]
    config = side.proto.columns  # JSON of the column configuration
    assert '"%,d"' in config  # thousands separators: 2,200 not 2200
    # shares as percentages with the decimals they need: growth 400 / 1800 = 22.2 % against Rival's 10.0 %
    assert frame.set_index("Organization").loc["Acme", "Growth %"] == pytest.approx(100 * 400 / 1800)
    assert '"%.1f%%"' in config
    # durations by formatting.minutes: Acme's like-for-like median 90 min; Other has no inbound item
    assert frame.set_index("Organization")["Median response"].to_dict() == {"Acme": "90 min", "Other": "—", "Rival": "40 min"}


@pytest.fixture()
def rt_app(tmp_path_factory, monkeypatch, tmp_path):
    db = rtx.build(str(tmp_path_factory.mktemp("ov-rt") / "rt.duckdb"))
    config = tmp_path / "config.toml"
    config.write_text(rtx.CONFIG_TOML)
    monkeypatch.setattr("socialdash.ui.now", lambda: rtx.NOW)
    return opener(monkeypatch, db, config)


def test_the_overview_and_the_response_times_page_show_the_same_median_and_rank(rt_app):
    at = rt_app(start="2026-03-02", end="2026-03-15")
    # like for like on X (tests/fixture_response_times.py): Acme's X responses 15 20 30 60 2000 10080 →
    # median (30 + 60) / 2 = 45 min; Rival 20, Third 80 → rank 2 of 3. Over all platforms it would be 75 min.
    assert metric(at, "Median response time").value == "45 min"
    assert "Rank 2 of 3 like for like (X)" in captions(at)
    # SLA: a1 a2 a9 a16 within 60 min of 8 (a14 pending) = 50.0 %; Rival 3/3, Third 1/3 → rank 2 of 3
    assert metric(at, "SLA attainment").value == "50.0%"
    assert "X only" in captions(at)
    words = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Trails on median response time: 45 min against 20 min for Rival, behind by 25 min; ranks 2 of 3." in words
    at.switch_page("pages/response_times.py").run()
    lfl = next(plain(d.value) for d in at.dataframe
               if {"Organization", "Median response time", "SLA attainment"} <= set(plain(d.value).columns))
    acme = lfl.set_index("Organization").loc["Acme"]
    # the page writes each figure with its rank, in one column ("45 min (2)") or two
    if "Rank (median)" in lfl.columns:
        assert (acme["Median response time"], acme["Rank (median)"]) == ("45 min", 2)
        assert (acme["SLA attainment"], acme["Rank (SLA)"]) == (pytest.approx(0.5), 2)
    else:
        assert acme["Median response time"] == "45 min (2)"
        assert acme["SLA attainment"] == "50.0% (2)"


def test_the_meeting_header_says_an_empty_period_plainly(app):
    at = app(start="2020-01-01", end="2020-01-31", mode="meeting")
    assert ("No data for 01 Jan 2020 – 31 Jan 2020: the warehouse's data starts on 01 Jan 2026. "
            "Choose a later period.") in captions(at)
    assert "Where we stand." not in " ".join(m.value for m in at.markdown)


def test_the_meeting_header_ranks_response_times_like_for_like(rt_app):
    at = rt_app(start="2026-03-02", end="2026-03-15", mode="meeting")
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    # the overview's figure and rank: 45 min, 2 of 3 like for like (not 75 min over all platforms)
    assert "Median response time 45 min (rank 2 of 3 like for like)" in text
