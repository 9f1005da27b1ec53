"""Load tables (once per stored version) and filter and sum them. Shared by pages and CLI."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import contract
from .store import Store


class QueryError(ValueError):
    """Unknown table or column, or a malformed filter; the message names the valid ones."""


@functools.lru_cache(maxsize=64)
def _load_cached(store_dir: str, name: str, sha: str) -> pd.DataFrame:
    store = Store(store_dir)
    if name == "claims":
        return store.load(name, store.current())
    text = [c.name for c in contract.table(name).columns if c.dtype == "str"]
    df = store.load(name, store.current(), dictionary=text)
    return compact(df)


# text compared by order (dates, vintages): kept in that order, as text or ordered codes
ORDERED_TEXT = frozenset({"vintage", "as_of", "event_date", "event_end", "article_date"})


def compact(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns with few distinct values dictionary-encoded (pandas categoricals): the
    encounters table takes 3 MB instead of 17 MB, and filters and group-bys work on codes.
    For reading only (pages, charts, claims, the query command); the store keeps plain text."""
    out = df.copy(deep=False)
    for col in out.columns:
        s = out[col]
        many = max(64, len(s) // 20)
        if isinstance(s.dtype, pd.CategoricalDtype):  # read dictionary-encoded
            cats = s.cat.categories
            if len(cats) > many:  # mostly distinct (free text): plain text, as before
                out[col] = s.astype("string")
            elif col in ORDERED_TEXT:  # compared by order (the latest vintage): ordered codes
                out[col] = s.cat.set_categories(sorted(cats.astype(str)), ordered=True)
            elif not pd.api.types.is_string_dtype(cats.dtype):
                out[col] = s.cat.set_categories(cats.astype("string"))
        elif col in ORDERED_TEXT:
            continue
        elif pd.api.types.is_string_dtype(s) and s.nunique(dropna=True) <= many:
            out[col] = s.astype("category")
    return out


def load(name: str, store: Store | None = None) -> pd.DataFrame:
    """The current rows of a table. Cached per content: an ingest changes the key."""
    if name not in contract.TABLES:
        raise QueryError(f"unknown table {name!r}; valid tables: {', '.join(contract.TABLES)}")
    store = store or Store()
    v = store.current()
    meta = v.tables.get(name)
    if meta is None:
        return contract.empty(name)
    return _load_cached(str(store.root), name, meta["sha256"])


def table_key(name: str, store: Store | None = None) -> tuple[str, str]:
    """(store directory, content hash) of a table's current version: a cache key for anything
    derived from the table (it changes with every ingest that touches the table)."""
    store = store or Store()
    meta = store.current().tables.get(name)
    return (str(store.root), meta["sha256"] if meta else "")


_CLEARERS: list = []


def on_clear(fn) -> None:
    """Register a cache of data derived from the tables, cleared with them."""
    _CLEARERS.append(fn)


def clear_cache() -> None:
    _load_cached.cache_clear()
    for fn in _CLEARERS:
        fn()


def parse_pairs(
    spec: str | Iterable[str], error: type[Exception] = QueryError
) -> list[tuple[str, str]]:
    """`COL=VALUE` filters, in order: the one parser of the project.

    `spec` is either items (`--where` arguments, each one `COL=VALUE`) or one string of them
    separated by `;` (claims' `filters` column, where empty parts are skipped). Column and
    value are stripped; the value may itself hold `=`. An item without `=` raises `error`.
    """
    items = [p.strip() for p in spec.split(";") if p.strip()] if isinstance(spec, str) else spec
    out = []
    for item in items:
        if "=" not in item:
            raise error(f"filter {item!r} is not COL=VALUE")
        col, val = item.split("=", 1)
        out.append((col.strip(), val.strip()))
    return out


def group_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Filters by column (the same column twice means either value), in first-seen order."""
    out: dict[str, list[str]] = {}
    for col, val in pairs:
        out.setdefault(col, []).append(val)
    return out


def parse_where(items: Iterable[str]) -> list[tuple[str, str]]:
    """`--where COL=VALUE` arguments (see `parse_pairs`)."""
    return parse_pairs(list(items))


def check_columns(name: str, cols: Iterable[str]) -> None:
    valid = contract.table(name).names
    for c in cols:
        if c not in valid:
            raise QueryError(
                f"unknown column {c!r} in table {name}; valid columns: {', '.join(valid)}"
            )


def _as_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").fillna("")
    return s.astype("string").fillna("")


def filter_rows(
    df: pd.DataFrame, where: dict[str, Iterable[object]] | list[tuple[str, str]]
) -> pd.DataFrame:
    """Rows where every column matches one of its values (compared as text)."""
    if isinstance(where, list):
        where = group_pairs(where)
    mask = pd.Series(True, index=df.index)
    for col, values in where.items():
        vals = [str(v) for v in values]
        if not vals:
            continue
        mask &= _matches(df[col], vals)
    return df[mask]


def _matches(s: pd.Series, vals: list[str]) -> np.ndarray:
    """Rows whose value, as text, is one of `vals`. A categorical column is compared on its
    categories (a few hundred), not on every row (millions, at scale)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        ok = _as_text(pd.Series(s.cat.categories)).isin(vals).to_numpy()
        codes = s.cat.codes.to_numpy()
        return np.where(codes >= 0, ok[np.maximum(codes, 0)], "" in vals)
    return _as_text(s).isin(vals).to_numpy()


def aggregate(df: pd.DataFrame, by: list[str], measure: str) -> pd.DataFrame:
    """Sum of `measure` by the `by` columns (min_count=1: all-missing stays missing)."""
    if not by:
        return pd.DataFrame({measure: [df[measure].sum(min_count=1)], "rows": [len(df)]})
    g = df.groupby(by, dropna=False, observed=True, sort=True)
    out = g[measure].sum(min_count=1).to_frame()
    out["rows"] = g.size()
    return out.reset_index()


def query(
    name: str,
    where: list[tuple[str, str]] | None = None,
    by: list[str] | None = None,
    measure: str | None = None,
    store: Store | None = None,
) -> pd.DataFrame:
    """Filter and sum a table, as `indicators query` does."""
    spec = contract.table(name) if name in contract.TABLES else None
    if spec is None:
        raise QueryError(f"unknown table {name!r}; valid tables: {', '.join(contract.TABLES)}")
    where = where or []
    by = by or []
    measure = measure or spec.measures[0]
    check_columns(name, [c for c, _ in where] + by + [measure])
    if contract.table(name).column(measure).dtype not in ("int", "float"):
        raise QueryError(
            f"column {measure!r} is not numeric; numeric columns: {', '.join(spec.measures)}"
        )
    df = filter_rows(load(name, store), where)
    return aggregate(df, by, measure)


def distinct(name: str, column: str, store: Store | None = None) -> list:
    check_columns(name, [column])
    s = load(name, store)[column].dropna()
    return sorted(s.unique().tolist())
