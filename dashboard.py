"""The entry of the dashboard: page frame, shared filter bar, navigation over pages/.

Run with `streamlit run dashboard.py`.
"""

import streamlit as st

from socialdash import ui

ui.frame()
navigation = st.navigation([
    st.Page("pages/overview_page.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
    st.Page("pages/competitors_page.py", title="Competitors", icon=":material/leaderboard:", url_path="competitors"),
    st.Page("pages/response_times_page.py", title="Response times", icon=":material/timer:", url_path="response-times"),
    st.Page("pages/departments_page.py", title="Departments", icon=":material/groups:", url_path="departments"),
    st.Page("pages/goals_page.py", title="Goals", icon=":material/flag:", url_path="goals"),
    st.Page("pages/data_health_page.py", title="Data health", icon=":material/monitor_heart:", url_path="data-health"),
])
ui.demo_banner()
navigation.run()
