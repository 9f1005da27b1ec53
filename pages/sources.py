"""Sources & methods: every dataset with its official link, vintage, coverage, licence; definitions."""

import pandas as pd
import streamlit as st

from indicators import manifest, series, ui

ui.ensure_entrypoint()

st.title("Sources & methods")
entries = manifest.entries()
fresh = series.freshness(ui.active_store()).set_index("source_id")
rows = []
for e in entries:
    fr = fresh.loc[e["id"]] if e["id"] in fresh.index else None
    rows.append(
        {
            "dataset": e["title"],
            "agency": e["agency"],
            "official page": e["official_url"],
            "release": e["release"],
            "periods in use": None if fr is None else fr["periods"],
            "rows in the store": None if fr is None else int(fr["rows"]),
            "licence": e["licence"],
            "file": e["path"],
            "sha256": e["sha256"][:16] + "…",
            "copied from": f"{e['copied_from']['repository']} {e['copied_from']['commit'][:10]}".strip(),
            "notes": e["notes"],
        }
    )
st.dataframe(
    pd.DataFrame(rows),
    hide_index=True,
    column_config={"official page": st.column_config.LinkColumn("official page")},
)
st.caption(ui.FRESHNESS_NOTE)
st.caption(
    "Full provenance of each file: data/raw/<source>/PROVENANCE.md. Machine-readable: data/sources.json."
)

st.subheader("Definitions")
st.markdown(
    """
- **Fiscal vs calendar year.** The federal fiscal year N runs from 1 October of N-1 to 30 September of N
  (FY2023 = Oct 2022-Sep 2023). CBP publishes by fiscal year and month, so its monthly data can be summed
  either way. CDC and DEA publish calendar years; those annual figures keep their own basis, and the
  charts say so. On the fiscal basis, CDC's provisional 12-month counts ending in September are used.
- **Partial years.** A year whose months are not all in the data (e.g. "2026 (FYTD)") is drawn hatched
  or hollow and never compared as if complete.
- **Provisional vs final deaths.** Final NCHS counts are by state of residence and are published about a
  year after the year ends. Provisional VSRR counts are by place of occurrence, for the 12 months ending
  each month, and are revised as records arrive; they run about 1-2% above final counts.
- **Reported vs predicted.** VSRR "predicted" values adjust the reported counts for death records still
  pending investigation.
- **Drug categories overlap.** One death can involve several drugs; drug-specific counts are not added.
- **What an encounter counts.** A U.S. Border Patrol apprehension (Title 8) or expulsion (Title 42)
  between ports of entry, or an Office of Field Operations inadmissible or expulsion at a port of entry.
  Events, not people: one person can be encountered several times.
- **By-state and by-area cuts.** CBP publishes the same encounters cut by area of responsibility (with
  component) and by state (without component). They are different cuts of the same events, kept in two
  tables and never added together.
- **Seizures.** CBP's nationwide file covers OFO and USBP; Air and Marine Operations seizures come from a
  separate file that may end at a different month. DEA figures are published rounded ("more than",
  "nearly"); when DEA revised a figure, only the revised one is counted.
- **Rates.** Rates per 100,000 use NCHS age-adjusted rates where the source gives them; otherwise crude
  rates are computed from Census Bureau July 1 population estimates (New York includes New York City).
"""
)
st.subheader("How claims are checked")
st.markdown(
    """
Each quantitative claim is stored as data: table, filters, year basis and span, measure, comparator and
claimed value. The verdict rule: *over/at least* claims are **supported** when the data are at least the
claimed value, **overstated** when the data fall short by at most the tolerance (10% by default), and
**contradicted** beyond it; *under/at most* claims mirror this (**understated**); *about* claims are
supported within 5%. A claim the bundled data cannot check is **not checkable**, with the reason.
Variants re-run the check with other reasonable choices and the card says when the verdict depends on them.
"""
)
