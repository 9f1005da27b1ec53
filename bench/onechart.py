"""The floor Streamlit itself sets: one widget and one small Plotly chart (bench/pages.py)."""

import plotly.graph_objects as go
import streamlit as st

basis = st.radio(
    "Year basis",
    ["calendar", "fiscal"],
    format_func=lambda b: "Calendar year" if b == "calendar" else "Federal fiscal year (Oct-Sep)",
)
ys = [3, 5, 4, 6, 8, 7] if basis == "calendar" else [4, 5, 6, 6, 7, 9]
st.plotly_chart(go.Figure(go.Bar(x=list(range(2019, 2025)), y=ys)), theme=None)
