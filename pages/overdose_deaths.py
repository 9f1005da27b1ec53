"""Overdose deaths: national trend by drug (final and provisional), states map and comparison."""

import streamlit as st

from indicators import charts, derived, ui
from indicators.filters import CHOICES

ui.ensure_entrypoint()

f = ui.filters()
st.title("Drug overdose deaths")
if "CDC" not in f.agencies:
    st.info(
        "CDC/NCHS is not selected in the sidebar: overdose deaths are published by CDC/NCHS only."
    )
    st.stop()
st.caption(
    "CDC/NCHS. Final counts (by residence) are published a year or more after the year ends; "
    "provisional VSRR counts (by place of occurrence) cover the 12 months ending each month, as reported "
    "and as predicted after pending investigations."
)

ui.show("deaths_provisional")
st.selectbox(
    "Drug for the annual chart",
    list(CHOICES["death_drug"]),
    key="f_death_drug",
    format_func=lambda d: charts.style.label("death_drug", d),
)
ui.show("deaths_annual")

st.subheader("By state")
yrs = derived.death_state_years(ui.active_store())
options = sorted(set(yrs["final"]) | set(yrs["provisional"]))
st.caption(
    f"State data reach: final NCHS counts and age-adjusted rates for {min(yrs['final'])}-{max(yrs['final'])} "
    f"(2021 and 2023 are missing from the bundled files); provisional counts (12 months ending December) for {min(yrs['provisional'])}-{max(yrs['provisional'])}, "
    "shown as crude rates per 100,000 using Census population estimates. Final data are used where they exist."
)
if st.session_state.get("f_state_year") not in options:
    st.session_state["f_state_year"] = max(yrs["final"])
st.select_slider("Year for the state map", options, key="f_state_year")
ui.show("deaths_state_map")
ui.show("deaths_state_bar")
ui.deck("deaths")
