"""The bundled tables are exactly what `indicators build` makes from data/raw."""

import csv
import gzip
import io

import pandas as pd
import pytest

from indicators import build, contract, manifest
from indicators.store import REPO_DATA, Store, sort_rows


def test_manifest_files_match_their_sha256():
    assert manifest.verify(REPO_DATA) == []
    for e in manifest.entries(REPO_DATA):
        assert e["official_url"].startswith("https://"), e["id"]
        assert e["licence"] and e["release"] and e["rows"] > 0
        assert (REPO_DATA / e["provenance"]).is_file(), e["provenance"]


def test_committed_tables_equal_a_rebuild(tmp_path):
    tables, _ = build.build_tables(REPO_DATA, log=lambda *_: None)
    committed = Store(REPO_DATA)
    build_version = next(v for v in committed.history() if v.meta.get("kind") == "build")
    for name in contract.TABLES:
        rebuilt = sort_rows(contract.conform(tables[name], name), name)
        stored = committed.load(name, build_version)
        pd.testing.assert_frame_equal(stored, rebuilt, check_dtype=True, obj=name)


def test_build_is_deterministic(tmp_path):
    a, _ = build.build_tables(REPO_DATA, log=lambda *_: None)
    b, _ = build.build_tables(REPO_DATA, log=lambda *_: None)
    from indicators.store import table_bytes

    for name in contract.TABLES:
        assert table_bytes(sort_rows(contract.conform(a[name], name), name)) == table_bytes(
            sort_rows(contract.conform(b[name], name), name)
        )


def _raw_rows(relpath):
    b = (REPO_DATA / relpath).read_bytes()
    text = (gzip.decompress(b) if relpath.endswith(".gz") else b).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_seizure_totals_match_the_official_files(store):
    """Independent check with the csv module: FY fentanyl pounds, OFO + USBP."""
    raw = _raw_rows("raw/cbp_seizures/nationwide-drugs-fy19-fy22.csv.gz") + _raw_rows(
        "raw/cbp_seizures/nationwide-drugs-fy23-fy26-apr.csv.gz"
    )
    want = {}
    for r in raw:
        if r["Drug Type"] == "Fentanyl":
            fy = int(r["FY"][:4])
            want[fy] = want.get(fy, 0) + float(r["Sum Qty (lbs)"])
    df = store.load("seizures")
    got = (
        df[(df.series == "cbp_nationwide") & (df.drug == "fentanyl")]
        .groupby("fiscal_year")
        .quantity.sum()
    )
    assert set(got.index) == set(want)
    for fy, v in want.items():
        assert got[fy] == pytest.approx(v)
    assert got[2023] == pytest.approx(27022.85, abs=0.01)  # PROVENANCE.md's published check


def test_encounter_totals_match_across_files(store):
    raw = _raw_rows("raw/cbp_encounters/nationwide-encounters-fy22-fy25-state.csv.gz")
    want = {}
    for r in raw:
        want[int(r["Fiscal Year"][:4])] = want.get(int(r["Fiscal Year"][:4]), 0) + int(
            r["Encounter Count"]
        )
    st = store.load("encounters_by_state").groupby("fiscal_year").encounters.sum()
    for fy, v in want.items():
        assert st[fy] == v
