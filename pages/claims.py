"""Article claims: one card per claim with its verdict, explanation, data and sources; and
"Check any article": paste or upload a text, confirm the proposed claims, save them (editors)."""

import streamlit as st

from indicators import articles, auth, claimreview, claims, extract, progressive, ui
from indicators.errors import InputError, StoreError

ui.ensure_entrypoint()

f = ui.filters()
st.title("Article claims, checked against the data")
RULE = (
    "Each quantitative claim is compared with the bundled official data by a fixed rule: a claim that "
    "misses by at most the tolerance is overstated or understated, beyond it contradicted; 'over' claims "
    "are supported when the data are at least the claimed value. When the verdict depends on a choice "
    "(final or provisional, reported or predicted, which agencies count), the card says so, and when the "
    "data compared were published after the article, the card says that too."
)
if f.present:  # a slide: the article's cards only, no tabs, controls or downloads
    tab_view, tab_check = st.container(), None
else:
    st.caption(RULE)
    tab_view, tab_check = st.tabs(["Claims of the article", "Check any article"])

# --- check any article -------------------------------------------------------------------


def _describe(exc: Exception) -> str:
    return exc.describe() if isinstance(exc, InputError) else str(exc)


def _meta() -> dict:
    s = st.session_state
    title = s.get("ck_title", "").strip() or "Untitled article"
    date = s.get("ck_date", "").strip()
    return {
        "article_id": articles.slug(title, date),
        "article_title": title,
        "article_outlet": s.get("ck_outlet", "").strip(),
        "article_date": date,
        "article_url": s.get("ck_url", "").strip(),
        "speaker": s.get("ck_author", "").strip() or "The article",
    }


def _save() -> None:
    """Save callback: runs before the next run, so the sidebar's article can be switched."""
    s = st.session_state
    editor = auth.EditorSession.from_streamlit()
    outcome = editor.authorise(s.get("ck_pw", ""))
    s["ck_pw"] = ""
    if not outcome.ok:
        s["ck_result"] = ("error", outcome.message)
        return
    rows = s.get("ck_rows") or []
    try:
        v = articles.save(rows, s.get("ck_source_text", ""), ui.store())
    except (InputError, StoreError, ValueError) as exc:
        s["ck_result"] = ("error", f"Nothing was saved: {_describe(exc)}")
        return
    ui.clear_caches()
    s.pop("preview_store", None)
    s["f_article"] = rows[0]["article_id"]
    s["ck_result"] = (
        "success",
        f"Saved {len(rows)} claims of {rows[0]['article_id']} as version {v.number}"
        if v
        else "Nothing changed: the store already holds these claims.",
    )


def _preview() -> None:
    s = st.session_state
    rows = s.get("ck_rows") or []
    try:
        pv = articles.preview_store(rows, ui.store())
    except (InputError, StoreError, ValueError) as exc:
        s["ck_result"] = ("error", f"No preview: {_describe(exc)}")
        return
    s["preview_store"] = str(pv.root)
    s["f_article"] = rows[0]["article_id"]
    s["ck_result"] = ("info", "Preview mode: the pages show this article's claims to you only.")


def _check_any_article() -> None:
    st.caption(
        "Paste an article, press release or speech, or upload a .txt or .html file. The numbers that "
        "measure something the tables hold (deaths, pounds or pills seized, encounters) are proposed "
        "as claims with their filters and period; dates, times, ages and money are left out. Correct "
        "any cell, untick what is not a claim, then preview privately or save (editors)."
    )
    source = st.radio(
        "Article source", ["Paste text", "Upload a file"], horizontal=True, key="ck_source"
    )
    if source == "Paste text":
        raw = st.text_area("Article text", height=200, key="ck_text")
    else:
        up = st.file_uploader("Article file (.txt or .html)", type=["txt", "html", "htm"])
        raw = extract.decode_article(up.getvalue()) if up else ""
    c1, c2, c3 = st.columns(3)
    c1.text_input("Headline", key="ck_title")
    c2.text_input("Outlet", key="ck_outlet")
    c3.text_input("Author", key="ck_author")
    c1.text_input(
        "Publication date (YYYY-MM-DD)",
        key="ck_date",
        help="'Last year' and 'the past decade' are read from this date.",
    )
    c2.text_input("URL", key="ck_url")
    if st.button("Find the claims", key="ck_find", disabled=not raw.strip()):
        date = st.session_state.get("ck_date", "").strip()
        try:
            props = extract.extract(raw, date or None, ui.store())
        except extract.ArticleError as exc:  # nothing of an earlier text stays under it
            st.session_state.pop("ck_frame", None)
            st.error(ui.text(f"Not read: {exc}."))  # the date is the user's text: inert
        else:
            st.session_state["ck_frame"] = articles.proposals_frame(props)
            st.session_state["ck_source_text"] = (
                extract.html_to_text(raw) if extract.looks_like_html(raw) else raw
            )
            st.session_state["ck_gen"] = st.session_state.get("ck_gen", 0) + 1
            st.session_state.pop("ck_result", None)
    frame = st.session_state.get("ck_frame")
    if frame is not None:
        if frame.empty:
            st.info("No numeric claims about the tables' indicators were found in this text.")
        else:
            st.markdown(
                f"**{len(frame)} proposed claim{'s' if len(frame) != 1 else ''}** · tick the ones to keep and correct any cell"
            )
            edited = st.data_editor(
                frame,
                key=f"ck_editor_{st.session_state.get('ck_gen', 0)}",
                hide_index=True,
                disabled=["quote", "proposed_verdict", "confidence"],
                column_config={
                    "confirm": st.column_config.CheckboxColumn("Keep", default=False),
                    "comparator": st.column_config.SelectboxColumn(
                        options=list(claims.COMPARATOR_WORDS)
                    ),
                    "table": st.column_config.SelectboxColumn(
                        options=[
                            "",
                            "overdose_deaths",
                            "seizures",
                            "encounters",
                            "encounters_by_state",
                        ]
                    ),
                    "year_basis": st.column_config.SelectboxColumn(
                        options=["", "calendar", "fiscal"]
                    ),
                    "claimed_value": st.column_config.NumberColumn(format="localized"),
                },
            )
            rows = articles.rows_from_frame(edited, _meta())
            st.session_state["ck_rows"] = rows
            if rows:
                checked = articles.evaluate_rows(rows, ui.store())
                st.markdown(
                    f"**{'Verdicts of the ' + str(len(rows)) + ' claims kept' if len(rows) != 1 else 'Verdict of the 1 claim kept'} (not saved yet)**: "
                    + ", ".join(
                        f"{r['claim_id']} {ui.text(r['verdict'].replace('_', ' '))}"
                        for _, r in checked.iterrows()
                    )
                )
                ui.table(
                    checked[
                        [
                            "claim_id",
                            "quote",
                            "claimed_value",
                            "verdict",
                            "data_value",
                            "explanation",
                        ]
                    ],
                    hide_index=True,
                    key="ck_checked",
                )
                a, b = st.columns(2)
                a.button(
                    "Preview privately (only you see it)", key="ck_preview_btn", on_click=_preview
                )
                editor = auth.EditorSession.from_streamlit()
                with b:
                    if not editor.can_save:
                        st.info(
                            "Saving is disabled: no editor password is configured. Preview mode "
                            "shows the claims on every page, to you only."
                        )
                    else:
                        blocked = editor.blocked_message()
                        if blocked:
                            st.error(blocked)
                        st.text_input("Editor password", type="password", key="ck_pw")
                        st.button(
                            "Save the article and its claims",
                            type="primary",
                            key="ck_save_btn",
                            on_click=_save,
                        )
            else:
                st.info("No claim is ticked.")
    result = st.session_state.get("ck_result")
    if result:
        getattr(st, result[0])(ui.text(result[1]))


# A new visitor's first run draws the top of the page only (indicators.progressive): the
# hidden tab, the cards after the first and the events list come in the next run
top_only = progressive.staged()
if tab_check is not None and not top_only:
    with tab_check:
        _check_any_article()

# --- the article's claims ----------------------------------------------------------------

with tab_view:
    if not f.present:  # on a slide the verdicts keep the tolerance chosen before
        if "tolerance_pct" not in st.session_state:  # back from a slide: the same tolerance
            st.session_state["tolerance_pct"] = round(ui.tolerance() * 100)
        st.slider("Tolerance for over/understated (%)", 1, 30, key="tolerance_pct")
        st.session_state["tolerance"] = st.session_state["tolerance_pct"] / 100

    view = ui.claims_view(f)
    if st.session_state.get("preview_store"):
        st.warning("Preview mode is on: you see data and claims that are not saved.")
    if view.claims.empty:
        st.info("No claims are loaded. Check an article in the next tab, or upload a claims CSV.")
        st.stop()

    art = view.article
    st.subheader(ui.text(art["article_title"]))
    st.text(
        f"{art['article_outlet']} · {art['article_date']}"
        + (f" · {art['article_url']}" if art["article_url"] else "")
    )

    summary = view.summary
    cols = st.columns(6)
    cols[0].metric("Quantitative claims", summary["claims"])
    for col, v in zip(cols[1:], claims.VERDICTS, strict=True):
        col.metric(v.replace("_", " ").capitalize(), summary[v])
    st.caption(f"{summary['events']} dated events are drawn on the time axes of the charts.")
    if not f.present:
        st.download_button(
            "ClaimReview (schema.org JSON-LD) of the checked claims",
            data=lambda: claimreview.to_json(view.claims),  # built on click, not on every run
            file_name=f"{art['article_id']}-claimreview.jsonld",
            mime="application/ld+json",
            key="claimreview_dl",
            on_click="ignore",
        )

    for card in view.cards[:1] if top_only else view.cards:
        ui.claim_card(card)

    if not top_only:
        st.subheader("Dated events in the article")
        if not view.events:
            st.caption("The article has no dated events.")
        else:
            st.markdown(view.events)
