"""Build the bundled tables from the source files listed in data/sources.json.

Deterministic: the same files give the same tables (rows sorted by the contract's key,
Parquet written without timestamps). A file's vintage is its manifest `vintage` (the release,
YYYY-MM) when given, else inferred from the data (the last month it holds). Stored cells a
newer file no longer has are kept, unless its manifest entry says `"dropped": "drop"`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import contract, manifest, sources
from .merge import merge
from .store import Store, Version, data_dir


def build_tables(root: Path | None = None, log=print) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Parse every manifest entry in order and merge per table. Returns tables and source records."""
    root = root or data_dir()
    tables: dict[str, pd.DataFrame] = {}
    records = []
    for e in manifest.entries(root):
        parsed = sources.parse_path(root / e["path"], source_id=e["id"], vintage=e.get("vintage"))
        if parsed.layout.id != e["layout"]:
            raise ValueError(
                f"{e['path']}: recognised as {parsed.layout.id}, manifest says {e['layout']}"
            )
        current = tables.get(parsed.table, contract.empty(parsed.table))
        tables[parsed.table], ch = merge(
            current, parsed.rows, parsed.table, parsed.periods(), dropped=e.get("dropped", "keep")
        )
        log(f"{e['id']}: {parsed.layout.id} -> {ch.describe()}")
        for line in ch.details(limit=3):
            log(line)
        for n in parsed.notes:
            log(f"  note: {n}")
        records.append(
            {
                "id": e["id"],
                "file": e["path"],
                "layout": parsed.layout.id,
                "table": parsed.table,
                "sha256": parsed.sha256,
                "rows": len(parsed.rows),
                "vintage": parsed.vintage,
                "periods": parsed.periods(),
                "notes": parsed.notes,
            }  # fmt: skip
        )
    for name in contract.TABLES:
        tables.setdefault(name, contract.empty(name))
    return tables, records


def run(root: Path | None = None, store: Store | None = None, log=print) -> Version:
    """Rebuild every table from data/raw and commit it as a new version."""
    root = root or data_dir()
    store = store or Store(root)
    tables, records = build_tables(root, log)
    with store.lock():
        base = store.current() if store.exists() else None
        v = store.commit(
            tables, "build from data/raw (data/sources.json)", records, base=base, kind="build"
        )
    log(f"version {v.number}: " + ", ".join(f"{t} {m['rows']} rows" for t, m in v.tables.items()))
    return v
