"""The overview through Streamlit's AppTest, on the hand-computed fixture."""

import pytest

from tests.apptest import metric, opener


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
    assert metric(at, "Audience").delta == "+500 (+29%)"  # against 1,700 up to Jan 4
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
