"""Merging a parsed file into a stored table, cell by cell: a newer vintage replaces exactly
the (series, period) cells it covers.

A *cell* is one value of the table's `scope` columns (see contract), e.g. (agency, series,
component, fiscal year, month, drug, ...) for seizures or (geo, status, year, month, drug) for
overdose deaths. A file *covers*, for each family of series it holds (see `COVERAGE`), the
periods it has rows for; for monthly CBP series, every month from its first to its last.

For every cell, comparing the stored rows with the incoming ones:

- **added**: not stored yet; the incoming rows are added.
- **identical**: same values (provenance aside). The stored rows are kept, or take the
  incoming file's provenance when it is a newer vintage with exactly the same rows. Measures
  the incoming layout does not provide at all (a column it lacks, e.g. the predicted counts
  of the VSRR December extract) are not compared, and the stored rows that have them are kept.
- **revised**: other values from the same or a newer vintage; the stored rows are replaced.
- **kept (newer stored)**: the stored rows come from a newer vintage; they are kept and the
  incoming ones ignored.
- **dropped**: stored, inside the file's coverage, not in the file, and not from a newer
  vintage. The summary lists every one; the editor decides: `keep` the stored rows or `drop`
  them. Until that is decided (`dropped=None`) the cells are kept and the plan cannot be saved.

Cells outside the file's coverage are kept. Re-ingesting the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import contract

DECISIONS = ("keep", "drop")
LIST_LIMIT = 200  # cells listed per category in a summary (the counts are always exact)


@dataclass(frozen=True)
class Coverage:
    family: tuple[str, ...]  # columns naming a family of series a file covers
    period: tuple[str, ...]  # columns naming a period
    monthly: bool = False  # a family with year+month covers every month between its ends


COVERAGE: dict[str, Coverage] = {
    "overdose_deaths": Coverage(("geo", "period_type", "status", "drug"), ("year", "month")),
    "seizures": Coverage(
        ("agency", "series", "coverage"), ("fiscal_year", "year", "month", "as_of"), monthly=True
    ),
    "encounters": Coverage((), ("fiscal_year", "year", "month"), monthly=True),
    "encounters_by_state": Coverage((), ("fiscal_year", "year", "month"), monthly=True),
    "population": Coverage((), ("year",)),
    "claims": Coverage((), ("article_id",)),
}


@dataclass
class Change:
    table: str
    rows_before: int = 0
    rows_after: int = 0
    rows_added: int = 0
    rows_removed: int = 0
    cells_added: int = 0
    cells_identical: int = 0
    cells_refreshed: int = 0  # of the identical: now cite the newer vintage
    cells_revised: int = 0
    cells_kept_newer: int = 0
    cells_dropped: int = 0
    dropped_decision: str | None = None  # keep / drop / None (not decided)
    periods: str = ""
    revisions: list[dict] = field(default_factory=list)  # largest first
    dropped: list[dict] = field(default_factory=list)
    kept_newer: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.cells_added
            or self.cells_revised
            or self.cells_refreshed
            or (self.cells_dropped and self.dropped_decision == "drop")
        )

    @property
    def needs_decision(self) -> bool:
        return bool(self.cells_dropped) and self.dropped_decision not in DECISIONS

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def counts(self) -> dict:
        """One row of the change summary (no lists)."""
        return {
            "table": self.table,
            "periods": self.periods,
            "identical": self.cells_identical,
            "identical, newer release now cited": self.cells_refreshed,
            "revised": self.cells_revised,
            "added": self.cells_added,
            "kept (newer stored)": self.cells_kept_newer,
            "dropped by the new file": self.cells_dropped,
            "decision on dropped": self.dropped_decision or ("undecided" if self.cells_dropped else ""),
            "rows before": self.rows_before,
            "rows after": self.rows_after,
        }  # fmt: skip

    def describe(self) -> str:
        text = f"{self.table}: {self.cells_identical} cells identical"
        if self.cells_refreshed:
            text += f" ({self.cells_refreshed} now citing the newer release)"
        text += (
            f", {self.cells_revised} revised, "
            f"{self.cells_added} added, {self.cells_kept_newer} kept from a newer stored vintage"
        )
        if self.cells_dropped:
            text += f", {self.cells_dropped} stored cells missing from the new file (" + (
                {"keep": "kept", "drop": "dropped"}.get(self.dropped_decision or "", "undecided")
                + ")"
            )
        if self.changed:
            text += (
                f"; {self.periods}; +{self.rows_added} rows, -{self.rows_removed} rows; "
                f"{self.rows_before} -> {self.rows_after} rows"
            )
        else:
            text += "; no change"
        return text

    def details(self, limit: int = 10) -> list[str]:
        """The largest revisions and the dropped cells, one line each."""
        out = []
        for r in self.revisions[:limit]:
            line = f"  revised {r['cell']}: {_num(r['before'])} -> {_num(r['after'])} {r['unit']}".rstrip()
            if r["change"] == 0 and r["rows before"] == r["rows after"]:
                line += " (same total; other values revised)"
            elif r["rows before"] != r["rows after"]:
                line += f" ({r['rows before']} -> {r['rows after']} rows)"
            out.append(line)
        for r in self.dropped[:limit]:
            out.append(f"  missing from the new file: {r['cell']} ({r['rows']} rows, {_num(r['value'])} {r['unit']})".rstrip())  # fmt: skip
        more = max(0, self.cells_dropped - limit)
        if more:
            out.append(f"  ... and {more} more missing cells")
        return out

    def add(self, other: Change) -> None:
        """Sum the effect of a further file merged into the same table."""
        for f in ("rows_added", "rows_removed", "cells_added", "cells_identical", "cells_refreshed",
                  "cells_revised", "cells_kept_newer", "cells_dropped"):  # fmt: skip
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.rows_after = other.rows_after
        self.periods = "; ".join(x for x in (self.periods, other.periods) if x)
        self.dropped_decision = other.dropped_decision
        self.revisions = sorted(self.revisions + other.revisions, key=lambda r: -abs(r["change"] or 0))[:LIST_LIMIT]  # fmt: skip
        self.dropped = (self.dropped + other.dropped)[:LIST_LIMIT]
        self.kept_newer = (self.kept_newer + other.kept_newer)[:LIST_LIMIT]


def _num(x) -> str:
    if x is None or pd.isna(x):
        return "n/a"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _key(df: pd.DataFrame, cols: tuple[str, ...] | list[str]) -> pd.Series:
    if not cols:
        return pd.Series([""] * len(df), index=df.index, dtype="string")
    parts = [df[c].astype("string").fillna("") for c in cols]
    key = parts[0]
    for p in parts[1:]:
        key = key + "\x1f" + p
    return key


def scope_key(df: pd.DataFrame, name: str) -> pd.Series:
    """The cell each row belongs to."""
    return _key(df, contract.table(name).scope)


def describe_cell(key: str, name: str) -> str:
    cols = contract.table(name).scope
    vals = key.split("\x1f")
    return ", ".join(f"{c} {v}" for c, v in zip(cols, vals, strict=False) if v not in ("", "<NA>"))


def _cells(df: pd.DataFrame, key: pd.Series, compare: list[str], full: list[str]) -> pd.DataFrame:
    """Per cell: newest vintage, row count, order-free hashes of the compared and all columns."""
    h = pd.util.hash_pandas_object(df[compare].reset_index(drop=True), index=False)
    hf = pd.util.hash_pandas_object(df[full].reset_index(drop=True), index=False)
    g = pd.DataFrame(
        {"key": key.values, "vintage": df["vintage"].astype(str).values, "h": h.values,
         "hf": hf.values}
    )  # fmt: skip
    total = lambda s: int(s.sum())  # noqa: E731 - wraps around in uint64: order-free
    return g.groupby("key").agg(
        vintage=("vintage", "max"), n=("h", "size"), h=("h", total), hf=("hf", total)
    )


def _covered(existing: pd.DataFrame, incoming: pd.DataFrame, name: str) -> pd.Series:
    """Per stored row: is it inside what the incoming file covers? And the family's vintage."""
    cov = COVERAGE[name]
    fam_in, fam_ex = _key(incoming, cov.family), _key(existing, cov.family)
    fam_vintage = incoming.groupby(fam_in.values)["vintage"].max().astype(str)
    covered = pd.Series(False, index=existing.index)
    in_family = fam_ex.isin(fam_vintage.index)
    # exact periods
    per_in = fam_in + "\x1e" + _key(incoming, cov.period)
    per_ex = fam_ex + "\x1e" + _key(existing, cov.period)
    covered |= per_ex.isin(set(per_in))
    if cov.monthly and "month" in incoming and "year" in incoming:
        m_in = incoming["year"].astype("Float64") * 12 + incoming["month"].astype("Float64")
        m_ex = existing["year"].astype("Float64") * 12 + existing["month"].astype("Float64")
        has = m_in.notna()
        if has.any():
            span = (
                pd.DataFrame({"f": fam_in[has].values, "m": m_in[has].values})
                .groupby("f")["m"]
                .agg(["min", "max"])
            )
            lo = fam_ex.map(span["min"]).astype("Float64")
            hi = fam_ex.map(span["max"]).astype("Float64")
            covered |= (m_ex >= lo).fillna(False) & (m_ex <= hi).fillna(False)
    covered &= in_family
    return covered, fam_ex.map(fam_vintage)


def _sums(df: pd.DataFrame, key: pd.Series, name: str) -> pd.DataFrame:
    """Per cell (and unit, where a table has one): rows and the main measure's total."""
    measure = contract.table(name).measures[0]
    unit = df["unit"].astype(str) if "unit" in df else pd.Series("", index=df.index)
    if name == "claims":
        vals = pd.Series(float("nan"), index=df.index)
    else:
        vals = df[measure].astype("Float64")
    d = pd.DataFrame({"key": key.values, "unit": unit.values, "v": vals.values})
    return d.groupby(["key", "unit"]).agg(
        rows=("v", "size"), value=("v", lambda s: s.sum(min_count=1))
    )


def merge(
    existing: pd.DataFrame,
    incoming: pd.DataFrame,
    name: str,
    periods: str = "",
    dropped: str | None = None,
) -> tuple[pd.DataFrame, Change]:
    """Merge `incoming` into `existing` cell by cell (see the module doc).

    `dropped`: what to do with stored cells the incoming file no longer has inside its
    coverage: "keep", "drop", or None (undecided: kept, and `Change.needs_decision`).
    """
    if dropped not in (None, *DECISIONS):
        raise ValueError(f"dropped must be one of {DECISIONS} or None, not {dropped!r}")
    existing = contract.conform(existing, name) if len(existing) else contract.empty(name)
    incoming = contract.conform(incoming, name)
    spec = contract.table(name)
    provided = [m for m in spec.measures if m in incoming and incoming[m].notna().any()]
    compare = [
        c
        for c in spec.names
        if c not in ("source_id", "vintage") and (c not in spec.measures or c in provided)
    ]
    full = [c for c in spec.names if c not in ("source_id", "vintage")]
    if name == "claims":
        compare = full
    ek, ik = scope_key(existing, name), scope_key(incoming, name)
    E, In = _cells(existing, ek, compare, full), _cells(incoming, ik, compare, full)
    both = E.index.intersection(In.index)
    same = (E.loc[both, "n"] == In.loc[both, "n"]) & (E.loc[both, "h"] == In.loc[both, "h"])
    identical = both[same.values]
    # identical rows from a newer vintage carry its provenance (the newest release citing them)
    refresh = identical[
        ((E.loc[identical, "hf"] == In.loc[identical, "hf"])
         & (In.loc[identical, "vintage"] > E.loc[identical, "vintage"])).values
    ]  # fmt: skip
    rest = both[~same.values]
    newer = rest[(E.loc[rest, "vintage"] > In.loc[rest, "vintage"]).values]
    revised = rest.difference(newer)
    added = In.index.difference(E.index)

    covered, fam_vintage = _covered(existing, incoming, name)
    older_or_same = existing["vintage"].astype(str) <= fam_vintage.fillna("").astype(str)
    stale_rows = covered & older_or_same & ~ek.isin(In.index)
    dropped_cells = pd.Index(sorted(set(ek[stale_rows])))
    # a cell with some rows from a newer vintage is kept whole
    newer_rows = covered & ~older_or_same & ek.isin(dropped_cells)
    dropped_cells = dropped_cells.difference(pd.Index(set(ek[newer_rows])))

    remove = revised.union(refresh)
    if dropped == "drop":
        remove = remove.union(dropped_cells)
    keep_ex = ~ek.isin(remove)
    take_in = ik.isin(added.union(revised).union(refresh))
    merged = pd.concat([existing[keep_ex.values], incoming[take_in.values]], ignore_index=True)

    ch = Change(
        table=name,
        rows_before=len(existing),
        rows_after=len(merged),
        rows_added=int(take_in.sum()),
        rows_removed=int((~keep_ex).sum()),
        cells_added=len(added),
        cells_identical=len(identical),
        cells_refreshed=len(refresh),
        cells_revised=len(revised),
        cells_kept_newer=len(newer),
        cells_dropped=len(dropped_cells),
        dropped_decision=dropped if len(dropped_cells) else None,
        periods=periods,
    )
    if len(revised):
        b = _sums(existing[ek.isin(revised).values], ek[ek.isin(revised)], name)
        a = _sums(incoming[ik.isin(revised).values], ik[ik.isin(revised)], name)
        j = b.merge(a, how="outer", left_index=True, right_index=True, suffixes=("_b", "_a"))
        j["change"] = (j["value_a"].astype("Float64") - j["value_b"].astype("Float64")).abs()
        j = j.sort_values("change", ascending=False, na_position="last").head(LIST_LIMIT)
        ch.revisions = [
            {
                "cell": describe_cell(k, name),
                "unit": u,
                "before": _float(r["value_b"]),
                "after": _float(r["value_a"]),
                "change": _float(_sub(r["value_a"], r["value_b"])),
                "rows before": _int(r["rows_b"]),
                "rows after": _int(r["rows_a"]),
            }
            for (k, u), r in j.iterrows()
        ]
    if len(dropped_cells):
        s = _sums(existing[ek.isin(dropped_cells).values], ek[ek.isin(dropped_cells)], name)
        ch.dropped = [
            {"cell": describe_cell(k, name), "unit": u, "rows": int(r["rows"]), "value": _float(r["value"])}
            for (k, u), r in s.head(LIST_LIMIT).iterrows()
        ]  # fmt: skip
    if len(newer):
        ch.kept_newer = [
            {"cell": describe_cell(k, name), "stored vintage": E.loc[k, "vintage"],
             "incoming vintage": In.loc[k, "vintage"]}
            for k in newer[:LIST_LIMIT]
        ]  # fmt: skip
    return merged, ch


def _float(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _int(x) -> int:
    return 0 if x is None or pd.isna(x) else int(x)


def _sub(a, b):
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return float(a) - float(b)
