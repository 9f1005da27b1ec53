"""CDC/NCHS VSRR Provisional Drug Overdose Death Counts (data.cdc.gov xkb8-kh2a).

Each row is a count for the 12 months ending in (Year, Month), by jurisdiction of occurrence.
Layouts recognised: the current 12-column export; the older 10-column export (State Name
second, a byte-order mark, `Percent Complete` like '99+'); the same 12 columns with the
footnote columns dropped; and a December-only extract `Year,State Name,Indicator,Total Deaths`.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..contract import GEO_CODES, NAME_TO_GEO
from ..errors import InputError
from ..periods import parse_month
from .base import (
    Cells,
    Context,
    Layout,
    constant,
    frame,
    latest_month,
    month_ends,
    no_numbers,
    whole,
)

OFFICIAL_URL = "https://data.cdc.gov/NCHS/VSRR-Provisional-Drug-Overdose-Death-Counts/xkb8-kh2a"

INDICATORS = {
    "Number of Drug Overdose Deaths": "all_drugs",
    "Opioids (T40.0-T40.4,T40.6)": "all_opioids",
    "Synthetic opioids, excl. methadone (T40.4)": "synthetic_opioids",
    "Heroin (T40.1)": "heroin",
    "Natural & semi-synthetic opioids (T40.2)": "natural_semisynthetic_opioids",
    "Natural & semi-synthetic opioids, incl. methadone (T40.2, T40.3)": "natural_semisynthetic_incl_methadone",
    "Natural, semi-synthetic, & synthetic opioids, incl. methadone (T40.2-T40.4)": "natural_semisynthetic_synthetic_incl_methadone",
    "Methadone (T40.3)": "methadone",
    "Cocaine (T40.5)": "cocaine",
    "Psychostimulants with abuse potential (T43.6)": "psychostimulants",
}
# Published in the same file but not overdose deaths: skipped, and said so.
NOT_OVERDOSE = {"Number of Deaths", "Percent with drugs specified"}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


_IND = {_key(k): v for k, v in INDICATORS.items()}
_SKIP = {_key(k) for k in NOT_OVERDOSE}

CURRENT = (
    "State", "Year", "Month", "Period", "Indicator", "Data Value", "Percent Complete",
    "Percent Pending Investigation", "State Name", "Footnote", "Footnote Symbol", "Predicted Value",
)  # fmt: skip
OLD_10 = (
    "State", "State Name", "Year", "Month", "Period", "Indicator", "Data Value",
    "Percent Complete", "Percent Pending Investigation", "Footnote",
)  # fmt: skip
DECEMBER_EXTRACT = ("Year", "State Name", "Indicator", "Total Deaths")


def _geo(c: Cells) -> pd.Series:
    if "State" in c:
        return c.mapped(
            "State",
            lambda v: v.upper() if v.upper() in GEO_CODES else None,
            "jurisdiction code",
            "string",
        )
    return c.mapped(
        "State Name", lambda v: NAME_TO_GEO.get(v.lower()), "jurisdiction name", "string"
    )


def _ym(year: pd.Series, month: pd.Series):
    """((values, missing), (values, missing)) of Int64 year and month columns, else None."""
    y, m = year.array, month.array
    if all(isinstance(a, pd.arrays.IntegerArray) and a.dtype == "Int64" for a in (y, m)):
        return (y._data, y._mask), (m._data, m._mask)
    return None


def parse(c: Cells, ctx: Context) -> pd.DataFrame:
    skipped = c.rows_where("Indicator", lambda v: _key(v) in _SKIP)
    if skipped.any():
        ctx.notes.append(
            f"{int(skipped.sum())} rows of all-cause deaths / percent specified skipped"
        )
        c = c.subset(~skipped)
    if c.n == 0:
        raise InputError(
            ctx.file,
            "no overdose-death rows: the file holds only all-cause deaths or percent specified",
        )
    drug = c.mapped("Indicator", lambda v: _IND.get(_key(v)), "VSRR indicator", "string")
    geo = _geo(c)
    year = c.number("Year")
    if "Month" in c:
        month = c.mapped("Month", parse_month, "month", "Int64")
    else:  # December extract: every row is the 12 months ending December
        month = pd.Series(np.full(c.n, 12), dtype="Int64")
    if "Period" in c:
        c.flag(
            c.rows_where("Period", lambda v: v.lower() not in ("12 month-ending", "")),
            "Period",
            "not '12 month-ending'",
        )
    value_col = "Data Value" if "Data Value" in c else "Total Deaths"
    deaths = c.number(value_col, "float", required=False)
    predicted = (
        c.number("Predicted Value", "float", required=False) if "Predicted Value" in c else None
    )
    c.nonnegative(deaths, value_col)
    today = dt.date.today()
    if _ym(year, month) is not None:
        (y, ym), (m, mm) = _ym(year, month)
        future = ((y * 100 + m) > today.year * 100 + today.month) & ~ym & ~mm
    else:
        future = ((year * 100 + month) > today.year * 100 + today.month).fillna(False)
    c.flag(future, "Year", "a period in the future")
    if predicted is not None:
        c.nonnegative(predicted, "Predicted Value")
    c.check()
    n = c.n
    out = frame(
        {
            "geo": geo,
            "period_type": constant("12_month_ending", n),
            "year": year,
            "month": month,
            "period_end": month_ends(year, month),
            "drug": drug,
            "deaths": whole(deaths),
            "deaths_predicted": (whole(predicted) if predicted is not None else no_numbers(n)),
            "age_adjusted_rate": no_numbers(n, "Float64"),
            "status": constant("provisional", n),
            "agency": constant("CDC/NCHS", n),
            "source_id": constant(ctx.source_id, n),
            "vintage": constant(ctx.vintage or latest_month(year, month), n),
            "_row": c.row_positions(),
        },
        n,
    )
    blank = deaths.array.isna() & (predicted.array.isna() if predicted is not None else True)
    if blank.any():
        ctx.notes.append(f"{int(blank.sum())} rows not published by NCHS (blank values) skipped")
    dup = c.duplicated([geo, year, month, drug], among=~blank)
    c.flag(dup, "Indicator", "the same jurisdiction, month and indicator appears twice")
    c.check()
    return out.loc[~blank] if blank.any() else out


LAYOUTS = [
    Layout(
        id="cdc_vsrr",
        title="CDC VSRR Provisional Drug Overdose Death Counts",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=CURRENT,
        optional=(
            "Footnote",
            "Footnote Symbol",
            "Percent Complete",
            "Percent Pending Investigation",
            "Predicted Value",
            "Period",
        ),
        parse=parse,
        official_url=OFFICIAL_URL,
    ),
    Layout(
        id="cdc_vsrr_old10",
        title="CDC VSRR Provisional Drug Overdose Death Counts (older 10-column release)",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=OLD_10 + ("Predicted Value",),
        optional=("Predicted Value", "Period"),
        parse=parse,
        official_url=OFFICIAL_URL,
    ),
    Layout(
        id="cdc_vsrr_december_extract",
        title="CDC VSRR provisional counts, December (calendar-year) extract",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=DECEMBER_EXTRACT,
        parse=parse,
        official_url=OFFICIAL_URL,
    ),
]
