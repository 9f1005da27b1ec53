"""Benchmarks, measured in one run on this machine. Prints ratios, not pass/fail.

    uv run python bench/run.py            # everything (~8 minutes)
    uv run python bench/run.py pages ingest query memory export

Results of a run are recorded in bench/README.md.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
PAGES = ["overview", "overdose_deaths", "seizures", "encounters", "claims", "upload", "sources"]
ROWS: list[tuple[str, str, str]] = []


def report(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"{what:58s} {value:>14s}  {note}", flush=True)


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def bench_pages() -> None:
    """What the user waits for, in the browser: see bench/pages.py (run on its own, too).

    (AppTest script runs are not a page's time: they miss the browser round trip and the
    server's post-run work.)"""
    import pages

    pages.main(9)


def bench_ingest() -> None:
    """Ingest against pyarrow's CSV reader: see bench/ingest.py (run on its own, too)."""
    import ingest as ingest_bench  # bench/ingest.py, next to this file

    for r in ingest_bench.run(n=10):
        report(f"ingest {r['label']} (CPU, median of {len(r['cpu'])})",
               f"{statistics.median(r['cpu']) * 1000:.0f} ms",
               f"{r['ratio']:.2f}x pyarrow.csv.read_csv ({statistics.median(r['floor']) * 1000:.0f} ms)")  # fmt: skip


def bench_query() -> None:
    from indicators import query

    paths = {
        "CBP fentanyl lb by fiscal year": (
            "seizures",
            [("agency", "CBP"), ("drug", "fentanyl"), ("unit", "lb")],
            ["fiscal_year"],
            "quantity",
        ),
        "encounters by component and FY": (
            "encounters",
            [],
            ["component", "fiscal_year"],
            "encounters",
        ),
        "China encounters by component and FY": (
            "encounters",
            [("citizenship", "CHINA, PEOPLES REPUBLIC OF")],
            ["component", "fiscal_year"],
            "encounters",
        ),
        "US deaths by drug, provisional": (
            "overdose_deaths",
            [("geo", "US"), ("status", "provisional")],
            ["drug", "year"],
            "deaths",
        ),
    }
    query.load("encounters")
    for label, (t, w, by, m) in paths.items():
        xs = []
        for _ in range(20):
            t0 = time.perf_counter()
            query.query(t, w, by, m)
            xs.append(time.perf_counter() - t0)
        report(f"query (in process, tables loaded): {label}", f"{med(xs) * 1000:.1f} ms")
    exe = Path(sys.executable).parent / "indicators"
    xs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(exe),
                "query",
                "seizures",
                "--where",
                "drug=fentanyl",
                "--by",
                "fiscal_year",
                "--format",
                "json",
            ],
            capture_output=True,
            check=True,
        )
        xs.append(time.perf_counter() - t0)
    report(
        "indicators query (CLI, new process)",
        f"{med(xs):.2f}s",
        "mostly interpreter and import time",
    )


def bench_memory() -> None:
    from conftest import Server, copy_data
    from playwright.sync_api import sync_playwright

    d = copy_data(Path(tempfile.mkdtemp()) / "data")
    s = Server(d)
    try:
        rss0 = _rss(s.proc.pid)
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            pg = b.new_page()
            for page in PAGES:
                pg.goto(f"{s.url}/{'' if page == 'overview' else page}")
                pg.wait_for_selector("[data-testid='stMain']", timeout=120_000)
                time.sleep(2)
            b.close()
        hwm = _rss(s.proc.pid, "VmHWM")
        report(
            "streamlit server memory: idle / peak after every page",
            f"{rss0 / 1024:.0f} / {hwm / 1024:.0f} MB",
        )
    finally:
        s.stop()


def _rss(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def bench_export() -> None:
    from indicators import charts, export
    from indicators.filters import Filters

    c = charts.build("seizures_by_component", Filters(basis="fiscal"), None, None)
    t = time.perf_counter()
    export.image(c.fig, "png")
    first = time.perf_counter() - t
    xs = []
    for _ in range(5):
        t = time.perf_counter()
        export.image(c.fig, "png")
        xs.append(time.perf_counter() - t)
    report(
        "PNG export 1920x1080: first image / each after",
        f"{first:.2f}s / {med(xs):.2f}s",
        f"server reuse = {first / med(xs):.0f}x faster",
    )


def main(argv: list[str]) -> None:
    which = argv or ["pages", "ingest", "query", "memory", "export"]
    os.environ.setdefault("INDICATORS_DATA_DIR", str(ROOT / "data"))
    for name in which:
        globals()[f"bench_{name}"]()
    print()
    print(json.dumps(ROWS, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
