"""Who may see the dashboard: optional login with Streamlit's OpenID Connect (``st.login``)
and the allowlist of the configuration's ``[access]`` section.

Login is on when the secrets (``.streamlit/secrets.toml``, or the files named by
Streamlit's ``secrets.files`` option) hold an ``[auth]`` section. Then ``gate()``, which
the frame calls before the filter bar and before any query, lets a person through only
when they are signed in with an e-mail address the allowlist names, or whose domain it
names; everyone else sees a login screen or a refusal and the run stops there. It fails
closed: an empty allowlist, an unreadable secrets file or a refused configuration file
lets no one in. Without ``[auth]`` the dashboard is open (it must then sit behind the
company's network or an authenticating proxy: docs/SECURITY.md).

``decide`` is the pure rule; the rest draws the screens.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from typing import Any, Literal

from socialdash.config import AccessSettings, ConfigError, load_config

log = logging.getLogger(__name__)

OFF, ON, UNREADABLE = "off", "on", "unreadable"
LoginState = Literal["off", "on", "unreadable"]

# Why a signed-in person is let in or not.
ALLOWED_EMAIL, ALLOWED_DOMAIN = "allowed_email", "allowed_domain"
NOT_LISTED, EMPTY_ALLOWLIST, NO_EMAIL, UNVERIFIED, NO_CONFIG = (
    "not_listed", "empty_allowlist", "no_email", "unverified", "no_config")


@dataclasses.dataclass(frozen=True)
class Decision:
    allowed: bool
    why: str            # one of the constants above
    email: str | None   # the address as the provider gave it, lower-cased


def decide(user: Mapping[str, Any], access: AccessSettings) -> Decision:
    """Whether the signed-in person ``user`` (the claims of their identity token, as in
    ``st.user``) may see the dashboard under ``access``.

    Only the ``email`` claim counts, compared lower-cased and exactly: with the allowed
    addresses, and (its part after the one ``@``) with the allowed domains, subdomains not
    included. An address the provider marks ``email_verified = false`` is refused; a
    provider that sends no such claim (Microsoft Entra) is trusted for its addresses. An
    empty allowlist refuses everyone."""
    raw = user.get("email")
    if not isinstance(raw, str) or not raw.strip():
        return Decision(False, NO_EMAIL, None)
    email = raw.strip().lower()
    verified = user.get("email_verified")
    if verified is not None and verified is not True and str(verified).lower() != "true":
        return Decision(False, UNVERIFIED, email)
    if not access.allowed_emails and not access.allowed_domains:
        return Decision(False, EMPTY_ALLOWLIST, email)
    if email.count("@") != 1 or any(ch.isspace() or not ch.isprintable() for ch in email):
        return Decision(False, NOT_LISTED, email)
    if email in access.allowed_emails:
        return Decision(True, ALLOWED_EMAIL, email)
    if email.split("@", 1)[1] in access.allowed_domains:
        return Decision(True, ALLOWED_DOMAIN, email)
    return Decision(False, NOT_LISTED, email)


def providers(auth: Mapping[str, Any]) -> list[str | None]:
    """The login providers of an ``[auth]`` section: ``None`` for the unnamed one (its
    settings directly in ``[auth]``), then each ``[auth.NAME]`` table, in file order."""
    found: list[str | None] = []
    if "client_id" in auth or "server_metadata_url" in auth:
        found.append(None)
    for name, value in auth.items():
        if name != "client_kwargs" and isinstance(value, Mapping) and "client_id" in value:
            found.append(name)
    return found


# --- Streamlit -------------------------------------------------------------------------------

def login_state() -> LoginState:
    """``on`` when the secrets hold ``[auth]``; ``unreadable`` when a secrets file exists
    but cannot be read (the dashboard then stays closed rather than open); else ``off``."""
    import streamlit as st
    from streamlit import config

    if st.secrets.load_if_toml_exists():
        return ON if "auth" in st.secrets else OFF
    paths = config.get_option("secrets.files") or []
    return UNREADABLE if any(os.path.exists(p) for p in paths) else OFF


def gate() -> None:
    """Let the run go on only for someone the dashboard is for; otherwise draw the login
    screen or the refusal and stop the run. Does nothing when login is off."""
    import streamlit as st

    state = login_state()
    if state == OFF:
        return
    if state == UNREADABLE:
        log.error("A secrets file exists but cannot be read: the dashboard stays closed.")
        st.title("Social business dashboard")
        st.error("The dashboard is closed: its secrets file (.streamlit/secrets.toml) cannot be read. "
                 "The administrator can find the reason in the server's log.", icon=":material/lock:")
        st.stop()
    if not st.user.get("is_logged_in"):
        _login_screen(st.secrets["auth"])
        st.stop()
    try:
        access = load_config().access
    except ConfigError as exc:
        log.error("Access refused to everyone: the configuration file was refused: %s", exc)
        decision = Decision(False, NO_CONFIG, _email(st.user.get("email")))
    else:
        decision = decide(st.user, access)
    if not decision.allowed:
        if not st.session_state.get("_access_logged") == decision:
            log.warning("Access refused to %r (%s).", decision.email, decision.why)
            st.session_state["_access_logged"] = decision
        _refusal(decision)
        st.stop()
    if not st.session_state.get("_access_logged") == decision:
        log.info("Access granted to %r (%s).", decision.email, decision.why)
        st.session_state["_access_logged"] = decision
    _signed_in(decision)


def _email(value: Any) -> str | None:
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def _login_screen(auth: Mapping[str, Any]) -> None:
    import streamlit as st

    st.title("Social business dashboard")
    st.write("Sign in with your company account to see the dashboard.")
    if st.query_params.to_dict():
        st.caption("Signing in opens the overview: open your link again afterwards to see the view it names.")
    for name in providers(auth) or [None]:
        label = "Log in" if name is None else f"Log in with {name.replace('-', ' ').title()}"
        st.button(label, key=f"access_login_{name or 'default'}", type="primary", icon=":material/login:",
                  on_click=_login, args=(name,))
    if st.session_state.get("_access_login_failed"):
        st.error("Login is not set up correctly; the administrator can find the reason in the server's log "
                 "(see docs/SECURITY.md).", icon=":material/error:")


def _login(provider: str | None) -> None:
    import streamlit as st
    from streamlit.errors import StreamlitAuthError

    try:
        st.login(provider)
        st.session_state["_access_login_failed"] = False
    except StreamlitAuthError as exc:  # an incomplete [auth] section, or Authlib missing
        log.error("Login is misconfigured: %s", exc)
        st.session_state["_access_login_failed"] = True


REFUSALS = {
    NOT_LISTED: "Your account is not on this dashboard's list of allowed people. If you need access, ask "
                "the person who runs the dashboard to add your address or your company's domain.",
    EMPTY_ALLOWLIST: "No one is allowed in yet: the configuration file lists no allowed addresses or domains. "
                     "The administrator needs to fill in allowed_emails or allowed_domains in its [access] "
                     "section (see docs/SECURITY.md).",
    NO_EMAIL: "Your identity provider did not share an e-mail address, so the dashboard cannot check "
              "whether you may see it.",
    UNVERIFIED: "Your identity provider says your e-mail address is not verified.",
    NO_CONFIG: "The dashboard's configuration file cannot be read, so no one can be let in until it is "
               "fixed. The administrator can find the reason in the server's log.",
}


def _refusal(decision: Decision) -> None:
    import streamlit as st

    from socialdash.formatting import escape_markdown

    st.title("Not allowed")
    st.error(REFUSALS[decision.why], icon=":material/block:")
    if decision.email:
        st.caption(f"Signed in as {escape_markdown(decision.email)}.")
    # a callback: it runs before the next script run, so that run already sees no one signed in
    st.button("Log out", key="access_logout_refused", icon=":material/logout:", on_click=st.logout)


def _signed_in(decision: Decision) -> None:
    import streamlit as st

    from socialdash.formatting import escape_markdown

    with st.sidebar:
        st.caption(f"Signed in as {escape_markdown(decision.email)}")
        st.button("Log out", key="access_logout", icon=":material/logout:", on_click=st.logout)
