"""The project's own table layouts: a CSV whose header is exactly a table's contract columns.

This is how tables are exchanged (exported, edited, re-ingested) and how claims files are
loaded. Cells are typed from the contract; the contract's checks run at ingest as for any file.
"""

from __future__ import annotations

import functools

import pandas as pd

from ..contract import TABLES
from .base import Cells, Context, Layout


def _parser(table: str):
    def parse(c: Cells, ctx: Context) -> pd.DataFrame:
        spec = TABLES[table]
        out = pd.DataFrame(index=range(c.n))
        for col in spec.columns:
            if col.dtype in ("int", "float"):
                out[col.name] = c.number(col.name, col.dtype, required=not col.nullable)
            elif col.dtype == "date":
                raw = c.text(col.name).astype(object)
                parsed = pd.to_datetime(
                    raw.where(raw.ne(""), None), errors="coerce", format="mixed"
                )
                c.flag(parsed.isna() & raw.ne(""), col.name, "not a date (YYYY-MM-DD)")
                out[col.name] = parsed
            else:
                out[col.name] = c.text(col.name)
        c.check()
        if "source_id" in out and ctx.source_id:
            out["source_id"] = out["source_id"].where(out["source_id"].ne(""), ctx.source_id)
        if "vintage" in out and ctx.vintage:
            out["vintage"] = out["vintage"].where(out["vintage"].ne(""), ctx.vintage)
        out["_row"] = c.row_positions()
        return out

    return parse


def _exact(table: str, columns: list[str]) -> bool:
    return sorted(columns) == sorted(TABLES[table].names)


LAYOUTS = [
    Layout(
        id=f"project_{name}",
        title=f"drug-indicators table layout: {name}",
        table=name,
        agency="",
        header=tuple(TABLES[name].names),
        parse=_parser(name),
        match=functools.partial(_exact, name),
    )
    for name in TABLES
]
