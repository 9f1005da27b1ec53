"""Versioned Parquet store with atomic commits, history, rollback and a writer lock.

Layout under the data directory (default `data/`, or $INDICATORS_DATA_DIR):

    store/objects/<sha256>.parquet   one table's rows; content-addressed, never rewritten
    store/versions/<NNNNNN>.json     a version: its tables (object, rows, sha256), sources, changes
    store/CURRENT                    the current version number

A commit writes new objects and the version file aside (temporary name, fsync, rename), then
swaps CURRENT with an atomic rename. A crash at any point leaves the previous version
current and readable. Rollback makes a new version with an old version's tables, so the
history is never rewritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import contract
from .errors import StoreError

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def data_dir() -> Path:
    """The data directory: $INDICATORS_DATA_DIR, else the repository's data/."""
    env = os.environ.get("INDICATORS_DATA_DIR")
    return Path(env).resolve() if env else REPO_DATA


def _fsync_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"tmp-{os.getpid()}-{path.name}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def table_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic Parquet bytes of a table (same rows, same bytes)."""
    buf = io.BytesIO()
    pq.write_table(
        pa.Table.from_pandas(df, preserve_index=False),
        buf,
        compression="zstd",
        write_statistics=True,
    )
    return buf.getvalue()


def sort_rows(df: pd.DataFrame, name: str) -> pd.DataFrame:
    spec = contract.table(name)
    key = [c for c in spec.scope if c in df] + [c for c in spec.names if c not in spec.scope]
    return df.sort_values(key, kind="stable", na_position="first").reset_index(drop=True)


@dataclass
class Version:
    number: int
    meta: dict

    @property
    def tables(self) -> dict[str, dict]:
        return self.meta["tables"]


class Store:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root) if root else data_dir()
        self.dir = self.root / "store"
        self.objects = self.dir / "objects"
        self.versions = self.dir / "versions"

    # --- reading ----------------------------------------------------------------------
    def exists(self) -> bool:
        return (self.dir / "CURRENT").is_file()

    def current(self) -> Version:
        cur = self.dir / "CURRENT"
        if not cur.is_file():
            raise StoreError(
                f"no store at {self.dir}: run `uv run indicators build` to build it from data/raw"
            )
        text = cur.read_text().strip()
        if not text.isdigit():
            raise StoreError(f"{cur} is damaged ({text[:20]!r}); run `indicators rollback N`")
        return self.version(int(text))

    def version(self, number: int) -> Version:
        path = self.versions / f"{number:06d}.json"
        try:
            meta = json.loads(path.read_text())
        except FileNotFoundError:
            raise StoreError(f"version {number} does not exist in {self.dir}") from None
        except json.JSONDecodeError as exc:
            raise StoreError(f"version file {path} is damaged ({exc})") from None
        return Version(number, meta)

    def history(self) -> list[Version]:
        """Versions from the current one back to the first, following parents."""
        out, v = [], self.current()
        seen = set()
        while v is not None and v.number not in seen:
            seen.add(v.number)
            out.append(v)
            parent = v.meta.get("parent")
            v = self.version(parent) if parent else None
        return out

    def object_path(self, sha: str) -> Path:
        return self.objects / f"{sha}.parquet"

    def load(self, name: str, version: Version | None = None, verify: bool = True) -> pd.DataFrame:
        v = version or self.current()
        meta = v.tables.get(name)
        if meta is None:
            return contract.empty(name)
        path = self.object_path(meta["sha256"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoreError(
                f"table {name} of version {v.number} is missing ({path.name}); "
                "roll back with `indicators rollback N` or rebuild with `indicators build`"
            ) from None
        if verify and hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise StoreError(
                f"table {name} of version {v.number} is corrupt (checksum mismatch in {path.name}); "
                "roll back with `indicators rollback N` or rebuild with `indicators build`"
            )
        try:
            return pq.read_table(io.BytesIO(data)).to_pandas()
        except (pa.ArrowException, OSError) as exc:
            raise StoreError(f"table {name} of version {v.number} cannot be read: {exc}") from None

    def verify(self) -> list[str]:
        """Problems with the current version (missing or corrupt objects); [] when sound."""
        try:
            v = self.current()
        except StoreError as exc:
            return [str(exc)]
        problems = []
        for name, meta in v.tables.items():
            path = self.object_path(meta["sha256"])
            if not path.is_file():
                problems.append(f"table {name}: object {path.name} is missing")
                continue
            h = hashlib.sha256(path.read_bytes()).hexdigest()
            if h != meta["sha256"]:
                problems.append(f"table {name}: object {path.name} is corrupt (checksum mismatch)")
        return problems

    def last_sound_version(self) -> int | None:
        """The newest version whose objects are all present and intact (for recovery)."""
        numbers = sorted(
            (int(p.stem) for p in self.versions.glob("*.json") if p.stem.isdigit()), reverse=True
        )
        for n in numbers:
            try:
                v = self.version(n)
            except StoreError:
                continue
            ok = all(
                self.object_path(m["sha256"]).is_file()
                and hashlib.sha256(self.object_path(m["sha256"]).read_bytes()).hexdigest()
                == m["sha256"]
                for m in v.tables.values()
            )
            if ok:
                return n
        return None

    # --- writing ----------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, timeout: float = 60.0) -> Iterator[None]:
        """Exclusive writer lock: concurrent ingests run one after the other."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "a+") as fh:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"the store {self.dir} is locked by another writer (waited {timeout:.0f} s)"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _next_number(self) -> int:
        numbers = [int(p.stem) for p in self.versions.glob("*.json") if p.stem.isdigit()]
        return max(numbers, default=0) + 1

    def write_object(self, df: pd.DataFrame) -> tuple[str, int]:
        data = table_bytes(df)
        sha = hashlib.sha256(data).hexdigest()
        path = self.object_path(sha)
        # Reuse an existing object only if it is intact: a rebuild repairs a corrupt one.
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            self.objects.mkdir(parents=True, exist_ok=True)
            _fsync_write(path, data)
        return sha, len(df)

    def commit(
        self,
        tables: dict[str, pd.DataFrame],
        message: str,
        sources: list[dict] | None = None,
        changes: list[dict] | None = None,
        base: Version | None = None,
        kind: str = "ingest",
    ) -> Version:
        """Write a new version: `tables` replace those of `base` (default: current); the rest carry over.

        The caller holds `lock()`.
        """
        self.versions.mkdir(parents=True, exist_ok=True)
        parent = base if base is not None else (self.current() if self.exists() else None)
        if parent is not None and self.exists() and parent.number != self.current().number:
            raise StoreError(
                f"the store moved from version {parent.number} to {self.current().number} "
                "while this change was prepared; try again"
            )
        entries = dict(parent.tables) if parent else {}
        for name, df in tables.items():
            sha, rows = self.write_object(sort_rows(contract.conform(df, name), name))
            entries[name] = {"sha256": sha, "rows": rows}
        number = self._next_number()
        meta = {
            "version": number,
            "parent": parent.number if parent else None,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "kind": kind,
            "message": message,
            "tables": dict(sorted(entries.items())),
            "sources": sources or [],
            "changes": changes or [],
        }
        _fsync_write(self.versions / f"{number:06d}.json", json.dumps(meta, indent=1).encode())
        _fsync_write(self.dir / "CURRENT", f"{number}\n".encode())
        return Version(number, meta)

    def rollback(self, number: int) -> Version:
        """A new version whose tables are those of version `number`."""
        with self.lock():
            target = self.version(number)
            for name, meta in target.tables.items():
                if not self.object_path(meta["sha256"]).is_file():
                    raise StoreError(
                        f"version {number} cannot be restored: table {name} is missing"
                    )
            cur = self.current() if self.exists() else None
            self.versions.mkdir(parents=True, exist_ok=True)
            new = self._next_number()
            meta = {
                "version": new,
                "parent": cur.number if cur else None,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "kind": "rollback",
                "message": f"rollback to version {number}",
                "tables": target.tables,
                "sources": target.meta.get("sources", []),
                "changes": [],
            }
            _fsync_write(self.versions / f"{new:06d}.json", json.dumps(meta, indent=1).encode())
            _fsync_write(self.dir / "CURRENT", f"{new}\n".encode())
            return Version(new, meta)

    def fingerprint(self) -> str:
        """Changes whenever the current version changes (cache key for the pages)."""
        cur = self.dir / "CURRENT"
        try:
            return f"{self.dir}:{cur.read_text().strip()}"
        except FileNotFoundError:
            return f"{self.dir}:none"
