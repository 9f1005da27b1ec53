"""Upload updated official CSVs: recognise, validate, preview the change, save (editors only).

Widgets only: reading, planning, previewing and saving are `indicators.preview`, the
password and its attempt counts `indicators.auth`, the history `Store.history_frame`.
"""

import streamlit as st

from indicators import auth, contract, limits, preview, ui
from indicators.errors import StoreError

ui.ensure_entrypoint()

st.title("Upload updated data")
st.caption(
    "Drop the CSVs that CDC and CBP publish (or gzip-compressed CSVs), or a claims file in the project's "
    "layout. Each file is recognised by its header, validated, and merged cell by cell: a newer release "
    "replaces exactly the series and periods it has; stored values it no longer has are listed, and you "
    "decide whether to keep them. Nothing is saved until an editor saves it."
)
store = ui.store()
editor = auth.EditorSession.from_streamlit()


def flash(kind: str, msg: str) -> None:
    st.session_state.setdefault("_upload_flash", []).append((kind, msg))


# Actions are callbacks: they run before the page is drawn, so it shows their result (history,
# messages) at once, and a click is never lost to a rerun.
def on_save(pv: preview.Preview, names: list[str]) -> None:
    done = preview.save_as_editor(editor, pv, store, st.session_state.get("editor_pw", ""), names)
    st.session_state["editor_pw"] = ""
    if done.ok:
        ui.clear_caches()
        if st.session_state.get("preview_store") == pv.store_path:
            st.session_state.pop("preview_store", None)
    if done.message:
        flash("success" if done.ok else "error", done.message)
        st.session_state.pop("upload_preview", None)  # saved, or stale: preview again


def on_rollback(version_key: str) -> None:
    done = preview.rollback_as_editor(
        editor, store, st.session_state.get("rollback_pw", ""), st.session_state.get(version_key)
    )
    st.session_state["rollback_pw"] = ""
    if done.ok:
        ui.clear_caches()
    if done.message:
        flash("success" if done.ok else "error", done.message)


def retire(old: preview.Preview | None) -> None:
    """Delete a preview that is replaced, unless it is the one being explored in preview mode."""
    if old is not None and old.store_path != st.session_state.get("preview_store"):
        old.discard()


def on_repreview(pv: preview.Preview) -> None:
    st.session_state.pop("upload_preview", None)
    pv.discard()


# Always one container, empty or not: the elements below keep their places from run to run,
# so an open panel further down is not redrawn closed when a message comes or goes.
with st.container():
    for kind, msg in st.session_state.pop("_upload_flash", []):
        getattr(st, kind)(msg)

target = st.selectbox(
    "Table the files are meant for",
    ["", *contract.TABLES],
    format_func=lambda t: t or "Recognise automatically",
    help="If you choose a table, a file of another kind is refused (e.g. a by-State encounters file offered as the by-area table would double count).",
)
files = st.file_uploader("CSV files", type=["csv", "gz"], accept_multiple_files=True, key="uploads")
upload_mb = limits.upload_mb()
upload_key = (target, upload_mb, tuple((up.file_id, up.name, up.size) for up in files or []))
cached = st.session_state.get("_read_uploads")
if cached is not None and cached[0] == upload_key:  # parsed once per set of files, not per rerun
    parsed, rejected = cached[1]
elif not files:  # nothing to read: no child process
    parsed, rejected = [], []
else:
    try:
        # in a child process (other sessions stay responsive); the preview comes with the read
        with st.spinner("Reading the files, comparing with the shared data..."):
            parsed, rejected, fresh = preview.isolated(
                "read_and_preview",
                [
                    (up.name.replace("\\", "/").rsplit("/", 1)[-1][:120], up.getvalue())
                    for up in files or []
                ],
                store,
                expect_table=target or None,
                max_bytes=limits.max_decompressed(upload_mb),
                decision_for=st.session_state.get("_dropped_for"),
                decision=st.session_state.get("dropped_choice"),
            )
            # kept before the spinner ends: a click during the read reruns the page right there
            st.session_state["_read_uploads"] = (upload_key, (parsed, rejected))
            if fresh is not None:  # no second child process below
                retire(st.session_state.get("upload_preview"))
                st.session_state["upload_preview"] = fresh
    except StoreError as exc:
        st.error(str(exc))
        st.stop()

for i, r in enumerate(rejected):
    with st.container(border=True, key=f"err_{i}"):
        st.error(f"Not accepted: {ui.text(r.name)}")
        for j, (problem, lines) in enumerate(r.problems()):
            st.text(problem)
            if lines is not None:
                ui.table(lines, hide_index=True, key=f"lines_{i}_{j}")
for p in parsed:
    with st.container(border=True):
        st.success(f"Recognised: {ui.text(p.file)}")
        st.text(
            f"{p.layout.title}\nlayout {p.layout.id} -> table {p.table}\n"
            f"{len(p.rows):,} rows · {p.periods()} · vintage {p.vintage} · encoding {p.encoding}"
            + (f"\nnotes: {'; '.join(p.notes)}" if p.notes else "")
        )

pv: preview.Preview | None = None
if parsed and not rejected:
    files_key = preview.preview_key(parsed, None)
    if st.session_state.get("_dropped_for") != files_key:  # a decision is about these files only
        st.session_state.pop("dropped_choice", None)
        st.session_state["_dropped_for"] = files_key
    decision = st.session_state.get("dropped_choice")
    key = preview.preview_key(parsed, decision)
    pv = st.session_state.get("upload_preview")
    if pv is None or pv.key != key:
        retire(pv)
        try:
            with st.spinner("Comparing with the shared data..."):
                pv = preview.isolated("make_preview", parsed, store, decision)
                st.session_state["upload_preview"] = pv  # kept before the spinner ends
        except StoreError as exc:
            st.error(str(exc))
            st.stop()
else:
    retire(st.session_state.pop("upload_preview", None))

if pv is not None:
    plan = pv.plan
    st.subheader("Preview of the change")
    st.caption(
        f"Against version {pv.base_number} of the shared data. Cells are series x periods: "
        "identical (nothing changes), revised (new values), added, kept (the stored values come "
        "from a newer release), dropped by the new file (stored, inside what the file covers, "
        "but not in it)."
    )
    ui.table(plan.summary(), hide_index=True, key="changes")
    revisions = plan.revisions()
    if len(revisions):
        st.markdown("**Largest revisions**")
        ui.table(revisions.head(20), hide_index=True, key="revisions")
    if plan.cells_dropped:
        st.warning(
            f"{plan.cells_dropped} stored cells are missing from the new files, within the periods "
            "they cover. Decide what happens to them before saving."
        )
        ui.table(plan.dropped_cells().head(200), hide_index=True, key="dropped")
        st.radio(
            "Stored cells missing from the new files",
            ["keep", "drop"],
            index=None,
            key="dropped_choice",
            format_func=lambda d: {
                "keep": "Keep the stored values",
                "drop": "Drop them (the new release no longer has them)",
            }[d],
        )
    current = pv.is_current(store)
    if not current:
        st.warning(
            f"The shared data changed since this preview (version {pv.base_number} -> "
            f"{store.current().number}). Preview again before saving."
        )
        st.button("Preview again", key="repreview", on_click=on_repreview, args=(pv,))
    if not plan.changed and not plan.needs_decision:
        st.info("Nothing would change: the store already holds these data (or newer ones).")
    elif plan.changed or plan.needs_decision:
        st.markdown("**Headline numbers that move**")
        ui.table(pv.moves.head(200), hide_index=True, key="moves")
        st.markdown("**Claim verdicts that would change**")
        if pv.verdicts.empty:
            st.text("none")
        else:
            ui.table(pv.verdicts, hide_index=True, key="verdicts")
        c1, c2 = st.columns(2)
        if pv.store_path:
            c1.button(
                "Explore in preview mode (only you see it)",
                key="explore_btn",
                on_click=lambda path: st.session_state.update(preview_store=path),
                args=(pv.store_path,),
            )
        with c2:
            if not editor.can_save:
                st.info(
                    "Saving is disabled: no editor password is configured. The operator can set "
                    "INDICATORS_EDITOR_PASSWORD (or `editor_password` in .streamlit/secrets.toml), or use "
                    "`uv run indicators ingest FILE` on the server."
                )
            else:
                if editor.message("save"):
                    st.error(editor.message("save"))
                status = editor.status()
                if status.locked:
                    st.warning(editor.blocked_message())
                else:
                    if status.wait > 0:
                        st.warning(editor.blocked_message())
                    st.text_input("Editor password", type="password", key="editor_pw")
                    st.button(
                        "Save to the shared data",
                        type="primary",
                        key="save_btn",
                        disabled=not current or plan.needs_decision,
                        on_click=on_save,
                        args=(pv, [p.file for p in parsed]),
                    )

if st.session_state.get("preview_store"):
    st.warning("Preview mode is on: the pages show your uploaded data, not the shared data.")
    st.button(
        "Leave preview mode",
        key="leave_preview_btn",
        on_click=lambda: st.session_state.pop("preview_store", None),
    )

st.subheader("History of the shared data")
history = store.history_frame()
ui.table(history, hide_index=True, key="history")
if editor.can_save and len(history) > 1:
    cur = int(history.loc[history["current"], "version"].iloc[0])
    # its open state lives on the server too (on_change): a rerun never closes it
    with st.expander("Roll back to an earlier version", key="rollback_panel", on_change="rerun"):
        version_key = f"rollback_version_{cur}"  # a new history offers its newest version first
        st.selectbox("Version", [int(n) for n in history["version"] if n != cur], key=version_key)
        if editor.message("rollback"):
            st.error(editor.message("rollback"))
        st.text_input("Editor password for the rollback", type="password", key="rollback_pw")
        st.button("Roll back", key="rollback_btn", on_click=on_rollback, args=(version_key,))
