"""Legibility of every chart as a reader sees it: in Debian's Chromium against a real
`streamlit run`, at 1440x1000 and 1920x1080, calendar and fiscal years, with the article's
claims on, and in presentation mode; and on exported SVGs. No two text boxes overlap, no text
covers a bar, marker or line, no text crosses the figure's edge (see legibility.py)."""

from __future__ import annotations

import re

import pytest
from legibility import check_page, problems
from test_browser import NONE_HELD, charts_drawn, wait_ready

from indicators import charts, claims, export
from indicators.filters import Filters

pytestmark = pytest.mark.browser

DATA_PAGES = {"": 1, "overdose_deaths": 4, "seizures": 6, "encounters": 5, "states": 7, "claims": 9}
VIEWPORTS = {"1440": (1440, 1000), "1920": (1920, 1080)}


def _load(page, url, charts_expected, present=False):
    page.goto(url)
    if present:  # no sidebar to wait for
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
        page.wait_for_function(charts_drawn(charts_expected), timeout=90_000)
        page.wait_for_function(
            f"{NONE_HELD} && !document.querySelector(\"[data-testid='stStatusWidget']\")",
            timeout=90_000,
        )
    else:
        wait_ready(page, charts_expected)
    page.wait_for_timeout(700)  # Plotly lays out text after the first paint


def _relaid_out(page, w: int, h: int) -> None:
    """Resize the window and wait until every figure has been laid out again at its new width
    (Plotly redraws a figure at its container's width; that is what a fresh load draws too)."""
    page.set_viewport_size({"width": w, "height": h})
    page.wait_for_function(
        "() => { const ps = Array.from(document.querySelectorAll('.js-plotly-plot'));"
        " return ps.length > 0 && ps.every(p => p._fullLayout && Math.abs(p._fullLayout.width"
        " - p.parentElement.getBoundingClientRect().width) < 1.5); }",
        timeout=90_000,
    )
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=90_000
    )
    page.wait_for_timeout(700)  # Plotly lays out text after the first paint


def _drawn(page, path: str, where: str) -> list[dict]:
    """Every figure of the page once all are drawn, checked for legibility."""
    tile_maps = ("rate by state", "Change in")
    for _ in range(40):  # every figure drawn (51 panels take longer than the first paint)
        figs = check_page(page)
        drawn = all(f["marks"] > 0 for f in figs if not any(t in f["title"] for t in tile_maps))
        if drawn and len(figs) >= DATA_PAGES[path]:
            break
        page.wait_for_timeout(500)
    assert len(figs) >= DATA_PAGES[path], f"{path} {where}: {len(figs)} figures"
    # every figure has text and marks (the tile map's tiles are an image, not marks)
    assert all(f["texts"] > 3 for f in figs)
    assert all(f["marks"] > 0 for f in figs if not any(t in f["title"] for t in tile_maps))
    return figs


def _switch_to_fiscal(page) -> None:
    """Click the sidebar's year basis, as a reader does, and wait for the rerun's charts."""
    page.locator("[data-testid='stSidebar']").get_by_text(
        "Federal fiscal year (Oct-Sep)", exact=True
    ).click()
    page.wait_for_url(re.compile(r"basis=fiscal"), timeout=90_000)
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=90_000,
    )
    assert page.get_by_role("radio", name="Federal fiscal year (Oct-Sep)").is_checked()
    page.wait_for_timeout(700)  # Plotly lays out text after the first paint


@pytest.mark.parametrize("path", list(DATA_PAGES))
def test_every_chart_is_legible(server, browser, path):
    """Both bases at both window sizes from one page load: calendar years loaded at 1440 wide,
    then the window widened to 1920; fiscal years chosen in the sidebar at 1920, then the window
    narrowed to 1440 (a fresh load at 1920 is the presentation-mode test's)."""
    w, h = VIEWPORTS["1440"]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    page = ctx.new_page()
    found = []
    try:
        _load(page, f"{server.url}/{path}?basis=calendar", DATA_PAGES[path])
        for basis, sizes in (("calendar", ("1440", "1920")), ("fiscal", ("1920", "1440"))):
            if basis == "fiscal":
                _switch_to_fiscal(page)
            figs = _drawn(page, path, f"{basis} {sizes[0]}")
            found += [f"{basis} {sizes[0]}: {p}" for p in problems(figs)]
            _relaid_out(page, *VIEWPORTS[sizes[1]])
            figs = _drawn(page, path, f"{basis} {sizes[1]}")
            found += [f"{basis} {sizes[1]}: {p}" for p in problems(figs)]
    finally:
        ctx.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("path", ["", "overdose_deaths", "seizures", "encounters", "states"])
def test_presentation_mode_is_legible_and_clean(server, browser, path):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    try:
        _load(page, f"{server.url}/{path}?present=1&basis=fiscal", DATA_PAGES[path], present=True)
        found = problems(check_page(page))
        assert found == [], "\n".join(found)
        # a chart fills most of a 1080-high screen, and no button sits between charts
        box = page.locator("[data-testid='stPlotlyChart']").first.bounding_box()
        assert box["height"] >= 0.7 * 1080 and box["width"] >= 0.9 * 1920
        exit_btn = page.get_by_role("button", name="Exit presentation mode").bounding_box()
        last = page.locator("[data-testid='stPlotlyChart']").last.bounding_box()
        assert exit_btn["y"] > last["y"] + last["height"]
    finally:
        ctx.close()


def test_claim_cards_in_presentation_mode_are_legible(server, browser):
    """The claims page on a projector: the cards' larger charts, at 1440 and 1920 wide."""
    w, h = VIEWPORTS["1440"]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    page = ctx.new_page()
    found = []
    try:
        _load(page, f"{server.url}/claims?present=1", DATA_PAGES["claims"], present=True)
        for size in ("1440", "1920"):
            if size == "1920":
                _relaid_out(page, *VIEWPORTS[size])
            figs = _drawn(page, "claims", f"present {size}")
            found += [f"present {size}: {p}" for p in problems(figs)]
            # the card's chart column is wide enough for the type it was set in
            box = page.locator("[data-testid='stPlotlyChart']").first.bounding_box()
            assert box["width"] >= 540 and box["height"] >= 500, (size, box)
    finally:
        ctx.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "name", ["seizures_by_component", "deaths_provisional", "seizures_dea_pills", "overview_index"]
)
def test_exported_svg_is_legible(browser, name):
    ev = claims.evaluate_all()
    c = charts.build(name, Filters(basis="fiscal"), None, ev, charts.style.EXPORT)
    svg = export.image(c.fig, "svg").decode()
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    try:
        page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
        figs = check_page(page)
        assert figs and figs[0]["texts"] > 5 and figs[0]["marks"] > 0
        found = problems(figs)
        assert found == [], "\n".join(found)
    finally:
        ctx.close()
