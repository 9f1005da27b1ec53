"""CBP drug seizure CSVs: the nationwide file (OFO + USBP) and the Air and Marine Operations file.

Header (nationwide): FY, Month (abbv), Component, Region, Land Filter, Area of Responsibility,
Drug Type, Count of Event, Sum Qty (lbs). The AMO file has Branch instead of Area of
Responsibility. FY is a year or '2026 (FYTD)'; quantities are pounds.
"""

from __future__ import annotations

import pandas as pd

from ..contract import CBP_COMPONENTS
from ..periods import current_fiscal_year
from .base import (
    Cells,
    Context,
    Layout,
    constant,
    fiscal_year_and_month,
    fiscal_years,
    frame,
    greater,
    latest_month,
    months_of,
    no_dates,
)

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


def _parse(c: Cells, ctx: Context, aor_col: str, series: str) -> pd.DataFrame:
    fiscal, month, partial = fiscal_year_and_month(c, "FY")
    comp = c.mapped(
        "Component", lambda v: v if v in CBP_COMPONENTS else None, "CBP component", "string"
    )
    drug = c.coded("Drug Type", DRUG_TYPES, "drug type")
    land = c.coded("Land Filter", LAND_FILTER, "land filter (Land Only / Land / Other)")
    events = c.number("Count of Event")
    qty = c.number("Sum Qty (lbs)", "float")
    c.nonnegative(events, "Count of Event")
    c.nonnegative(qty, "Sum Qty (lbs)")
    c.check()
    c.flag(greater(fiscal, current_fiscal_year()), "FY", "a fiscal year in the future")
    c.check()
    n = c.n
    year = fiscal_years(fiscal, month)
    region = c.mapped("Region", str, "", "string")
    aor = c.mapped(aor_col, str, "", "string")
    out = {
        "agency": constant("CBP", n),
        "series": constant(series, n),
        "component": comp,
        "fiscal_year": fiscal,
        "year": year,
        "month": month,
        "coverage": constant("month", n),
        "as_of": no_dates(n),
        "region": region,
        "land_filter": land,
        "area_of_responsibility": aor,
        "drug": drug,
        "form": constant("", n),
        "events": events,
        "quantity": qty,
        "unit": constant("lb", n),
        "qualifier": constant("", n),
        "source_url": constant("", n),
        "source_quote": constant("", n),
        "source_id": constant(ctx.source_id, n),
        "vintage": constant(ctx.vintage or latest_month(year, month), n),
        "_row": c.row_positions(),
    }
    key = [comp, fiscal, month, region, land, aor, drug]
    c.flag(c.duplicated(key), "Drug Type", "the same month, area and drug appears twice")
    c.check()
    for y in partial:
        ctx.notes.append(
            f"FY{y} is year to date in this file ({months_of(fiscal, month, y)} months)"
        )
    return frame(out, n)


def parse_nationwide(c: Cells, ctx: Context) -> pd.DataFrame:
    return _parse(c, ctx, "Area of Responsibility", "cbp_nationwide")


def parse_amo(c: Cells, ctx: Context) -> pd.DataFrame:
    return _parse(c, ctx, "Branch", "cbp_amo")


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
