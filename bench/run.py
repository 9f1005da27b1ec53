"""Benchmarks, measured in one run on this machine. Prints ratios, not pass/fail.

    uv run python bench/run.py            # everything (~3 minutes)
    uv run python bench/run.py pages ingest query memory export

Results of a run are recorded in bench/README.md.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
PAGES = ["overview", "overdose_deaths", "seizures", "encounters", "claims", "upload", "sources"]
ROWS: list[tuple[str, str, str]] = []


def report(what: str, value: str, note: str = "") -> None:
    ROWS.append((what, value, note))
    print(f"{what:58s} {value:>14s}  {note}", flush=True)


def med(xs: list[float]) -> float:
    return statistics.median(xs)


COLD = """
import time, sys
t = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300)
at.run()
page = {page!r}
if page != "overview":
    at.switch_page(f"pages/{{page}}.py").run()
print(time.perf_counter() - t)
"""


def bench_pages() -> None:
    from apphelpers import app, widget

    for page in PAGES:
        colds = []
        for _ in range(3):
            out = subprocess.run([sys.executable, "-c", COLD.format(app=str(ROOT / "app.py"), page=page)],
                                 capture_output=True, text=True, cwd=ROOT)  # fmt: skip
            colds.append(float(out.stdout.strip().splitlines()[-1]))
        at = app(None if page == "overview" else page)
        warms = []
        for i in range(5):
            t = time.perf_counter()
            widget(at, "f_basis").set_value("fiscal" if i % 2 == 0 else "calendar")
            at.run()
            warms.append(time.perf_counter() - t)
        report(f"page {page}: cold (new process, incl. imports) / warm (filter change)",
               f"{med(colds):.2f}s / {med(warms):.3f}s", f"cold/warm = {med(colds) / med(warms):.0f}x")  # fmt: skip


def bench_ingest() -> None:
    import pyarrow.csv as pacsv

    from indicators import contract, merge, sources
    from indicators.store import Store

    raw = gzip.decompress((ROOT / "data/raw/cbp_encounters/cbp_resp.csv.gz").read_bytes())
    lines = raw.decode().split("\n")
    header, body = lines[0], [x for x in lines[1:] if x]
    # 10x synthetic scale-up: the same rows under 10 distinct citizenship labels
    big = "\n".join([header] + [_suffix(ln, k) for k in range(10) for ln in body]) + "\n"
    for label, data in (
        ("CBP AOR encounters, 8.7 MB", raw),
        ("10x synthetic scale-up, 87 MB", big.encode()),
    ):
        t = time.perf_counter()
        pacsv.read_csv(io.BytesIO(data))
        floor = time.perf_counter() - t
        tmp = Path(tempfile.mkdtemp())
        try:
            t = time.perf_counter()
            p = sources.parse_bytes(data, "bench.csv", max_bytes=10**9)
            t_parse = time.perf_counter() - t
            t = time.perf_counter()
            merged, _ = merge.merge(contract.empty("encounters"), p.rows, "encounters")
            t_merge = time.perf_counter() - t
            t = time.perf_counter()
            st = Store(tmp)
            with st.lock():
                st.commit({"encounters": merged}, "bench")
            t_write = time.perf_counter() - t
        finally:
            shutil.rmtree(tmp)
        total = t_parse + t_merge + t_write
        report(f"ingest {label}: parse+validate / merge / write", f"{t_parse:.2f}/{t_merge:.2f}/{t_write:.2f}s",
               f"{len(p.rows):,} rows, {len(p.rows) / total:,.0f} rows/s; vs pyarrow raw read {floor:.2f}s = {total / floor:.0f}x")  # fmt: skip


def _suffix(line: str, k: int) -> str:
    if k == 0:
        return line
    parts = line.split(",")
    # citizenship may be quoted and contain a comma: tag the last field before title_of_authority
    i = next(j for j in range(len(parts) - 1, -1, -1) if parts[j].startswith("Title "))
    parts[i - 1] = parts[i - 1].rstrip('"') + f" #{k}" + ('"' if parts[i - 1].endswith('"') else "")
    return ",".join(parts)


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
    from indicators import catalog, export
    from indicators.filters import Filters

    c = catalog.build("seizures_by_component", Filters(basis="fiscal"), None, None)
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
