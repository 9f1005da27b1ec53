"""Every official file in data/raw (and the older 10-column VSRR layout) through the Upload
page, file by file: recognised, previewed (what changes, headline numbers, verdicts), saved
with the editor password, and rolled back; the store changes exactly then."""

from __future__ import annotations

import json

import pytest
from apphelpers import app, errors, frame, widget
from conftest import EDITOR_PASSWORD, FIXTURES, copy_data

from indicators import auth, contract, query, ui
from indicators.store import REPO_DATA, Store

ENTRIES = json.loads((REPO_DATA / "sources.json").read_text())["sources"]
VSRR = tuple(e["id"] for e in ENTRIES if e["layout"].startswith("cdc_vsrr"))
CASES = [((e["id"],), REPO_DATA / e["path"]) for e in ENTRIES] + [
    (VSRR, FIXTURES / "vsrr_old10_bom_excerpt.csv")  # the older 10-column layout
]


@pytest.fixture(scope="module")
def bundled():
    s = Store(REPO_DATA)
    return {n: s.load(n) for n in contract.TABLES}


def store_without(tmp_path, bundled, source_ids: tuple[str, ...]) -> Store:
    """A copy of the bundled store whose current version lacks every row of these sources."""
    d = copy_data(tmp_path / "data")
    st = Store(d)
    drop = {
        n: t[~t.source_id.isin(source_ids)]
        for n, t in bundled.items()
        if t.source_id.isin(source_ids).any()
    }
    assert drop, source_ids
    with st.lock():
        st.commit(drop, f"test: without {', '.join(source_ids)}", kind="test")
    return st


@pytest.mark.parametrize("source_ids,path", CASES, ids=[c[1].name for c in CASES])
def test_official_file_previews_saves_and_rolls_back(
    tmp_path, bundled, monkeypatch, source_ids, path
):
    st = store_without(tmp_path, bundled, source_ids)
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(st.root))
    monkeypatch.setenv("INDICATORS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    auth.ATTEMPTS.clear()
    query.clear_cache()
    base = st.current().number
    at = app("upload")
    at.get("file_uploader")[0].upload(path.name, path.read_bytes(), "application/octet-stream")
    at.run()
    assert errors(at) == [], errors(at)
    assert any(s.value == "Recognised: " + ui.text(path.name) for s in at.success)
    summary = frame(at, "Identical")
    assert summary["Added"].sum() + summary["Revised"].sum() > 0, summary
    moves = frame(at, "Figure")
    table = summary["Table"].iloc[0]
    if table != "claims":
        assert len(moves) > 0
    assert st.current().number == base  # a preview saves nothing
    widget(at, "editor_pw").input(EDITOR_PASSWORD)
    widget(at, "save_btn").click()
    at.run()
    assert errors(at) == [], errors(at)
    saved = st.current().number
    assert saved == base + 1
    assert any(f"Saved as version {saved}" in s.value for s in at.success)
    hist = frame(at, "Created (UTC)")
    assert int(hist.iloc[0]["Version"]) == saved  # history is fresh after the save
    # the saved table holds the file's rows, under its official identity when it is bundled
    after = st.load(table)
    if path.is_relative_to(REPO_DATA):
        assert (after.source_id == source_ids[0]).any()
    else:
        assert after.source_id.str.startswith("upload:").any()
    # roll back to the version before the save
    widget(at, f"rollback_version_{saved}").set_value(base)
    widget(at, "rollback_pw").input(EDITOR_PASSWORD)
    widget(at, "rollback_btn").click()
    at.run()
    assert errors(at) == [], errors(at)
    assert st.current().number == saved + 1
    assert st.current().tables == st.version(base).tables
    assert any(f"now holds the data of version {base}" in s.value for s in at.success)
    hist = frame(at, "Created (UTC)")
    assert int(hist.iloc[0]["Version"]) == saved + 1  # history is fresh after the rollback
