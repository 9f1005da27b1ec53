"""Text from uploaded files can never run; formulas are neutralised; saving needs the password."""

import contextlib
import re

import pandas as pd
import pytest
from apphelpers import app, errors, shown_text
from conftest import EDITOR_PASSWORD, ROOT, Server, cli, copy_data
from playwright.sync_api import Error as PlaywrightError

from indicators import auth, claimcard, claims, ui
from indicators.store import Store

PAYLOADS = {
    "quote": '<script>window.__xss=1</script><img src=x onerror="window.__xss=2;alert(1)"> **bold** [click](javascript:alert(3))',
    "speaker": "<svg onload=alert(4)>",
    "label": '<img src=x onerror="alert(5)">',
    "note": "[link](javascript:alert(6)) <iframe src=javascript:alert(7)>",
    "evidence_url": "javascript:alert(8)",
    "article_title": "# Title <b onmouseover=alert(9)>x</b>",
}


def evil_claims(store: Store, path) -> pd.DataFrame:
    df = store.load("claims").copy()
    df["article_id"] = "evil-article"
    for col, val in PAYLOADS.items():
        df.loc[df.claim_id.isin(["C06", "E02"]), col] = val
    df.to_csv(path, index=False)
    return df


def test_ui_text_is_inert_markdown():
    s = ui.text(PAYLOADS["quote"])
    assert "<script>" not in s and "&lt;script&gt;" in s
    assert "\\*\\*bold\\*\\*" in s and "\\[click\\]\\(javascript:\u200balert\\(3\\)\\)" in s
    # bare addresses and :shortcodes: that GitHub-flavoured Markdown would make live
    live = ui.text("https://evil.example/x www.evil.example a@evil.example :warning:")
    for part in ("https://", "www.", "a@", ":warning"):
        assert part not in live and part in live.replace("\u200b", "").replace("\\", "")


def test_safe_url_drops_javascript():
    assert ui.safe_url("javascript:alert(1)") is None
    assert ui.safe_url("data:text/html,x") is None
    # white space would end the Markdown link and let the rest become Markdown of its own
    assert ui.safe_url("https://ok.example/x\n\n[r]:\thttps://evil.example/t.png") is None
    assert ui.safe_url("https://ok.example/\tx") is None
    assert ui.safe_url(" https://www.cbp.gov/x ") == "https://www.cbp.gov/x"


def test_claim_card_markdown_is_inert_and_keeps_its_table():
    """A card built from hostile claim text: no tag, no javascript link, a label holding a
    pipe or a line break stays one table cell, a URL with parentheses stays one link."""
    card = {
        "claim_id": "C1", "verdict": "contradicted", "depends_on_choice": True,
        "quote": PAYLOADS["quote"], "speaker": PAYLOADS["speaker"], "note": PAYLOADS["note"],
        "explanation": "line one\n<b>line two</b>", "evidence_url": "javascript:alert(8)",
        "variant_results": [
            {"label": "a | b\nc", "data_value": 1234.4, "verdict": "supported"},
            {"label": "x", "data_value": None, "verdict": "x", "comparable": False,
             "data_vintage": "v@2024-09", "published_after_article": True},
        ],
    }  # fmt: skip
    md = claimcard.markdown(card)
    for tag in ("<script", "<img", "<svg", "<iframe", "<b>"):
        assert tag not in md
    assert "](javascript:" not in md and "Source" not in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == 4  # header, rule, two choices
    cells = [
        [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in table
    ]
    assert all(len(c) == 4 for c in cells), cells
    assert cells[2][:2] == ["a | b c", "1,234"] and cells[3][1] == "no data"
    assert "not comparable (context only)" in cells[3][2]
    assert "published after the article" in cells[3][3]
    card["evidence_url"] = "https://example.org/a_(b)"
    assert "[Source](https://example.org/a_%28b%29)" in claimcard.markdown(card)


def test_events_table_is_inert_and_keeps_one_row_per_event():
    """The claims page's table of dated events, from hostile event text: no tag, no javascript
    link, a pipe or line break in a cell stays in that cell, and a safe source stays a link."""
    events = [
        {"claim_id": "E1", "event_date": "2024-08-27", "event_end": "2024-08-29",
         "label": "a | b\nc", "quote": PAYLOADS["quote"], "note": PAYLOADS["note"],
         "evidence_url": PAYLOADS["evidence_url"]},
        {"claim_id": "E2", "event_date": "2024-09-01", "event_end": "", "label": PAYLOADS["label"],
         "quote": "q", "note": "", "evidence_url": "https://example.org/a_(b)"},
    ]  # fmt: skip
    md = claimcard.events_table(events)
    for tag in ("<script", "<img", "<svg", "<iframe"):
        assert tag not in md
    assert "](javascript:" not in md
    table = md.splitlines()
    assert len(table) == 4  # header, rule, two events
    cells = [
        [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in table
    ]
    assert all(len(c) == 7 for c in cells), cells
    cells = [c[1:] for c in cells]  # the first column numbers the events (1, 2 in date order)
    assert cells[2][:3] == ["E1", "2024-08-27 to 2024-08-29", "a | b c"] and cells[2][5] == ""
    assert cells[3][1] == "2024-09-01" and cells[3][5] == "[link](https://example.org/a_%28b%29)"
    # a pipe in a source URL stays in the link; a missing end date or note is blank, not "nan"
    events[1].update(evidence_url="https://example.org/q?a=1|2", event_end=float("nan"), note=None)
    last = re.split(r"(?<!\\)\|", claimcard.events_table(events).splitlines()[-1])[2:-1]
    assert [re.sub(r"\\(.)", r"\1", c).strip() for c in last[1:2] + last[4:]] == [
        "2024-09-01",
        "",
        "[link](https://example.org/q?a=1%7C2)",
    ]


def test_markdown_table_keeps_each_value_in_its_cell():
    """ui.markdown_table's text: hostile or odd values stay inert and in their own cell,
    missing values are blank, years have no thousands separator, text is shown as stored."""
    df = pd.DataFrame(
        {
            "year": [2019, 2020],
            "encounters": pd.array([1234567, None], dtype="Int64"),
            "rate": [1.25, float("inf")],
            "when": [pd.Timestamp("2020-01-01"), pd.NaT],
            "label": ["=1+2", PAYLOADS["quote"] + "\n| x |"],
            "partial": [True, False],
            "two\nlines": [1, 2],
        }
    )
    md = ui._markdown_table(df)
    for tag in ("<script", "<img", "](javascript:"):
        assert tag not in md
    lines = md.splitlines()
    cells = [
        [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in lines
    ]
    assert len(lines) == 4 and all(len(c) == 7 for c in cells), cells
    assert cells[0] == ["Year", "Encounters", "Rate", "When", "Label", "Partial", "Two lines"]
    assert cells[2] == ["2019", "1,234,567", "1.2", "2020-01-01", "=1+2", "yes", "1"]
    assert cells[3][:4] == ["2020", "", "", ""] and cells[3][5] == "no"


def test_claims_page_shows_payloads_as_text(data_dir, tmp_path):
    store = Store(data_dir)
    evil_claims(store, tmp_path / "evil.csv")
    r = cli("ingest", str(tmp_path / "evil.csv"))
    assert r.returncode == 0, r.stderr
    at = app("claims", {"article": "evil-article"})
    assert errors(at) == []
    texts = shown_text(at)
    assert PAYLOADS["quote"] in texts and PAYLOADS["speaker"] in texts  # shown literally, as text
    md = (
        " ".join(m.value for m in at.markdown)
        + " ".join(c.value for c in at.caption)
        + " ".join(h.value for h in at.subheader)
    )
    assert (
        "<script>" not in md
        and "<svg" not in md
        and "<iframe" not in md
        and "<b onmouseover" not in md
    )
    assert "](javascript:" not in md
    assert not any("javascript:" in str(getattr(b, "proto", "")) for b in at.get("link_button"))


def test_formula_cells_neutralised_in_cli_csv(data_dir, tmp_path):
    store = Store(data_dir)
    df = store.load("claims").copy()
    df["article_id"] = "formula"
    df.loc[0, "quote"] = '=HYPERLINK("http://x","y")'
    df.to_csv(tmp_path / "f.csv", index=False)
    assert cli("ingest", str(tmp_path / "f.csv")).returncode == 0
    out = cli("claims", "--format", "csv").stdout
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out


def test_password_compare():
    assert auth.check("s3cret", "s3cret")
    assert (
        not auth.check("s3cre", "s3cret")
        and not auth.check("", "s3cret")
        and not auth.check("x", None)
    )


def test_password_check_accepts_only_the_exact_password(monkeypatch):
    """Right password accepted; wrong ones of the same length (differing first or last),
    shorter, longer, differently cased or empty refused; the comparison goes through
    hmac.compare_digest on bytes (constant time), so non-ASCII passwords work too."""
    import hmac

    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b), len(a) == len(b)))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    pw = "correct horse battery stäple"
    assert auth.check(pw, pw)
    wrong = [
        "x" + pw[1:],  # same length, first character differs
        pw[:-1] + "x",  # same length, last character differs
        pw.upper(),
        pw[:-1],  # shorter
        pw + " ",  # longer
        " " + pw,
        "",
    ]
    for w in wrong:
        assert not auth.check(w, pw), w
    assert not auth.check(pw, None) and not auth.check(pw, "")
    assert calls and all(a is bytes and b is bytes for a, b, _ in calls)
    assert any(not same for *_, same in calls)  # other lengths too: no shortcut before it


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    d = copy_data(tmp_path_factory.mktemp("evil") / "data")
    evil_claims(Store(d), d / "evil.csv")
    assert cli("ingest", str(d / "evil.csv"), env={"INDICATORS_DATA_DIR": str(d)}).returncode == 0
    s = Server(d, {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})
    yield s
    s.stop()


@pytest.mark.browser
@pytest.mark.xdist_group("evil_server")  # one module-scoped server
@pytest.mark.parametrize(
    "path",
    [
        "claims?article=evil-article",
        "seizures?article=evil-article&basis=fiscal",
        "overdose_deaths?article=evil-article",
    ],
)
def test_no_script_runs_in_the_browser(evil_server, page, path):
    from test_browser import wait_ready

    page.goto(f"{evil_server.url}/{path}")
    wait_ready(page, 1)
    # hover every claim marker and event so their hover text is rendered too
    for el in page.locator(".scatterlayer .point").all()[:60]:
        with contextlib.suppress(PlaywrightError):  # some points are off-screen: best effort
            el.hover(timeout=2000, force=True)
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("img[src='x'], svg[onload], iframe[src^='javascript']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    if path.startswith("claims"):
        assert (
            "<script>window.__xss=1</script>" in page.locator("[data-testid='stMain']").inner_text()
        )


@pytest.mark.browser
@pytest.mark.xdist_group("evil_server")
def test_save_refused_without_password_and_attempts_limited(evil_server, page):
    from test_browser import wait_ready

    before = (evil_server.data / "store/CURRENT").read_text()
    src = (
        (ROOT / "data/raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv")
        .read_text()
        .splitlines()
    )
    src[1] = src[1].rsplit(",", 1)[0] + ",31337.0"
    f = evil_server.data.parent / "amo_changed.csv"
    f.write_text("\n".join(src) + "\n")
    page.goto(f"{evil_server.url}/upload")
    wait_ready(page, 0)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_text("Headline numbers that move").wait_for(timeout=60_000)
    for i in range(1, auth.MAX_ATTEMPTS):
        page.get_by_label("Editor password", exact=True).fill("guess")
        page.get_by_role("button", name="Save to the shared data").click()
        page.get_by_text(f"({i} of {auth.MAX_ATTEMPTS} attempts used)").wait_for(timeout=30_000)
        page.wait_for_timeout(1000 * auth.delay(i) + 300)  # the growing delay
    page.get_by_label("Editor password", exact=True).fill("guess")
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text("Too many wrong passwords").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save to the shared data").wait_for(
        state="detached", timeout=30_000
    )  # the run that locked it has finished drawing
    assert page.get_by_role("button", name="Save to the shared data").count() == 0
    assert (evil_server.data / "store/CURRENT").read_text() == before


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    """No editor password configured, and uploads limited to 1 MB: neither test saves."""
    d = copy_data(tmp_path_factory.mktemp("open") / "data")
    s = Server(d, args=("--server.maxUploadSize", "1"))
    yield s
    s.stop()


@pytest.mark.browser
@pytest.mark.xdist_group("open_server")
def test_no_password_configured_means_preview_only(open_server, tmp_path, page):
    from test_browser import wait_ready

    s = open_server
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    src = (ROOT / "tests/fixtures/cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",4242.0"
    f = tmp_path / "amo.csv"
    f.write_text("\n".join(src) + "\n")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_text(re.compile("Saving is disabled")).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Save to the shared data").count() == 0
    # preview mode: the uploader sees the change, the shared data do not
    page.get_by_role("button", name=re.compile("Explore in preview mode")).click()
    page.get_by_text(re.compile("Preview mode is on")).first.wait_for(timeout=30_000)
    assert len(list((s.data / "store/versions").iterdir())) == len(
        list((ROOT / "data/store/versions").iterdir())
    )  # no version was added


@pytest.mark.browser
@pytest.mark.xdist_group("open_server")
def test_upload_size_limit(open_server, tmp_path, page):
    from test_browser import wait_ready

    s = open_server
    big = tmp_path / "big.csv"
    big.write_bytes((ROOT / "tests/fixtures/cbp_amo_excerpt.csv").read_bytes() * 60)  # > 1 MB
    assert big.stat().st_size > 1_100_000
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(big))
    page.get_by_text(re.compile(r"File must be 1(\.0)?\s?MB or smaller")).wait_for(timeout=30_000)
    assert (s.data / "store/CURRENT").read_text() == (
        ROOT / "data/store/CURRENT"
    ).read_text()  # nothing was saved


def test_configured_upload_limit():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())
    assert 1 <= cfg["server"]["maxUploadSize"] <= 200


def test_hostile_claim_text_is_escaped_where_it_is_shown(store, tmp_path):
    """The library keeps a claim's words as written (quote, unit, note end up in the verdict's
    explanation); the two places that show them, charts.esc (Plotly) and ui.text (the
    page's Markdown), make every payload inert and lose nothing."""
    import html

    from indicators import ingest
    from indicators.charts import esc

    df = evil_claims(store, tmp_path / "evil.csv")
    hostile_unit = '<a href="https://evil.example">lb</a>'
    df.loc[df.claim_id == "C06", "unit"] = hostile_unit
    df.loc[df.claim_id == "C06", "table"] = ""  # not checkable: the note enters the explanation
    df.to_csv(tmp_path / "evil.csv", index=False)
    ingest.ingest([tmp_path / "evil.csv"], store)
    ev = claims.evaluate_all(store, article="evil-article").set_index("claim_id")
    row = ev.loc["C06"]
    assert row["quote"] == PAYLOADS["quote"]  # kept verbatim: escaping is the display's job
    assert PAYLOADS["note"] in row["explanation"]
    texts = [row["quote"], row["explanation"], row["speaker"], row["label"], hostile_unit]
    for t in texts:
        shown = esc(t)
        assert "<" not in shown and ">" not in shown and '"' not in shown, shown
        assert html.unescape(shown) == t  # nothing lost
        assert "<br>" in esc(t + " " + "word " * 30, width=20)  # wrapping adds only <br>
        md = ui.text(t)
        assert "<" not in md and ">" not in md, md
        assert "](" not in md and "[" not in md.replace("\\[", ""), md  # no live Markdown link
        shown_md = re.sub(r"\\(.)", r"\1", html.unescape(md)).replace("\u200b", "")
        assert shown_md == t  # only escapes (and invisible zero-width spaces) were added
