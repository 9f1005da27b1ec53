"""Any article's claims as data: proposals confirmed or corrected by an editor become rows of
the `claims` table, committed through the ordinary ingest path (a claims CSV in the project's
layout, parsed, validated and merged), so they are versioned like any upload and drawn on the
charts like the seed article's. The article's text is kept beside the store, content-addressed
(`articles/<article_id>-<sha12>.txt`), and named in the version's message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pandas as pd

from . import claims, contract, ingest, preview
from .extract import Proposal
from .hashing import sha256_bytes
from .store import Store, Version

EDIT_COLUMNS = [
    "confirm", "quote", "claimed_value", "unit", "comparator", "table", "filters", "year_basis",
    "year_start", "year_end", "measure", "variants", "proposed_verdict", "confidence", "note",
]  # fmt: skip


def slug(title: str, date: str) -> str:
    """A short article id: date and the first words of the title."""
    words = re.findall(r"[a-z0-9]+", (title or "article").lower())[:6]
    return "-".join([d for d in [str(date or "")[:7]] if d] + words)[:80] or "article"


def proposals_frame(props: list[Proposal]) -> pd.DataFrame:
    """One editable row per proposal; checkable ones are confirmed by default."""
    rows = []
    for p in props:
        per = p.period or {}
        value, unit = p.compared_as or (p.claimed_value, p.unit)  # kg claims in the data's lb
        rows.append(
            {
                "confirm": bool(p.table) and p.verdict != "not_checkable",
                "quote": p.quote,
                "claimed_value": value,
                "unit": unit,
                "comparator": p.comparator,
                "table": p.table,
                "filters": p.filters(),
                "year_basis": per.get("basis", ""),
                "year_start": per.get("start"),
                "year_end": per.get("end"),
                "measure": p.measure,
                "variants": p.variants,
                "proposed_verdict": p.verdict,
                "confidence": round(p.confidence, 2),
                "note": p.why or "; ".join(p.notes),
            }
        )
    df = pd.DataFrame(rows, columns=EDIT_COLUMNS)
    for c in ("claimed_value", "confidence"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    for c in ("year_start", "year_end"):
        df[c] = pd.to_numeric(df[c]).astype("Int64")
    df["confirm"] = df["confirm"].astype(bool)
    return df


def _val(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v


def rows_from_frame(edited: pd.DataFrame, meta: dict) -> list[dict]:
    """Claim rows (the `claims` table's columns) for the confirmed proposals, ids C01, C02..."""
    aid = meta.get("article_id") or slug(
        meta.get("article_title", ""), meta.get("article_date", "")
    )
    out = []
    for _, r in edited[edited["confirm"].astype(bool)].iterrows():
        n = len(out) + 1
        value = _val(r.get("claimed_value"))
        unit = str(_val(r.get("unit")) or "")
        comp = str(_val(r.get("comparator")) or "about")
        ys, ye = _val(r.get("year_start")), _val(r.get("year_end"))
        row = {c: "" for c in contract.table("claims").names}
        row.update(
            {
                "article_id": aid,
                "article_title": meta.get("article_title", ""),
                "article_outlet": meta.get("article_outlet", ""),
                "article_date": meta.get("article_date", ""),
                "article_url": meta.get("article_url", ""),
                "claim_id": f"C{n:02d}",
                "kind": "quantitative",
                "quote": str(r["quote"]),
                "speaker": meta.get("speaker") or "The article",
                "table": str(_val(r.get("table")) or ""),
                "filters": str(_val(r.get("filters")) or ""),
                "year_basis": str(_val(r.get("year_basis")) or ""),
                "year_start": int(ys) if ys is not None else None,
                "year_end": int(ye) if ye is not None else None,
                "measure": str(_val(r.get("measure")) or ""),
                "comparator": comp,
                "claimed_value": float(value) if value is not None else None,
                "variants": str(_val(r.get("variants")) or ""),
                "unit": unit,
                "label": (
                    f"{claims.COMPARATOR_WORDS.get(comp, comp)} {claims._fmt(float(value), unit)}"
                    if value is not None
                    else str(r["quote"])[:60]
                ),
                "chart_topics": {
                    "overdose_deaths": "deaths",
                    "seizures": "seizures",
                    "encounters": "encounters",
                    "encounters_by_state": "encounters",
                }.get(str(_val(r.get("table")) or ""), ""),
                "note": str(_val(r.get("note")) or ""),
                "source_id": f"article_{aid}"[:120],
                "vintage": dt.date.today().isoformat(),
            }
        )
        out.append(row)
    return out


def evaluate_rows(rows: list[dict], store: Store | None = None) -> pd.DataFrame:
    """Verdicts of claim rows not yet saved (what the editor sees before saving)."""
    out = []
    for r in rows:
        c = {**r, "year_start": r.get("year_start"), "year_end": r.get("year_end")}
        out.append({**r, **claims.evaluate(c, store)})
    return pd.DataFrame(out)


def claims_csv(rows: list[dict]) -> bytes:
    """The rows as a claims CSV in the project's layout (the format `indicators ingest` reads)."""
    names = contract.table("claims").names
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if r.get(k) is None else r.get(k) for k in names})
    return buf.getvalue().encode("utf-8")


def plan(rows: list[dict], store: Store) -> ingest.Plan:
    """Parse and validate the rows like any upload, and plan their merge into the store."""
    if not rows:
        raise ValueError("no confirmed claims to save")
    aid = rows[0]["article_id"]
    parsed = ingest.parse_upload(claims_csv(rows), f"{aid}.csv", expect_table="claims")
    return ingest.plan([parsed], store)


def _write_text(store: Store, aid: str, text: str) -> Path:
    data = (text or "").encode("utf-8")
    sha = sha256_bytes(data)
    folder = store.root / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^a-z0-9-]', '', aid)[:80]}-{sha[:12]}.txt"
    if not path.exists():
        tmp = folder / f".{path.name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return path


def save(rows: list[dict], text: str, store: Store | None = None) -> Version | None:
    """Commit the article's claims as a new store version (None if nothing changed)."""
    store = store or Store()
    pl = plan(rows, store)
    aid = rows[0]["article_id"]
    path = _write_text(store, aid, text)
    return ingest.commit(pl, store, f"article {aid}: {len(rows)} claims (text {path.name})")


def preview_store(rows: list[dict], store: Store | None = None) -> Store:
    """A private store with the article's claims added (seen only by the session that asked)."""
    store = store or Store()
    return preview.preview_store(plan(rows, store), store)
