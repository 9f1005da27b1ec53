"""AppTest of the Upload page: recognition message, error message, preview numbers, saving."""

import pytest
from apphelpers import app, errors

from indicators import ui
from indicators.store import Store


def _revised_amo(fixture_path) -> tuple[bytes, float]:
    lines = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    # first data row: FY2026 DEC, AMO fentanyl; set its pounds to a new value
    new = 9999.5
    lines[1] = lines[1].rsplit(",", 1)[0] + f",{new}"
    return ("\n".join(lines) + "\n").encode(), new


def uploader(at):
    return at.get("file_uploader")[0]


def test_recognition_and_preview_numbers(data_dir, fixture_path, monkeypatch):
    monkeypatch.delenv("INDICATORS_EDITOR_PASSWORD", raising=False)
    data, new = _revised_amo(fixture_path)
    at = app("upload")
    uploader(at).upload("amo revised.csv", data, "text/csv")
    at.run()
    assert errors(at) == []
    assert any(s.value == "Recognised: " + ui.text("amo revised.csv") for s in at.success)
    text = " ".join(t.value for t in at.text)
    assert "CBP Air and Marine Operations Drug Seizures" in text and "-> table seizures" in text
    moves = [d.value for d in at.dataframe if "figure" in getattr(d.value, "columns", [])]
    assert moves, "no headline-number table"
    m = moves[0].set_index("figure")
    row = m.loc["FY2026 fentanyl, CBP AMO (lb)"]
    assert row["after"] - row["before"] == pytest.approx(row["change"])
    assert row["change"] != 0
    # no password configured: preview only, and nothing was saved
    assert any("Saving is disabled" in i.value for i in at.info)
    assert (Store(data_dir).dir / "CURRENT").read_text().strip() == "1"


def test_error_message_names_line_and_column(data_dir, fixture_path):
    at = app("upload")
    uploader(at).upload("bad.csv", fixture_path("bad_nonnumeric.csv").read_bytes(), "text/csv")
    at.run()
    assert any(e.value == "Not accepted: " + ui.text("bad.csv") for e in at.error)
    text = " ".join(t.value for t in at.text)
    assert "column 'Count of Event', line 4: not a number (e.g. 'twelve')" in text
    shown = [
        d.value for d in at.dataframe if list(getattr(d.value, "columns", [])) == ["line", "text"]
    ]
    assert shown and "twelve" in shown[0].text.iloc[0]


# Saving with the password is tested end to end in a real browser (test_browser.py):
# AppTest does not register this button's click after an upload in Streamlit 1.67.
