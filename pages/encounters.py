"""Encounters: CBP by component, region, AOR, demographic, citizenship, title, type."""

import streamlit as st

from indicators import charts, query, series, ui

ui.ensure_entrypoint()

f = ui.filters()
st.title("CBP encounters")
area, by_state, _ = charts.encounters.spans(ui.active_store())
st.caption(
    "An encounter is a U.S. Border Patrol apprehension or expulsion between ports of entry, or an "
    "Office of Field Operations inadmissible or expulsion at a port of entry. One person may be "
    f"encountered more than once. Component and area of responsibility data run {area}; "
    f"nationwide totals by state {by_state} (a different cut of the same events, never added to it)."
)
if not [c for c in f.components if c != "Air and Marine Operations"]:
    st.info("Select CBP Office of Field Operations or U.S. Border Patrol in the sidebar.")
    st.stop()

c1, c2 = st.columns(2)
c1.selectbox(
    "Region",
    ["", "Southwest Land Border", "Northern Land Border", "Other"],
    key="f_region",
    format_func=lambda r: charts.style.label("region", r) if r else "All regions",
)
c2.selectbox(
    "Break down by",
    list(charts.encounters.DIMENSIONS),
    key="f_dimension",
    format_func=lambda d: charts.encounters.DIMENSIONS[d],
)
ui.show("encounters_by_component")
ui.show("encounters_breakdown")

st.subheader("One citizenship")
cits = query.distinct("encounters", "citizenship", ui.active_store())
if st.session_state.get("f_citizenship") not in cits:
    st.session_state["f_citizenship"] = (
        "CHINA, PEOPLES REPUBLIC OF" if "CHINA, PEOPLES REPUBLIC OF" in cits else cits[0]
    )
st.selectbox("Citizenship", cits, key="f_citizenship", format_func=charts.style.citizenship)
ui.show("encounters_citizenship")
ui.show("encounters_citizenship_monthly")
ui.show("encounters_top_citizenships")
if not f.present:
    st.caption(
        "Nationwide totals from CBP's by-State files (ports of entry and Border Patrol together, no component split), which reach a year further than the by-area files:"
    )
    ui.markdown_table(
        lambda: ui.year_totals(
            series.encounters_total_by_state_table(f, ui.active_store()),
            f.basis,
            "encounters",
            "Encounters",
        ),
        cache=f"by-state|{ui.version()}|{f.basis}|{f.year_from}|{f.year_to}|{f.region}",
    )
ui.deck("encounters")
