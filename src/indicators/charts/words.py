"""Words shared by the chart specs: the active filters in plain words, partial-year notes,
and the tidy (x, series, value, partial, span) frame the renderer draws."""

from __future__ import annotations

import calendar
import functools

import numpy as np
import pandas as pd

from .. import contract
from ..filters import Filters


def iso_days(dates: pd.Series) -> np.ndarray | pd.Series:
    """Dates as 'YYYY-MM-DD' strings, in C (pandas' strftime formats each date in Python:
    8 ms for the 6,600 months of every state)."""
    if dates.isna().any():
        return dates.dt.strftime("%Y-%m-%d")
    return np.datetime_as_string(dates.to_numpy(dtype="datetime64[D]"), unit="D")


def and_list(words: list[str]) -> str:
    """'', 'a', 'a and b', 'a, b and c'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


@functools.lru_cache(maxsize=4096)
def month_word(iso: str) -> str:
    """'2024-09-30' -> 'Sep 2024' (kept: the small multiples ask 7,000 times per chart)."""
    return f"{calendar.month_abbr[int(iso[5:7])]} {iso[:4]}"


def filters_text(f: Filters, *extra: str) -> str:
    return " · ".join([f"{f.range_label()}, {f.basis_label()}", *[e for e in extra if e]])


def components_text(f: Filters, encounters: bool = False) -> str:
    comps = [contract.COMPONENT_PLAIN[c] for c in f.components
             if not (encounters and c == "Air and Marine Operations")]  # fmt: skip
    return "CBP " + " + ".join(comps) if comps else "no CBP component selected"


def tidy_years(d: pd.DataFrame, group: str, value: str) -> pd.DataFrame:
    """(year, group, value, partial, months_label) -> the renderer's tidy frame."""
    if d.empty:
        return pd.DataFrame(columns=["x", "series", "value", "partial", "span"])
    return pd.DataFrame({
        "x": d["year"].astype(int).to_numpy(),
        "series": d[group].astype(str).to_numpy() if group else "total",
        "value": d[value].astype(float).to_numpy(),
        "partial": d["partial"].fillna(False).astype(bool).to_numpy() if "partial" in d else False,
        "span": _short_span(d["months_label"]).to_numpy() if "months_label" in d else "",
    })  # fmt: skip


def _short_span(s: pd.Series) -> pd.Series:
    """'Oct 2025-Apr 2026' -> 'Oct-Apr' (the year is on the axis)."""

    def one(t: object) -> str:
        t = str(t or "")
        if "-" not in t:
            return t
        a, b = t.split("-", 1)
        return f"{a.split()[0]}-{b.split()[0]}" if a.split() and b.split() else t

    return s.fillna("").map(one)


def partial_note(d: pd.DataFrame, group: str, f: Filters) -> list[str]:
    """'Hatched bars are partial years ... (FY2026: ports of entry (OFO) + Border Patrol (USBP)
    Oct 2025-Apr 2026; Air and Marine (AMO) Oct-Dec 2025).'"""
    if d.empty or "partial" not in d or not d["partial"].fillna(False).any():
        return []
    p = d[d["partial"].fillna(False).astype(bool)]
    bits = []
    for y, g in p.groupby("year"):
        if group and group in g:
            by = g.groupby("months_label")[group].apply(
                lambda x: " + ".join(contract.COMPONENT_PLAIN.get(v, v) for v in sorted(set(x)))
            )
            parts = (
                [f"{who} {span}" for span, who in by.items()] if len(by) > 1 else [str(by.index[0])]
            )
        else:
            parts = sorted(set(g["months_label"].fillna("")))
        bits.append(f"{f.year_label(int(y))}: {'; '.join(parts)}")
    return [
        "Hatched bars are partial years, not comparable with full ones (" + " · ".join(bits) + ")."
    ]


def in_years(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of the basis years shown (to cite only the files a chart draws from)."""
    col = "fiscal_year" if f.basis == "fiscal" and "fiscal_year" in df else "year"
    if col not in df or not len(df):
        return df
    inside = df[col].between(f.year_from, f.year_to)
    return df if inside.all() else df[inside]  # no copy when every row is in range
