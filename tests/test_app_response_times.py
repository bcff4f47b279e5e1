"""The Response times page through Streamlit's AppTest, on tests/fixture_response_times.py with
its configuration (America/New_York, SLA 60 minutes); hand-computed values in
tests/test_response_times.py."""

import pytest

from tests import fixture_response_times as fx
from tests.apptest import captions, frame, metric, opener

PAGE = "pages/response_times.py"
PERIOD = {"start": "2026-03-02", "end": "2026-03-15"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return fx.build(str(tmp_path_factory.mktemp("rt-app") / "rt.duckdb"))


@pytest.fixture()
def app(db, monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(fx.CONFIG_TOML)
    # The page's "now" is the fixture's, so pending and waiting times are the hand-computed ones.
    monkeypatch.setattr("socialdash.ui.now", lambda: fx.NOW)
    return opener(monkeypatch, db, config, page=PAGE)


def test_kpis_with_change_and_like_for_like_rank(app):
    at = app(**PERIOD)
    assert not at.exception
    assert at.title[0].value == "Response times"
    # 10 responses: median (60 + 90) / 2 = 75; p90 2808 min = 46.8 h; rate 9/12; SLA 5/12; 14 items, 2 pending
    assert metric(at, "Median response time").value == "75 min"
    assert metric(at, "90th percentile response time").value == "46.8 h"
    assert metric(at, "Response rate").value == "75.0%"
    assert metric(at, "SLA attainment").value == "41.7%"
    assert metric(at, "Inbound items").value == "14"
    assert metric(at, "Pending").value == "2"
    # previous period: 5 and 12000 → median 6002.5; change −5927.5 min = −4.1 days; rate 1/3 → +41.7 pp
    assert metric(at, "Median response time").delta == "-4.1 days"
    assert metric(at, "Response rate").delta == "+41.7 pp"
    assert metric(at, "Inbound items").delta == "+11 (367%)"
    assert not metric(at, "Pending").delta  # a past period has no pending item left
    assert all(m.help for m in at.metric)  # every figure carries its formula
    text = captions(at)
    # like for like on X (Acme, Rival, Third); previous period: Acme and Rival on X
    assert "Rank 2 of 3 like for like (X)" in text  # median 45 between Rival's 20 and Third's 80
    assert "Rank 3 of 3 like for like (X), was 2" in text  # p90 and response rate
    assert "Not comparable: Bluesky (no items for Third); Facebook (items of Acme only)." in text
    assert "No inbound items collected at all for Silent" in text


def test_sla_and_business_hours_are_shown(app):
    at = app(**PERIOD)
    text = captions(at)
    assert "a first response within 60 min" in text
    assert "Mon, Tue, Wed, Thu, Fri 09:00–17:00 (America/New_York)" in text


def test_tables_follow_metrics_md(app):
    at = app(**PERIOD)
    lfl = frame(at, "Organization").set_index("Organization")
    # each ranked figure with its rank in brackets: every column fits the page
    assert lfl.loc["Acme", "Median response time"] == "45 min (2)"
    assert lfl.loc["Rival", "Median response time"] == "20 min (1)"
    assert lfl.loc["Acme", "Response rate"] == "62.5% (3)"   # 5 / 8
    depts = frame(at, "Department").set_index("Department")
    assert depts.loc["Customer Service", "Responses"] == 6
    assert depts.loc["Customer Service", "Median response time"] == "38 min"  # (30 + 45) / 2 = 37.5
    assert depts.loc["No department recorded", "Responses"] == 1
    platforms = frame(at, "Platform").set_index("Platform")  # the company by platform
    assert platforms.loc["Facebook", "Rank (median)"] == "not compared"
    assert platforms.loc["X", "Rank (median)"] == "2 of 3"
    assert platforms.loc["Bluesky", "Rank (median)"] == "1 of 2"
    follow = [d.value for d in at.dataframe if "Waited" in d.value.columns][0]
    assert follow["Waited"].tolist() == ["11.4 days", "7.0 days", "5.7 days", "2.4 days"]
    assert follow["Status"].tolist() == ["Unanswered", "Unanswered", "Pending", "Pending"]
    slowest = [d.value for d in at.dataframe if "Response time" in d.value.columns][0]
    assert slowest["Response time"].tolist()[:2] == ["7.0 days", "33.3 h"]
    assert slowest["Answer"].tolist()[1] == "https://x.com/acme/status/42"
    assert len(at.get("download_button")) >= 8  # every table downloadable


def test_business_hours_metrics(app):
    at = app(**PERIOD)
    assert metric(at, "Business hours: median response time").value == "75 min"
    assert metric(at, "Off hours: median response time").value == "2.9 h"  # (45 + 300) / 2 = 172.5 min


def test_departments_filter_and_the_link(app):
    at = app(**PERIOD, departments="pr")
    assert not at.exception
    depts = frame(at, "Department")
    assert depts["Department"].tolist() == ["Public Relations"]
    assert depts["Share of the company's responses"].tolist() == [pytest.approx(0.3)]
    assert at.query_params["departments"] == "pr"
    assert at.query_params["start"] == "2026-03-02"
    # the KPIs stay the company's
    assert metric(at, "Median response time").value == "75 min"


def test_selected_organizations_change_the_comparison(app):
    at = app(**PERIOD, orgs="acme,rival")
    assert not at.exception
    text = captions(at)
    assert "Rank 2 of 2 like for like (Bluesky, X)" in text  # median 45 against Rival's 35
    assert "Not comparable: Facebook (items of Acme only)." in text


def test_without_the_company_the_page_says_so(app):
    at = app(**PERIOD, orgs="rival,third")
    assert not at.exception
    assert any("company itself is not among the selected" in w.value for w in at.warning)


# --- Figures that read right (issue 12), on tests/fixture_precision.py -----------------------

import json  # noqa: E402
import re  # noqa: E402

from socialdash import colours  # noqa: E402
from tests import fixture_precision as fp  # noqa: E402


@pytest.fixture(scope="module")
def close_db(tmp_path_factory):
    return fp.build(str(tmp_path_factory.mktemp("rt-precision") / "close.duckdb"))


@pytest.fixture()
def close_app(close_db, monkeypatch):
    monkeypatch.setattr("socialdash.ui.now", lambda: fp.NOW)
    return opener(monkeypatch, close_db, page=PAGE)


CLOSE = {"start": fp.START, "end": fp.END}


def test_no_change_is_neutral(close_app):
    at = close_app(**CLOSE)
    # Northwind's 11 items answered alike in February and March (fixture_precision)
    for label, value in (("Median response time", "60 min"), ("Response rate", "90.9%"), ("Inbound items", "11")):
        card = metric(at, label)
        assert card.value == value
        assert card.delta == "no change"
        assert card.proto.color == card.proto.GRAY and card.proto.direction == card.proto.NONE


def test_ranked_values_read_differently_and_every_column_fits(close_app):
    at = close_app(**CLOSE)
    lfl = frame(at, "Organization").set_index("Organization")
    # SLA attainment 5/11 = 45.45 % (2nd) against 91/200 = 45.50 % (1st): both "45.5%" at one decimal
    assert lfl.loc["Northwind", "SLA attainment"] == "45.45% (2)"
    assert lfl.loc["Contoso Airlines", "SLA attainment"] == "45.50% (1)"
    assert lfl.loc["Northwind", "Response rate"] == "90.9% (2)"            # 10 / 11
    assert lfl.loc["Contoso Airlines", "Response rate"] == "95.5% (1)"     # 191 / 200
    assert lfl.loc["Contoso Airlines", "Median response time"] == "2.0 h (2)"   # 120 min: the one duration rule
    assert lfl.loc["Contoso Airlines", "Inbound items"] == 200
    # seven columns: the ranks beside their figures instead of four more columns
    assert list(lfl.reset_index().columns) == ["Organization", "Inbound items", "Pending", "Median response time",
                                               "90th percentile", "Response rate", "SLA attainment"]


def test_charts_one_colour_per_organization_and_legends_above(close_app):
    at = close_app(**CLOSE)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    by_platform = next(s for s in specs if any(t.get("name") == "Northwind" for t in s["data"]))
    colour = {t["name"]: t["marker"]["color"] for t in by_platform["data"]}
    assert colour == {"Northwind": colours.PALETTE[0], "Contoso Airlines": colours.PALETTE[1]}
    for spec in specs:
        if spec["data"][0]["type"] == "scatter" or spec is by_platform:   # week by week, by platform
            legend = spec["layout"]["legend"]
            assert legend["yanchor"] == "bottom" and legend["y"] >= 1
            # the SLA's label in the right margin, where no point or bar sits under it
            sla = next(a for a in spec["layout"]["annotations"] if "SLA" in a["text"])
            assert sla["x"] == 1 and sla["xanchor"] == "left"
    # week by week: a tick under each week's point, on its Monday (weeks with items: 2 and 9 March)
    weekly = next(s for s in specs if s["data"][0]["type"] == "scatter")
    assert [t[:10] for t in weekly["layout"]["xaxis"]["tickvals"]] == ["2026-03-02", "2026-03-09"]


def test_an_empty_period_says_so_and_ranks_nothing(app):
    at = app(start="2020-01-01", end="2020-01-31")
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert "No data for 01 Jan 2020 – 31 Jan 2020: the warehouse's data starts on" in info
    assert not at.metric and not at.get("plotly_chart") and not at.main.dataframe
    text = "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind))
    assert not re.search(r"Rank \d+ of|\bNone\b|\bnan\b", text), text


def test_a_period_without_inbound_items_says_so(close_app):
    # posts in the period but no inbound item (fixture_precision's items are in February and March)
    at = close_app(start="2026-01-01", end="2026-01-31")
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert ("No inbound item in 01 Jan 2026 – 31 Jan 2026 for the selected organizations and platforms: "
            "no response time to measure.") in info
    assert not at.metric and not at.get("plotly_chart")
