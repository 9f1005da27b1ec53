"""Merge rules: a newer vintage replaces exactly the (series, period) cells it covers; cells
it drops are listed and decided; the summary separates identical, revised, added, kept."""

import gzip
import json
import subprocess

import pandas as pd
import pytest
from conftest import cli

from indicators import ingest, merge, query, sources
from indicators.errors import DecisionNeeded, StoreError
from indicators.store import REPO_DATA, Store

AMO = REPO_DATA / "raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv"


def test_newer_vintage_replaces_overlap_and_keeps_the_rest(fixture_path):
    old = sources.parse_path(fixture_path("cbp_state_fy20_fy23_excerpt.csv"))
    new = sources.parse_path(fixture_path("cbp_state_fy22_fy25_excerpt.csv"))
    merged, ch1 = merge.merge(old.rows.iloc[0:0], old.rows, "encounters_by_state")
    merged, ch2 = merge.merge(merged, new.rows, "encounters_by_state")
    # FY2023 comes from the newer file only; FY2024-2025 added; FY2022 (old file only) kept
    fy = merged.groupby("fiscal_year").source_id.unique()
    assert all(len(s) == 1 for s in fy)
    assert ch2.cells_revised + ch2.cells_identical > 0 and ch2.cells_added > 0
    for y in (2023,):
        assert (
            merged[merged.fiscal_year == y].encounters.sum()
            == new.rows[new.rows.fiscal_year == y].encounters.sum()
        )
    assert set(merged.fiscal_year) == set(old.rows.fiscal_year) | set(new.rows.fiscal_year)


def test_older_vintage_never_replaces_newer(fixture_path):
    old = sources.parse_path(fixture_path("cbp_state_fy20_fy23_excerpt.csv"))
    new = sources.parse_path(fixture_path("cbp_state_fy22_fy25_excerpt.csv"))
    merged, _ = merge.merge(new.rows.iloc[0:0], new.rows, "encounters_by_state")
    merged2, ch = merge.merge(merged, old.rows, "encounters_by_state")
    # the overlap is identical in both releases, or kept from the newer one; never replaced
    assert ch.cells_kept_newer + ch.cells_identical > 0 and ch.cells_revised == 0
    for y in (2023,):
        assert merged2[merged2.fiscal_year == y].vintage.unique().tolist() == [new.vintage]


def test_reingest_is_idempotent(fixture_path):
    p = sources.parse_path(fixture_path("cbp_seizures_fy23_excerpt.csv"))
    once, _ = merge.merge(p.rows.iloc[0:0], p.rows, "seizures")
    twice, ch = merge.merge(once, p.rows, "seizures")
    assert not ch.changed and ch.cells_identical > 0 and ch.cells_dropped == 0
    pd.testing.assert_frame_equal(once, twice)


def test_reingest_bundled_file_changes_nothing(store):
    before = store.current().number
    raw = store.root / "raw/cbp_seizures/nationwide-drugs-fy23-fy26-apr.csv.gz"
    pl, v = ingest.ingest([raw], store)
    assert v is None and store.current().number == before
    assert all(not c.changed for c in pl.changes)


def test_dry_run_writes_nothing(store, fixture_path):
    before = store.current().number
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",7.5"
    p = store.root / "amo.csv"
    p.write_text("\n".join(src) + "\n")
    pl, v = ingest.ingest([p], store, dry_run=True)
    assert pl.changed and v is None and store.current().number == before


def test_by_state_and_by_area_are_never_added(store):
    # Same events, two cuts: the totals agree and live in different tables
    aor = (
        query.query("encounters", by=["fiscal_year"], store=store)
        .set_index("fiscal_year")
        .encounters
    )
    st = (
        query.query("encounters_by_state", by=["fiscal_year"], store=store)
        .set_index("fiscal_year")
        .encounters
    )
    common = aor.index.intersection(st.index)
    assert len(common) == 5
    assert (aor[common] == st[common]).all()


def test_bad_file_in_a_batch_stores_nothing(store, fixture_path):
    before = store.current().number
    good = store.root / "amo.csv"
    src = fixture_path("cbp_amo_excerpt.csv").read_text().splitlines()
    src[1] = src[1].rsplit(",", 1)[0] + ",8.5"
    good.write_text("\n".join(src) + "\n")
    try:
        ingest.ingest([good, fixture_path("bad_negative.csv")], store)
    except sources.InputError:
        pass
    else:
        raise AssertionError("the bad file was accepted")
    assert store.current().number == before


def _amo_rows() -> pd.DataFrame:
    return sources.parse_path(AMO).rows


def _cell(df, fy, month, drug):
    return df[(df.fiscal_year == fy) & (df.month == month) & (df.drug == drug)]


def test_newer_vintage_lacking_a_month_of_a_drug_lists_the_dropped_cell():
    """The stale rows of a (series, period) cell the newer file no longer has are never kept
    silently: listed, then kept or dropped as decided."""
    old = _amo_rows()
    stored, _ = merge.merge(old.iloc[0:0], old, "seizures")
    new = old[~((old.fiscal_year == 2024) & (old.month == 3) & (old.drug == "methamphetamine"))]
    new = new.assign(vintage="2026-01")  # a later release
    stale = _cell(stored, 2024, 3, "methamphetamine")
    assert len(stale) > 0
    undecided, ch = merge.merge(stored, new, "seizures")
    assert ch.cells_dropped == 1 and ch.needs_decision and ch.dropped_decision is None
    assert ch.dropped[0]["rows"] == len(stale)
    assert ch.dropped[0]["value"] == pytest.approx(float(stale.quantity.sum()))
    assert "methamphetamine" in ch.dropped[0]["cell"] and "missing from the new file" in "\n".join(
        ch.details()
    )
    kept, ch_keep = merge.merge(stored, new, "seizures", dropped="keep")
    assert not ch_keep.needs_decision and len(_cell(kept, 2024, 3, "methamphetamine")) == len(stale)
    dropped, ch_drop = merge.merge(stored, new, "seizures", dropped="drop")
    assert ch_drop.changed and _cell(dropped, 2024, 3, "methamphetamine").empty
    assert len(dropped) == len(stored) - len(stale)
    # every other cell is identical and now cites the newer release
    assert ch_drop.cells_identical == ch_drop.cells_refreshed > 0
    assert set(dropped.vintage) == {"2026-01"}


def test_a_missing_month_inside_the_span_is_dropped_not_kept():
    old = _amo_rows()
    stored, _ = merge.merge(old.iloc[0:0], old, "seizures")
    new = old[~((old.fiscal_year == 2024) & (old.month == 3))].assign(vintage="2026-01")
    _, ch = merge.merge(stored, new, "seizures")
    assert ch.cells_dropped == _cell(stored, 2024, 3, stored.drug).drug.nunique()


def test_cells_outside_the_coverage_are_kept_silently():
    old = _amo_rows()
    stored, _ = merge.merge(old.iloc[0:0], old, "seizures")
    new = old[old.fiscal_year == 2026].assign(vintage="2026-01")  # covers FY2026 only
    merged, ch = merge.merge(stored, new, "seizures")
    assert ch.cells_dropped == 0 and not ch.needs_decision
    assert len(merged) == len(stored)


def test_summary_separates_identical_revised_added_and_kept_newer():
    old = _amo_rows()
    stored, _ = merge.merge(old.iloc[0:0], old[old.fiscal_year <= 2025], "seizures")
    new = old.copy()
    i = new.index[(new.fiscal_year == 2024) & (new.month == 5) & (new.drug == "cocaine")][0]
    before = float(_cell(stored, 2024, 5, "cocaine").quantity.sum())
    new.loc[i, "quantity"] = new.loc[i, "quantity"] + 1000
    merged, ch = merge.merge(stored, new, "seizures")
    n_new_cells = merge.scope_key(old[old.fiscal_year == 2026], "seizures").nunique()
    n_old_cells = merge.scope_key(stored, "seizures").nunique()
    assert (ch.cells_identical, ch.cells_revised, ch.cells_added, ch.cells_kept_newer) == (
        n_old_cells - 1,
        1,
        n_new_cells,
        0,
    )
    rev = ch.revisions[0]
    assert "cocaine" in rev["cell"] and rev["unit"] == "lb"
    assert rev["before"] == pytest.approx(before) and rev["change"] == pytest.approx(1000)
    assert "identical" in ch.describe() and "1 revised" in ch.describe()
    # an older vintage of the revised cell is kept out
    older = new.assign(vintage="2020-01")
    older.loc[i, "quantity"] = 5.0
    _, ch2 = merge.merge(merged, older, "seizures")
    assert ch2.cells_kept_newer == 1 and ch2.kept_newer[0]["stored vintage"] == "2025-12"


def test_the_largest_revisions_come_first():
    old = _amo_rows()
    stored, _ = merge.merge(old.iloc[0:0], old, "seizures")
    new = old.copy()
    for drug, add in (("cocaine", 10.0), ("marijuana", 500.0)):
        i = new.index[(new.fiscal_year == 2024) & (new.month == 5) & (new.drug == drug)][0]
        new.loc[i, "quantity"] += add
    _, ch = merge.merge(stored, new, "seizures")
    assert [r["change"] for r in ch.revisions] == pytest.approx([500.0, 10.0])


def test_undecided_plan_is_not_saved(store):
    before = store.current().number
    lines = AMO.read_text().splitlines()
    keep = [
        ln for ln in lines if not (ln.startswith("2024") and ",MAR," in ln and ",Cocaine," in ln)
    ]
    p = store.root / "amo-dropped.csv"
    p.write_text("\n".join(keep) + "\n")
    with pytest.raises(DecisionNeeded) as exc:
        ingest.ingest([p], store)
    assert "keep or drop" in str(exc.value) and exc.value.plan.cells_dropped == 1
    assert store.current().number == before
    pl, v = ingest.ingest([p], store, dropped="drop")
    assert v is not None and v.number == before + 1
    assert _cell(store.load("seizures").query("series == 'cbp_amo'"), 2024, 3, "cocaine").empty


def test_cli_ingest_asks_for_the_decision_and_lists_the_cells(data_dir):
    lines = AMO.read_text().splitlines()
    keep = [
        ln for ln in lines if not (ln.startswith("2024") and ",MAR," in ln and ",Cocaine," in ln)
    ]
    p = data_dir / "amo-dropped.csv"
    p.write_text("\n".join(keep) + "\n")
    before = Store(data_dir).current().number
    r = cli("ingest", str(p))
    assert r.returncode == 1, r.stdout + r.stderr
    assert (
        "missing from the new file: agency CBP, series cbp_amo" in r.stdout
        and "cocaine" in r.stdout
    )
    assert "--dropped keep|drop" in r.stderr
    assert Store(data_dir).current().number == before
    r = cli("ingest", str(p), "--dropped", "keep")
    assert r.returncode == 0, r.stderr
    assert "nothing changed" in r.stdout  # kept: the table is as it was
    r = cli("ingest", str(p), "--dropped", "drop")
    assert r.returncode == 0 and f"stored as version {before + 1}" in r.stdout, r.stderr


def test_reuploaded_official_file_keeps_its_official_identity(store):
    raw = REPO_DATA / "raw/cbp_seizures/nationwide-drugs-fy23-fy26-apr.csv.gz"
    exact = ingest.parse_upload(raw.read_bytes(), raw.name)
    assert set(exact.rows.source_id) == {"cbp_seizures_fy23_fy26_apr"}
    # the same release as published (decompressed) and re-compressed with other settings
    plain = gzip.decompress(raw.read_bytes())
    again = gzip.compress(plain, compresslevel=1, mtime=0)
    for data in (plain, again):
        p = ingest.parse_upload(data, "renamed.csv")
        assert set(p.rows.source_id) == {"cbp_seizures_fy23_fy26_apr"}, p.notes
    assert any(
        "same layout, release and rows" in n for n in ingest.parse_upload(again, "x.csv.gz").notes
    )
    # the same layout and release with an edited value is an upload of its own
    edited = plain.replace(b"\n", b"\n", 1)
    text = plain.decode().splitlines()
    text[1] = text[1].rsplit(",", 1)[0] + ",123456.5"
    edited = ("\n".join(text) + "\n").encode()
    p = ingest.parse_upload(edited, "edited.csv")
    assert p.rows.source_id.iloc[0].startswith("upload:")
    assert any("other rows" in n for n in p.notes)
    pl, v = ingest.ingest([raw], store)
    assert v is None and all(not c.changed for c in pl.changes)


def test_vintage_comes_from_the_release_for_the_december_extract(store):
    man = {e["id"]: e for e in json.loads((REPO_DATA / "sources.json").read_text())["sources"]}
    assert man["vsrr_december_by_state_2015_2024"]["vintage"] == "2025-12"
    deaths = store.load("overdose_deaths")
    dec = deaths[deaths.source_id == "vsrr_december_by_state_2015_2024"]
    assert len(dec) > 0 and set(dec.vintage) == {"2025-12"}
    raw = REPO_DATA / man["vsrr_december_by_state_2015_2024"]["path"]
    assert ingest.parse_upload(raw.read_bytes(), raw.name).vintage == "2025-12"
    # the April-2025 US file is older: uploading it again keeps the December values
    us = REPO_DATA / man["vsrr_us_through_2025_04"]["path"]
    pl, v = ingest.ingest([us], store)
    assert v is None and pl.changes[0].cells_revised == 0


def test_ingest_refuses_a_data_dir_without_a_store_unless_init(tmp_path):
    empty = tmp_path / "typo"
    empty.mkdir()
    f = REPO_DATA / "raw/dea/dea_fentanyl_seizures.csv"
    r = cli("ingest", str(f), env={"INDICATORS_DATA_DIR": str(empty)})
    assert r.returncode == 1 and "--init" in r.stderr and "no store at" in r.stderr
    assert not (empty / "store" / "CURRENT").exists()
    with pytest.raises(StoreError):
        ingest.ingest([f], Store(empty))
    r = cli("ingest", str(f), "--init", env={"INDICATORS_DATA_DIR": str(empty)})
    assert r.returncode == 0 and "stored as version 1" in r.stdout, r.stderr
    assert isinstance(r, subprocess.CompletedProcess)
