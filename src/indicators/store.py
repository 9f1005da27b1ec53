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
from .errors import StaleBase, StoreError
from .hashing import sha256_bytes

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


def _source_label(s: dict) -> str:
    sid, file = str(s.get("id") or ""), str(s.get("file") or "")
    if sid and not sid.startswith("upload:"):
        return sid
    return f"{file} ({sid})" if sid else file


@dataclass
class Version:
    number: int
    meta: dict

    @property
    def tables(self) -> dict[str, dict]:
        return self.meta["tables"]


def _read_parquet(data: bytes, dictionary: list[str] | None) -> pd.DataFrame:
    """Parquet bytes to a frame one column at a time, Arrow's buffers freed after each: the
    peak is the frame plus one column, not the frame plus the whole Arrow table (at 100x the
    encounters rows: 0.6 instead of 1.2 GB). Dtypes come from the file's pandas metadata."""
    pf = pq.ParquetFile(io.BytesIO(data), read_dictionary=dictionary)
    cols = {}
    for name in pf.schema_arrow.names:
        part = pf.read(columns=[name], use_pandas_metadata=True)
        cols[name] = part.to_pandas(self_destruct=True)[name]
        del part
        pa.default_memory_pool().release_unused()  # give Arrow's freed buffers back
    return pd.DataFrame(cols, copy=False) if cols else pf.read().to_pandas()


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

    def history_frame(self) -> pd.DataFrame:
        """The history as a table (the CLI's `history` and the Upload page show this)."""
        cur = self.current().number
        rows = []
        for v in self.history():
            m = v.meta
            rows.append(
                {
                    "version": v.number,
                    "current": v.number == cur,
                    "created (UTC)": m["created"],
                    "kind": m.get("kind", ""),
                    "what": m["message"],
                    "sources": ", ".join(_source_label(s) for s in m.get("sources", []))[:300],
                    "rows": sum(t["rows"] for t in m["tables"].values()),
                }
            )
        return pd.DataFrame(rows)

    def object_path(self, sha: str) -> Path:
        return self.objects / f"{sha}.parquet"

    def load(
        self,
        name: str,
        version: Version | None = None,
        verify: bool = True,
        dictionary: list[str] | None = None,
    ) -> pd.DataFrame:
        """A table of a version (the current one by default), checksum verified. Columns in
        `dictionary` come back as pandas categoricals straight from Arrow's dictionary
        encoding, never as one Python string per row (a fraction of the memory at scale)."""
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
        if verify and sha256_bytes(data) != meta["sha256"]:
            raise StoreError(
                f"table {name} of version {v.number} is corrupt (checksum mismatch in {path.name}); "
                "roll back with `indicators rollback N` or rebuild with `indicators build`"
            )
        try:
            return _read_parquet(data, dictionary)
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
            h = sha256_bytes(path.read_bytes())
            if h != meta["sha256"]:
                problems.append(f"table {name}: object {path.name} is corrupt (checksum mismatch)")
        return problems

    def committed(self) -> list[int] | None:
        """Numbers of the committed versions (the current one and its ancestors), or None
        when CURRENT or a version on the chain cannot be read."""
        try:
            return [v.number for v in self.history()]
        except StoreError:
            return None

    def last_sound_version(self) -> int | None:
        """The newest committed version whose objects are all present and intact (for
        recovery). A version file left by a killed writer (never made current) is not one."""
        committed = self.committed()
        if committed is None:  # CURRENT is damaged: every readable version file is a candidate
            committed = [int(p.stem) for p in self.versions.glob("*.json") if p.stem.isdigit()]
        for n in sorted(committed, reverse=True):
            try:
                v = self.version(n)
            except StoreError:
                continue
            ok = all(
                self.object_path(m["sha256"]).is_file()
                and sha256_bytes(self.object_path(m["sha256"]).read_bytes()) == m["sha256"]
                for m in v.tables.values()
            )
            if ok:
                return n
        return None

    def leftovers(self) -> dict[str, list[Path]]:
        """Files a killed writer left behind: temporary files (tmp-*), version files that
        were never made current, objects no committed version uses. Empty lists when clean;
        nothing is reported when the committed history cannot be read (repair that first)."""
        out: dict[str, list[Path]] = {"temporary": [], "versions": [], "objects": []}
        for d in (self.dir, self.objects, self.versions):
            if d.is_dir():
                out["temporary"] += sorted(d.glob("tmp-*"))
        committed = self.committed()
        if committed is None:
            return out
        keep = set(committed)
        out["versions"] = sorted(
            p for p in self.versions.glob("*.json") if p.stem.isdigit() and int(p.stem) not in keep
        )
        used = set()
        for n in committed:
            used |= {m["sha256"] for m in self.version(n).tables.values()}
        out["objects"] = sorted(p for p in self.objects.glob("*.parquet") if p.stem not in used)
        return out

    def describe_leftovers(self) -> list[str]:
        left = self.leftovers()
        what = {
            "temporary": "temporary files (tmp-*) of interrupted writes",
            "versions": "version files never made current (an interrupted commit)",
            "objects": "table objects no committed version uses",
        }
        return [
            f"{len(files)} {what[k]}: " + ", ".join(p.name for p in files[:5])
            + (" ..." if len(files) > 5 else "")
            for k, files in left.items()
            if files
        ]  # fmt: skip

    def repair(self) -> list[str]:
        """Delete the leftovers of killed writers (under the writer lock); says what went."""
        with self.lock():
            return self._clean()

    def _clean(self) -> list[str]:
        """Delete leftovers; the caller holds the writer lock, so no writer is running."""
        said = self.describe_leftovers()
        for files in self.leftovers().values():
            for p in files:
                p.unlink(missing_ok=True)
        return said

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
        sha = sha256_bytes(data)
        path = self.object_path(sha)
        # Reuse an existing object only if it is intact: a rebuild repairs a corrupt one.
        if not path.is_file() or sha256_bytes(path.read_bytes()) != sha:
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

        The caller holds `lock()`. Leftovers of killed writers are deleted first.
        """
        self.versions.mkdir(parents=True, exist_ok=True)
        if self.exists():
            self._clean()
        parent = base if base is not None else (self.current() if self.exists() else None)
        if self.exists() and (parent is None or parent.number != self.current().number):
            raise StaleBase(
                f"the shared data moved from version {parent.number if parent else 'none'} to "
                f"{self.current().number} since this change was previewed; nothing was saved: "
                "preview it again"
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
            self._clean()
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
