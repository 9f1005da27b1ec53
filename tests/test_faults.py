"""Faults: an ingest killed at any point, concurrent ingests, and what the store looks like after."""

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli

from indicators import contract, query
from indicators.store import Store


def _revised_state_file(data_dir: Path, out: Path, count: str) -> Path:
    """The real FY2022-FY2025 by-State file with one count revised (forces a real write)."""
    text = gzip.decompress(
        (data_dir / "raw/cbp_encounters/nationwide-encounters-fy22-fy25-state.csv.gz").read_bytes()
    ).decode()
    lines = text.split("\r\n")
    lines[1] = lines[1].rsplit(",", 1)[0] + "," + count
    out.write_text("\r\n".join(lines))
    return out


def _ingest_proc(path: Path, data_dir: Path) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "indicators"
    return subprocess.Popen([str(exe), "ingest", str(path)], env={**os.environ, "INDICATORS_DATA_DIR": str(data_dir)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _sound(store: Store) -> None:
    assert store.verify() == []
    for name in contract.TABLES:
        df = store.load(name)
        assert contract.problems(df, name) == [], name


def test_killed_ingest_leaves_a_readable_store(data_dir, tmp_path):
    store = Store(data_dir)
    f = _revised_state_file(data_dir, tmp_path / "state.csv", "777")
    t0 = time.monotonic()
    p = _ingest_proc(f, data_dir)
    p.wait(120)
    full = time.monotonic() - t0
    assert p.returncode == 0
    after_full = int(store.current().number)
    rb = store.rollback(after_full - 1).number  # back to the old data, as a new version
    expected_old = store.load("encounters_by_state")
    outcomes = set()
    for i, frac in enumerate((0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 0.97)):
        g = _revised_state_file(data_dir, tmp_path / f"state{i}.csv", str(1000 + i))
        before = int(store.current().number)
        p = _ingest_proc(g, data_dir)
        time.sleep(full * frac)
        p.send_signal(signal.SIGKILL)
        p.wait(30)
        query.clear_cache()
        _sound(store)
        now = int(store.current().number)
        assert now in (before, before + 1)  # the old version, or the complete new one
        outcomes.add(now - before)
        if now == before:
            pd.testing.assert_frame_equal(
                store.load("encounters_by_state"),
                expected_old if before == rb else store.load("encounters_by_state"),
            )
        else:
            row = store.load("encounters_by_state").encounters
            assert (row == 1000 + i).any()
            expected_old = store.load("encounters_by_state")
            rb = now
    assert 0 in outcomes  # at least one kill landed before the commit
    # whatever the kills left behind is reported, then cleaned by `verify --repair`
    left = store.leftovers()
    r = run_cli("verify")
    assert r.returncode == 0, r.stderr
    if any(left.values()):
        assert "leftover:" in r.stderr and "--repair" in r.stderr
    r = run_cli("verify", "--repair")
    assert r.returncode == 0, r.stderr
    assert not any(store.leftovers().values())
    _sound(store)


def _interrupted_commit(store: Store, monkeypatch, tmp_path) -> int:
    """A real commit that dies when it swaps CURRENT: the version file, the new object and
    the temporary CURRENT stay behind, as after a kill at that point."""
    from indicators import ingest

    real = os.replace

    def dies(src, dst):
        if str(dst).endswith("CURRENT"):
            raise OSError("killed (simulated)")
        return real(src, dst)

    f = _revised_state_file(store.root, tmp_path / "state.csv", "4242")
    monkeypatch.setattr(os, "replace", dies)
    with pytest.raises(OSError, match="killed"):
        ingest.ingest([f], store)
    monkeypatch.setattr(os, "replace", real)
    return store.current().number


def test_leftovers_of_a_killed_commit_are_reported_and_repaired(data_dir, monkeypatch, tmp_path):
    store = Store(data_dir)
    cur = _interrupted_commit(store, monkeypatch, tmp_path)
    left = store.leftovers()
    assert [p.name for p in left["versions"]] == [f"{cur + 1:06d}.json"]
    assert left["temporary"] and left["objects"]
    # the recovery hint never names the version that was never committed
    assert store.last_sound_version() == cur
    store.object_path(store.current().tables["encounters"]["sha256"]).write_bytes(b"PAR1 junk")
    r = run_cli("verify")
    assert r.returncode == 1 and "leftover: 1 version files never made current" in r.stderr
    assert f"rollback {cur + 1}" not in r.stderr
    assert run_cli("build").returncode == 0  # repairs the corrupt object (a new version)
    # the build committed: it cleaned the leftovers of the killed writer first
    assert not any(store.leftovers().values())
    assert run_cli("verify").returncode == 0


def test_verify_repair_removes_leftovers_and_keeps_the_data(data_dir, monkeypatch, tmp_path):
    store = Store(data_dir)
    cur = _interrupted_commit(store, monkeypatch, tmp_path)
    (store.objects / "tmp-999-abc.parquet").write_bytes(b"half an object")
    before = {n: store.load(n) for n in contract.TABLES}
    r = run_cli("verify", "--repair")
    assert r.returncode == 0 and "removed" in r.stdout, r.stderr
    assert not any(store.leftovers().values())
    assert store.current().number == cur
    for n, df in before.items():
        pd.testing.assert_frame_equal(store.load(n), df)
    assert "leftover" not in run_cli("verify").stderr


def test_concurrent_ingests_are_serialised(data_dir, tmp_path):
    store = Store(data_dir)
    before = store.current().number
    a = _revised_state_file(data_dir, tmp_path / "a.csv", "111")
    # b revises another month of the same file
    text = a.read_bytes().decode().split("\r\n")
    text[1] = text[1].rsplit(",", 1)[0] + ",111"
    idx = next(
        i
        for i, line in enumerate(text)
        if line.startswith("2025,") and line.count(",") > 2 and line.split(",")[2] == "SEP"
    )
    text[idx] = text[idx].rsplit(",", 1)[0] + ",222"
    b = tmp_path / "b.csv"
    b.write_text("\r\n".join(text))
    pa, pb = _ingest_proc(a, data_dir), _ingest_proc(b, data_dir)
    pa.wait(180), pb.wait(180)
    assert pa.returncode == 0 and pb.returncode == 0, (pa.stderr.read(), pb.stderr.read())
    query.clear_cache()
    _sound(store)
    # two versions, one after the other: each writer planned against the latest version
    top, second = store.history()[:2]
    assert (
        top.number == before + 2
        and top.meta["parent"] == before + 1
        and second.meta["parent"] == before
    )
    counts = store.load("encounters_by_state").encounters
    assert (counts == 111).any()
    assert len(store.load("encounters_by_state")) == len(
        store.load("encounters_by_state", store.version(before))
    )


def test_corrupt_store_is_detected_at_start_with_a_way_back(data_dir):
    store = Store(data_dir)
    meta = store.current().tables["encounters"]
    store.object_path(meta["sha256"]).write_bytes(b"PAR1 garbage")
    r = run_cli("verify")
    assert r.returncode == 1 and "corrupt" in r.stderr and "indicators build" in r.stderr
    assert run_cli("build").returncode == 0
    assert run_cli("verify").returncode == 0


@pytest.mark.parametrize("what", ["CURRENT", "version"])
def test_damaged_metadata_is_reported_not_crashed(data_dir, what):
    store = Store(data_dir)
    if what == "CURRENT":
        (store.dir / "CURRENT").write_text("x\n")
    else:
        (store.versions / f"{store.current().number:06d}.json").write_text("{not json")
    r = run_cli("query", "seizures")
    assert r.returncode == 1 and "error:" in r.stderr and "Traceback" not in r.stderr
