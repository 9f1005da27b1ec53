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


def test_read_and_preview_uses_a_decision_only_for_the_same_files(store):
    """The Upload page's one child process: read, then preview with the user's decision on
    dropped values only when it was taken for these same files."""
    files = [("amo.csv", revised())]
    parsed, rejected, pv = preview.read_and_preview(files, store)
    assert rejected == [] and pv is not None and pv.plan.changed and pv.plan.dropped is None
    same = preview.preview_key(parsed, None)
    _, _, kept = preview.read_and_preview(files, store, decision_for=same, decision="keep")
    assert kept.plan.dropped == "keep" and kept.key == preview.preview_key(parsed, "keep")
    _, _, other = preview.read_and_preview(files, store, decision_for="other", decision="keep")
    assert other.plan.dropped is None and other.key == pv.key
    _, rejected, none = preview.read_and_preview([("x.csv", b"not,a,layout\n1,2,3\n")], store)
    assert len(rejected) == 1 and none is None
    for p in (pv, kept, other):
        p.discard()


def test_a_failing_preview_keeps_the_files_check(store):
    """A damaged stored table fails the preview, not the reading of the files: the page still
    shows which files were recognised and then the preview's own error."""
    meta = store.current().tables["seizures"]
    obj = store.object_path(meta["sha256"])
    obj.chmod(0o644)
    obj.write_bytes(b"corrupt")
    parsed, rejected, pv = preview.read_and_preview([("amo.csv", revised())], store)
    assert [p.table for p in parsed] == ["seizures"] and rejected == [] and pv is None
