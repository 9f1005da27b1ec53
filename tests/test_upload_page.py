"""AppTest of the Upload page: recognition, errors, the change summary, the decision on
dropped cells, saving with the password (server-side attempt counts), a save refused when
the store moved on since the preview, rollback."""

import csv
import io
import time

import pytest
from apphelpers import app, errors, frame, widget
from conftest import EDITOR_PASSWORD

from indicators import auth, ingest, preview, ui
from indicators.errors import StaleBase
from indicators.store import REPO_DATA, Store

AMO = REPO_DATA / "raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv"


def _revised_amo(fixture_path=None) -> tuple[bytes, float]:
    """The real AMO file with one revised value: FY2026 DEC fentanyl, one branch."""
    lines = AMO.read_text().splitlines()
    i = next(
        n
        for n, ln in enumerate(lines)
        if ln.startswith("2026") and ",DEC," in ln and ",Fentanyl," in ln
    )
    new = 9999.5
    lines[i] = lines[i].rsplit(",", 1)[0] + f",{new}"
    return ("\n".join(lines) + "\n").encode(), new


def _amo_without(month: str, fy: str, drug: str) -> tuple[bytes, int]:
    """The real AMO file without one month of one drug (a release that dropped them)."""
    lines = AMO.read_text().splitlines()
    keep = [
        ln for ln in lines if not (ln.startswith(fy) and f",{month}," in ln and f",{drug}," in ln)
    ]
    return ("\n".join(keep) + "\n").encode(), len(lines) - len(keep)


def uploader(at):
    return at.get("file_uploader")[0]


def current(data_dir) -> int:
    return Store(data_dir).current().number


@pytest.fixture
def editor_env(data_dir, monkeypatch):
    monkeypatch.setenv("INDICATORS_EDITOR_PASSWORD", EDITOR_PASSWORD)
    auth.ATTEMPTS.clear()  # a fresh server: no attempts counted yet
    yield data_dir
    auth.ATTEMPTS.clear()


def test_recognition_and_preview_numbers(data_dir, fixture_path, monkeypatch):
    monkeypatch.delenv("INDICATORS_EDITOR_PASSWORD", raising=False)
    data, new = _revised_amo(fixture_path)
    before = current(data_dir)
    at = app("upload")
    uploader(at).upload("amo revised.csv", data, "text/csv")
    at.run()
    assert errors(at) == []
    assert any(s.value == "Recognised: " + ui.text("amo revised.csv") for s in at.success)
    text = " ".join(t.value for t in at.text)
    assert "CBP Air and Marine Operations Drug Seizures" in text and "-> table seizures" in text
    m = frame(at, "Figure").set_index("Figure")
    row = m.loc["FY2026 fentanyl, CBP Air and Marine Operations (lb)"]
    assert row["After"] - row["Before"] == pytest.approx(row["Change"], abs=0.1)
    assert row["Change"] != 0
    # the summary separates identical from revised cells, and the largest revision is listed
    summary = frame(at, "Identical").iloc[0]
    assert summary["Revised"] == 1 and summary["Identical"] > 0 and summary["Added"] == 0
    assert summary["Dropped by the new file"] == 0
    rev = frame(at, "Cell").iloc[0]
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    want_after = sum(
        float(r["Sum Qty (lbs)"])
        for r in rows
        if r["FY"].startswith("2026")
        and r["Month (abbv)"] == "DEC"
        and r["Drug Type"] == "Fentanyl"
    )
    stored = Store(data_dir).load("seizures")
    want_before = stored[
        (stored.series == "cbp_amo") & (stored.fiscal_year == 2026) & (stored.month == 12)
        & (stored.drug == "fentanyl")
    ].quantity.sum()  # fmt: skip
    assert "fentanyl" in rev["Cell"] and "2026" in rev["Cell"]
    assert rev["After"] == pytest.approx(want_after, abs=0.05)
    assert rev["Before"] == pytest.approx(want_before, abs=0.05)
    # no password configured: preview only, and nothing was saved
    assert any("Saving is disabled" in i.value for i in at.info)
    assert current(data_dir) == before


def test_error_message_names_line_and_column(data_dir, fixture_path):
    at = app("upload")
    uploader(at).upload("bad.csv", fixture_path("bad_nonnumeric.csv").read_bytes(), "text/csv")
    at.run()
    assert any(e.value == "Not accepted: " + ui.text("bad.csv") for e in at.error)
    text = " ".join(t.value for t in at.text)
    assert "column 'Count of Event', line 4: not a number (e.g. 'twelve')" in text
    shown = frame(at, "Text")
    assert "twelve" in shown["Text"].iloc[0]


def test_wrong_then_right_password_saves_and_only_success_shows(editor_env, fixture_path):
    data_dir = editor_env
    data, _ = _revised_amo(fixture_path)
    before = current(data_dir)
    at = app("upload")
    uploader(at).upload("amo revised.csv", data, "text/csv")
    at.run()
    widget(at, "editor_pw").input("wrong password")
    widget(at, "save_btn").click()
    at.run()
    assert any("Wrong password" in e.value and "1 of 5" in e.value for e in at.error)
    assert current(data_dir) == before
    assert auth.delay(1) == 0  # no wait after a first wrong password
    widget(at, "editor_pw").input(EDITOR_PASSWORD)
    widget(at, "save_btn").click()
    at.run()
    assert errors(at) == []  # the red message is gone
    assert current(data_dir) == before + 1
    assert any(f"Saved as version {before + 1}" in s.value for s in at.success)
    hist = frame(at, "Created (UTC)")
    assert (
        int(hist.iloc[0]["Version"]) == before + 1 and "amo revised.csv" in hist.iloc[0]["Sources"]
    )


def test_attempts_are_counted_on_the_server_across_reloads(editor_env, fixture_path):
    """Five wrong passwords lock out saving; a new session (a reload) is still locked."""
    data_dir = editor_env
    data, _ = _revised_amo(fixture_path)
    before = current(data_dir)
    for _ in range(auth.MAX_ATTEMPTS):
        at = app("upload")  # a new browser session each time, as a reload makes
        uploader(at).upload("amo revised.csv", data, "text/csv")
        at.run()
        wait = auth.ATTEMPTS.status("unknown client").wait
        if wait:
            time.sleep(wait + 0.05)
        widget(at, "editor_pw").input("guess")
        widget(at, "save_btn").click()
        at.run()
    assert auth.ATTEMPTS.status("unknown client").locked
    at = app("upload")
    uploader(at).upload("amo revised.csv", data, "text/csv")
    at.run()
    assert any("locked" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "save_btn"]  # no password field, no Save
    assert not [t for t in at.text_input if t.key == "editor_pw"]
    # even the right password is refused now, from any new session
    assert not auth.EditorSession({}, None, EDITOR_PASSWORD).authorise(EDITOR_PASSWORD).ok
    assert current(data_dir) == before


def test_save_refused_when_the_store_moved_since_the_preview(editor_env, fixture_path):
    data_dir = editor_env
    data, _ = _revised_amo(fixture_path)
    at = app("upload")
    uploader(at).upload("amo revised.csv", data, "text/csv")
    at.run()
    previewed = current(data_dir)
    # meanwhile another editor (here the CLI's library call) commits another change
    other = data_dir / "other.csv"
    lines = AMO.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",1234.5"
    other.write_text("\n".join(lines) + "\n")
    _, v = ingest.ingest([other], Store(data_dir))
    assert v is not None and v.number == previewed + 1
    at.run()
    assert any("changed since this preview" in w.value for w in at.warning)
    assert widget(at, "save_btn").disabled
    # a click that raced the check: the save itself refuses the stale plan
    pv = at.session_state["upload_preview"]
    with pytest.raises(StaleBase):
        preview.save(pv, Store(data_dir), "stale")
    assert current(data_dir) == previewed + 1
    widget(at, "repreview").click()
    at.run()
    assert not any("changed since this preview" in w.value for w in at.warning)
    assert "Against version " + str(previewed + 1) in " ".join(c.value for c in at.caption)


def test_dropped_cells_are_listed_and_need_a_decision(editor_env):
    data_dir = editor_env
    data, removed = _amo_without("MAR", "2024", "Methamphetamine")
    assert removed > 0
    before = current(data_dir)
    stored = Store(data_dir).load("seizures")
    gone = stored[
        (stored.series == "cbp_amo")
        & (stored.fiscal_year == 2024)
        & (stored.month == 3)
        & (stored.drug == "methamphetamine")
    ]
    assert len(gone) == removed
    at = app("upload")
    uploader(at).upload("amo dropped.csv", data, "text/csv")
    at.run()
    assert errors(at) == []
    summary = frame(at, "Identical").iloc[0]
    assert summary["Dropped by the new file"] == 1 and summary["Decision on dropped"] == "undecided"
    dropped = frame(at, "Rows")
    assert "methamphetamine" in dropped["Cell"].iloc[0] and dropped["Rows"].iloc[0] == removed
    assert widget(at, "save_btn").disabled  # no decision yet
    widget(at, "dropped_choice").set_value("drop")
    at.run()
    assert not widget(at, "save_btn").disabled
    widget(at, "editor_pw").input(EDITOR_PASSWORD)
    widget(at, "save_btn").click()
    at.run()
    assert errors(at) == []
    assert current(data_dir) == before + 1
    after = Store(data_dir).load("seizures")
    assert len(after) == len(stored) - removed
    left = after[
        (after.series == "cbp_amo")
        & (after.fiscal_year == 2024)
        & (after.month == 3)
        & (after.drug == "methamphetamine")
    ]
    assert left.empty
