"""The configuration file: the example is valid, and a bad file is refused with the field named."""

import pytest

from connectors.config_sync import configured_accounts
from socialdash.config import EXAMPLE_PATH, ConfigError, Settings, account_id, load_config, parse_config


def test_the_example_describes_the_demo_company():
    config = load_config(EXAMPLE_PATH, required=True)
    assert config.company.id == "northwind"
    assert len(config.organizations) == 5
    assert {d.id for d in config.departments} == {"marketing", "care", "pr", "legal", "hr", "ir", "product"}
    assert config.timezone == "Europe/London"


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
    config = load_config(tmp_path / "absent.toml")
    assert (config.timezone, config.sla_minutes, config.history_days, config.lookback_days) == ("UTC", 60, 90, 30)
    assert Settings.from_config(config) == Settings()


def test_the_path_comes_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('timezone = "Asia/Tokyo"\n')
    monkeypatch.setenv("SOCIAL_CONFIG", str(path))
    assert load_config().timezone == "Asia/Tokyo"


def test_a_required_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml", required=True)


ORG = '[[organizations]]\nid = "a"\nname = "A"\nself = true\n'


@pytest.mark.parametrize("text, where, what", [
    ('timezone = "Mars/Olympus"', "timezone", "unknown time zone"),
    ("sla_minutes = 0", "sla_minutes", "greater than 0"),
    ("sla_minutes = 'soon'", "sla_minutes", "valid number"),
    ("slaminutes = 5", "slaminutes", "unknown field"),
    ('business_hours = { days = ["mon"], start = "18:00", end = "09:00" }', "business_hours", "must be after start"),
    ('business_hours = { days = ["monday"] }', "business_hours.days #1", "'mon'"),
    ('business_hours = { start = "9am" }', "business_hours.start", "HH:MM"),
    (ORG + 'accounts = { twitter = "a" }', "organizations #1 (a), accounts", "unknown platform 'twitter'"),
    (ORG + 'accounts = { mastodon = "bob" }', "organizations #1 (a), accounts", "user@instance"),
    ('[[organizations]]\nid = "a"\nname = "A"\n', "organizations", "exactly one organization must have self = true"),
    (ORG + ORG, "organizations #1 and #2", "the id 'a' is used twice"),
    ('[[organizations]]\nid = "Has Spaces"\nname = "A"\nself = true', "organizations #1 (Has Spaces), id", "pattern"),
    ('[[departments]]\nid = "care"\nname = "Care"\nannual_budget = -5', "departments #1 (care), annual_budget", "greater than or equal to 0"),
    ('[[departments]]\nid = "care"\nname = "Care"\nsignatures = ["(unclosed"]', "departments #1 (care), signatures", "not a valid regular expression"),
    ('[[people]]\nname = "Ana"\ndepartment = "nowhere"', "people #1 (Ana)", "unknown department 'nowhere'"),
    ('[[goals]]\nid = "g"\ntitle = "G"\nmetric = "vibes"\ntarget = 1\nstart = 2026-01-01\nend = 2026-02-01', "goals #1 (g), metric", "'followers'"),
    ('[[goals]]\nid = "g"\ntitle = "G"\nmetric = "likes"\ntarget = 1\nstart = 2026-03-01\nend = 2026-02-01', "goals #1 (g)", "is before start"),
    ('[[goals]]\nid = "g"\ntitle = "G"\nmetric = "likes"\ntarget = 1\nstart = 2026-03-01', "goals #1 (g), end", "required field is missing"),
    ('[platforms.mastodon]\nbase_url = "ftp://x"', "platforms.mastodon.base_url", "not an http(s) address"),
    ('[platforms.myspace]\nbase_url = "http://x"', "platforms", "unknown platform 'myspace'"),
    ("timezone = ", "", "not valid TOML"),
    ('[alerts]\nwebhook_url = "javascript:alert(1)"', "alerts.webhook_url", "not an http(s) address"),
    ("[alerts]\nsla_threshold = 1.5", "alerts.sla_threshold", "less than or equal to 1"),
])
def test_a_bad_file_is_refused_naming_the_field(text, where, what):
    with pytest.raises(ConfigError) as err:
        parse_config(text, source="data/config.toml")
    message = str(err.value)
    assert message.startswith("data/config.toml: ")
    assert f"{where}:" in message if where else True
    assert what in message


def test_accounts_of_organizations_departments_and_people():
    config = load_config(EXAMPLE_PATH)
    accounts = configured_accounts(config).set_index("account_id")
    assert accounts.loc["x:northwindair", "org_id"] == "northwind"
    assert accounts.loc["x:northwindhelp", "department_id"] == "care"
    assert accounts.loc["x:northwindhelp", "org_id"] == "northwind"
    ana = accounts.loc["mastodon:ana@mastodon.social"]
    assert (ana["person"], ana["department_id"]) == ("Ana Ruiz", "care")
    assert accounts.loc["bluesky:contosohelp.bsky.social", "org_id"] == "contoso"
    assert accounts.index.is_unique


def test_account_ids_fold_case_and_at_signs():
    assert account_id("youtube", "@NorthwindAir") == account_id("youtube", "northwindair") == "youtube:northwindair"


SEVERAL_PROBLEMS = '''
timezone = "Mars/Olympus"
sla_minutes = 0

[[organizations]]
id = "northwind"
name = "Northwind Air"
self = true

[[organizations]]
id = "contoso"
name = "Contoso Airlines"
self = true

[[organizations]]
id = "fabrikam"
name = "Fabrikam Jet"
accounts = { twiter = "fabrikamjet" }

[[organizations]]
id = "contoso"
name = "Contoso again"

[[departments]]
id = "care"
name = "Customer Service"

[[people]]
name = "Ana Ruiz"
department = "care"

[[people]]
name = "Bo Chen"
department = "marketing"

[[goals]]
id = "sla-q1"
title = "SLA"
metric = "sla_attainment"
target = 0.9
start = 2026-03-31
end = 2026-01-01
departments = ["care", "pr"]
'''


def test_every_problem_of_a_file_is_reported_at_once_counted_from_1():
    """Field errors and the checks across fields together (pydantic skips a model's own
    checks once a field failed); entries are counted as a reader counts the blocks."""
    with pytest.raises(ConfigError) as err:
        parse_config(SEVERAL_PROBLEMS, source="data/config.toml")
    lines = str(err.value).split("\n")
    assert lines[0] == "data/config.toml: 8 problems:"
    assert sorted(lines[1:]) == sorted([
        '- timezone: unknown time zone \'Mars/Olympus\' (use an IANA name such as "Europe/London")',
        "- sla_minutes: Input should be greater than 0",
        "- organizations #3 (fabrikam), accounts: unknown platform 'twiter' "
        "(known: x, facebook, instagram, youtube, linkedin, mastodon, bluesky)",
        "- organizations #2 and #4: the id 'contoso' is used twice",
        "- organizations: exactly one organization must have self = true, "
        "but #1 (northwind) and #2 (contoso) have it",
        "- people #2 (Bo Chen): unknown department 'marketing'",
        "- goals #1 (sla-q1): unknown department 'pr'",
        "- goals #1 (sla-q1): end (2026-01-01) is before start (2026-03-31)",
    ])


def test_cross_field_checks_tolerate_malformed_entries():
    """A malformed entry is reported once, on its field, and does not hide the others."""
    text = ('people = "nobody"\n'
            '[[organizations]]\nid = "a"\nname = "A"\nself = "maybe"\n'
            '[[organizations]]\nid = "b"\nname = "B"\nself = true\n'
            '[[goals]]\nid = "g"\ntitle = "G"\nmetric = "likes"\ntarget = 1\nstart = "soon"\nend = 2026-02-01\n')
    with pytest.raises(ConfigError) as err:
        parse_config(text, source="c.toml")
    message = str(err.value)
    assert message.startswith("c.toml: 3 problems:\n")
    assert "- organizations #1 (a), self: Input should be a valid boolean" in message
    assert "- people: Input should be a valid tuple" in message
    assert "- goals #1 (g), start: Input should be a valid date" in message
    assert "self = true" not in message.replace("self: Input", "")  # #2 is the one company


def test_models_built_in_code_check_across_fields_too():
    from socialdash.config import Config, Organization, Person

    with pytest.raises(ValueError) as err:
        Config(organizations=[Organization(id="a", name="A"), Organization(id="a", name="B")],
               people=[Person(name="Ana", department="care")])
    message = str(err.value)
    assert "organizations #1 and #2: the id 'a' is used twice" in message
    assert "exactly one organization must have self = true (none has)" in message
    assert "people #1 (Ana): unknown department 'care'" in message
