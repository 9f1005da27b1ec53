"""Merging a parsed file into a stored table: a newer vintage replaces the periods it covers.

A table's `scope` columns (see contract) identify what a file covers, e.g. (fiscal_year,
month) for encounters. For every scope in the incoming rows:
- not stored yet: the rows are added;
- stored from an older or the same vintage: all stored rows of that scope are replaced;
- stored from a newer vintage: the stored rows are kept and the incoming ones ignored.
Scopes the incoming file does not cover are kept. Re-ingesting the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import contract


@dataclass
class Change:
    table: str
    rows_before: int = 0
    rows_after: int = 0
    rows_added: int = 0
    rows_removed: int = 0
    scopes_added: int = 0
    scopes_replaced: int = 0
    scopes_unchanged: int = 0
    scopes_kept_newer: int = 0
    periods: str = ""
    kept_newer_examples: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.scopes_added or self.scopes_replaced)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    def describe(self) -> str:
        if not self.changed:
            text = f"{self.table}: no change ({self.scopes_unchanged} periods identical"
            if self.scopes_kept_newer:
                text += f", {self.scopes_kept_newer} kept from a newer vintage"
            return text + ")"
        text = (
            f"{self.table}: {self.periods}; +{self.rows_added} rows, -{self.rows_removed} rows "
            f"({self.scopes_added} periods added, {self.scopes_replaced} replaced, "
            f"{self.scopes_unchanged} unchanged"
        )
        if self.scopes_kept_newer:
            text += f", {self.scopes_kept_newer} kept from a newer stored vintage"
        return text + f"); {self.rows_before} -> {self.rows_after} rows"


def scope_key(df: pd.DataFrame, name: str) -> pd.Series:
    cols = contract.table(name).scope
    parts = [df[c].astype("string").fillna("") for c in cols]
    key = parts[0]
    for p in parts[1:]:
        key = key + "\x1f" + p
    return key


def _content(df: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Per scope: row count and an order-free hash of the rows (provenance label aside)."""
    h = pd.util.hash_pandas_object(
        df.drop(columns=["source_id"]).reset_index(drop=True), index=False
    ).astype("uint64")
    return (
        pd.DataFrame({"key": key.values, "h": h.values}).groupby("key")["h"].agg(["count", "sum"])
    )


def merge(
    existing: pd.DataFrame, incoming: pd.DataFrame, name: str, periods: str = ""
) -> tuple[pd.DataFrame, Change]:
    existing = contract.conform(existing, name) if len(existing) else contract.empty(name)
    incoming = contract.conform(incoming, name)
    ex_key, in_key = scope_key(existing, name), scope_key(incoming, name)
    ex_v = existing.groupby(ex_key.values)["vintage"].max()
    in_v = incoming.groupby(in_key.values)["vintage"].max()
    both = ex_v.index.intersection(in_v.index)
    newer_stored = both[(ex_v[both] > in_v[both]).values]
    replace = both.difference(newer_stored)
    added = in_v.index.difference(ex_v.index)
    ex_c, in_c = _content(existing, ex_key), _content(incoming, in_key)
    same = [
        k
        for k in replace
        if ex_c.loc[k, "count"] == in_c.loc[k, "count"] and ex_c.loc[k, "sum"] == in_c.loc[k, "sum"]
    ]
    replaced = replace.difference(pd.Index(same))
    keep_ex = ~ex_key.isin(replaced)
    take_in = in_key.isin(added.union(replaced))
    merged = pd.concat([existing[keep_ex.values], incoming[take_in.values]], ignore_index=True)
    ch = Change(
        table=name,
        rows_before=len(existing),
        rows_after=len(merged),
        rows_added=int(take_in.sum()),
        rows_removed=int((~keep_ex).sum()),
        scopes_added=len(added),
        scopes_replaced=len(replaced),
        scopes_unchanged=len(same),
        scopes_kept_newer=len(newer_stored),
        periods=periods,
        kept_newer_examples=[k.replace("\x1f", " ") for k in list(newer_stored[:3])],
    )
    return merged, ch
