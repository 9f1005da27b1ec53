"""Check any article in a real browser: paste a text, confirm the proposed claims, save them
behind the editor password, and see them drawn on the Article claims page."""

from __future__ import annotations

import re

import pytest
from conftest import EDITOR_PASSWORD, Server, copy_data
from test_browser import current_version, errors_on, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("claims_editor_server")]

TEXT = (
    "WASHINGTON - Border Patrol agents arrested over 24,000 Chinese nationals in the 2023 fiscal "
    "year, officials said on Tuesday at 10 a.m.\n\n"
    "The agency, whose budget is $3.2 billion, seized over 27,000 pounds of fentanyl in fiscal 2023.\n\n"
    "Officers at ports of entry also seized about 1,000 pounds of khat in fiscal 2021."
)
ARTICLE = "2024-10-border-numbers-this-week"


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """One server for this module's tests: each compares the store with what it was at its
    own start, and previews or saves an article of its own."""
    d = copy_data(tmp_path_factory.mktemp("claims") / "data")
    s = Server(d, {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})
    yield s
    s.stop()


def test_check_confirm_and_save_an_article(editor_server, page):
    s = editor_server
    before = current_version(s.data)
    page.goto(f"{s.url}/claims")
    wait_ready(page, 1)
    page.get_by_role("tab", name="Check any article").click()
    page.get_by_label("Article text").fill(TEXT)
    page.get_by_label("Headline").fill("Border numbers this week")
    page.get_by_label("Outlet").fill("Test Wire")
    page.get_by_role("textbox", name="Publication date (YYYY-MM-DD)").fill("2024-10-15")
    page.get_by_role("textbox", name="Publication date (YYYY-MM-DD)").press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Find the claims").click()
    page.get_by_text("3 proposed claims").wait_for(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    grid = main.locator("[data-testid='stDataFrame']:visible").first
    grid.wait_for(timeout=30_000)
    # untick the third proposal (khat): click its "Keep" checkbox cell in the grid
    main.get_by_text("Verdicts of the 3 claims kept").wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    header, row_h = 35, 35
    page.mouse.click(box["x"] + 30, box["y"] + header + row_h * 2 + row_h / 2)
    main.get_by_text("Verdicts of the 2 claims kept").wait_for(timeout=30_000)
    body = main.inner_text()
    assert "C01 supported, C02 supported" in body and "Saving is disabled" not in body
    assert current_version(s.data) == before  # nothing saved yet
    page.get_by_label("Editor password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Save the article and its claims").click()
    page.get_by_text(re.compile(r"Wrong password")).wait_for(timeout=30_000)
    assert current_version(s.data) == before
    page.wait_for_timeout(1500)  # the server makes a client wait after a wrong password
    page.get_by_label("Editor password", exact=True).fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Save the article and its claims").click()
    page.get_by_text(re.compile(rf"Saved 2 claims of {ARTICLE} as version \d+")).wait_for(
        timeout=60_000
    )
    assert int(current_version(s.data)) == int(before) + 1
    # the saved claims are drawn like the seed article's
    page.get_by_role("tab", name="Claims of the article").click()
    main.get_by_role("heading", name="Border numbers this week").wait_for(timeout=60_000)
    wait_ready(page, 1)
    page.wait_for_function(
        "document.querySelectorAll(\"[data-testid='stMain'] [data-testid='stPlotlyChart'] .main-svg\").length >= 2",
        timeout=90_000,
    )
    text = main.inner_text()
    assert "Test Wire · 2024-10-15" in text and "over 24,000 Chinese nationals" in text
    assert "over 27,000 pounds of fentanyl" in text and "khat" not in text
    assert "Quantitative claims\n\n2" in text or re.search(r"Quantitative claims\s+2", text)
    assert errors_on(page) == 0
    # the sidebar's article is the saved one, and the URL reproduces the view
    assert page.url.endswith(f"/claims?article={ARTICLE}")


def test_upload_html_and_preview_privately(editor_server, page, tmp_path):
    s = editor_server
    before = current_version(s.data)
    f = tmp_path / "release.html"
    f.write_text(
        "<html><head><title>CBP</title><script>var x = '99,000 pounds';</script></head><body>"
        "<h1>CBP monthly update</h1><p>CBP seized more than 27,000 pounds of fentanyl in fiscal year "
        "2023, officials said at 2:30 p.m.</p></body></html>"
    )
    page.goto(f"{s.url}/claims")
    wait_ready(page, 1)
    page.get_by_role("tab", name="Check any article").click()
    page.get_by_text("Upload a file").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_label("Headline").fill("CBP monthly update")
    page.get_by_role("textbox", name="Publication date (YYYY-MM-DD)").fill("2023-11-15")
    page.get_by_role("textbox", name="Publication date (YYYY-MM-DD)").press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Find the claims").click()
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("1 proposed claim", exact=True).wait_for(timeout=60_000)
    main.get_by_text("Verdict of the 1 claim kept").wait_for(timeout=30_000)
    assert "C01 supported" in main.inner_text()
    # a date that is not one (30 February) is refused, and the proposals above go with it
    date = page.get_by_role("textbox", name="Publication date (YYYY-MM-DD)")
    date.fill("2023-02-30")
    date.press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Find the claims").click()
    main.get_by_text("'2023-02-30' is not a date written YYYY-MM-DD").wait_for(timeout=60_000)
    assert "proposed claim" not in main.inner_text()
    date.fill("2023-11-15")
    date.press("Tab")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Find the claims").click()
    main.get_by_text("Verdict of the 1 claim kept").wait_for(timeout=60_000)
    page.get_by_role("button", name="Preview privately (only you see it)").click()
    page.get_by_role("tab", name="Claims of the article").click()
    main.get_by_role("heading", name="CBP monthly update").wait_for(timeout=60_000)
    wait_ready(page, 1)
    text = main.inner_text()
    assert "Preview mode is on" in text and "more than 27,000 pounds of fentanyl" in text
    assert "99,000" not in text  # the page's script is not article text
    assert current_version(s.data) == before  # nothing saved to the shared data
