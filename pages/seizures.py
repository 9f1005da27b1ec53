"""Seizures: CBP by drug, component, region and month; DEA and HIDTA fentanyl figures."""

import streamlit as st

from indicators import charts, contract, ui
from indicators.filters import CHOICES

ui.ensure_entrypoint()

f = ui.filters()
st.title("Drug seizures")
st.caption(
    "CBP seizures by federal fiscal year and month (Office of Field Operations at ports of entry, "
    "U.S. Border Patrol between ports, Air and Marine Operations), in pounds or seizure events. "
    "DEA's and HIDTA's fentanyl figures are calendar-year totals as published."
)
c1, c2, c3 = st.columns(3)
c1.selectbox(
    "Drug",
    list(CHOICES["drug"]),
    key="f_drug",
    format_func=lambda d: contract.SEIZURE_DRUGS[d],
)
c2.radio(
    "Measure",
    list(CHOICES["measure"]),
    key="f_measure",
    horizontal=True,
    format_func=lambda m: "Pounds" if m == "quantity" else "Seizure events",
)
c3.selectbox(
    "Region",
    ["", "Southwest Border", "Northern Border", "Coastal/Interior"],
    key="f_region",
    format_func=lambda r: charts.style.label("region", r) if r else "All regions",
)

ui.show("seizures_by_component")
ui.show("seizures_monthly")
ui.show("seizures_by_region")
ui.show("seizures_by_drug")

st.subheader("Fentanyl focus: DEA and law enforcement reporting to HIDTA")
ui.show("seizures_dea_pills")
ui.show("seizures_dea_powder")
ui.deck("seizures")
