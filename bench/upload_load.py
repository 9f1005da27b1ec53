"""Another session's page while the largest allowed upload is read and previewed: the seizures
page's load time (navigation to two charts drawn and the script finished) with the server idle,
and while an upload runs in a third tab; and the CPU the server itself spends against its
child processes over each upload.

    uv run python bench/upload_load.py [n]     # default 9 loads each way

The tests check where the work runs (CPU accounting); this times what a reader waits for.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import Server, copy_data  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from test_browser import wait_ready  # noqa: E402
from test_limits import big_encounters  # noqa: E402
from test_upload_browser import cpu_seconds  # noqa: E402


def line(name: str, xs: list[float]) -> str:
    return f"{name:<22} n={len(xs):>2}  median {statistics.median(xs):5.2f} s  range {min(xs):.2f}-{max(xs):.2f} s"


def main(n: int = 9) -> None:
    tmp = Path(tempfile.mkdtemp())
    big = tmp / "big.csv.gz"
    big.write_bytes(gzip.compress(big_encounters(5), 6))  # 43 MB of CSV, under the 50 MB cap
    srv = Server(copy_data(tmp / "data"))
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            other = b.new_context(viewport={"width": 1440, "height": 1000}).new_page()

            def load() -> float:
                t = time.perf_counter()
                other.goto(f"{srv.url}/seizures")
                wait_ready(other, 2)
                return time.perf_counter() - t

            load()  # warm-up
            idle = [load() for _ in range(n)]
            during: list[float] = []
            cpu: list[tuple[float, float, float]] = []
            while len(during) < n:
                up = b.new_context(viewport={"width": 1440, "height": 1000}).new_page()
                up.goto(f"{srv.url}/upload")
                wait_ready(up, 0)
                own0, ch0 = cpu_seconds(srv.proc.pid)
                t0 = time.perf_counter()
                up.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(big))
                done = up.get_by_text("Headline numbers that move")
                while not done.is_visible() and len(during) < n:
                    dt = load()
                    if not done.is_visible():  # the whole load fell inside the upload
                        during.append(dt)
                done.wait_for(timeout=600_000)
                wall = time.perf_counter() - t0
                own1, ch1 = cpu_seconds(srv.proc.pid)
                cpu.append((wall, own1 - own0, ch1 - ch0))
                up.context.close()
            b.close()
    finally:
        srv.stop()
    print(line("seizures, server idle", idle))
    print(line("during an upload", during))
    print(f"ratio of medians: {statistics.median(during) / statistics.median(idle):.2f}")
    for wall, own, child in cpu:
        print(
            f"upload: {wall:.1f} s to the preview; CPU-s server {own:.2f} (with the other tab's loads), children {child:.2f}"
        )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
