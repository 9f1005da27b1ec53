"""Ingest against pyarrow's CSV reader, measured alternating in one process.

    uv run python bench/ingest.py            # every bundled file over 500 kB, n = 15
    uv run python bench/ingest.py -n 25 --scale 10   # also a 10x synthetic copy of the AOR file

"Ingest" is `sources.parse_bytes`: recognise the layout, decode, read the cells, convert and
check every cell (file/line/column for any bad one), check the table contract and conform the
dtypes. The floor is `pyarrow.csv.read_csv` on the same (decompressed) bytes with its default
options (all columns type-inferred). Both get the same in-memory bytes, so gunzip and disk
reads are in neither. Runs alternate (ingest, pyarrow, ingest, ...) after one warm-up of
each, so both see the same machine state; CPU time is `time.process_time()` (all threads of
the process), wall time is `time.perf_counter()`. Reported: median and range of each, and
the ratio of the medians. Merge and Parquet write are reported apart (they are not parsing).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0  # issue 12: ingest <= 3x pyarrow.csv.read_csv CPU time


def _bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _scaled(data: bytes, k: int) -> bytes:
    """k copies of the AOR file's rows, each copy under its own citizenship labels."""
    import csv

    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    ci = [c.lower() for c in rows[0]].index("citizenship")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(rows[0])
    for i in range(k):
        for r in rows[1:]:
            r = list(r)
            r[ci] = r[ci] + (f" #{i}" if i else "")
            w.writerow(r)
    return out.getvalue().encode()


def _time(fn) -> tuple[float, float]:
    gc.collect()
    c, w = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c, time.perf_counter() - w


def _fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:7.1f} ms [{min(xs) * 1000:.1f}-{max(xs) * 1000:.1f}]"


def measure(label: str, data: bytes, n: int) -> dict:
    import pyarrow.csv as pacsv

    from indicators import sources

    def ours():
        return sources.parse_bytes(data, label, max_bytes=10**10)

    def floor():
        return pacsv.read_csv(io.BytesIO(data))

    ours(), floor()  # warm-up: imports, code caches
    cpu_o, cpu_f, wall_o, wall_f = [], [], [], []
    for _ in range(n):
        c, w = _time(ours)
        cpu_o.append(c), wall_o.append(w)
        c, w = _time(floor)
        cpu_f.append(c), wall_f.append(w)
    ratio = statistics.median(cpu_o) / statistics.median(cpu_f)
    rows = len(ours().rows)
    print(
        f"{label:48s} {len(data) / 1e6:6.1f} MB {rows:>9,} rows\n"
        f"    ingest  CPU {_fmt(cpu_o)}   wall {_fmt(wall_o)}\n"
        f"    pyarrow CPU {_fmt(cpu_f)}   wall {_fmt(wall_f)}\n"
        f"    ratio (CPU medians) {ratio:.2f}x  (wall {statistics.median(wall_o) / statistics.median(wall_f):.2f}x)"
        f"  target <= {TARGET:g}x: {'met' if ratio <= TARGET else 'NOT met'}",
        flush=True,
    )
    return {"label": label, "ratio": ratio, "cpu": cpu_o, "floor": cpu_f}


def merge_and_write(data: bytes) -> None:
    import shutil
    import tempfile

    from indicators import contract, merge, sources
    from indicators.store import Store

    p = sources.parse_bytes(data, "bench.csv", max_bytes=10**10)
    tmp = Path(tempfile.mkdtemp())
    try:
        t = time.perf_counter()
        merged, _ = merge.merge(contract.empty(p.table), p.rows, p.table)
        t_merge = time.perf_counter() - t
        t = time.perf_counter()
        st = Store(tmp)
        with st.lock():
            st.commit({p.table: merged}, "bench")
        t_write = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp)
    print(f"    merge {t_merge * 1000:.0f} ms, Parquet write {t_write * 1000:.0f} ms (one run)")


def run(n: int = 15, min_kb: int = 500, scale: int = 0, only: str | None = None) -> list[dict]:
    """Measure every bundled file of at least `min_kb` (largest first); see the module doc."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from indicators import manifest

    files = []
    for e in manifest.entries(ROOT / "data"):
        data = _bytes(ROOT / "data" / e["path"])
        if len(data) >= min_kb * 1000 and (not only or only in e["path"]):
            files.append((e["path"].split("/")[-1], data))
    files.sort(key=lambda f: -len(f[1]))
    results = [measure(label, data, n) for label, data in files]
    if files:
        merge_and_write(files[0][1])
    if scale:
        aor = _bytes(ROOT / "data/raw/cbp_encounters/cbp_resp.csv.gz")
        label = f"cbp_resp x{scale} (synthetic)"
        results.append(measure(label, _scaled(aor, scale), max(10, n // 2)))
    return results


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=15, help="alternating runs per file (>= 10)")
    ap.add_argument("--min-kb", type=int, default=500, help="bundled files at least this large")
    ap.add_argument("--scale", type=int, default=0, help="also an Nx synthetic AOR file")
    ap.add_argument("--only", help="only files whose path contains this")
    args = ap.parse_args(argv)
    results = run(args.n, args.min_kb, args.scale, args.only)
    worst = max(results, key=lambda r: r["ratio"])
    print(f"worst ratio: {worst['ratio']:.2f}x ({worst['label']})")


if __name__ == "__main__":
    main(sys.argv[1:])
