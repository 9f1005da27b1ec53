"""States over time: chosen states beside the nation, change maps, every state's trend."""

import streamlit as st

from indicators import charts, contract, states, ui
from indicators.filters import CHOICES, MAX_STATES

ui.ensure_entrypoint()

f = ui.filters()
st.title("States over time")
if not f.present:
    st.caption(
        "Overdose deaths by state (CDC/NCHS provisional 12-month counts and final annual rates) and CBP "
        "encounters by state, beside the national figures. Rates are per 100,000 residents (Census "
        "population estimates). Gaps in the files are drawn as gaps."
    )

names = {g: contract.GEO_NAMES[g] for g in sorted(contract.STATE_CODES, key=contract.GEO_NAMES.get)}
c1, c2, c3 = st.columns([3, 1, 2])
c1.multiselect(
    "States", list(names), key="f_states", format_func=names.get, max_selections=MAX_STATES
)
c2.radio(
    "Measure",
    list(CHOICES["state_measure"]),
    key="f_state_measure",
    format_func=lambda m: "Per 100,000" if m == "rate" else "Deaths",
)
c3.selectbox(
    "Drug",
    list(CHOICES["death_drug"]),  # the Overdose deaths page's list: a choice there holds here
    key="f_death_drug",
    format_func=lambda d: charts.style.label("death_drug", d),
)
ui.show("states_deaths_trend")
ui.show("states_deaths_annual")

st.subheader("Change between two periods")
months = [m.strftime("%Y-%m") for m in states.death_months(ui.active_store())]
if months:
    d1, d2 = st.columns(2)
    if st.session_state.get("f_change_to") not in months:
        st.session_state["f_change_to"] = months[-1]
    earlier = [m for m in months if m < st.session_state["f_change_to"]]  # From is before To
    if st.session_state.get("f_change_from") not in earlier:
        st.session_state["f_change_from"] = ""
    d2.selectbox(
        "To (12 months ending)", months[::-1], key="f_change_to", format_func=ui.month_words
    )
    d1.selectbox("From (12 months ending)", [""] + earlier[::-1], key="f_change_from",
                 format_func=lambda m: ui.month_words(m) if m else "a year earlier")  # fmt: skip
ui.show("states_death_change_map")

st.subheader("Every state")
g1, g2 = st.columns(2)
g1.radio("Y-axes", list(CHOICES["grid_y"]), key="f_grid_y", horizontal=True,
         format_func=lambda v: "Shared (compare levels)" if v == "shared" else "Free (compare shapes)")  # fmt: skip
g2.radio("Order", list(CHOICES["grid_sort"]), key="f_grid_sort", horizontal=True,
         format_func={"rate": "By rate (in the To month)", "change": "By change", "name": "By name"}.get)  # fmt: skip
ui.show("states_small_multiples")

st.subheader("CBP encounters by state")
ui.show("states_encounters_by_year")
ui.show("states_encounters_trend")
years = states.encounter_years(ui.active_store())
if len(years) >= 2:
    e1, e2 = st.columns(2)
    to = st.session_state.get("f_enc_to") or years[-1]
    earlier = [y for y in years if y < to]  # From is before To
    if st.session_state.get("f_enc_from") not in [0, *earlier]:
        st.session_state["f_enc_from"] = 0
    e1.selectbox(
        "From fiscal year",
        [0, *earlier],
        key="f_enc_from",
        format_func=lambda y: f"FY{y}" if y else "the year before",
    )
    e2.selectbox(
        "To fiscal year",
        [0, *years[1:]],
        key="f_enc_to",
        format_func=lambda y: f"FY{y}" if y else f"FY{years[-1]} (latest)",
    )
ui.show("states_encounter_change_map")
ui.deck("states")
