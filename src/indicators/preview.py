"""What an upload would change, before anything is saved: headline numbers and claim verdicts.

Also builds the uploader's private preview store (a temporary copy with the new data) so
the pages can be explored without touching the shared data.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from . import claims, contract
from .ingest import Plan
from .store import Store


def _headlines(name: str, df: pd.DataFrame) -> pd.Series:
    """Key totals of a table, labelled by what they are."""
    out: dict[str, float] = {}
    if df.empty:
        return pd.Series(out, dtype=float)
    if name == "seizures":
        cbp = df[(df.agency == "CBP") & (df.unit == "lb")]
        for (fy, comp, drug), v in (
            cbp.groupby(["fiscal_year", "component", "drug"])["quantity"].sum().items()
        ):
            out[f"FY{int(fy)} {drug}, CBP {contract.COMPONENT_SHORT.get(comp, comp)} (lb)"] = v
        for (fy, drug), v in cbp.groupby(["fiscal_year", "drug"])["quantity"].sum().items():
            out[f"FY{int(fy)} {drug}, CBP all components (lb)"] = v
        other = df[df.agency != "CBP"]
        for (ag, ser, y, u), v in (
            other.groupby(["agency", "series", "year", "unit"])["quantity"].sum().items()
        ):
            out[f"{int(y)} {ser}, {ag} ({u})"] = v
    elif name in ("encounters", "encounters_by_state"):
        for fy, v in df.groupby("fiscal_year")["encounters"].sum().items():
            out[f"FY{int(fy)} encounters, {name.replace('_', ' ')}"] = v
        if "component" in df:
            for (fy, comp), v in (
                df.groupby(["fiscal_year", "component"])["encounters"].sum().items()
            ):
                out[f"FY{int(fy)} encounters, {contract.COMPONENT_SHORT.get(comp, comp)}"] = v
    elif name == "overdose_deaths":
        us = df[(df.geo == "US") & df.drug.isin(["all_drugs", "synthetic_opioids"])]
        for (st_, pt, y, m, drug), v in (
            us.groupby(["status", "period_type", "year", "month", "drug"])["deaths"]
            .sum(min_count=1)
            .items()
        ):
            when = (
                str(int(y)) if pt == "calendar_year" else f"12 months ending {int(y)}-{int(m):02d}"
            )
            out[f"{when} {drug} deaths, US ({st_})"] = v
        states = df[df.geo != "US"]
        for (st_, y), v in (
            states[states.month == 12]
            .groupby(["status", "year"])["deaths"]
            .sum(min_count=1)
            .items()
        ):
            out[f"{int(y)} deaths, sum of states ({st_})"] = v
    elif name == "population":
        for (g, y), v in df.groupby(["geo", "year"])["population"].sum().items():
            out[f"{int(y)} population {g}"] = v
    return pd.Series(out, dtype=float)


def headline_changes(plan: Plan, store: Store) -> pd.DataFrame:
    """Headline numbers that move: label, before, after, change."""
    rows = []
    for ch in plan.changes:
        if not ch.changed:
            continue
        before = store.load(ch.table, plan.base) if plan.base else contract.empty(ch.table)
        after = plan.tables[ch.table]
        b, a = _headlines(ch.table, before), _headlines(ch.table, after)
        for label in sorted(set(b.index) | set(a.index)):
            vb, va = b.get(label), a.get(label)
            if (
                vb is None
                or va is None
                or pd.isna(vb)
                or pd.isna(va)
                or abs(vb - va) > 1e-6 * max(1, abs(vb))
            ):
                rows.append({"table": ch.table, "figure": label, "before": vb, "after": va})
    df = pd.DataFrame(rows, columns=["table", "figure", "before", "after"])
    df["change"] = df["after"] - df["before"]
    return df


def preview_store(plan: Plan, store: Store, root: Path | None = None) -> Store:
    """A private store holding the current tables with the plan applied."""
    root = Path(root or tempfile.mkdtemp(prefix="indicators-preview-"))
    pv = Store(root)
    tables = {}
    for name in contract.TABLES:
        tables[name] = (
            plan.tables[name]
            if name in plan.tables
            else (store.load(name, plan.base) if plan.base else contract.empty(name))
        )
    with pv.lock():
        pv.commit(
            tables,
            "preview of an upload",
            plan.source_records(),
            [c.as_dict() for c in plan.changes],
            kind="preview",
        )
    return pv


def verdict_changes(before: Store, after: Store) -> pd.DataFrame:
    """Claims whose verdict or data value would change."""
    b = claims.evaluate_all(before).set_index(["article_id", "claim_id"])
    a = claims.evaluate_all(after).set_index(["article_id", "claim_id"])
    rows = []
    for key in a.index.union(b.index):
        vb = b.loc[key] if key in b.index else None
        va = a.loc[key] if key in a.index else None
        if vb is None or va is None:
            rows.append(
                {
                    "claim_id": key[1],
                    "verdict before": None if vb is None else vb["verdict"],
                    "verdict after": None if va is None else va["verdict"],
                }
            )
            continue
        if vb["kind"] != "quantitative":
            continue
        if vb["verdict"] != va["verdict"] or not _same(vb["data_value"], va["data_value"]):
            rows.append({"claim_id": key[1], "verdict before": vb["verdict"], "verdict after": va["verdict"],
                         "data before": vb["data_value"], "data after": va["data_value"]})  # fmt: skip
    return pd.DataFrame(rows)


def _same(x, y) -> bool:
    if x is None or y is None or pd.isna(x) or pd.isna(y):
        return (x is None or pd.isna(x)) and (y is None or pd.isna(y))
    return abs(float(x) - float(y)) < 1e-9


def offending_lines(data: bytes, lines: list[int], limit: int = 5) -> list[tuple[int, str]]:
    """The raw text of the first few lines a problem names (header is line 1)."""
    from .errors import InputError
    from .sources.base import decode

    try:
        text = decode(data, "upload").text
    except InputError:
        return []
    all_lines = text.splitlines()
    out = []
    for n in lines[:limit]:
        if 1 <= n <= len(all_lines):
            out.append((n, all_lines[n - 1][:300]))
    return out
