"""Merge rules: newer vintages replace the periods they cover; nothing double counts."""

import pandas as pd

from indicators import ingest, merge, query, sources


def test_newer_vintage_replaces_overlap_and_keeps_the_rest(fixture_path):
    old = sources.parse_path(fixture_path("cbp_state_fy20_fy23_excerpt.csv"))
    new = sources.parse_path(fixture_path("cbp_state_fy22_fy25_excerpt.csv"))
    merged, ch1 = merge.merge(old.rows.iloc[0:0], old.rows, "encounters_by_state")
    merged, ch2 = merge.merge(merged, new.rows, "encounters_by_state")
    # FY2023 comes from the newer file only; FY2024-2025 added; FY2022 (old file only) kept
    fy = merged.groupby("fiscal_year").source_id.unique()
    assert all(len(s) == 1 for s in fy)
    assert ch2.scopes_replaced + ch2.scopes_unchanged > 0 and ch2.scopes_added > 0
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
    assert ch.scopes_kept_newer > 0
    for y in (2023,):
        assert merged2[merged2.fiscal_year == y].vintage.unique().tolist() == [new.vintage]


def test_reingest_is_idempotent(fixture_path):
    p = sources.parse_path(fixture_path("cbp_seizures_fy23_excerpt.csv"))
    once, _ = merge.merge(p.rows.iloc[0:0], p.rows, "seizures")
    twice, ch = merge.merge(once, p.rows, "seizures")
    assert not ch.changed and ch.scopes_unchanged > 0
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
