"""The encounters page at 100x the encounters rows (synthetic copies under new citizenship
labels), in Debian's Chromium against a real server: rerun after a filter change (first build
for that filter, then cached) and the server's memory.

    uv run python bench/scale.py [copies]     # default 100 (6.9 million rows)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import Server, copy_data  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from indicators.store import Store  # noqa: E402
from pages import Finished, rss, settled  # noqa: E402


def peak(pid: int) -> float:
    """VmHWM: the most memory the process has held at once."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scaled_store(copies: int) -> Path:
    data = copy_data(Path(tempfile.mkdtemp()) / "data")
    store = Store(data)
    e = store.load("encounters")
    parts = [e] + [e.assign(citizenship=e.citizenship + f" (copy {k})") for k in range(1, copies)]
    big = pd.concat(parts, ignore_index=True)
    t0 = time.perf_counter()
    with store.lock():
        store.commit({"encounters": big}, f"bench: encounters x{copies}")
    print(f"store: {len(big):,} encounter rows written in {time.perf_counter() - t0:.1f} s")
    return data


def main(copies: int = 100, n: int = 9) -> None:
    data = scaled_store(copies)
    t0 = time.perf_counter()
    srv = Server(data)
    print(
        f"server start to healthy (warm-up included): {time.perf_counter() - t0:.1f} s; RSS {rss(srv.proc.pid):.0f} MB"
    )
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = b.new_context(viewport={"width": 1440, "height": 1000}).new_page()
            fin = Finished(page)
            t0 = time.perf_counter()
            page.goto(f"{srv.url}/encounters")
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=300_000)
            settled(page)
            print(
                f"first visit, encounters page drawn: {time.perf_counter() - t0:.1f} s; server RSS {rss(srv.proc.pid):.0f} MB"
            )
            side = page.locator("[data-testid='stSidebar']")
            labels = ["Federal fiscal year (Oct-Sep)", "Calendar year"]
            first, cached = [], []
            for i in range(2 * n):
                t0 = time.perf_counter()
                side.get_by_text(labels[i % 2], exact=True).click()
                dt = fin.wait_after(t0, page, timeout=300)
                settled(page)
                (first if i < 2 else cached).append(dt)
            print(
                f"rerun after a basis change, first build for that basis: {', '.join(f'{x * 1000:.0f} ms' for x in first)}"
            )
            xs = [x * 1000 for x in cached]
            print(
                f"rerun after a basis change, charts cached: median {statistics.median(xs):.0f} ms ({min(xs):.0f}-{max(xs):.0f}), n={len(xs)}"
            )
            print(
                f"server RSS after {2 * n} filter changes: {rss(srv.proc.pid):.0f} MB; peak {peak(srv.proc.pid):.0f} MB"
            )
    finally:
        srv.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
