"""Calendar and federal fiscal years, month labels, and partial periods.

The U.S. federal fiscal year N runs from 1 October of year N-1 to 30 September of year N.
CBP publishes by fiscal year and month; CDC and DEA by calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pandas as pd

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_ABBR = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
FISCAL_MONTH_ORDER = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]

_FY_RE = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*(\((?P<flag>[^)]*)\))?\s*$", re.IGNORECASE)
_OHSS_MONTH_RE = re.compile(r"^\s*\d{1,2}\s+([A-Za-z]+)\s*$")


def parse_month(value: object) -> int | None:
    """Month number 1-12 from 'OCT', 'Oct', 'October', '01 October' (OHSS) or '10'.

    Returns None when the value is not a month.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    m = _OHSS_MONTH_RE.match(text)
    if m:
        text = m.group(1)
    low = text.lower().rstrip(".")
    if low in MONTH_NAMES:
        return MONTH_NAMES[low]
    if low in MONTH_ABBR:
        return MONTH_ABBR[low]
    if low == "sept":
        return 9
    if low.isdigit() and 1 <= int(low) <= 12:
        return int(low)
    return None


def parse_fiscal_year(value: object) -> tuple[int, bool] | None:
    """(year, partial) from '2023', 'FY2023' or '2026 (FYTD)'. None if not a year."""
    m = _FY_RE.match(str(value))
    if not m:
        return None
    return int(m.group(1)), m.group("flag") is not None


def fiscal_to_calendar_year(fiscal_year: int, month: int) -> int:
    """Calendar year of a month of a fiscal year (Oct-Dec belong to the previous year)."""
    return fiscal_year - 1 if month >= 10 else fiscal_year


def calendar_to_fiscal_year(year: int, month: int) -> int:
    """Fiscal year a calendar month belongs to."""
    return year + 1 if month >= 10 else year


def fiscal_years(fy: pd.Series, month: pd.Series) -> pd.Series:
    """Vectorised calendar year for fiscal-year/month columns."""
    return (fy - (month >= 10).astype("Int64")).astype("Int64")


def calendar_to_fiscal(year: pd.Series, month: pd.Series) -> pd.Series:
    """Vectorised fiscal year for calendar-year/month columns."""
    return (year + (month >= 10).astype("Int64")).astype("Int64")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_year_label(fy: int, partial: bool, months: int | None = None) -> str:
    if not partial:
        return f"FY{fy}"
    return f"FY{fy} (partial{f', {months} months' if months else ''})"


def current_fiscal_year(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return calendar_to_fiscal_year(today.year, today.month)


def year_column(basis: str) -> str:
    """The table column holding the year for a basis ('calendar' or 'fiscal')."""
    if basis not in ("calendar", "fiscal"):
        raise ValueError(f"year basis must be 'calendar' or 'fiscal', not {basis!r}")
    return "year" if basis == "calendar" else "fiscal_year"


def coverage(df: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Months present per year on a basis: columns year, months, partial, first, last.

    A year with fewer than 12 distinct months is partial: it is never drawn as complete.
    """
    col = year_column(basis)
    d = df.dropna(subset=[col, "month"])
    if d.empty:
        return pd.DataFrame(columns=["year", "months", "partial", "first_month", "last_month"])
    # Position of a month within the year on this basis, for first/last.
    pos = d["month"] if basis == "calendar" else (d["month"] - 10) % 12 + 1
    g = pd.DataFrame({"year": d[col].astype(int), "month": d["month"].astype(int), "pos": pos})
    out = g.groupby("year").agg(
        months=("month", "nunique"), first_pos=("pos", "min"), last_pos=("pos", "max")
    )
    out["partial"] = out["months"] < 12
    to_month = (lambda p: p) if basis == "calendar" else (lambda p: (p + 8) % 12 + 1)
    out["first_month"] = out["first_pos"].map(to_month)
    out["last_month"] = out["last_pos"].map(to_month)
    return out.drop(columns=["first_pos", "last_pos"]).reset_index()
