"""Ingest files into the store: recognise, validate, preview the change, commit atomically.

Used by `indicators ingest`, the upload page and the build. Nothing is written unless every
file is valid; the store's current version is unchanged by any failure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import sources
from .errors import InputError
from .merge import Change, merge
from .store import Store, Version


@dataclass
class Plan:
    """What an ingest would do, computed against one stored version."""

    base: Version | None
    parsed: list[sources.Parsed]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    def describe(self) -> list[str]:
        out = []
        for p in self.parsed:
            out.append(
                f"{p.file}: {p.layout.title} -> {p.table}, {len(p.rows)} rows, {p.periods()}, vintage {p.vintage}"
                + (f" ({'; '.join(p.notes)})" if p.notes else "")
            )
        out += [c.describe() for c in self.changes]
        return out

    def source_records(self) -> list[dict]:
        return [
            {
                "file": p.file,
                "layout": p.layout.id,
                "table": p.table,
                "sha256": p.sha256,
                "rows": len(p.rows),
                "vintage": p.vintage,
                "periods": p.periods(),
            }
            for p in self.parsed
        ]


def plan(parsed: list[sources.Parsed], store: Store, base: Version | None = None) -> Plan:
    """Merge parsed files (in order) into the tables of `base` (default: current version)."""
    if base is None and store.exists():
        base = store.current()
    pl = Plan(base=base, parsed=parsed)
    by_table: dict[str, Change] = {}
    for p in parsed:
        current = pl.tables.get(p.table)
        if current is None:
            current = store.load(p.table, base) if base else p.rows.iloc[0:0]
        merged, ch = merge(current, p.rows, p.table, periods=p.periods())
        pl.tables[p.table] = merged
        prev = by_table.get(p.table)
        if prev is None:
            by_table[p.table] = ch
        else:  # several files for one table: sum the effect
            for f in (
                "rows_added",
                "rows_removed",
                "scopes_added",
                "scopes_replaced",
                "scopes_unchanged",
                "scopes_kept_newer",
            ):
                setattr(prev, f, getattr(prev, f) + getattr(ch, f))
            prev.rows_after = ch.rows_after
            prev.periods = "; ".join(x for x in (prev.periods, ch.periods) if x)
    pl.changes = list(by_table.values())
    return pl


def known_source_id(data: bytes) -> str | None:
    """The manifest id of a bundled source file with exactly these bytes, if any."""
    from . import manifest

    sha = hashlib.sha256(data).hexdigest()
    try:
        for e in manifest.entries():
            if sha in (e["sha256"], e.get("sha256_original")):
                return e["id"]
    except (FileNotFoundError, ValueError, KeyError):
        return None
    return None


def parse_upload(data: bytes, name: str, **kw) -> sources.Parsed:
    """Parse a file's bytes; a bundled source file keeps its manifest id as provenance."""
    return sources.parse_bytes(data, name, source_id=known_source_id(data), **kw)


def parse_files(paths: list[str | Path], **kw) -> list[sources.Parsed]:
    """Parse every file; raise the first InputError (nothing is stored)."""
    out = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise InputError(str(p), "no such file")
        out.append(parse_upload(path.read_bytes(), path.name, **kw))
    return out


def _write(pl: Plan, store: Store, message: str) -> Version:
    """Commit a plan; the caller holds the writer lock."""
    changed = {c.table for c in pl.changes if c.changed}
    return store.commit(
        {t: df for t, df in pl.tables.items() if t in changed},
        message=message,
        sources=pl.source_records(),
        changes=[c.as_dict() for c in pl.changes],
        base=pl.base,
    )


def commit(pl: Plan, store: Store, message: str) -> Version | None:
    """Write a previewed plan as a new version, unless nothing changed.

    Refuses (StoreError) if the store moved on since the plan was made.
    """
    if not pl.changed:
        return None
    with store.lock():
        return _write(pl, store, message)


def ingest(
    paths: list[str | Path], store: Store | None = None, dry_run: bool = False
) -> tuple[Plan, Version | None]:
    """Parse, plan and (unless dry_run) commit. Any bad file raises before anything is written."""
    store = store or Store()
    parsed = parse_files(paths)
    with store.lock():
        pl = plan(parsed, store)
        if dry_run or not pl.changed:
            return pl, None
        return pl, _write(pl, store, "ingest " + ", ".join(Path(p).name for p in paths))


__all__ = ["InputError", "Plan", "commit", "ingest", "parse_files", "plan"]
