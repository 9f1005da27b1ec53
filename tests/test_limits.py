"""Size limits and memory: the decompressed cap follows the upload limit (and --max-mb), the
worst allowed upload is previewed within a measured memory bound, a gzip bomb is refused
before it expands."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, cli, copy_data, proc_stat

from indicators import limits

AOR = ROOT / "data/raw/cbp_encounters/cbp_resp.csv.gz"


def big_encounters(copies: int) -> bytes:
    """The real by-area encounters file, repeated with earlier fiscal years (and, past five
    copies, other citizenship labels), so every row stays distinct."""
    head, body = gzip.decompress(AOR.read_bytes()).split(b"\n", 1)
    parts = []
    for i in range(copies):
        shift = 5 * (i % 5 + 1)
        part = re.sub(rb"(^|\n)20(\d\d),", lambda m, s=shift: m.group(1) + str(2020 - s + int(m.group(2)) - 20).encode() + b",", body)  # fmt: skip
        if i >= 5:
            part = part.replace(b",Title ", f" {i},Title ".encode())
        parts.append(part)
    return head + b"\n" + b"".join(parts)


MEASURE = r"""
import json, os, resource, sys, time
from pathlib import Path
from indicators import limits, preview
from indicators.store import Store
data = Path(sys.argv[1]).read_bytes()
t0 = time.monotonic()
parsed, rejected = preview.read_uploads([(Path(sys.argv[1]).name, data)],
                                        max_bytes=limits.max_decompressed(limits.upload_mb()))
out = {"rejected": [r.error.describe()[:300] for r in rejected]}
if parsed:
    pv = preview.make_preview(parsed, Store())
    out["rows"] = len(parsed[0].rows)
    out["changed"] = pv.plan.changed
    pv.discard()
out["seconds"] = time.monotonic() - t0
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(tmp_path, data: bytes, name: str) -> dict:
    d = copy_data(tmp_path / "data")
    f = tmp_path / name
    f.write_bytes(data)
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    r = subprocess.run([sys.executable, str(script), str(f)], capture_output=True, text=True,
                       env={**os.environ, "INDICATORS_DATA_DIR": str(d)}, timeout=600)  # fmt: skip
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_limits_are_coherent():
    assert limits.upload_mb() == 50  # .streamlit/config.toml
    assert limits.max_decompressed(50) == 50_000_000 * limits.DECOMPRESSED_RATIO
    assert limits.max_decompressed(300) > limits.max_decompressed(50)  # --max-mb raises it


def test_worst_allowed_upload_is_previewed_within_a_memory_bound(tmp_path):
    csv = big_encounters(5)
    assert 0.8 * limits.max_decompressed(50) < len(csv) <= limits.max_decompressed(50)
    got = measure(tmp_path, gzip.compress(csv, 6), "big.csv.gz")
    assert got["rejected"] == [] and got["rows"] == 5 * 68815 and got["changed"]
    # measured: ~0.75 GB peak (of which ~0.3 GB is the interpreter, pandas and the
    # bundled tables) and ~8 s on a 2-core machine
    assert got["peak_mb"] < 1500, got
    assert got["seconds"] < 120, got


def test_gzip_expanding_past_the_cap_is_refused_before_it_expands(tmp_path):
    """A 500 MB gzip bomb of valid rows, about 1 MB uploaded: refused at the cap, and the
    memory it took stays far below what expanding it would."""
    head, body = gzip.decompress(AOR.read_bytes()).split(b"\n", 1)
    chunk = body[: body.index(b"\n", 16_000) + 1]  # repeats within deflate's 32 kB window
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6) as gz:
        gz.write(head + b"\n")
        for _ in range(500_000_000 // len(chunk)):
            gz.write(chunk)
    assert len(buf.getvalue()) < 10_000_000  # a small upload
    got = measure(tmp_path, buf.getvalue(), "bomb.csv.gz")
    assert got["rejected"] and "larger than 50 MB once decompressed" in got["rejected"][0]
    assert got["peak_mb"] < 1000, got  # expanding it would take more than its 500 MB


def test_cli_max_mb_raises_the_decompressed_cap(data_dir, tmp_path):
    f = tmp_path / "big.csv.gz"
    f.write_bytes(gzip.compress(big_encounters(7), 6))
    r = cli("ingest", str(f), "--dry-run")
    assert r.returncode == 1 and "once decompressed" in r.stderr
    r = cli("ingest", str(f), "--dry-run", "--max-mb", "100")
    assert r.returncode == 0 and "dry run" in r.stdout, r.stderr


WORKER_PRIORITY = r"""
import os, subprocess, sys, time
from indicators.preview_worker import lower_priority
if sys.argv[1] == "child":  # the worker's first step, told its server's process id
    lower_priority(int(sys.argv[2]))
    print(os.nice(0), open("/proc/self/autogroup").read().split()[-1], flush=True)
    time.sleep(60)
else:  # a stand-in for the server: starts the child as preview.isolated does, then waits
    server = os.getpid() if sys.argv[1] == "server" else 1  # "gone": as if it had died
    r = subprocess.run([sys.executable, "-c", sys.argv[2], "child", str(server)], start_new_session=True)
    print("exit", r.returncode, flush=True)
"""

needs_autogroup = pytest.mark.skipif(
    not Path("/proc/self/autogroup").exists(), reason="this kernel has no autogroups"
)


def _stand_in(role: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_PRIORITY, role, WORKER_PRIORITY],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


@needs_autogroup
def test_upload_worker_runs_at_a_lower_priority_and_dies_with_the_server():
    """The worker yields the CPU to the server's other sessions (niced, and its own autogroup
    niced as well), and, in a session of its own, is still killed when the server is."""
    server = _stand_in("server")
    try:
        nice, group_nice = server.stdout.readline().split()
        assert int(nice) == os.nice(0) + 10
        assert int(group_nice) == 10
        child = next(
            int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(int(p)) == server.pid
        )
        assert os.getsid(child) == child != os.getsid(server.pid)
    finally:
        server.kill()
        server.wait()
    for _ in range(100):
        if not os.path.exists(f"/proc/{child}") or _state(child) == "Z":
            break
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{child}") or _state(child) == "Z", (
        "the worker outlived the server"
    )


def test_upload_worker_whose_server_is_gone_exits_at_once():
    """Told a server process id that is not its parent's (the server died before the worker
    asked to die with it), the worker exits instead of running on alone."""
    server = _stand_in("gone")
    try:
        out, _ = server.communicate(timeout=30)
    finally:
        server.kill()
    assert out.split() == ["exit", "1"]


@needs_autogroup
def test_upload_worker_leaves_the_autogroup_of_whoever_started_it_alone(tmp_path):
    """Run outside a session of its own (by hand, say), the worker nices itself only: the
    autogroup it shares with its starter (the server, a shell) keeps its priority."""
    script = tmp_path / "s.py"
    script.write_text(
        "import os\n"
        "from indicators.preview_worker import lower_priority\n"
        "lower_priority()\n"
        "print(os.nice(0), open('/proc/self/autogroup').read().split()[-1])\n"
    )
    # a session of its own for the starter, so the autogroup read is the starter's, not ours
    r = subprocess.run(
        ["setsid", "--wait", "sh", "-c", f"{sys.executable} {script}; cat /proc/self/autogroup"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    worker, starter = r.stdout.splitlines()
    assert int(worker.split()[0]) == os.nice(0) + 10
    assert worker.split()[1] == starter.split()[-1] == "0", r.stdout


def _ppid(pid: int) -> int:
    try:
        return int(proc_stat(pid)[1])
    except (OSError, IndexError):
        return -1


def _state(pid: int) -> str:
    try:
        return proc_stat(pid)[0]
    except OSError:
        return "gone"
