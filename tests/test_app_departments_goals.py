"""The Departments and Goals pages, and the overview's off-track goals, through AppTest on
tests/fixture_departments.py (figures worked out in test_departments.py and test_goals.py).

The dashboard counts days in New York here (a config with the fixture's time zone), so the
figures are those of the unit tests. Today is the real today: every goal of the fixture has
ended (January 2026) except "future" (2099), so their statuses do not depend on the date.
"""

import pytest

from tests import fixture_departments
from tests.apptest import metric, opener, table

WEEK = {"start": "2026-01-05", "end": "2026-01-11"}


@pytest.fixture(scope="module")
def departments_db(tmp_path_factory) -> str:
    return fixture_departments.build(str(tmp_path_factory.mktemp("app-departments") / "w.duckdb"))


@pytest.fixture()
def app(departments_db, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(fixture_departments.CONFIG_TOML)
    return opener(monkeypatch, departments_db, config)


def test_departments_page_headline(app):
    at = app("pages/departments.py", **WEEK)
    assert [t.value for t in at.title] == ["Departments"]
    assert metric(at, "Co-op index").value == "53"  # 100 × H(8/11, 3/11) / ln 3 = 53.34
    assert metric(at, "Organisation model").value == "Dandelion"
    assert metric(at, "Contributions").value == "11"
    assert metric(at, "Engagements earned").value == "666"  # 617 + 49
    assert all(m.help for m in at.metric)
    text = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert "Several departments are hubs of their own" in text
    assert "Customer Service would have to fall below 35 % (now 72.7 %)" in text


def test_departments_page_matrix_and_advocacy(app):
    at = app("pages/departments.py", **WEEK)
    m = table(at, "Contributions").set_index("Department")
    assert m.loc["Customer Service", "Contributions"] == 8
    assert m.loc["Customer Service", "Posts"] == 4 and m.loc["Customer Service", "Responses"] == 4
    assert m.loc["Customer Service", "Share"] == pytest.approx(8 / 11)
    assert m.loc["Customer Service", "Cost / engagement"] == pytest.approx(7000 / 617)
    sources = table(at, "Brand posts attributed to it").set_index("Department")
    assert sources.loc["Public Relations", "Brand posts attributed to it"] == 1
    assert m.loc["Public Relations", "Cost / engagement"] == pytest.approx(1400 / 49)
    adv = table(at, "Participation rate").set_index("Department")
    assert adv.loc["Customer Service", "People with own accounts"] == 2
    assert adv.loc["Public Relations", "Participation rate"] == 0.5
    assert adv.loc["Legal", "Active in the period"] == 0
    people = table(at, "Person")
    assert sorted(people["Person"]) == ["Ana", "Cleo", "Dan", "Eve", "Pete"]
    assert len(at.get("download_button")) >= 4  # matrix, series, advocacy, people
    assert any("Cost per engagement = annual budget" in c.value for c in at.caption)


def test_departments_filter_lists_its_departments_but_the_index_stays_company_wide(app):
    at = app("pages/departments.py", departments="pr", **WEEK)
    m = table(at, "Contributions")
    assert m["Department"].tolist() == ["Public Relations"]
    assert m["Share"].iloc[0] == pytest.approx(3 / 11)
    assert metric(at, "Co-op index").value == "53"
    assert metric(at, "Engagements (selected)").value == "49"
    assert table(at, "Participation rate")["Department"].tolist() == ["Public Relations"]
    assert at.query_params["departments"] == "pr"


def test_departments_page_without_contributions(app):
    # Bluesky on Tuesday 6 January: the company posted (p6, no department's) but no department contributed
    at = app("pages/departments.py", platforms="bluesky", start="2026-01-06", end="2026-01-06")
    assert metric(at, "Co-op index").value == "—"
    assert any("not available" in i.value for i in at.info)


STATUS_COUNTS = {"Achieved": "8", "On track": "0", "At risk": "3", "Off track": "8", "Not started": "1"}


def test_goals_page_lists_every_goal_with_its_status(app):
    at = app("pages/goals.py", **WEEK)
    assert [t.value for t in at.title] == ["Shared goals"]
    # achieved: care-followers-950 (999/950), care-likes, care-median-done, care-posts-done, pr-posts, pr-rate, pr-response-rate, sov;
    # at risk: care-followers (999/1000), care-median (61/67.5), care-sla (0.5/0.55);
    # off track: care-posts (4/8), -risk, -off, care-sla-off, care-median-off, coop, engagements, growth
    assert {m.label: m.value for m in at.metric} == STATUS_COUNTS
    goals_table = table(at, "Goal").set_index("Goal")
    assert len(goals_table) == len(fixture_departments.GOALS)
    growth = goals_table.loc["Grow by 500 followers"]
    assert (growth["Actual"], growth["Target"], growth["Status"]) == ("400", "500", "Off track")
    assert growth["Progress"] == "80%" and growth["Pace"] == "100%"
    assert growth["Departments"] == "Whole company"
    median = goals_table.loc["Care's median under 61 minutes"]
    assert (median["Actual"], median["Status"], median["Pace"]) == ("68 min", "At risk", "—")
    assert median["Progress"] == "90.4%"  # 61 / 67.5 = 0.9037: one decimal, as 90 % is the at-risk line
    assert goals_table.loc["Co-op index 70 in 2099", "Status"] == "Not started"


def test_goals_page_filtered_by_department_and_the_chosen_goal_in_the_link(app):
    at = app("pages/goals.py", departments="legal", goal="sov", **WEEK)
    assert table(at, "Goal")["Goal"].tolist() == ["Co-op index 60", "Share of voice 30%", "Co-op index 70 in 2099"]
    assert {m.label: m.value for m in at.metric} == {
        "Achieved": "1", "On track": "0", "At risk": "0", "Off track": "1", "Not started": "1"}
    assert at.selectbox(key="g_goal").value == "sov"
    captions = " ".join(c.value for c in at.caption)
    # 246 / 788 = 31.2 % of every organization's engagements, whatever the departments
    assert "Achieved: 31.2% against a target of 30.0%, progress 104%." in captions
    assert "The whole company." in captions
    assert at.query_params["goal"] == "sov"


def test_choosing_a_goal_writes_the_link(app):
    at = app("pages/goals.py", **WEEK)
    at.selectbox(key="g_goal").set_value("care-posts").run()
    assert not at.exception
    assert at.query_params["goal"] == "care-posts"
    captions = " ".join(c.value for c in at.caption)
    assert "Off track: 4 against a target of 8, progress 50%, 100% of the period elapsed." in captions


def test_an_unknown_goal_in_the_link_is_ignored_with_a_notice(app):
    at = app("pages/goals.py", goal="<script>", **WEEK)
    assert any("Ignored the goal in the link" in w.value for w in at.warning)
    assert at.query_params["goal"] == at.selectbox(key="g_goal").value != "<script>"


def test_a_warehouse_without_goals(app, fixture_db, monkeypatch):
    monkeypatch.setenv("SOCIAL_DB", fixture_db)  # the base fixture has no goals
    at = app("pages/goals.py", **WEEK)
    assert any("No goals are configured" in i.value for i in at.info)
    at = app(None, **WEEK)
    assert any(c.value == "No shared goal is off track." for c in at.caption)


def test_the_overview_lists_the_off_track_goals(app):
    at = app(None, **WEEK)
    off = table(at, "Goal").set_index("Goal")
    assert sorted(off.index) == sorted([
        "Care publishes 8 posts", "Care publishes 10 posts", "Care publishes 10.01 posts",
        "Care answers 56% within the hour", "Care's median under an hour", "Co-op index 60",
        "Grow by 500 followers", "Care and PR earn 1,000 engagements"])
    assert (off.loc["Grow by 500 followers", "Actual"], off.loc["Grow by 500 followers", "Target"]) == ("400", "500")
    assert off.loc["Care and PR earn 1,000 engagements", "Departments"] == "Customer Service, Public Relations"
    assert off.loc["Co-op index 60", "Actual"] == "53"


def test_the_overview_off_track_goals_follow_the_departments_filter(app):
    at = app(None, departments="legal", **WEEK)
    off = table(at, "Goal")
    assert off["Goal"].tolist() == ["Co-op index 60"]
    at = app(None, departments="pr", **WEEK)
    assert table(at, "Goal")["Goal"].tolist() == ["Care and PR earn 1,000 engagements"]
