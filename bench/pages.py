"""What a dashboard user waits for, measured in Debian's Chromium against real servers.

- warm rerun: click the year-basis radio -> the `script_finished` message, timed two ways:
  in the page (the click event -> the page's main thread taking up the message: what a
  reader waits for, on the browser's clock) and as Playwright sees it (its click call -> the
  frame reported to Python: adds Playwright's own round trips); and -> the last chart
  redrawn (no element left stale), per page;
- first chart for a new visitor: new browser context -> the frame that paints the first Plotly
  SVG, on the page's clock; and -> every chart drawn (a new visitor's first page draws the top
  chart first: indicators.progressive);
- the same two measures on a one-chart Streamlit page served in the same run (bench/onechart.py):
  the floor Streamlit and Plotly set, so the ratios are comparable from run to run;
- server memory (VmRSS) after every page and after 50 filter changes.

    uv run python bench/pages.py [n] [page ...]   # n >= 9 samples per measure (default 9);
                                                  # pages: all, or some of PAGES ("overview" = "")
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import ROOT as _R  # noqa: E402,F401
from conftest import Server, copy_data  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from indicators import progressive  # noqa: E402

PAGES = ["", "overdose_deaths", "seizures", "encounters", "states", "claims"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


# Timestamps taken in the page, on its own clock: each click event, and each websocket message
# as the main thread takes it up (before Streamlit handles it), flagged when it is a ForwardMsg
# with `script_finished` (field 6) among its top-level fields.
IN_PAGE = r"""
window.__clicks = []; window.__finished = [];
document.addEventListener('click', () => window.__clicks.push(performance.now()), true);
const SCRIPT_FINISHED = 6;
function topFields(b) {
  const out = []; let i = 0;
  const varint = () => { let x = 0, s = 0, c; do { c = b[i++]; x += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80 && i < b.length); return x; };
  while (i < b.length) {
    const tag = varint(), w = tag & 7; out.push(Math.floor(tag / 8));
    if (w === 0) varint(); else if (w === 1) i += 8; else if (w === 2) { const n = varint(); i += n; } else if (w === 5) i += 4; else break;
  }
  return out;
}
const NativeWS = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new NativeWS(...args);
  ws.addEventListener('message', (e) => {
    if (e.data instanceof ArrayBuffer && topFields(new Uint8Array(e.data)).includes(SCRIPT_FINISHED))
      window.__finished.push(performance.now());
  });
  return ws;
};
window.WebSocket.prototype = NativeWS.prototype;
Object.assign(window.WebSocket, NativeWS);
"""


def in_page(page) -> float:
    """Seconds from the last click event to the first `script_finished` after it, in the page."""
    clicks, done = page.evaluate("[window.__clicks, window.__finished]")
    after = [t for t in done if t > clicks[-1]]
    return (after[0] - clicks[-1]) / 1000


class Finished:
    """Timestamps of `script_finished` messages of one page's websocket."""

    def __init__(self, page):
        self.times: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload):
        if isinstance(payload, bytes | bytearray):
            try:
                if ForwardMsg.FromString(bytes(payload)).WhichOneof("type") == "script_finished":
                    self.times.append(time.perf_counter())
            except Exception:  # noqa: BLE001 - not a ForwardMsg frame
                pass

    def wait_after(self, t0: float, page, timeout: float = 60.0) -> float:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            done = [t for t in self.times if t > t0]
            if done:
                return done[0] - t0
            page.wait_for_timeout(2)
        raise TimeoutError("no script_finished")


def rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browser_cpu() -> float:
    """CPU seconds used so far by the Chromium processes this benchmark started (renderer,
    GPU, network...): the browser's work per click, which wall times under load blur."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    comm: dict[int, str] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        pid = int(stat.parent.name)
        f = rest.split()
        parent[pid], cpu[pid], comm[pid] = int(f[1]), (int(f[11]) + int(f[12])) / tick, head
    me = os.getpid()

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == me:
                return True
        return False

    return sum(c for p, c in cpu.items() if "chrom" in comm[p] and ours(p))


# a new visitor's first page holds its charts but the top one until the next run
# (indicators.progressive); every chart is drawn when none is held and each has its SVG
ALL_DRAWN = (
    f"!document.querySelector({json.dumps(progressive.HELD_SELECTOR)}) && "
    "Array.from(document.querySelectorAll(\"[data-testid='stPlotlyChart']\"))"
    ".every(e => e.querySelector('.main-svg'))"
)


def settled(page) -> None:
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stStatusWidget']\") && "
        "!document.querySelector('[data-stale=\"true\"]') && " + ALL_DRAWN,
        timeout=60_000,
    )


def stats(xs: list[float]) -> str:
    xs = [x * 1000 for x in xs]
    return f"{statistics.median(xs):.0f} ms ({min(xs):.0f}-{max(xs):.0f})"


def warm(
    page, fin: Finished, radio_scope, n: int, cpu: list[float] | None = None
) -> tuple[list[float], list[float], list[float]]:
    to_finish, to_drawn, in_pg = [], [], []
    labels = ["Federal fiscal year (Oct-Sep)", "Calendar year"]
    for i in range(n + 1):
        target = radio_scope.get_by_text(labels[i % 2], exact=True)
        c0 = browser_cpu()
        t0 = time.perf_counter()
        target.click()
        a = fin.wait_after(t0, page)
        settled(page)
        b = time.perf_counter() - t0
        page.wait_for_timeout(200)  # let the last paint finish before reading the CPU time
        if i:  # the first click warms the caches of the other basis
            in_pg.append(in_page(page))
            to_finish.append(a)
            to_drawn.append(b)
            if cpu is not None:
                cpu.append(browser_cpu() - c0)
    return in_pg, to_finish, to_drawn


# The first chart on screen, on the page's clock (ms from navigation start): the frame after
# the first chart's SVG entered the page. Not Playwright's wait_for_selector: it reports an
# element only when the page's main thread is free again, so on a page that draws its other
# charts right after the first one it reports them all together.
FIRST_PAINT = r"""
window.__first = {};
new MutationObserver((_, obs) => {
  if (document.querySelector("[data-testid='stPlotlyChart'] .main-svg")) {
    obs.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__first.paint = performance.now(); }, 0));
  }
}).observe(document, {subtree: true, childList: true});
"""


def first_chart(browser, url: str, every: list[float] | None = None) -> float:
    """Seconds from a new visitor's navigation to the first chart on screen (the page's own
    clock); appends the time to every chart drawn to `every`."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    ctx.add_init_script(FIRST_PAINT)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_function("window.__first.paint", timeout=90_000, polling=10)
    if every is not None:
        page.wait_for_function(ALL_DRAWN, timeout=90_000, polling=10)
        every.append(page.evaluate("performance.now()") / 1000)
    dt = page.evaluate("window.__first.paint") / 1000
    ctx.close()
    return dt


def main(n: int = 9, pages: list[str] | None = None) -> None:
    tmp = Path(tempfile.mkdtemp())
    app = Server(copy_data(tmp / "data"))
    import subprocess

    from conftest import free_port

    port = free_port()
    exe = Path(sys.executable).parent / "streamlit"
    refp = subprocess.Popen(
        [str(exe), "run", str(ROOT / "bench" / "onechart.py"), "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    ref_url = f"http://127.0.0.1:{port}"
    time.sleep(4)
    rows = []
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            # the floor: one-chart page
            ctx = b.new_context(viewport={"width": 1440, "height": 1000})
            ctx.add_init_script(IN_PAGE)
            page = ctx.new_page()
            fin = Finished(page)
            page.goto(ref_url)
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
            rcpu: list[float] = []
            ri, rf, rd = warm(page, fin, page.locator("[data-testid='stMain']"), n, rcpu)
            ctx.close()
            ref_every: list[float] = []
            ref_cold = [first_chart(b, ref_url, ref_every) for _ in range(n)]
            rows.append(
                (
                    "one-chart page (floor)",
                    stats(ri),
                    stats(rf),
                    stats(rd),
                    stats(rcpu),
                    stats(ref_cold),
                    stats(ref_every),
                    "",
                    "",
                )
            )
            first_visit = None
            for path in pages or PAGES:
                ctx = b.new_context(viewport={"width": 1440, "height": 1000})
                ctx.add_init_script(IN_PAGE)
                ctx.add_init_script(FIRST_PAINT)
                page = ctx.new_page()
                fin = Finished(page)
                page.goto(f"{app.url}/{path}")
                page.wait_for_function("window.__first.paint", timeout=90_000, polling=10)
                if first_visit is None:
                    first_visit = page.evaluate("window.__first.paint") / 1000
                settled(page)
                pcpu: list[float] = []
                i_, f_, d_ = warm(page, fin, page.locator("[data-testid='stSidebar']"), n, pcpu)
                ctx.close()
                every: list[float] = []
                cold = [first_chart(b, f"{app.url}/{path}", every) for _ in range(n)]
                ratio_i = statistics.median(i_) / statistics.median(ri)
                ratio_w = statistics.median(f_) / statistics.median(rf)
                ratio_c = statistics.median(cold) / statistics.median(ref_cold)
                rows.append(
                    (
                        path or "overview",
                        stats(i_),
                        stats(f_),
                        stats(d_),
                        stats(pcpu),
                        stats(cold),
                        stats(every),
                        f"{ratio_i:.1f}x / {ratio_w:.1f}x / {ratio_c:.2f}x",
                        f"{rss(app.proc.pid):.0f} MB",
                    )
                )
            # memory after 50 filter changes on the heaviest page
            ctx = b.new_context(viewport={"width": 1440, "height": 1000})
            ctx.add_init_script(IN_PAGE)
            page = ctx.new_page()
            fin = Finished(page)
            page.goto(f"{app.url}/seizures")
            page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
            settled(page)
            warm(page, fin, page.locator("[data-testid='stSidebar']"), 50)
            ctx.close()
            after50 = rss(app.proc.pid)
    finally:
        app.stop()
        refp.terminate()
    print(f"first visitor after start, first chart: {first_visit:.2f} s")
    print(
        "| page | click -> script_finished, in the page | same, as Playwright sees it | click -> last chart drawn | browser CPU per click | new visitor -> first chart | -> every chart | ratio to floor (warm in page / warm Playwright / first chart) | server RSS after |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"server RSS after 50 filter changes on seizures: {after50:.0f} MB")


if __name__ == "__main__":
    only = [("" if a == "overview" else a) for a in sys.argv[2:]]
    if unknown := set(only) - set(PAGES):
        sys.exit(f"unknown pages: {sorted(unknown)}; choose from overview {' '.join(PAGES[1:])}")
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9, only or None)
