"""CBP Nationwide Encounters CSVs: by Area of Responsibility (AOR) and by State.

The AOR file is recognised in CBP's own header and in TidyTuesday's snake_case header
(janitor::clean_names of CBP's). The by-State file has no Component, AOR or Encounter Type:
it is a different cut of the same events and goes to its own table.
"""

from __future__ import annotations

import pandas as pd

from ..contract import CBP_COMPONENTS, ENCOUNTER_TYPES, GEO_CODES
from ..periods import current_fiscal_year, fiscal_years, parse_fiscal_year, parse_month
from .base import Cells, Context, Layout, latest_month

OFFICIAL_URL = "https://www.cbp.gov/document/stats/nationwide-encounters"

AOR_HEADER = (
    "Fiscal Year", "Month Grouping", "Month (abbv)", "Component", "Land Border Region",
    "Area of Responsibility", "AOR (Abbv)", "Demographic", "Citizenship", "Title of Authority",
    "Encounter Type", "Encounter Count",
)  # fmt: skip
SNAKE = {
    "fiscal_year": "Fiscal Year", "month_grouping": "Month Grouping", "month_abbv": "Month (abbv)",
    "component": "Component", "land_border_region": "Land Border Region",
    "area_of_responsibility": "Area of Responsibility", "aor_abbv": "AOR (Abbv)",
    "demographic": "Demographic", "citizenship": "Citizenship",
    "title_of_authority": "Title of Authority", "encounter_type": "Encounter Type",
    "encounter_count": "Encounter Count",
}  # fmt: skip
STATE_HEADER = (
    "Fiscal Year", "Month Grouping", "Month (abbv)", "Land Border Region", "State",
    "Demographic", "Citizenship", "Title of Authority", "Encounter Count",
)  # fmt: skip

# Labels that changed between vintages, normalised to the current CBP wording.
DEMOGRAPHIC = {
    "single adults": "Single Adults",
    "fmua": "FMUA",
    "accompanied minors": "Accompanied Minors",
    "uac": "UAC",
    "uc / single minors": "UAC",
    "uac / single minors": "UAC",
    "unaccompanied children": "UAC",
}
REGION = {
    "northern land border": "Northern Land Border",
    "southwest land border": "Southwest Land Border",
    "other": "Other",
}
TITLE = {"title 8": "Title 8", "title 42": "Title 42"}


def _common(c: Cells, ctx: Context) -> dict:
    df = c.df
    fy = c.mapped("Fiscal Year", parse_fiscal_year, "fiscal year (e.g. 2023 or '2026 (FYTD)')")
    month = c.mapped("Month (abbv)", parse_month, "month")
    cols = {
        "land_border_region": c.coded("Land Border Region", REGION, "land border region"),
        "demographic": c.coded("Demographic", DEMOGRAPHIC, "demographic"),
        "citizenship": df["Citizenship"].str.upper(),
        "title_of_authority": c.coded("Title of Authority", TITLE, "title of authority"),
    }
    count = c.number("Encounter Count")
    c.nonnegative(count, "Encounter Count")
    c.flag(df["Citizenship"].eq(""), "Citizenship", "empty citizenship")
    c.check()
    fiscal = fy.map(lambda t: t[0]).astype("Int64")
    month = month.astype("Int64")
    c.flag(
        (fiscal > current_fiscal_year()).fillna(False), "Fiscal Year", "a fiscal year in the future"
    )
    c.check()
    for y in sorted({t[0] for t in fy if t[1]}):
        n = month[fiscal == y].nunique()
        ctx.notes.append(f"FY{y} is year to date in this file ({n} months)")
    year = fiscal_years(fiscal, month)
    return {
        "fiscal_year": fiscal,
        "year": year,
        "month": month,
        **cols,
        "encounters": count,
        "source_id": ctx.source_id,
        "vintage": ctx.vintage or latest_month(year, month),
        "_line": df["_line"],
    }


def _no_duplicates(c: Cells, out: pd.DataFrame, key: list[str]) -> None:
    c.flag(out.duplicated(key, keep=False), "Encounter Count", "the same cell appears twice")
    c.check()


def parse_aor(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    df = df.rename(columns={k: v for k, v in SNAKE.items() if k in df.columns})
    c = Cells(df, ctx.file)
    comp = c.mapped("Component", lambda v: v if v in CBP_COMPONENTS[:2] else None, "CBP component")
    etype = c.mapped(
        "Encounter Type", lambda v: v if v in ENCOUNTER_TYPES else None, "encounter type"
    )
    base = _common(c, ctx)
    out = pd.DataFrame(
        {
            "component": comp,
            **{k: base[k] for k in ("fiscal_year", "year", "month", "land_border_region")},
            "area_of_responsibility": df["Area of Responsibility"],
            "aor_abbv": df["AOR (Abbv)"],
            **{k: base[k] for k in ("demographic", "citizenship", "title_of_authority")},
            "encounter_type": etype,
            **{k: base[k] for k in ("encounters", "source_id", "vintage", "_line")},
        }
    )
    key = ["component", "fiscal_year", "month", "land_border_region", "area_of_responsibility",
           "demographic", "citizenship", "title_of_authority", "encounter_type"]  # fmt: skip
    _no_duplicates(c, out, key)
    return out


def parse_state(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    c = Cells(df, ctx.file)
    state = c.mapped(
        "State",
        lambda v: v.upper() if v.upper() in GEO_CODES - {"US", "YC"} else None,
        "state code",
    )
    base = _common(c, ctx)
    out = pd.DataFrame(
        {
            **{k: base[k] for k in ("fiscal_year", "year", "month", "land_border_region")},
            "state": state,
            **{
                k: v
                for k, v in base.items()
                if k not in ("fiscal_year", "year", "month", "land_border_region")
            },
        }
    )
    key = [
        "fiscal_year",
        "month",
        "land_border_region",
        "state",
        "demographic",
        "citizenship",
        "title_of_authority",
    ]
    _no_duplicates(c, out, key)
    return out


def _is_aor_snake(columns: list[str]) -> bool:
    return sorted(c.lower() for c in columns) == sorted(SNAKE)


LAYOUTS = [
    Layout(
        id="cbp_encounters_aor",
        title="CBP Nationwide Encounters by Area of Responsibility",
        table="encounters",
        agency="CBP",
        header=AOR_HEADER,
        parse=parse_aor,
        official_url=OFFICIAL_URL,
    ),
    Layout(
        id="cbp_encounters_aor_tidytuesday",
        title="CBP Nationwide Encounters by Area of Responsibility (TidyTuesday snake_case header)",
        table="encounters",
        agency="CBP",
        header=tuple(SNAKE),
        parse=parse_aor,
        official_url=OFFICIAL_URL,
        match=_is_aor_snake,
    ),
    Layout(
        id="cbp_encounters_state",
        title="CBP Nationwide Encounters by State",
        table="encounters_by_state",
        agency="CBP",
        header=STATE_HEADER,
        parse=parse_state,
        official_url=OFFICIAL_URL,
    ),
]
