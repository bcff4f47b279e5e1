"""How figures read: precision where values are ranked, neutral "no change", money in the
configured currency, one colour per organization, table number formats. Expected texts
are written out by hand."""

import pandas as pd
import pytest

from socialdash import colours, formatting, tables
from socialdash.config import ConfigError, Settings, parse_config


def test_ranked_values_that_differ_read_differently():
    # 0.452 and 0.484 posts a day both read "0.5/day" at one decimal, yet rank 2nd and 1st.
    assert formatting.value("posting_frequency", 0.452) == "0.5/day"
    assert formatting.distinct("posting_frequency", [0.452, 0.484]) == ["0.45/day", "0.48/day"]
    # 2.16M against 2.16M, 1,450 apart: three decimals tell them apart.
    assert formatting.distinct("likes", [2_160_000, 2_161_450]) == ["2.160M", "2.161M"]
    # Equal values stay equal, and nothing gains digits it does not need.
    assert formatting.distinct("likes", [1_200, 1_200, 950]) == ["1,200", "1,200", "950"]
    assert formatting.distinct("engagement_rate", [0.0412, 0.0389, None]) == ["4.1%", "3.9%", "—"]
    assert formatting.distinct("engagement_rate", [0.04123, 0.04118]) == ["4.123%", "4.118%"]


def test_a_change_that_rounds_to_zero_is_no_change_and_neutral():
    assert formatting.delta("share_of_voice", 0.41, 0.41002) == formatting.NO_CHANGE  # -0.002 pp
    assert formatting.delta("likes", 5, 5) == formatting.NO_CHANGE
    assert formatting.delta("likes", 7, 5) == "+2 (40%)"
    assert formatting.delta("share_of_voice", 0.40, 0.41) == "-1.0 pp"
    assert formatting.delta("median_response_minutes", 45, 60) == "-15 min"
    assert formatting.delta("likes", None, 5) is None
    assert formatting.delta_style("likes", formatting.NO_CHANGE) == {"delta_color": "off", "delta_arrow": "off"}
    assert formatting.delta_style("likes", "+2 (40%)") == {"delta_color": "normal", "delta_arrow": "auto"}
    # Lower is better for response time: a fall is drawn green.
    assert formatting.delta_style("median_response_minutes", "-15 min")["delta_color"] == "inverse"


def test_durations_follow_one_rule():
    assert [formatting.minutes(m) for m in (0.5, 17, 119, 517, 3000)] == ["30 s", "17 min", "119 min", "8.6 h", "2.1 days"]


def test_money_in_the_configured_currency():
    assert formatting.money(49_315, "USD") == "$49,315"
    assert formatting.money(49_315, "EUR") == "€49,315"
    assert formatting.money(0.459, "USD") == "$0.46"
    assert formatting.money(0.459, "GBP", extra=1) == "£0.459"
    assert formatting.money(None, "USD") == "—"
    assert tables.money_format("EUR", 2) == "€%,.2f"


def test_currency_setting_defaults_to_usd_and_refuses_an_unknown_code():
    assert Settings().currency == "USD"
    config = parse_config('currency = "eur"\n')
    assert Settings.from_config(config).currency == "EUR"
    with pytest.raises(ConfigError, match="currency: unknown currency 'EUR0'"):
        parse_config('currency = "EUR0"\n', source="c.toml")


def test_each_organization_keeps_its_colour_whatever_the_selection():
    every = colours.assign(["contoso", "northwind", "fabrikam"], "northwind")
    assert every == {"northwind": "#1f77b4", "contoso": "#ff7f0e", "fabrikam": "#2ca02c"}
    # The company is always the first colour; thirteen organizations get thirteen colours.
    many = colours.assign([f"org{i:02d}" for i in range(13)], "org05")
    assert many["org05"] == colours.PALETTE[0]
    assert len(set(many.values())) == 13


def test_every_number_column_gets_separators_percentages_or_money():
    frame = pd.DataFrame({"Organization": ["A"], "Audience": [5_227_520], "Share": [0.41],
                          "Budget": [49_315.0], "Posts per day": [0.452]})
    config = tables.number_columns(frame, percent=("Share",), money=("Budget",), currency="EUR")
    formats = {name: column["type_config"]["format"] for name, column in config.items()}
    assert formats == {"Audience": "%,d", "Share": "percent", "Budget": "€%,.0f", "Posts per day": "%,.2f"}
    assert "Organization" not in config
