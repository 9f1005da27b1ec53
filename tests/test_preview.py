"""Preview stores (the uploader's private copies under the temp folder) do not pile up."""

import os
import tempfile
import time
from pathlib import Path

from indicators import ingest, preview
from indicators.store import REPO_DATA, Store

AMO = REPO_DATA / "raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv"


def revised() -> bytes:
    lines = AMO.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",777.25"
    return ("\n".join(lines) + "\n").encode()


def test_old_previews_are_deleted_and_a_saved_one_goes(store):
    stale = Path(tempfile.mkdtemp(prefix=preview.PREFIX))
    (stale / "store").mkdir()
    old = time.time() - preview.TTL_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = Path(tempfile.mkdtemp(prefix=preview.PREFIX))  # another session's, in use
    parsed = [ingest.parse_upload(revised(), "amo.csv")]
    pv = preview.make_preview(parsed, store)
    assert pv.plan.changed and Path(pv.store_path).is_dir()
    assert not stale.exists() and fresh.exists()  # expired ones only
    assert (
        Store(pv.store_path).load("seizures").quantity.sum()
        != store.load("seizures").quantity.sum()
    )
    v = preview.save(pv, store, "upload amo.csv")
    assert v.number == pv.base_number + 1
    assert not Path(pv.store_path).exists()  # saved: its preview store is gone
    preview.discard(fresh)
    assert not fresh.exists()


def test_discard_only_touches_preview_stores(tmp_path):
    keep = tmp_path / "not-a-preview"
    keep.mkdir()
    preview.discard(keep)
    assert keep.exists()
