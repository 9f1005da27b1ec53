"""The versioned store: commits, history, rollback, atomicity, corruption, the lock."""

import json
import os
import threading

import pandas as pd
import pytest

from indicators import contract, ingest, query
from indicators.errors import StoreError
from indicators.store import Store


def test_bundled_store_is_sound(store):
    assert store.verify() == []
    v = store.current()
    assert set(v.tables) == set(contract.TABLES)
    for name in contract.TABLES:
        df = store.load(name)
        assert contract.problems(df, name) == [], name
        assert list(df.columns) == contract.table(name).names


def test_ingest_commits_a_new_version_and_rollback_restores(store, fixture_path):
    before = store.current()
    old = store.load("seizures")
    # the AMO excerpt is a slice of the bundled file: the stored cells it lacks are kept,
    # and its numbers are those stored: nothing changes
    pl, v = ingest.ingest([fixture_path("cbp_amo_excerpt.csv")], store, dropped="keep")
    assert v is None and not pl.changed and store.current().number == before.number
    # a revised figure changes one month: a new version
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",99999.5"
    p = store.root / "amo_revised.csv"
    p.write_text("\n".join(src) + "\n")
    pl, v = ingest.ingest([p], store, dropped="keep")
    assert v is not None and v.number == before.number + 1
    new = store.load("seizures")
    assert len(new) == len(old)  # replaced, not added
    assert new.quantity.sum() != pytest.approx(old.quantity.sum())
    assert [h.number for h in store.history()][:2] == [v.number, before.number]
    rb = store.rollback(before.number)
    assert rb.number == v.number + 1 and rb.meta["kind"] == "rollback"
    pd.testing.assert_frame_equal(store.load("seizures"), old)


def test_failed_rename_leaves_previous_version(store, fixture_path, monkeypatch):
    before = store.current().number
    old = store.load("encounters_by_state")
    real = os.replace

    def failing(src, dst):
        if str(dst).endswith("CURRENT"):
            raise OSError("disk full (simulated)")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    src = fixture_path("cbp_state_fy22_fy25_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",123456"
    p = store.root / "state_revised.csv"
    p.write_text("\n".join(src) + "\n")
    with pytest.raises(OSError, match="simulated"):
        ingest.ingest([p], store)
    monkeypatch.setattr(os, "replace", real)
    assert store.current().number == before
    pd.testing.assert_frame_equal(store.load("encounters_by_state"), old)
    assert store.verify() == []


def test_corrupt_object_detected_with_a_way_back(store, fixture_path):
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",1.25"
    p = store.root / "amo2.csv"
    p.write_text("\n".join(src) + "\n")
    _, v = ingest.ingest([p], store, dropped="keep")
    obj = store.object_path(v.tables["seizures"]["sha256"])
    obj.write_bytes(obj.read_bytes()[:100])  # truncated
    problems = store.verify()
    assert problems and "corrupt" in problems[0]
    with pytest.raises(StoreError, match="rollback"):
        store.load("seizures")
    assert store.last_sound_version() == v.number - 1
    store.rollback(v.number - 1)
    assert store.verify() == []


def test_missing_object_detected(store):
    meta = store.current().tables["population"]
    store.object_path(meta["sha256"]).unlink()
    assert any("missing" in p for p in store.verify())
    with pytest.raises(StoreError, match="missing"):
        store.load("population")


def test_damaged_current_pointer(store):
    (store.dir / "CURRENT").write_text("garbage")
    with pytest.raises(StoreError, match="damaged"):
        store.current()


def test_no_store(tmp_path):
    with pytest.raises(StoreError, match="indicators build"):
        Store(tmp_path).current()


def test_lock_serialises_writers(store):
    order = []
    with store.lock():
        t = threading.Thread(target=lambda: (store.lock().__enter__(), order.append("second")))
        t.start()
        t.join(0.5)
        assert t.is_alive() and order == []  # blocked while the first writer holds the lock
        order.append("first")
    t.join(5)
    assert order == ["first", "second"]


def test_lock_times_out_with_message(store):
    with store.lock(), pytest.raises(StoreError, match="locked"), store.lock(timeout=0.2):
        pass


def test_commit_refuses_stale_base(store):
    base = store.current()
    with store.lock():
        store.commit({"population": store.load("population").head(5)}, "x", base=base)
    with store.lock(), pytest.raises(StoreError, match="moved"):
        store.commit({"population": store.load("population")}, "y", base=base)


def test_version_files_are_json_with_sources(store):
    meta = json.loads((store.versions / f"{store.current().number:06d}.json").read_text())
    assert meta["kind"] == "build" and len(meta["sources"]) >= 18
    assert all({"sha256", "rows"} <= set(t) for t in meta["tables"].values())


def test_query_cache_follows_versions(store, fixture_path):
    a = query.load("seizures", store)
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",4242.0"
    p = store.root / "amo3.csv"
    p.write_text("\n".join(src) + "\n")
    ingest.ingest([p], store, dropped="keep")
    b = query.load("seizures", store)
    assert b.quantity.sum() != pytest.approx(a.quantity.sum())
