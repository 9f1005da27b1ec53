"""Article claims: one card per claim with its verdict, explanation, data and sources."""

import streamlit as st

from indicators import claims, ui

ui.ensure_entrypoint()

f = ui.filters()
st.title("Article claims, checked against the data")
st.caption(
    "Each quantitative claim is compared with the bundled official data by a fixed rule: a claim that "
    "misses by at most the tolerance is overstated or understated, beyond it contradicted; 'over' claims "
    "are supported when the data are at least the claimed value. When the verdict depends on a choice "
    "(final or provisional, reported or predicted, which agencies count), the card says so."
)
st.slider("Tolerance for over/understated (%)", 1, 30, 10, key="tolerance_pct")
st.session_state["tolerance"] = st.session_state["tolerance_pct"] / 100

ev = ui.evaluated_claims()
if f.article:
    ev = ev[ev.article_id == f.article]
if ev.empty:
    st.info("No claims are loaded. Upload a claims CSV on the Upload page.")
    st.stop()

art = ev.iloc[0]
st.subheader(ui.text(art["article_title"]))
st.text(
    f"{art['article_outlet']} · {art['article_date']}"
    + (f" · {art['article_url']}" if art["article_url"] else "")
)

summary = claims.summary(ev)
cols = st.columns(6)
cols[0].metric("Quantitative claims", summary["claims"])
for col, v in zip(cols[1:], claims.VERDICTS, strict=True):
    col.metric(v.replace("_", " ").capitalize(), summary[v])
st.caption(f"{summary['events']} dated events are drawn on the time axes of the charts.")

for _, c in ev[ev.kind == "quantitative"].iterrows():
    c = c.to_dict()
    with st.container(border=True, key=f"card_{c['claim_id']}"):
        left, right = st.columns([3, 2])
        with left:
            st.markdown(
                f"**{ui.text(c['claim_id'])}** · verdict: **{ui.text(c['verdict'].replace('_', ' '))}**"
                + (" · *depends on a choice*" if c["depends_on_choice"] else "")
            )
            st.text(f"“{c['quote']}”\n— {c['speaker']}")
            st.text(c["explanation"])
            if c["variant_results"]:
                st.dataframe(
                    [
                        {
                            "choice": v["label"],
                            "data value": v["data_value"],
                            "verdict": v["verdict"],
                        }
                        for v in c["variant_results"]
                    ],
                    hide_index=True,
                    key=f"variants_{c['claim_id']}",
                )
            if c["note"]:
                st.caption(ui.text(c["note"]))
            src = ui.safe_url(c["evidence_url"])
            if src:
                st.link_button("Source", src)
        with right:
            ui.claim_chart(c)

st.subheader("Dated events in the article")
events = ev[ev.kind == "event"].sort_values("event_date")
st.dataframe(
    events[["claim_id", "event_date", "event_end", "label", "quote", "note", "evidence_url"]],
    hide_index=True,
)
