"""CBP drug seizure CSVs: the nationwide file (OFO + USBP) and the Air and Marine Operations file.

Header (nationwide): FY, Month (abbv), Component, Region, Land Filter, Area of Responsibility,
Drug Type, Count of Event, Sum Qty (lbs). The AMO file has Branch instead of Area of
Responsibility. FY is a year or '2026 (FYTD)'; quantities are pounds.
"""

from __future__ import annotations

import pandas as pd

from ..contract import CBP_COMPONENTS
from ..periods import current_fiscal_year, fiscal_years, parse_fiscal_year, parse_month
from .base import Cells, Context, Layout, latest_month

OFFICIAL_URL = "https://www.cbp.gov/newsroom/stats/drug-seizure-statistics"

DRUG_TYPES = {
    "Cocaine": "cocaine",
    "Ecstasy": "ecstasy",
    "Fentanyl": "fentanyl",
    "Heroin": "heroin",
    "Ketamine": "ketamine",
    "Khat (Catha Edulis)": "khat",
    "Lsd": "lsd",
    "Marijuana": "marijuana",
    "Methamphetamine": "methamphetamine",
    "Other Drugs**": "other_drugs",
    "Other Drugs": "other_drugs",
}
LAND_FILTER = {"land only": "Land", "land": "Land", "other": "Other"}

COMMON = (
    "FY",
    "Month (abbv)",
    "Component",
    "Region",
    "Land Filter",
    "Drug Type",
    "Count of Event",
    "Sum Qty (lbs)",
)


def _parse(df: pd.DataFrame, ctx: Context, aor_col: str, series: str) -> pd.DataFrame:
    c = Cells(df, ctx.file)
    fy = c.mapped("FY", parse_fiscal_year, "fiscal year (e.g. 2023 or '2026 (FYTD)')")
    month = c.mapped("Month (abbv)", parse_month, "month")
    comp = c.mapped("Component", lambda v: v if v in CBP_COMPONENTS else None, "CBP component")
    drug = c.coded("Drug Type", DRUG_TYPES, "drug type")
    land = c.coded("Land Filter", LAND_FILTER, "land filter (Land Only / Land / Other)")
    events = c.number("Count of Event")
    qty = c.number("Sum Qty (lbs)", "float")
    c.nonnegative(events, "Count of Event")
    c.nonnegative(qty, "Sum Qty (lbs)")
    c.check()
    fiscal = fy.map(lambda t: t[0]).astype("Int64")
    month = month.astype("Int64")
    c.flag((fiscal > current_fiscal_year()).fillna(False), "FY", "a fiscal year in the future")
    c.check()
    partial = sorted({t[0] for t in fy if t[1]})
    out = pd.DataFrame(
        {
            "agency": "CBP",
            "series": series,
            "component": comp,
            "fiscal_year": fiscal,
            "year": fiscal_years(fiscal, month),
            "month": month,
            "coverage": "month",
            "as_of": pd.NaT,
            "region": df["Region"],
            "land_filter": land,
            "area_of_responsibility": df[aor_col],
            "drug": drug,
            "form": "",
            "events": events,
            "quantity": qty,
            "unit": "lb",
            "qualifier": "",
            "source_url": "",
            "source_quote": "",
            "source_id": ctx.source_id,
            "vintage": ctx.vintage or latest_month(fiscal_years(fiscal, month), month),
            "_line": df["_line"],
        }
    )
    key = [
        "component",
        "fiscal_year",
        "month",
        "region",
        "land_filter",
        "area_of_responsibility",
        "drug",
    ]
    dup = out.duplicated(key, keep=False)
    c.flag(dup, "Drug Type", "the same month, area and drug appears twice")
    c.check()
    for y in partial:
        months = out.loc[out.fiscal_year == y, "month"].nunique()
        ctx.notes.append(f"FY{y} is year to date in this file ({months} months)")
    return out


def parse_nationwide(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return _parse(df, ctx, "Area of Responsibility", "cbp_nationwide")


def parse_amo(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return _parse(df, ctx, "Branch", "cbp_amo")


LAYOUTS = [
    Layout(
        id="cbp_seizures_nationwide",
        title="CBP Nationwide Drug Seizures (OFO + USBP)",
        table="seizures",
        agency="CBP",
        header=COMMON[:5] + ("Area of Responsibility",) + COMMON[5:],
        parse=parse_nationwide,
        official_url="https://www.cbp.gov/document/stats/nationwide-drug-seizures",
    ),
    Layout(
        id="cbp_seizures_amo",
        title="CBP Air and Marine Operations Drug Seizures",
        table="seizures",
        agency="CBP",
        header=COMMON[:5] + ("Branch",) + COMMON[5:],
        parse=parse_amo,
        official_url=OFFICIAL_URL,
    ),
]
