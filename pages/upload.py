"""Upload updated official CSVs: recognise, validate, preview the change, save (editors only)."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators import auth, contract, ingest, preview, ui
from indicators.errors import InputError, StoreError
from indicators.store import Store

ui.ensure_entrypoint()

st.title("Upload updated data")
st.caption(
    "Drop the CSVs that CDC and CBP publish (or gzip-compressed CSVs), or a claims file in the project's "
    "layout. Each file is recognised by its header, validated, and merged: a newer release replaces the "
    "periods it covers and keeps the others. Nothing is saved until an editor saves it."
)
target = st.selectbox(
    "Table the files are meant for",
    ["", *contract.TABLES],
    format_func=lambda t: t or "Recognise automatically",
    help="If you choose a table, a file of another kind is refused (e.g. a by-State encounters file offered as the by-area table would double count).",
)
files = st.file_uploader("CSV files", type=["csv", "gz"], accept_multiple_files=True, key="uploads")
store = ui.store()

parsed, failed = [], 0
for up in files or []:
    data = up.getvalue()
    name = Path(up.name).name[:120]  # shown only; never used as a path
    try:
        p = ingest.parse_upload(data, name, expect_table=target or None)
    except InputError as exc:
        failed += 1
        with st.container(border=True, key=f"err_{len(parsed)}_{failed}"):
            st.error(f"Not accepted: {ui.text(name)}")
            for prob in exc.problems:
                st.text(prob.describe(limit=8))
                rows = preview.offending_lines(data, prob.lines)
                if rows:
                    st.dataframe(pd.DataFrame(rows, columns=["line", "text"]), hide_index=True)
        continue
    parsed.append(p)
    with st.container(border=True):
        st.success(f"Recognised: {ui.text(name)}")
        st.text(
            f"{p.layout.title}\nlayout {p.layout.id} -> table {p.table}\n"
            f"{len(p.rows):,} rows · {p.periods()} · vintage {p.vintage} · encoding {p.encoding}"
            + (f"\nnotes: {'; '.join(p.notes)}" if p.notes else "")
        )

if parsed and not failed:
    try:
        plan = ingest.plan(parsed, store)
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    st.subheader("Preview of the change")
    st.dataframe(
        pd.DataFrame(
            [
                {k: v for k, v in c.as_dict().items() if k != "kept_newer_examples"}
                for c in plan.changes
            ]
        ),
        hide_index=True,
        key="changes",
    )
    if not plan.changed:
        st.info("Nothing would change: the store already holds these data (or newer ones).")
    else:
        moves = preview.headline_changes(plan, store)
        st.markdown("**Headline numbers that move**")
        st.dataframe(moves.head(200), hide_index=True, key="moves")
        key = "pv_" + "_".join(p.sha256[:8] for p in parsed)
        if st.session_state.get("pv_key") != key:
            pv = preview.preview_store(
                plan, store, Path(tempfile.mkdtemp(prefix="indicators-preview-"))
            )
            st.session_state["pv_key"], st.session_state["pv_path"] = key, str(pv.root)
        pv = Store(st.session_state["pv_path"])
        verdicts = preview.verdict_changes(store, pv)
        st.markdown("**Claim verdicts that would change**")
        if verdicts.empty:
            st.text("none")
        else:
            st.dataframe(verdicts, hide_index=True, key="verdicts")
        c1, c2 = st.columns(2)
        if c1.button("Explore in preview mode (only you see it)"):
            st.session_state["preview_store"] = st.session_state["pv_path"]
            st.rerun()
        password = auth.editor_password()
        with c2:
            if not password:
                st.info(
                    "Saving is disabled: no editor password is configured. The operator can set "
                    "INDICATORS_EDITOR_PASSWORD (or `editor_password` in .streamlit/secrets.toml), or use "
                    "`uv run indicators ingest FILE` on the server."
                )
            elif st.session_state.get("failed_attempts", 0) >= auth.MAX_ATTEMPTS:
                st.error(
                    "Too many wrong passwords: saving is locked for this session. Nothing was saved."
                )
            else:
                if st.session_state.get("failed_attempts"):
                    st.error(
                        "Wrong password: nothing was saved "
                        f"({st.session_state['failed_attempts']} of {auth.MAX_ATTEMPTS} attempts used)."
                    )
                given = st.text_input("Editor password", type="password", key="editor_pw")
                if st.button("Save to the shared data", type="primary", key="save_btn"):
                    if auth.check(given, password):
                        try:
                            v = ingest.commit(
                                plan, store, "upload " + ", ".join(p.file for p in parsed)
                            )
                        except StoreError as exc:
                            st.error(str(exc))
                        else:
                            ui.clear_caches()
                            st.session_state.pop("preview_store", None)
                            st.success(
                                f"Saved as version {v.number}. Every page now shows the new data."
                            )
                    else:
                        st.session_state["failed_attempts"] = (
                            st.session_state.get("failed_attempts", 0) + 1
                        )
                        st.rerun()

if st.session_state.get("preview_store"):
    st.warning("Preview mode is on: the pages show your uploaded data, not the shared data.")
    if st.button("Leave preview mode"):
        st.session_state.pop("preview_store", None)
        st.rerun()

st.subheader("History of the shared data")
hist = store.history()
cur = store.current().number
st.dataframe(
    pd.DataFrame(
        [
            {
                "version": v.number,
                "current": v.number == cur,
                "created (UTC)": v.meta["created"],
                "kind": v.meta.get("kind", ""),
                "what": v.meta["message"],
                "sources": ", ".join(
                    s.get("file", s.get("id", "")) for s in v.meta.get("sources", [])
                )[:300],
                "rows": sum(t["rows"] for t in v.meta["tables"].values()),
            }
            for v in hist
        ]
    ),
    hide_index=True,
    key="history",
)
if auth.editor_password() and len(hist) > 1:
    with st.expander("Roll back to an earlier version"):
        target_v = st.selectbox("Version", [v.number for v in hist if v.number != cur])
        pw = st.text_input("Editor password for the rollback", type="password", key="rollback_pw")
        if st.button("Roll back"):
            if st.session_state.get("failed_attempts", 0) >= auth.MAX_ATTEMPTS:
                st.error("Too many wrong passwords in this session.")
            elif auth.check(pw, auth.editor_password()):
                v = store.rollback(int(target_v))
                ui.clear_caches()
                st.success(f"Version {v.number} now holds the data of version {target_v}.")
            else:
                st.session_state["failed_attempts"] = st.session_state.get("failed_attempts", 0) + 1
                st.error("Wrong password: nothing was changed.")
