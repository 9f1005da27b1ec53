"""The sources manifest, `data/sources.json`: every bundled source file and where it came from.

Each entry: id, path (under data/), title, agency, layout, table, official_url, copied_from
(repository, commit, path), release / data_through, sha256 (of the stored file) and
sha256_original (of the file as published, before gzip), rows (data rows in the
original), licence, notes. `indicators build` reads the files in this order.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .sources.base import sha256_file
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
