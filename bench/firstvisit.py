"""The first visitor after a server start, n server starts (bench/pages.py takes one sample).

Each round starts a fresh `streamlit run app.py` (the project's config, a copy of the bundled
data) and waits for `/_stcore/health` to answer, as a reader's first request would; then, in
Debian's Chromium (one browser for the run, a new context per visitor, so no cached files):
- the first visitor: navigation to the overview -> the frame that paints its first Plotly
  chart, on the page's clock (bench/pages.py's FIRST_PAINT: Playwright's own wait reports an
  element late when the page's main thread is busy);
- a second visitor on the same server right after (what bench/pages.py calls a new visitor);
- the server's start: process start -> health answering (the warm-up runs before it).
The same round on the one-chart page (bench/onechart.py, started the same way) alternates with
the app's, so both see the same machine: the floor Streamlit and Plotly set. Median (range).

    uv run python bench/firstvisit.py [n]     # n >= 9 rounds (default 9), about 3 minutes
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from conftest import Server, copy_data, free_port  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# a visitor: a new context (empty cache), navigation -> the first chart on screen, seconds
from pages import ARGS  # noqa: E402
from pages import first_chart as visit  # noqa: E402


class OneChart:
    """bench/onechart.py served like the app (same flags), up when its health check answers."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        exe = Path(sys.executable).parent / "streamlit"
        self.proc = subprocess.Popen(
            [str(exe), "run", str(ROOT / "bench" / "onechart.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while True:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def stats(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f})"


def main(n: int = 9) -> None:
    data = copy_data(Path(tempfile.mkdtemp()) / "data")
    got: dict[str, dict[str, list[float]]] = {
        k: {"start": [], "first": [], "second": []} for k in ("floor", "app")
    }
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        visit_url = None
        for i in range(n):
            for kind in ("floor", "app") if i % 2 == 0 else ("app", "floor"):
                t0 = time.perf_counter()
                srv = OneChart() if kind == "floor" else Server(data)
                got[kind]["start"].append(time.perf_counter() - t0)
                try:
                    visit_url = srv.url + "/"
                    got[kind]["first"].append(visit(b, visit_url))
                    got[kind]["second"].append(visit(b, visit_url))
                finally:
                    srv.stop()
        b.close()
    print(f"n = {n} server starts each, alternating")
    print(
        "| page | start -> health answers | first visitor -> first chart | second visitor -> first chart | first visitor / floor's |"
    )
    print("|---|---|---|---|---|")
    f_floor = statistics.median(got["floor"]["first"])
    for kind, label in (("floor", "one-chart page (floor)"), ("app", "overview")):
        g = got[kind]
        ratio = statistics.median(g["first"]) / f_floor
        print(
            f"| {label} | {stats(g['start'])} | {stats(g['first'])} | {stats(g['second'])} | {ratio:.2f}x |"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
