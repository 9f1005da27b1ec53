"""The sources manifest, `data/sources.json`: every bundled source file and where it came from.

Each entry: id, path (under data/), title, agency, layout, table, official_url, copied_from
(repository, commit, path), release / data_through, sha256 (of the stored file) and
sha256_original (of the file as published, before gzip), rows (data rows in the
original), licence, notes, and optionally `vintage` (the release as YYYY-MM, when it is
later than the last month the data hold: it orders the file among vintages) and `dropped`
(keep/drop: what the build does with stored cells this file no longer has). `indicators
build` reads the files in this order. `indicators register FILE ...` writes an entry,
computing what can be computed (sha256, size, rows, layout) so nothing is typed by hand.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import os
from pathlib import Path

from .errors import InputError
from .hashing import sha256_file
from .store import data_dir


def path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "sources.json"


def load(root: Path | None = None) -> dict:
    """The manifest, read once per file version (charts ask for it on every build)."""
    p = path(root)
    return _read(str(p), p.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(p: str, mtime_ns: int) -> dict:
    return json.loads(Path(p).read_text())


def entries(root: Path | None = None) -> list[dict]:
    return load(root)["sources"]


def by_id(root: Path | None = None) -> dict[str, dict]:
    return {e["id"]: e for e in entries(root)}


def vintage_words(data_vintage: str, root: Path | None = None) -> str:
    """'nchs_final_annual_us@2023-12; ...' (a verdict's data vintage) in words: each file by
    its dataset's title and the vintage it holds. Ids the manifest lacks stay as they are."""
    if not data_vintage:
        return ""
    try:
        titles = {k: e.get("title") or k for k, e in by_id(root).items()}
    except (OSError, ValueError, KeyError):
        titles = {}
    out = []
    for part in str(data_vintage).split("; "):
        sid, _, v = part.partition("@")
        out.append(f"{titles.get(sid, sid)} (data to {v})" if v else titles.get(sid, sid))
    return "; ".join(out)


def verify(root: Path | None = None) -> list[str]:
    """Files that are missing or whose sha256 differs from the manifest."""
    root = root or data_dir()
    problems = []
    for e in entries(root):
        p = root / e["path"]
        if not p.is_file():
            problems.append(f"{e['id']}: {e['path']} is missing")
        elif sha256_file(p) != e["sha256"]:
            problems.append(f"{e['id']}: {e['path']} does not match its sha256")
    return problems


# --- adding a source --------------------------------------------------------------------

FIELDS = ("id", "path", "title", "agency", "layout", "official_url", "copied_from", "release",
          "vintage", "licence", "sha256", "sha256_original", "bytes_original", "rows",
          "provenance", "notes")  # fmt: skip


def count_rows(data: bytes) -> int:
    """Data rows of a CSV (records after the header; quoted line breaks stay in a record)."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig", errors="replace")
    csv.field_size_limit(1 << 30)
    return max(0, sum(1 for _ in csv.reader(io.StringIO(text))) - 1)


def describe_file(file: Path, root: Path | None = None) -> dict:
    """What can be computed about a source file under the data directory: its path there,
    sha256 (stored and as published, before gzip), size as published, data rows, and the
    layout its header is recognised as."""
    from . import sources

    root = (root or data_dir()).resolve()
    file = Path(file).resolve()
    try:
        rel = file.relative_to(root)
    except ValueError:
        raise InputError(
            str(file), f"not under the data directory {root} (put it in raw/<source>/)"
        ) from None
    data = file.read_bytes()
    original = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    parsed = sources.parse_bytes(data, file.name)
    return {
        "path": rel.as_posix(),
        "layout": parsed.layout.id,
        "table": parsed.table,
        "vintage_in_data": parsed.vintage,
        "sha256": sha256_file(file),
        "sha256_original": sha256_file_bytes(original),
        "bytes_original": len(original),
        "rows": count_rows(data),
    }


def sha256_file_bytes(data: bytes) -> str:
    from .hashing import sha256_bytes

    return sha256_bytes(data)


def add(
    entry: dict, root: Path | None = None, replace: bool = False, after: str | None = None
) -> dict:
    """Write an entry to sources.json (atomically, same formatting). A new id goes at the
    end (or after `after`); an existing id is refused unless `replace`."""
    p = path(root)
    doc = json.loads(p.read_text())
    ids = [e["id"] for e in doc["sources"]]
    entry = {k: entry[k] for k in (*FIELDS, "dropped") if entry.get(k) not in (None, "")}
    if entry["id"] in ids:
        if not replace:
            raise InputError(str(p), f"{entry['id']} is already there; use --replace to update it")
        doc["sources"][ids.index(entry["id"])] = entry
    elif after:
        if after not in ids:
            raise InputError(str(p), f"--after {after}: no such id")
        doc["sources"].insert(ids.index(after) + 1, entry)
    else:
        doc["sources"].append(entry)
    tmp = p.with_name(f"tmp-{os.getpid()}-{p.name}")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, p)
    return entry
