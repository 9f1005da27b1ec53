"""Calendar and federal fiscal years, month labels, and partial periods.

The U.S. federal fiscal year N runs from 1 October of year N-1 to 30 September of year N.
CBP publishes by fiscal year and month; CDC and DEA by calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_ABBR = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}

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
    """Vectorised calendar year for fiscal-year/month columns (missing stays missing)."""
    f = pd.array(fy, dtype="Int64")
    m = pd.array(month, dtype="Int64")
    missing = f.isna() | m.isna()
    y = f.to_numpy(dtype=np.int64, na_value=0) - (m.to_numpy(dtype=np.int64, na_value=0) >= 10)
    return pd.Series(pd.arrays.IntegerArray(y, np.asarray(missing, dtype=bool)))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(year: pd.Series, month: pd.Series) -> pd.Series:
    """Vectorised last day of each (year, month), as datetime64[ms]; missing stays missing."""
    y = pd.array(year, dtype="Int64")
    m = pd.array(month, dtype="Int64")
    ok = ~(y.isna() | m.isna())
    months = np.where(ok, (y.to_numpy(na_value=1970) - 1970) * 12 + m.to_numpy(na_value=1) - 1, 0)
    last = (months.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    out = pd.Series(last.astype("datetime64[ms]"))
    return out.where(ok)


def current_fiscal_year(today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return calendar_to_fiscal_year(today.year, today.month)


def year_column(basis: str) -> str:
    """The table column holding the year for a basis ('calendar' or 'fiscal')."""
    if basis not in ("calendar", "fiscal"):
        raise ValueError(f"year basis must be 'calendar' or 'fiscal', not {basis!r}")
    return "year" if basis == "calendar" else "fiscal_year"


def basis_years(dates: pd.Series, basis: str) -> pd.Series:
    """The calendar or fiscal year of each date (a month's end): October to December belong
    to the next fiscal year."""
    year_column(basis)  # refuses an unknown basis
    d = pd.to_datetime(dates)
    return d.dt.year + (d.dt.month >= 10) if basis == "fiscal" else d.dt.year
