"""Ingest files into the store: recognise, validate, preview the change, commit atomically.

Used by `indicators ingest`, the upload page and the build. Nothing is written unless every
file is valid; the store's current version is unchanged by any failure. A plan is made
against one stored version (its base) and is saved only if that version is still current.

Official identity: a file whose bytes are those of a bundled source (data/sources.json), or
that has the same layout and release and exactly the same rows, keeps that source's id and
vintage, so the charts keep citing the official file; anything else is `upload:<sha12>`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import sources
from .errors import DecisionNeeded, InputError, StoreError
from .hashing import sha256_bytes
from .merge import Change, merge
from .store import Store, Version


@dataclass
class Plan:
    """What an ingest would do, computed against one stored version (its base)."""

    base: Version | None
    parsed: list[sources.Parsed]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    dropped: str | None = None  # the decision on stored cells the new files no longer have

    @property
    def base_number(self) -> int | None:
        return self.base.number if self.base else None

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    @property
    def needs_decision(self) -> bool:
        return any(c.needs_decision for c in self.changes)

    @property
    def cells_dropped(self) -> int:
        return sum(c.cells_dropped for c in self.changes)

    def describe(self, details: int = 10) -> list[str]:
        out = []
        for p in self.parsed:
            out.append(
                f"{p.file}: {p.layout.title} -> {p.table}, {len(p.rows)} rows, {p.periods()}, "
                f"vintage {p.vintage}, source {p.rows['source_id'].iloc[0]}"
                + (f" ({'; '.join(p.notes)})" if p.notes else "")
            )
        for c in self.changes:
            out.append(c.describe())
            out += c.details(details)
        return out

    def summary(self) -> pd.DataFrame:
        """One row per table: identical / revised / added / kept / dropped cells."""
        return pd.DataFrame([c.counts() for c in self.changes])

    def revisions(self) -> pd.DataFrame:
        """The largest revisions, all tables."""
        rows = [{"table": c.table, **r} for c in self.changes for r in c.revisions]
        df = pd.DataFrame(rows, columns=["table", "cell", "unit", "before", "after", "change",
                                         "rows before", "rows after"])  # fmt: skip
        return df.sort_values("change", key=lambda s: s.abs(), ascending=False, na_position="last")

    def dropped_cells(self) -> pd.DataFrame:
        """Stored cells the new files no longer have (within what they cover)."""
        rows = [{"table": c.table, **r} for c in self.changes for r in c.dropped]
        return pd.DataFrame(rows, columns=["table", "cell", "unit", "rows", "value"])

    def source_records(self) -> list[dict]:
        return [
            {
                "file": p.file,
                "id": str(p.rows["source_id"].iloc[0]),
                "layout": p.layout.id,
                "table": p.table,
                "sha256": p.sha256,
                "rows": len(p.rows),
                "vintage": p.vintage,
                "periods": p.periods(),
            }
            for p in self.parsed
        ]


def plan(
    parsed: list[sources.Parsed],
    store: Store,
    base: Version | None = None,
    dropped: str | None = None,
) -> Plan:
    """Merge parsed files (in order) into the tables of `base` (default: current version).

    `dropped` decides what happens to stored cells the files no longer have inside what they
    cover: "keep", "drop", or None (undecided: the plan shows them and cannot be saved).
    """
    if base is None and store.exists():
        base = store.current()
    pl = Plan(base=base, parsed=parsed, dropped=dropped)
    by_table: dict[str, Change] = {}
    for p in parsed:
        current = pl.tables.get(p.table)
        if current is None:
            current = store.load(p.table, base) if base else p.rows.iloc[0:0]
        merged, ch = merge(current, p.rows, p.table, periods=p.periods(), dropped=dropped)
        pl.tables[p.table] = merged
        if p.table in by_table:  # several files for one table: sum the effect
            by_table[p.table].add(ch)
        else:
            by_table[p.table] = ch
    pl.changes = list(by_table.values())
    return pl


# --- official identity ------------------------------------------------------------------


def _manifest_entries() -> list[dict]:
    from . import manifest

    try:
        return manifest.entries()
    except (FileNotFoundError, ValueError, KeyError):
        return []


def known_source(data: bytes, sha: str | None = None) -> dict | None:
    """The manifest entry of a bundled source file with exactly these bytes (stored or as
    published), if any. `sha`: their sha256, if already computed."""
    sha = sha or sha256_bytes(data)
    for e in _manifest_entries():
        if sha in (e.get("sha256"), e.get("sha256_original")):
            return e
    return None


def known_source_id(data: bytes) -> str | None:
    e = known_source(data)
    return e["id"] if e else None


@functools.lru_cache(maxsize=8)
def _bundled_rows(path: str, sha256: str, source_id: str, vintage: str | None) -> pd.DataFrame:
    return sources.parse_path(path, source_id=source_id, vintage=vintage).rows


def _same_release(p: sources.Parsed) -> tuple[dict | None, bool]:
    """A bundled source of the same layout and release (data through the same month) as
    `p`, and whether its rows are exactly those of `p` (provenance aside)."""
    from .store import data_dir

    for e in _manifest_entries():
        if e.get("layout") != p.layout.id:
            continue
        path = data_dir() / e["path"]
        if not path.is_file():
            continue
        try:
            # the data's own release month (without the manifest's vintage), as for an upload
            theirs = _bundled_rows(str(path), e["sha256"], e["id"], None)
        except InputError:
            continue
        if str(theirs["vintage"].max()) != p.vintage:
            continue
        a = theirs.drop(columns=["source_id", "vintage"])
        b = p.rows.drop(columns=["source_id", "vintage"])
        same = len(a) == len(b) and a.sort_values(list(a.columns)).reset_index(drop=True).equals(
            b.sort_values(list(b.columns)).reset_index(drop=True)
        )
        return e, same
    return None, False


def _relabel(p: sources.Parsed, e: dict) -> sources.Parsed:
    rows = p.rows.copy()
    rows["source_id"] = pd.array([e["id"]] * len(rows), dtype="string")
    if e.get("vintage"):
        rows["vintage"] = pd.array([e["vintage"]] * len(rows), dtype="string")
    p.rows = rows
    p.vintage = str(rows["vintage"].max())
    return p


def parse_upload(data: bytes, name: str, **kw) -> sources.Parsed:
    """Parse a file's bytes, keeping the official identity of a bundled source file."""
    sha = sha256_bytes(data)  # once: the manifest lookup and the parse share it
    e = known_source(data, sha)
    if e is not None:
        p = sources.parse_bytes(
            data, name, source_id=e["id"], vintage=e.get("vintage"), sha256=sha, **kw
        )
        p.notes.append(f"the official file {e['id']} ({e.get('release', '')})")
        return p
    p = sources.parse_bytes(data, name, sha256=sha, **kw)
    e, same = _same_release(p)
    if e is not None and same:
        p = _relabel(p, e)
        p.notes.append(
            f"the official file {e['id']} ({e.get('release', '')}): same layout, release and rows"
        )
    elif e is not None:
        p.notes.append(
            f"same layout and release as the official file {e['id']}, but other rows: "
            "kept as an upload of its own"
        )
    return p


def parse_files(paths: list[str | Path], **kw) -> list[sources.Parsed]:
    """Parse every file; raise the first InputError (nothing is stored)."""
    out = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise InputError(str(p), "no such file")
        out.append(parse_upload(path.read_bytes(), path.name, **kw))
    return out


# --- writing ----------------------------------------------------------------------------


def _write(pl: Plan, store: Store, message: str) -> Version | None:
    """Commit a plan; the caller holds the writer lock. Refuses a plan with an open decision
    and a plan whose base is no longer the current version (StaleBase)."""
    if pl.needs_decision:
        raise DecisionNeeded(
            f"{pl.cells_dropped} stored cells are missing from the new files within the periods "
            "they cover: decide whether to keep or drop them (--dropped keep|drop)",
            plan=pl,
        )
    changed = {c.table for c in pl.changes if c.changed}
    if not changed:
        return None
    return store.commit(
        {t: df for t, df in pl.tables.items() if t in changed},
        message=message,
        sources=pl.source_records(),
        changes=[c.as_dict() for c in pl.changes],
        base=pl.base,
    )


def commit(pl: Plan, store: Store, message: str) -> Version | None:
    """Write a previewed plan as a new version, unless nothing changed.

    Refuses (StaleBase) if the store moved on since the plan was made: preview again.
    """
    if not pl.changed and not pl.needs_decision:
        return None
    with store.lock():
        return _write(pl, store, message)


def ingest(
    paths: list[str | Path],
    store: Store | None = None,
    dry_run: bool = False,
    dropped: str | None = None,
    init: bool = False,
    **kw,
) -> tuple[Plan, Version | None]:
    """Parse, plan and (unless dry_run) commit. Any bad file raises before anything is written.

    A data directory without a store is refused unless `init` (a mistyped
    $INDICATORS_DATA_DIR would otherwise start a new, nearly empty store).
    """
    store = store or Store()
    if not store.exists() and not init:
        raise StoreError(
            f"no store at {store.dir} (is INDICATORS_DATA_DIR right?); "
            "to start a new store there, run again with --init"
        )
    parsed = parse_files(paths, **kw)
    with store.lock():
        pl = plan(parsed, store, dropped=dropped)
        if dry_run or (not pl.changed and not pl.needs_decision):
            return pl, None
        return pl, _write(pl, store, "ingest " + ", ".join(Path(p).name for p in paths))


__all__ = ["InputError", "Plan", "commit", "ingest", "parse_files", "parse_upload", "plan"]
