"""What an upload would change, before anything is saved: headline numbers and claim verdicts.

Also builds the uploader's private preview store (a temporary copy with the new data) so
the pages can be explored without touching the shared data, and holds the Upload page's
library work: reading the dropped files (`read_uploads`), one `Preview` per set of files
and decision (made once, against one store version), and saving it (`save`) only if that
version is still current.
"""

from __future__ import annotations

import copyreg
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import claims, contract, ingest, sources
from .errors import InputError, StoreError
from .hashing import sha256_bytes
from .ingest import Plan
from .store import Store, Version


class _Totals(dict):
    """Labelled totals; a missing total (all values null: pd.NA) is stored as NaN."""

    def __setitem__(self, key, value):
        super().__setitem__(key, math.nan if value is None or pd.isna(value) else float(value))


def _headlines(name: str, df: pd.DataFrame) -> pd.Series:
    """Key totals of a table, labelled by what they are."""
    out: dict[str, float] = _Totals()
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
            vb, va = b.get(label, math.nan), a.get(label, math.nan)
            if math.isnan(vb) and math.isnan(va):
                continue
            if math.isnan(vb) or math.isnan(va) or abs(vb - va) > 1e-6 * max(1, abs(vb)):
                rows.append({"table": ch.table, "figure": label, "before": vb, "after": va})
    df = pd.DataFrame(rows, columns=["table", "figure", "before", "after"])
    df["change"] = df["after"] - df["before"]
    return df


PREFIX = "indicators-preview-"
TTL_SECONDS = 6 * 3600  # a preview store older than this is deleted when another is made


def cleanup_previews(max_age: float = TTL_SECONDS, keep: set[str] | None = None) -> list[Path]:
    """Delete preview stores under the temp folder older than `max_age` seconds (except
    `keep`); returns those deleted."""
    now, gone = time.time(), []
    for d in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        if not d.is_dir() or str(d) in (keep or set()):
            continue
        try:
            age = now - d.stat().st_mtime
        except OSError:
            continue
        if age > max_age:
            shutil.rmtree(d, ignore_errors=True)
            gone.append(d)
    return gone


def discard(path: str | Path | None) -> None:
    """Delete one preview store (the page does this when its preview is left or saved)."""
    if path and Path(path).name.startswith(PREFIX):
        shutil.rmtree(path, ignore_errors=True)


def preview_store(plan: Plan, store: Store, root: Path | None = None) -> Store:
    """A private store holding the current tables with the plan applied, under the temp
    folder; stale previews of earlier uploads are cleaned away first."""
    cleanup_previews()
    root = Path(root or tempfile.mkdtemp(prefix=PREFIX))
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


# --- the Upload page's work -------------------------------------------------------------


@dataclass
class Rejected:
    """A file that was not accepted, with the raw text of the lines its problems name."""

    name: str
    error: InputError
    lines: list[list[tuple[int, str]]] = field(default_factory=list)  # per problem

    def problems(self) -> list[tuple[str, pd.DataFrame | None]]:
        """Per problem: its description and the lines it names (line, text), if any."""
        return [
            (
                prob.describe(limit=8),
                pd.DataFrame(lines, columns=["line", "text"]) if lines else None,
            )
            for prob, lines in zip(self.error.problems, self.lines, strict=True)
        ]


WORKER_TIMEOUT = 600  # seconds


def _layout(layout_id: str) -> sources.Layout:
    return sources.BY_ID[layout_id]


# A layout crosses to and from the worker process by its id (its parse function may be a closure).
copyreg.pickle(sources.Layout, lambda lay: (_layout, (lay.id,)))


def isolated(name: str, *args, **kwargs):
    """Run `name(*args, **kwargs)` of this module in a child process (preview_worker): the
    server's other sessions keep their CPU, and the memory it takes is capped and then freed."""
    import os
    import pickle
    import subprocess
    import sys

    from .errors import StoreError

    with tempfile.TemporaryDirectory(prefix="indicators-work-") as tmp:
        src, dst = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
        src.write_bytes(pickle.dumps((name, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL))
        try:
            r = subprocess.run(
                [sys.executable, "-m", "indicators.preview_worker", str(src), str(dst), str(os.getpid())],
                capture_output=True, text=True, timeout=WORKER_TIMEOUT,
                start_new_session=True,  # its own Linux autogroup, at a lower priority: preview_worker
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise StoreError(
                f"the preview took longer than {WORKER_TIMEOUT} s and was stopped"
            ) from None
        if r.returncode != 0 or not dst.is_file():
            last = (r.stderr.strip().splitlines() or ["no output"])[-1][:300]
            raise StoreError(f"the preview failed ({last})")
        status, value = pickle.loads(dst.read_bytes())
    if status == "error":
        raise value
    return value


def read_uploads(
    files: list[tuple[str, bytes]], expect_table: str | None = None, max_bytes: int | None = None
) -> tuple[list[sources.Parsed], list[Rejected]]:
    """Recognise and validate every (name, bytes); the names are only shown, never paths."""
    parsed, rejected = [], []
    kw = {"expect_table": expect_table or None}
    if max_bytes:
        kw["max_bytes"] = max_bytes
    for name, data in files:
        try:
            parsed.append(ingest.parse_upload(data, name, **kw))
        except InputError as exc:
            lines = [offending_lines(data, prob.lines) for prob in exc.problems]
            rejected.append(Rejected(name, exc, lines))
    return parsed, rejected


def read_and_preview(
    files: list[tuple[str, bytes]],
    store: Store,
    expect_table: str | None = None,
    max_bytes: int | None = None,
    decision_for: str | None = None,
    decision: str | None = None,
) -> tuple[list[sources.Parsed], list[Rejected], Preview | None]:
    """The Upload page's first look at a set of files, in one child process instead of two:
    read them and, when every file is accepted, preview the change. `decision` (what to do
    with stored values the files no longer have) is used only if it was taken for these same
    files (`decision_for`, their `preview_key(parsed, None)`). A preview that fails (a damaged
    store, the memory cap) gives None: the page keeps the files' check and shows the preview's
    own error when it tries again."""
    parsed, rejected = read_uploads(files, expect_table, max_bytes)
    if not parsed or rejected:
        return parsed, rejected, None
    chosen = decision if decision_for == preview_key(parsed, None) else None
    try:
        return parsed, rejected, make_preview(parsed, store, chosen)
    except (StoreError, MemoryError):
        return parsed, rejected, None


def preview_key(parsed: list[sources.Parsed], dropped: str | None) -> str:
    ids = "".join(f"{p.sha256}:{p.table}:{p.rows['source_id'].iloc[0]}\n" for p in parsed)
    return sha256_bytes(f"{ids}{dropped}".encode())[:24]


@dataclass
class Preview:
    """A previewed change: the plan (against one store version), the headline numbers and
    claim verdicts that move, and the private preview store (when anything changes)."""

    key: str
    plan: Plan
    moves: pd.DataFrame
    verdicts: pd.DataFrame
    store_path: str | None

    @property
    def base_number(self) -> int | None:
        return self.plan.base_number

    def is_current(self, store: Store) -> bool:
        """The store is still at the version this preview was made against."""
        cur = store.current().number if store.exists() else None
        return cur == self.base_number

    def discard(self) -> None:
        discard(self.store_path)


def make_preview(parsed: list[sources.Parsed], store: Store, dropped: str | None = None) -> Preview:
    """Plan the change against the current version and compute what it would move."""
    pl = ingest.plan(parsed, store, dropped=dropped)
    moves = pd.DataFrame(columns=["table", "figure", "before", "after", "change"])
    verdicts = pd.DataFrame()
    path = None
    if pl.changed:
        moves = headline_changes(pl, store)
        pv = preview_store(pl, store)
        path = str(pv.root)
        verdicts = verdict_changes(store, pv)
    return Preview(preview_key(parsed, dropped), pl, moves, verdicts, path)


def save(pv: Preview, store: Store, message: str) -> Version | None:
    """Apply exactly the previewed plan. Raises StaleBase if the store moved on since the
    preview (preview again), DecisionNeeded if a decision is open. The preview store is
    deleted once the change is saved."""
    v = ingest.commit(pv.plan, store, message)
    pv.discard()
    cleanup_previews()
    return v


@dataclass
class Result:
    """What an editor's action did: ok, and the message to show ('' after a refused password:
    the editor session holds that one)."""

    ok: bool
    message: str
    version: Version | None = None


def save_as_editor(editor, pv: Preview, store: Store, password: str, names: list[str]) -> Result:
    """Check the password (counted on the server), then save exactly the previewed plan."""
    if not editor.authorise(password, "save").ok:
        return Result(False, "")
    try:
        v = save(pv, store, "upload " + ", ".join(names))
    except StoreError as exc:  # StaleBase: the store moved on since the preview
        return Result(False, str(exc))
    if v is None:
        return Result(True, "Nothing to save: nothing would change.")
    return Result(True, f"Saved as version {v.number}. Every page now shows the new data.", v)


def rollback_as_editor(editor, store: Store, password: str, number: int | None) -> Result:
    """Check the password, then make version `number` current again (as a new version)."""
    if not editor.authorise(password, "rollback").ok or number is None:
        return Result(False, "")
    try:
        v = store.rollback(int(number))
    except StoreError as exc:
        return Result(False, str(exc))
    return Result(True, f"Version {v.number} now holds the data of version {number}.", v)
