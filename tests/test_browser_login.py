"""Login end to end: Chromium, the real server with an [auth] section, and an OpenID Connect
provider on loopback (the oidc-provider-mock package, whose authorization page offers one
button per predefined user).

The server reads its secrets only from a temporary file (Streamlit's ``secrets.files``
option, through STREAMLIT_SECRETS_FILES), never from the repository's .streamlit/ folder.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Iterator

import pytest

from tests import browser
from tests.fixture_warehouse import ORGS

USERS = {
    "ana": {"email": "ana@partner.example", "email_verified": True, "name": "Ana Partner"},  # listed address
    "bob": {"email": "Bob@Acme.example", "email_verified": True, "name": "Bob Acme"},      # listed domain
    "eve": {"email": "eve@rival.example", "email_verified": True, "name": "Eve Rival"},    # outsider
}
ORG_NAMES = [name for _, name, _ in ORGS]  # Acme, Rival, Other


@contextlib.contextmanager
def oidc_provider(log_path: Path) -> Iterator[str]:
    """oidc-provider-mock on a free loopback port with the predefined USERS; yields its address."""
    port = browser.free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
            "--require-nonce"]
    for sub, claims in USERS.items():
        args += ["--user-claims", json.dumps({"sub": sub, **claims})]
    url = f"http://127.0.0.1:{port}"
    with browser.serving(args, url + "/.well-known/openid-configuration", log_path, timeout=30):
        yield url


@pytest.fixture(scope="module")
def served(fixture_db, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("login")
    config = tmp / "config.toml"
    config.write_text('[access]\nallowed_emails = ["ana@partner.example"]\nallowed_domains = ["acme.example"]\n')
    with oidc_provider(tmp / "oidc.log") as issuer:
        secrets = tmp / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'  # Streamlit fills in its port
            'cookie_secret = "a-long-random-test-secret-0123456789"\n'
            'client_id = "social-dashboard"\n'
            'client_secret = "test-client-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        )
        with browser.dashboard(fixture_db, config=str(config),
                               extra_env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as url:
            yield url


@pytest.fixture()
def page(chromium):
    context = chromium.new_context()  # its own cookies: every test starts signed out
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def assert_login_screen_only(page):
    page.get_by_role("button", name="Log in").wait_for()
    browser.wait_until_idle(page)
    text = page.inner_text("body")
    html = page.content()
    assert "Social business dashboard" in text and "Sign in with your company account" in text
    assert page.query_selector_all("[data-testid='stMetric']") == []
    assert page.query_selector_all("[data-testid='stDataFrame']") == []
    assert page.query_selector_all("[data-testid='stSidebar'] [data-testid='stMultiSelect']") == []
    for name in ORG_NAMES:
        assert name not in text and name not in html
    assert "Where we stand" not in text and "Signed in" not in text


def log_in_as(page, base: str, sub: str) -> None:
    page.get_by_role("button", name="Log in").click()
    # the provider's authorization page: one button per predefined user, valued with its subject
    page.wait_for_url(lambda u: not u.startswith(base))
    page.locator(f"button[name='sub'][value='{sub}']").click()
    page.wait_for_url(lambda u: u.startswith(base) and "oauth2callback" not in u)
    browser.wait_until_idle(page)


def assert_overview_for(page, email: str) -> None:
    page.wait_for_selector("[data-testid='stMetric']")
    browser.wait_until_idle(page)
    assert len(page.query_selector_all("[data-testid='stMetric']")) == 8
    text = page.inner_text("body")
    assert "Where we stand" in text
    assert f"Signed in as {email}" in page.inner_text("[data-testid='stSidebar']").replace("\u2060", "")
    assert page.query_selector_all("a[href^='mailto:']") == []  # the address is text, not a link
    assert browser.exceptions(page) == [] and page.errors == []


def log_out(page, base: str) -> None:
    page.get_by_role("button", name="Log out").click()
    # the provider's end-session page asks to confirm, then sends the browser back
    page.wait_for_url(lambda u: not u.startswith(base))
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(lambda u: u.startswith(base) and "oauth2callback" not in u)


def test_before_login_only_the_login_screen_shows(served, page):
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    assert_login_screen_only(page)
    # a deep link to another page shows the same screen
    page.goto(served + "/competitors?start=2026-01-05&end=2026-01-11&orgs=acme,rival")
    assert_login_screen_only(page)
    assert browser.exceptions(page) == [] and page.errors == []


def test_an_allowed_address_sees_the_overview_and_logs_out(served, page):
    page.goto(served + "/")
    assert_login_screen_only(page)
    log_in_as(page, served, "ana")
    assert_overview_for(page, "ana@partner.example")
    page.goto(served + "/competitors?start=2026-01-05&end=2026-01-11")  # the session's cookie carries over
    page.get_by_role("heading", name="Competitors").first.wait_for()
    log_out(page, served)
    assert_login_screen_only(page)
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")  # and stays logged out
    assert_login_screen_only(page)


def test_an_address_of_an_allowed_domain_sees_the_overview(served, page):
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    log_in_as(page, served, "bob")
    assert_overview_for(page, "bob@acme.example")  # compared lower-cased
    assert "Audience" in page.query_selector("[data-testid='stMetric']").inner_text()


def test_an_outsider_sees_only_the_refusal(served, page):
    page.goto(served + "/?start=2026-01-05&end=2026-01-11")
    log_in_as(page, served, "eve")
    page.get_by_role("heading", name="Not allowed").wait_for()
    browser.wait_until_idle(page)
    text = page.inner_text("body").replace("\u2060", "")  # the word joiner that keeps an address from a link
    assert "not on this dashboard's list of allowed people" in text
    assert "Signed in as eve@rival.example" in text
    assert page.query_selector_all("a[href^='mailto:']") == []
    assert page.query_selector_all("[data-testid='stMetric']") == []
    assert page.query_selector_all("[data-testid='stDataFrame']") == []
    assert page.query_selector_all("[data-testid='stSidebar'] [data-testid='stMultiSelect']") == []
    html = page.content()
    for name in ORG_NAMES:
        assert name not in text and name not in html
    # nor on any other page
    page.goto(served + "/data_health")
    page.get_by_role("heading", name="Not allowed").wait_for()
    assert page.query_selector_all("[data-testid='stDataFrame']") == []
    log_out(page, served)
    assert_login_screen_only(page)
