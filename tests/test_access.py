"""Who may see the dashboard: the [access] section of the configuration, the allowlist rule
(socialdash.access.decide), and the gate through AppTest (login screen, refusal, the
dashboard itself). The real login against an OpenID Connect provider is in
tests/test_browser_login.py."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from socialdash import access
from socialdash.access import decide, providers
from socialdash.config import AccessSettings, ConfigError, parse_config
from tests.browser import ROOT
from tests.fixture_warehouse import ORGS

# --- The [access] section ------------------------------------------------------------------


def test_the_allowlist_is_read_lower_cased_and_trimmed():
    conf = parse_config(
        '[access]\nallowed_emails = [" Ana@Northwind.Example ", "bo.li+dash@corp.example"]\n'
        'allowed_domains = ["Northwind.Example", "@eu.corp.example"]\n')
    assert conf.access.allowed_emails == ("ana@northwind.example", "bo.li+dash@corp.example")
    # a leading @ is dropped: "@eu.corp.example" means the domain
    assert conf.access.allowed_domains == ("northwind.example", "eu.corp.example")


def test_without_the_section_the_allowlist_is_empty():
    assert parse_config("").access == AccessSettings(allowed_emails=(), allowed_domains=())


@pytest.mark.parametrize(("text", "message"), [
    ('allowed_emails = ["ana"]', "access.allowed_emails: 'ana' is not an e-mail address"),
    ('allowed_emails = ["ana@localhost"]', "'ana@localhost' is not an e-mail address"),
    ('allowed_emails = ["ana@@northwind.example"]', "is not an e-mail address"),
    ('allowed_emails = ["ana @northwind.example"]', "is not an e-mail address"),
    ('allowed_emails = "ana@northwind.example"', "access.allowed_emails: Input should be a valid tuple"),
    ('allowed_domains = ["*.northwind.example"]', "access.allowed_domains: '*.northwind.example' is not a domain"),
    ('allowed_domains = ["northwind"]', "'northwind' is not a domain"),
    ('allowed_domains = ["north wind.example"]', "is not a domain"),
    ('allowed_domains = ["northwind.example/"]', "is not a domain"),
    ('allowed_domains = ["northwind.example\\u202e"]', "is not a domain"),
    ('allowed = ["ana@northwind.example"]', "access.allowed: unknown field"),
])
def test_a_malformed_allowlist_is_refused_naming_the_field(text, message):
    with pytest.raises(ConfigError) as err:
        parse_config("[access]\n" + text, source="config.toml")
    assert message in str(err.value)
    assert str(err.value).startswith("config.toml: ")


# --- The rule --------------------------------------------------------------------------------

ALLOW = AccessSettings(allowed_emails=("ana@partner.example",), allowed_domains=("northwind.example",))


@pytest.mark.parametrize(("claims", "allowed", "why"), [
    # listed address, whatever its case and surrounding blanks
    ({"email": "ana@partner.example"}, True, access.ALLOWED_EMAIL),
    ({"email": " Ana@Partner.EXAMPLE "}, True, access.ALLOWED_EMAIL),
    # another address at the listed address's domain: partner.example is not an allowed domain
    ({"email": "bob@partner.example"}, False, access.NOT_LISTED),
    # any address of the allowed domain, verified or not saying
    ({"email": "bob@northwind.example", "email_verified": True}, True, access.ALLOWED_DOMAIN),
    ({"email": "bob@northwind.example", "email_verified": "true"}, True, access.ALLOWED_DOMAIN),
    ({"email": "bob@northwind.example"}, True, access.ALLOWED_DOMAIN),
    # the provider says the address is not verified
    ({"email": "bob@northwind.example", "email_verified": False}, False, access.UNVERIFIED),
    ({"email": "bob@northwind.example", "email_verified": "false"}, False, access.UNVERIFIED),
    # subdomains and look-alikes are not the domain
    ({"email": "bob@eu.northwind.example"}, False, access.NOT_LISTED),
    ({"email": "bob@northwind.example.evil.test"}, False, access.NOT_LISTED),
    ({"email": "bob@evilnorthwind.example"}, False, access.NOT_LISTED),
    ({"email": "bob@northwind.example@evil.test"}, False, access.NOT_LISTED),
    ({"email": "northwind.example@evil.test"}, False, access.NOT_LISTED),
    ({"email": "bob@northwind.example\u202e"}, False, access.NOT_LISTED),
    ({"email": "bob@northwind.example\nx"}, False, access.NOT_LISTED),
    # no usable address
    ({"sub": "123", "name": "Ana"}, False, access.NO_EMAIL),
    ({"email": ""}, False, access.NO_EMAIL),
    ({"email": ["ana@partner.example"]}, False, access.NO_EMAIL),
])
def test_who_is_let_in(claims, allowed, why):
    decision = decide(claims, ALLOW)
    assert (decision.allowed, decision.why) == (allowed, why)


def test_an_empty_allowlist_refuses_everyone():
    decision = decide({"email": "ana@northwind.example", "email_verified": True}, AccessSettings())
    assert (decision.allowed, decision.why, decision.email) == (False, access.EMPTY_ALLOWLIST, "ana@northwind.example")


def test_providers_of_the_auth_section():
    shared = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32}
    single = {**shared, "client_id": "id", "client_secret": "s", "server_metadata_url": "https://idp/.well-known",
              "client_kwargs": {"prompt": "login"}}
    assert providers(single) == [None]
    named = {**shared, "google": {"client_id": "g", "client_secret": "s", "server_metadata_url": "https://g"},
             "microsoft": {"client_id": "m", "client_secret": "s", "server_metadata_url": "https://m"}}
    assert providers(named) == ["google", "microsoft"]
    assert providers(shared) == []


# --- The gate, through AppTest ------------------------------------------------------------------

AUTH = {"auth": {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "a-test-secret-of-enough-length",
    "client_id": "dashboard", "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}}
ORG_NAMES = [name for _, name, _ in ORGS]  # Acme, Rival, Other


@pytest.fixture()
def app(fixture_db, monkeypatch, tmp_path):
    monkeypatch.setenv("SOCIAL_DB", fixture_db)
    config = tmp_path / "config.toml"
    config.write_text('[access]\nallowed_emails = ["ana@partner.example"]\nallowed_domains = ["acme.example"]\n')
    monkeypatch.setenv("SOCIAL_CONFIG", str(config))

    def make(*, secrets=AUTH, user=None, page=None):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(start="2026-01-05", end="2026-01-11")
        at.secrets = dict(secrets)
        if user is not None:
            at.user = user
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return make, config


def everything_shown(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error",
                                  "warning", "info", "success") for e in getattr(at, kind)]
    parts += [b.label for b in at.button]
    return "\n".join(str(p) for p in parts)


def assert_no_data(at):
    shown = everything_shown(at)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not at.sidebar.multiselect and not at.selectbox  # not even the filter bar
    for name in ORG_NAMES:
        assert name not in shown
    assert "Where we stand" not in shown


def test_before_login_only_the_login_screen_shows(app):
    make, _ = app
    at = make()
    assert not at.exception
    assert [t.value for t in at.title] == ["Social business dashboard"]
    assert [b.label for b in at.button] == ["Log in"]
    assert_no_data(at)


def test_a_deep_link_before_login_shows_only_the_login_screen(app):
    make, _ = app
    at = make(page="pages/competitors.py")
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert_no_data(at)


def test_named_providers_get_a_button_each(app):
    make, _ = app
    auth = {k: v for k, v in AUTH["auth"].items() if k in ("redirect_uri", "cookie_secret")}
    auth |= {"google": {"client_id": "g", "client_secret": "s", "server_metadata_url": "https://g.example/x"},
             "microsoft": {"client_id": "m", "client_secret": "s", "server_metadata_url": "https://m.example/x"}}
    at = make(secrets={"auth": auth})
    assert [b.label for b in at.button] == ["Log in with Google", "Log in with Microsoft"]
    assert_no_data(at)


@pytest.mark.parametrize("email", ["ana@partner.example", "Bob@Acme.example"])
def test_an_allowed_person_sees_the_dashboard(app, email):
    make, _ = app
    at = make(user={"email": email, "email_verified": True, "is_logged_in": True})
    assert not at.exception
    assert len(at.metric) == 8
    assert at.metric[0].label == "Audience" and at.metric[0].value == "2,200"  # as in test_app_overview
    # (Markdown source: punctuation backslash-escaped, a word joiner after the @ so it is no link)
    assert f"Signed in as {email.lower()}" in [c.value.replace("\\", "").replace("\u2060", "")
                                               for c in at.sidebar.caption]
    assert "Log out" in [b.label for b in at.sidebar.button]


def test_an_outsider_sees_only_the_refusal(app):
    make, _ = app
    at = make(user={"email": "eve@rival.example", "email_verified": True, "is_logged_in": True})
    assert not at.exception
    assert [t.value for t in at.title] == ["Not allowed"]
    assert "not on this dashboard's list of allowed people" in at.error[0].value
    assert [b.label for b in at.button] == ["Log out"]
    assert_no_data(at)


def test_an_outsider_deep_linking_to_a_page_sees_only_the_refusal(app):
    make, _ = app
    at = make(user={"email": "eve@rival.example", "is_logged_in": True}, page="pages/data_health.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Not allowed"]
    assert_no_data(at)


def test_an_empty_allowlist_refuses_everyone_and_says_what_to_configure(app):
    make, config = app
    config.write_text("")
    at = make(user={"email": "ana@partner.example", "is_logged_in": True})
    assert [t.value for t in at.title] == ["Not allowed"]
    assert "allowed_emails or allowed_domains" in at.error[0].value
    assert_no_data(at)


def test_a_refused_configuration_file_refuses_everyone(app):
    make, config = app
    config.write_text('[access]\nallowed_domains = ["not a domain"]\n')
    at = make(user={"email": "ana@partner.example", "is_logged_in": True})
    assert [t.value for t in at.title] == ["Not allowed"]
    assert "configuration file cannot be read" in at.error[0].value
    assert "not a domain" not in everything_shown(at)  # the details go to the server's log only
    assert_no_data(at)


def test_logging_out_from_the_refusal_clears_the_user(app):
    make, _ = app
    at = make(user={"email": "eve@rival.example", "is_logged_in": True})
    at.button(key="access_logout_refused").click().run()
    assert at.user.get("is_logged_in") is False
    assert [b.label for b in at.button] == ["Log in"]
    assert_no_data(at)


def test_an_incomplete_auth_section_says_so_on_login_without_an_exception(app):
    make, _ = app
    incomplete = {"auth": {k: v for k, v in AUTH["auth"].items() if k != "client_secret"}}
    at = make(secrets=incomplete)
    assert not at.error
    at.button(key="access_login_default").click().run()
    assert not at.exception
    assert "Login is not set up correctly" in at.error[0].value
    assert "client_secret" not in everything_shown(at)  # the details go to the server's log only
    assert_no_data(at)


def test_without_auth_the_dashboard_is_open(app):
    make, _ = app
    at = make(secrets={"connectors": {"X_BEARER_TOKEN": ""}})  # secrets, but no [auth]
    assert not at.exception
    assert len(at.metric) == 8
    assert not any("Signed in" in c.value for c in at.sidebar.caption)


def test_an_unreadable_secrets_file_keeps_the_dashboard_closed(app, tmp_path, monkeypatch):
    make, _ = app
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\n')
    monkeypatch.setattr(st, "secrets", Secrets())  # a fresh store, nothing parsed yet
    with patch_config_options({"secrets.files": [str(broken)]}):
        assert access.login_state() == access.UNREADABLE
        at = make(secrets={})
    assert not at.exception
    assert "secrets file (.streamlit/secrets.toml) cannot be read" in at.error[0].value
    assert_no_data(at)
    with patch_config_options({"secrets.files": [str(tmp_path / "absent.toml")]}):
        assert access.login_state() == access.OFF
