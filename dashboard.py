"""The entry of the dashboard: page frame, shared filter bar, navigation over pages/.

Run with `streamlit run dashboard.py`.
"""

import streamlit as st

from socialdash import ui

ui.frame()
navigation = st.navigation([
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page("pages/competitors.py", title="Competitors", icon=":material/leaderboard:", url_path="competitors"),
    st.Page("pages/response_times.py", title="Response times", icon=":material/timer:", url_path="response_times"),
    st.Page("pages/departments.py", title="Departments", icon=":material/groups:", url_path="departments"),
    st.Page("pages/goals.py", title="Goals", icon=":material/flag:", url_path="goals"),
    st.Page("pages/data_health.py", title="Data health", icon=":material/monitor_heart:", url_path="data_health"),
])
ui.demo_banner()
navigation.run()
