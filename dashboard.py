"""The entry of the dashboard: navigation over pages/, page frame, shared filter bar.

Run with `streamlit run dashboard.py`.
"""

import streamlit as st

from socialdash import access

# The navigation comes first, before the frame and even before the frame's imports (some
# seconds on a new server, plus the demo data set built on a first start). A new server's
# first run is in Streamlit's legacy pages/ mode, whose sidebar lists the raw file names
# ("dashboard", "response times", …) until st.navigation has run: .streamlit/config.toml
# hides that list (client.showSidebarNavigation = false), and the option is turned back on
# here, for this process, so that st.navigation's own menu shows (Streamlit hides it too
# while the option is off). The menu is hidden from someone the login screen is about to
# stop. ui.frame() then leaves the legacy mode, when this run is in it, before anything is
# drawn (see ui._leave_legacy_multipage_mode).
st.set_option("client.showSidebarNavigation", True)
navigation = st.navigation([
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page("pages/competitors.py", title="Competitors", icon=":material/leaderboard:", url_path="competitors"),
    st.Page("pages/response_times.py", title="Response times", icon=":material/timer:", url_path="response_times"),
    st.Page("pages/departments.py", title="Departments", icon=":material/groups:", url_path="departments"),
    st.Page("pages/goals.py", title="Goals", icon=":material/flag:", url_path="goals"),
    st.Page("pages/data_health.py", title="Data health", icon=":material/monitor_heart:", url_path="data_health"),
], position="sidebar" if access.login_state() == access.OFF or st.user.get("is_logged_in") else "hidden")

from socialdash import ui  # noqa: E402 - after the navigation, on purpose (above)

ui.frame()
ui.demo_banner()
navigation.run()
