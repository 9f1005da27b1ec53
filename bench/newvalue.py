"""A filter change to a value the server has not drawn yet, against one it has, per page.

`bench/pages.py` clicks the year basis back and forth: after the first two clicks every chart
comes from the server's cache of built charts. A reader who moves the years slider, or picks
another drug, asks for charts nobody has asked for since the server started, and waits for
them to be built. Here, on each page: the sidebar's years slider, its first handle moved one
year down with the keyboard (2015 -> 2014 -> ...: a year range not seen before at every
step), against a year-basis click back to the basis the page just showed at the same years
(its charts built one click before), alternating, in the same page. Timed in the page, from the key or click event to the
page's main thread taking up `script_finished` (bench/pages.py's clock), and to the last chart
redrawn; plus the server's CPU time per change (from /proc).

    uv run python bench/newvalue.py [n] [page ...]   # n >= 9 (default 9; at most 15: the
                                                     # handle goes from 2015 down to 1999)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import Server, copy_data, proc_stat  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from pages import ARGS, IN_PAGE, PAGES, Finished, in_page, settled, stats  # noqa: E402

KEYS = "document.addEventListener('keydown', () => window.__clicks.push(performance.now()), true);"


def server_cpu(pid: int) -> float:
    """CPU seconds the server process has used (user + system)."""
    st = proc_stat(pid)  # fields from the state (field 3) on: utime is field 14, stime 15
    return (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")


def measure(page, fin: Finished, act, pid: int) -> tuple[float, float, float]:
    c0 = server_cpu(pid)
    t0 = time.perf_counter()
    act()
    fin.wait_after(t0, page)
    settled(page)
    drawn = time.perf_counter() - t0
    page.wait_for_timeout(300)
    return in_page(page), drawn, server_cpu(pid) - c0


def one_page(b, app: Server, path: str, n: int) -> tuple[str, ...]:
    ctx = b.new_context(viewport={"width": 1440, "height": 1000})
    ctx.add_init_script(IN_PAGE + KEYS)
    page = ctx.new_page()
    fin = Finished(page)
    page.goto(f"{app.url}/{path}")
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
    settled(page)
    side = page.locator("[data-testid='stSidebar']")
    handle = side.get_by_role("slider").first
    labels = ["Federal fiscal year (Oct-Sep)", "Calendar year"]
    basis = [1]  # the page opens on calendar years

    def click_basis():
        basis[0] = 1 - basis[0]
        side.get_by_text(labels[basis[0]], exact=True).click()

    def press():
        handle.focus()
        handle.press("ArrowLeft")

    new, cached = [], []
    for i in range(n + 1):
        # a year range not seen before: every chart of the page that reads the years is built
        r = measure(page, fin, press, app.proc.pid)
        if i:  # the first change of a page also pays its once-per-session work
            new.append(r)
        measure(page, fin, click_basis, app.proc.pid)  # the other basis: new too
        r = measure(page, fin, click_basis, app.proc.pid)  # back: built one click before
        if i:
            cached.append(r)
    ctx.close()
    ratio = statistics.median(x[0] for x in new) / statistics.median(x[0] for x in cached)
    return (
        path or "overview",
        stats([x[0] for x in cached]),
        stats([x[0] for x in new]),
        f"{ratio:.1f}x",
        stats([x[1] for x in cached]),
        stats([x[1] for x in new]),
        stats([x[2] for x in cached]),
        stats([x[2] for x in new]),
    )


def main(n: int = 9, pages: list[str] | None = None) -> None:
    n = min(n, 15)
    app = Server(copy_data(Path(tempfile.mkdtemp()) / "data"))
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            rows = [one_page(b, app, path, n) for path in pages or PAGES]
    finally:
        app.stop()
    print(
        "| page | cached value -> script_finished (in page) | new value -> script_finished | "
        "ratio | cached -> last chart drawn | new -> last chart drawn | server CPU, cached | "
        "server CPU, new |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    only = [("" if a == "overview" else a) for a in sys.argv[2:]]
    if unknown := set(only) - set(PAGES):
        sys.exit(f"unknown pages: {sorted(unknown)}; choose from overview {' '.join(PAGES[1:])}")
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9, only or None)
