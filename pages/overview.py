"""Overview: headline indicators with their change, a common-index chart, data freshness."""

import streamlit as st

from indicators import ui
from indicators.filters import BASE_YEARS

ui.ensure_entrypoint()

f = ui.filters()
st.title("U.S. drug-trafficking indicators")
if not f.present:
    st.caption(
        "Official data side by side: CDC/NCHS overdose deaths, CBP and DEA drug seizures, CBP border "
        "encounters. Every number says its period, unit, source and whether it is provisional or partial."
    )

cards = [
    h
    for h in ui.headlines()
    if ("CDC" in f.agencies if h["agency"] == "CDC/NCHS" else {"OFO", "USBP"} & set(f.agencies))
]
cols = st.columns(len(cards) or 1)
for col, h in zip(cols, cards, strict=False):
    delta = f"{h['change'] * 100:+.1f}% on a year before" if h.get("change") is not None else None
    col.metric(h["label"], f"{h['value']:,.0f}", delta, delta_color="off", border=True)
    col.caption(
        f"{h['unit']}, {h['what']} · {h['period']} · {h['status']} · compared with {h['compare']} · "
        f"{h['agency']}, vintage {h['vintage']}" + (f" · {h['note']}" if h.get("note") else "")
    )
if {"OFO", "USBP"} & set(f.agencies) and not {"OFO", "USBP"} <= set(f.agencies):
    st.caption(
        "The CBP headline figures are totals of ports of entry and Border Patrol, whatever the component selection."
    )
if not cards:
    st.info(
        "No headline indicator for this agency selection: select CDC/NCHS, CBP Office of Field Operations or CBP U.S. Border Patrol."
    )

st.number_input("Index base year (= 100)", *BASE_YEARS, key="f_base_year", step=1)
ui.show("overview_index")

if not f.present:
    st.subheader("Data freshness")
    ui.markdown_table(ui.freshness_table, cache=f"freshness|{ui.version()}")
    st.caption(ui.FRESHNESS_NOTE)
ui.deck("overview")
