"""Recognise which official layout a file is in (by its header) and parse it to a table.

`parse_bytes` is the one entry point used by the build, the CLI and the upload page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from .. import contract
from ..errors import InputError, Problem, UnrecognisedFile, clip
from . import cbp_encounters, cbp_seizures, cdc_final, cdc_vsrr, census, dea, project
from .base import MAX_BYTES_DEFAULT, Cells, Context, Layout, decode, read_cells

LAYOUTS: list[Layout] = [
    *cbp_seizures.LAYOUTS,
    *cbp_encounters.LAYOUTS,
    *cdc_vsrr.LAYOUTS,
    *cdc_final.LAYOUTS,
    *dea.LAYOUTS,
    *census.LAYOUTS,
    *project.LAYOUTS,
]
BY_ID = {lay.id: lay for lay in LAYOUTS}


@dataclass
class Parsed:
    """A file recognised, parsed and validated against the table's contract."""

    file: str
    layout: Layout
    rows: pd.DataFrame  # conformed to the contract
    sha256: str
    encoding: str
    vintage: str
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> str:
        return self.layout.table

    def periods(self) -> str:
        """Human summary of the periods covered."""
        return describe_periods(self.rows)


def describe_periods(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "no rows"
    if "fiscal_year" in rows and rows["fiscal_year"].notna().any() and "month" in rows:
        d = rows.dropna(subset=["fiscal_year", "month"])
        key = d["year"] * 100 + d["month"]
        lo, hi = int(key.min()), int(key.max())
        fys = sorted(d["fiscal_year"].unique())
        return f"FY{fys[0]}-FY{fys[-1]} ({lo // 100}-{lo % 100:02d} to {hi // 100}-{hi % 100:02d})"
    if "year" in rows and rows["year"].notna().any():
        ys = rows["year"].dropna()
        if "period_type" in rows and (rows["period_type"] == "12_month_ending").any():
            d = rows[rows["period_type"] == "12_month_ending"]
            key = d["year"] * 100 + d["month"]
            lo, hi = int(key.min()), int(key.max())
            return f"12 months ending {lo // 100}-{lo % 100:02d} to {hi // 100}-{hi % 100:02d}"
        return f"{int(ys.min())}-{int(ys.max())}"
    if "article_id" in rows:
        return "articles " + ", ".join(sorted(rows["article_id"].unique()))
    return f"{len(rows)} rows"


def detect(columns: list[str], file: str) -> Layout:
    """The layout whose header these columns are, or an error naming the closest one."""
    clean = [c.replace("\ufeff", "").strip() for c in columns]
    candidates = [lay for lay in LAYOUTS if lay.matches(clean)]
    if candidates:
        found = {c.lower() for c in clean}
        return min(candidates, key=lambda lay: len({h.lower() for h in lay.header} - found))
    found = {c.lower() for c in clean}

    def score(lay: Layout) -> float:
        h = {c.lower() for c in lay.header}
        return len(h & found) / len(h | found)

    best = max(LAYOUTS, key=score)
    missing = [h for h in best.header if h.lower() not in found and h not in best.optional]
    extra = [c for c in clean if c.lower() not in {h.lower() for h in best.header}]
    msg = f"the header matches no known layout. Found columns: {_names(clean)}."
    if score(best) > 0.3:
        msg += (
            f" Closest layout: {best.title} ({best.id}), which expects {list(best.header)};"
            f" missing {missing}, unexpected {_names(extra)}."
        )
    else:
        msg += " Known layouts: " + "; ".join(
            f"{lay.title}" for lay in LAYOUTS if not lay.id.startswith("project_")
        )
    raise UnrecognisedFile(file, [Problem(msg, lines=[1])])


def _names(columns: list[str], limit: int = 40) -> str:
    """A list of header names for a message: long names and long lists are cut."""
    shown = "[" + ", ".join(clip(c) for c in columns[:limit]) + "]"
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")


def _canonical(columns: list[str], layout: Layout) -> dict[str, str]:
    """Names in the layout's spelling (headers are matched case-insensitively)."""
    spelled = {h.lower(): h for h in layout.header}
    return {c: spelled.get(c.lower(), c) for c in columns}


def parse_bytes(
    data: bytes,
    file: str,
    *,
    source_id: str | None = None,
    vintage: str | None = None,
    expect_table: str | None = None,
    max_bytes: int = MAX_BYTES_DEFAULT,
    sha256: str | None = None,
) -> Parsed:
    """Recognise, parse and validate one file's bytes. Raises InputError naming file/line/column.
    `sha256`: the bytes' hash, if the caller computed it already (it is not computed twice)."""
    dec = decode(data, file, max_bytes=max_bytes, sha256=sha256)
    sheet = read_cells(dec, file)
    layout = detect(sheet.columns, file)
    if expect_table and layout.table != expect_table:
        raise InputError(
            file,
            f"this is a {layout.title} file, which feeds the table '{layout.table}', "
            f"not '{expect_table}'; the two are different cuts and are never combined",
        )
    ctx = Context(
        file=file,
        source_id=source_id or f"upload:{dec.sha256[:12]}",
        vintage=vintage,
        lines=sheet.lines,
    )
    if dec.encoding not in ("utf-8", "utf-8-sig"):
        ctx.notes.append(f"read as {dec.encoding}")
    cells = Cells(sheet.table.rename_columns(list(_canonical(sheet.columns, layout).values())), ctx)
    try:
        rows = layout.parse(cells, ctx)
    except InputError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, OverflowError) as exc:
        raise InputError(
            file, f"could not be parsed as {layout.title}: {clip(repr(exc), 300, quote=False)}"
        ) from exc
    if rows.empty:
        raise InputError(
            file, f"no usable rows for table {layout.table} in this {layout.title} file"
        )
    found = contract.problems(rows, layout.table, lines=sheet.lines)
    if found:
        raise InputError(file, found)
    conformed = contract.conform(rows, layout.table, copy=False)  # `rows` is ours
    return Parsed(
        file=file,
        layout=layout,
        rows=conformed,
        sha256=dec.sha256,
        encoding=dec.encoding,
        vintage=str(pc.max(conformed["vintage"].array.__arrow_array__()).as_py()),
        notes=ctx.notes,
    )


def parse_path(path: str | Path, **kw) -> Parsed:
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "no such file")
    return parse_bytes(p.read_bytes(), p.name if "file" not in kw else kw.pop("file"), **kw)
