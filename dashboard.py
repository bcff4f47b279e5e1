"""The entry of the dashboard: page frame, shared filter bar, navigation over pages/.

Run with `streamlit run dashboard.py`.
"""

import streamlit as st

from socialdash import ui

ui.frame()
navigation = st.navigation([
    st.Page("pages/overview_page.py", title="Overview", icon=":material/dashboard:", default=True, url_path="overview"),
])
ui.demo_banner()
navigation.run()
