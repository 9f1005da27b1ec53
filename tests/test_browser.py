"""Real browser (Debian's Chromium via Playwright) against a real `streamlit run` server."""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from conftest import EDITOR_PASSWORD, ROOT, Server, cli, copy_data
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from indicators import progressive

pytestmark = pytest.mark.browser

PAGES = {
    "": "U.S. drug-trafficking indicators",
    "overdose_deaths": "Drug overdose deaths",
    "seizures": "Drug seizures",
    "encounters": "CBP encounters",
    "states": "States over time",
    "claims": "Article claims, checked against the data",
    "upload": "Upload updated data",
    "sources": "Sources & methods",
}
SHOTS = ROOT / "docs" / "screenshots"


# A new visitor's first page holds its charts but the top one in empty boxes until the next
# run (indicators.progressive): a page is ready when none is left.
NONE_HELD = f"!document.querySelector({json.dumps(progressive.HELD_SELECTOR)})"


SIDEBAR_DRAWN = (
    f"document.querySelectorAll(\"[data-testid='stSidebar'] a\").length >= {len(PAGES)} && "
    "!!document.querySelector(\"[data-testid='stSidebar'] [data-testid='stMultiSelect']\")"
)


def charts_drawn(n: int) -> str:
    """JS: at least n charts have their SVG (a chart holds several svg.main-svg, so counting
    those says a page of six charts is drawn when two are)."""
    return (
        "Array.from(document.querySelectorAll(\"[data-testid='stPlotlyChart']\"))"
        f".filter(e => e.querySelector('.main-svg')).length >= {n}"
    )


def wait_ready(page, charts: int = 1, timeout: float = 90_000):
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout)
    page.locator("[data-testid='stSidebar']").get_by_text("Year basis").wait_for(timeout=timeout)
    if charts:
        page.wait_for_function(charts_drawn(charts), timeout=timeout)
    # no chart held back, the sidebar's links and filters drawn (their element scripts arrive
    # after the second run a new visitor's page makes), no script run in progress
    page.wait_for_function(
        f"{NONE_HELD} && {SIDEBAR_DRAWN} && "
        "!document.querySelector(\"[data-testid='stStatusWidget']\")",
        timeout=timeout,
    )


def first_chart_text(page, expect: str, timeout: float = 60_000) -> str:
    """The first chart's text once it holds `expect` (a page counts several svg.main-svg per
    chart, so 'n charts drawn' can be true while the first is still a placeholder)."""
    first = page.locator("[data-testid='stPlotlyChart']").first
    # on a time-out the caller's assertion says what was there instead
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "t => { const e = document.querySelector(\"[data-testid='stPlotlyChart']\");"
            " return !!e && e.innerText.includes(t); }",
            arg=expect,
            timeout=timeout,
        )
    return first.inner_text()


def errors_on(page) -> int:
    return page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_loads_with_charts(server, page, path):
    page.goto(f"{server.url}/{path}")
    charts = 0 if path in ("upload", "sources") else 1
    wait_ready(page, charts)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == PAGES[path]
    page.locator("[data-testid='stSidebar']").get_by_text("Year basis").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stSidebar'] a").count() == len(PAGES)  # navigation links
    if path == "sources":
        page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
        page.wait_for_timeout(1000)
    if charts:
        assert page.locator("[data-testid='stPlotlyChart']").count() >= 1
    assert errors_on(page) == 0
    assert page.dialogs == []
    if charts:  # every chart drawn, not a placeholder, before the picture
        page.wait_for_function(
            "Array.from(document.querySelectorAll(\"[data-testid='stPlotlyChart']\")).every(e => e.querySelector('.main-svg'))",
            timeout=60_000,
        )
        page.wait_for_timeout(500)
    out = SHOTS if os.environ.get("UPDATE_SCREENSHOTS") else Path(server.data.parent)
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{path or 'overview'}.png"))


@pytest.fixture
def fresh_server(tmp_path):
    s = Server(copy_data(tmp_path / "data"))
    yield s
    s.stop()


def test_deep_link_as_first_request_gets_the_full_app(fresh_server, page):
    """The first request after a server start is a deep link: still the app's sidebar and filters."""
    page.goto(f"{fresh_server.url}/encounters?basis=fiscal&citizenship=INDIA")
    wait_ready(page, 2)
    side = page.locator("[data-testid='stSidebar']").inner_text()
    assert (
        "Year basis" in side and "Agencies and components" in side and "Sources & methods" in side
    )
    assert page.get_by_role("radio", name="Federal fiscal year (Oct-Sep)").is_checked()
    assert "citizens of India" in page.locator("body").inner_text()


# On every change to the page: how many charts are drawn, how many are held back, whether the
# sidebar's filters are there, the main column's width, where the page's section headings and
# chart toolboxes sit (their tops, in page pixels), and where the first chart sits once it is
# drawn (null before).
CHART_LOG = (
    f"const HELD = {json.dumps(progressive.HELD_SELECTOR)};"
    + """
window.__charts = [];
new MutationObserver(() => {
  const drawn = Array.from(document.querySelectorAll("[data-testid='stPlotlyChart']"))
    .filter(e => e.querySelector('.main-svg')).length;
  const held = document.querySelectorAll(HELD).length;
  const filters = !!document.querySelector("[data-testid='stSidebar'] [data-testid='stRadio']");
  const main = document.querySelector("[data-testid='stMainBlockContainer']");
  const width = main ? Math.round(main.getBoundingClientRect().width) : 0;
  const tops = Array.from(document.querySelectorAll(
      "[data-testid='stMain'] [data-testid='stExpander'], [data-testid='stMain'] h3"))
    .map(e => Math.round(e.getBoundingClientRect().top + window.scrollY));
  const first = document.querySelector("[data-testid='stPlotlyChart']");
  const firstTop = first && first.querySelector('.main-svg')
    ? Math.round(first.getBoundingClientRect().top + window.scrollY) : null;
  const row = [drawn, held, filters, width, tops, firstTop];
  const last = window.__charts[window.__charts.length - 1];
  if (!last || JSON.stringify(last) !== JSON.stringify(row)) window.__charts.push(row);
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
)


def test_a_new_visitor_sees_the_top_chart_first_and_nothing_moves_when_the_rest_come(
    server, browser, page
):
    page.add_init_script(CHART_LOG)
    page.goto(f"{server.url}/seizures")
    wait_ready(page, 6)
    log = page.evaluate("window.__charts")
    # a moment with the top chart on screen, the five others held in their boxes and the
    # sidebar's filters still to come ...
    staged = [row for row in log if row[:3] == [1, 5, False]]
    assert staged, log
    # ... then all six drawn, none held, the filters there; the main column kept its width
    # and the headings and toolboxes below stayed in place
    assert log[-1][:3] == [6, 0, True]
    assert staged[-1][3:5] == log[-1][3:5] and len(log[-1][4]) >= 7
    # the first chart, once drawn, never moved (the widgets above it were drawn before it: a
    # chart drawn before them is pushed down when they come)
    assert len({row[5] for row in log if row[5] is not None}) == 1, log
    assert all(d + h <= 6 for d, h, *_ in log), log  # a held chart is never also drawn
    # one run more, not a loop: the page stays as it is
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__charts")[-1] == log[-1]
    assert page.locator(f".st-key-{progressive.COMPONENT_KEY}").count() == 0
    # the next page of the same session draws everything at once
    page.evaluate("window.__charts = []")
    page.locator("[data-testid='stSidebar'] a", has_text="Encounters").click()
    page.wait_for_url(re.compile(r"/encounters"), timeout=30_000)
    wait_ready(page, 5)
    log = page.evaluate("window.__charts")
    assert log and log[-1][:3] == [5, 0, True]
    assert not [row for row in log if row[1] or not row[2]], log
    # a first page with no chart to wait for, or stopped before its charts, gets its filters
    # too (the test servers have no time-out that would bring them anyway: NO_FALLBACK)
    for path, says in (
        ("upload", "Upload updated data"),
        ("encounters?agencies=CDC", "Select CBP"),
    ):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        other = ctx.new_page()
        other.goto(f"{server.url}/{path}")
        wait_ready(other, 0)
        assert says in other.locator("[data-testid='stMain']").inner_text()
        ctx.close()


def test_url_opens_with_filters_applied(server, page):
    page.goto(f"{server.url}/seizures?basis=fiscal&drug=cocaine&year_from=2020&year_to=2024")
    wait_ready(page, 2)
    svg = first_chart_text(page, "CBP cocaine seizures by component")
    assert "CBP cocaine seizures by component" in svg
    assert "FY2020" in svg and "FY2024" in svg and "FY2025" not in svg
    assert page.get_by_role("radio", name="Federal fiscal year (Oct-Sep)").is_checked()


def test_filter_state_survives_moving_between_pages(server, page):
    page.goto(f"{server.url}/seizures")
    wait_ready(page, 2)
    page.get_by_text("Federal fiscal year (Oct-Sep)").click()
    page.wait_for_url(re.compile(r"basis=fiscal"), timeout=30_000)
    page.locator("[data-testid='stSidebar'] a", has_text="Encounters").click()
    page.wait_for_url(re.compile(r"/encounters"), timeout=30_000)
    wait_ready(page, 2)
    page.wait_for_url(re.compile(r"/encounters\?.*basis=fiscal"), timeout=30_000)
    assert page.get_by_role("radio", name="Federal fiscal year (Oct-Sep)").is_checked()
    assert "FY2023" in first_chart_text(page, "FY2023")


def test_download_button_gives_a_png(server, page):
    page.goto(f"{server.url}/seizures")
    wait_ready(page, 2)
    # the chart's tools open in place (built only when opened), with the three downloads
    page.get_by_text("Data and downloads (PNG, SVG, CSV)").first.click()
    button = page.locator("[data-testid='stDownloadButton'] button", has_text="PNG").first
    button.wait_for(timeout=60_000)
    page.locator("[data-testid='stDownloadButton'] button", has_text="CSV").first.wait_for()
    texts = page.locator("[data-testid='stDownloadButton'] button").all_inner_texts()
    assert set(texts) == {"PNG", "SVG", "CSV"}  # (a button with help text matches twice)
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    path = dl.value.path()
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == 1920
    # the name says what it holds: the chart's title in words and the years, not its id
    assert dl.value.suggested_filename == "cbp-fentanyl-seizures-by-component_2018-2026.png"


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    """A server whose store lacks one real official vintage (CBP AMO FY2023-FY2026, Dec 2025)."""
    d = copy_data(tmp_path_factory.mktemp("upl") / "data")
    man = json.loads((d / "sources.json").read_text())
    man["sources"] = [e for e in man["sources"] if e["id"] != "cbp_amo_seizures_fy23_fy26_dec"]
    (d / "sources.json").write_text(json.dumps(man))
    r = cli("build", env={"INDICATORS_DATA_DIR": str(d)})
    assert r.returncode == 0, r.stderr
    s = Server(d, {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})
    yield s
    s.stop()


def current_version(data: Path) -> str:
    return (data / "store" / "CURRENT").read_text().strip()


@pytest.mark.xdist_group("upload_server")  # one module-scoped server
def test_upload_preview_save_and_see_the_new_period(upload_server, page):
    s = upload_server
    real = ROOT / "data/raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv"
    before = current_version(s.data)
    page.goto(f"{s.url}/seizures?basis=fiscal")
    wait_ready(page, 2)
    first = page.locator("[data-testid='stPlotlyChart']").first.inner_text()
    assert "Air and Marine Operations" in first  # FY2019-2022 AMO only
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(real))
    page.get_by_text("Recognised: amo-drug-seizures-fy23-fy26-dec.csv").wait_for(timeout=60_000)
    page.get_by_text("Headline numbers that move").wait_for(timeout=60_000)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "CBP Air and Marine Operations Drug Seizures" in body and "FY2023-FY2026" in body
    assert current_version(s.data) == before  # nothing saved yet
    page.get_by_label("Editor password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text("(1 of 5 attempts used)").wait_for(timeout=30_000)
    assert current_version(s.data) == before
    page.get_by_label("Editor password", exact=True).fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text(re.compile(r"Saved as version \d+")).wait_for(timeout=60_000)
    assert int(current_version(s.data)) == int(before) + 1
    page.goto(f"{s.url}/seizures?basis=fiscal")
    wait_ready(page, 2)
    # the AMO bars now reach FY2026, as the uploaded file does
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fig = page.evaluate(
            "() => { const el = document.querySelector(\"[data-testid='stPlotlyChart'] .js-plotly-plot\"); return el && el.data.filter(t => t.legendgroup === 'Air and Marine Operations').flatMap(t => Array.from(t.x)); }"
        )
        if fig and 2026 in fig:
            break
        time.sleep(1)
    assert fig and 2023 in fig and 2026 in fig


@pytest.mark.xdist_group("upload_server")  # one module-scoped server
def test_broken_upload_shows_error_and_store_unchanged(upload_server, page):
    s = upload_server
    before = current_version(s.data)
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        str(ROOT / "tests/fixtures/bad_negative.csv")
    )
    page.get_by_text("Not accepted: bad_negative.csv").wait_for(timeout=60_000)
    page.get_by_text("negative count").first.wait_for(timeout=60_000)  # the problem, then
    wait_ready(page, 0)  # the rest of the run (the lines it names) has arrived
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Sum Qty (lbs)" in body and "line 5" in body and "negative count" in body
    assert "-83.0033" in body  # the offending row is shown
    assert page.get_by_role("button", name="Save to the shared data").count() == 0
    assert current_version(s.data) == before
