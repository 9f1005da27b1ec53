"""CBP Nationwide Encounters CSVs: by Area of Responsibility (AOR) and by State.

The AOR file is recognised in CBP's own header and in TidyTuesday's snake_case header
(janitor::clean_names of CBP's). The by-State file has no Component, AOR or Encounter Type:
it is a different cut of the same events and goes to its own table.
"""

from __future__ import annotations

import pandas as pd

from ..contract import CBP_COMPONENTS, ENCOUNTER_TYPES, GEO_CODES
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
)

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
    fiscal, month, partial = fiscal_year_and_month(c, "Fiscal Year")
    cols = {
        "land_border_region": c.coded("Land Border Region", REGION, "land border region"),
        "demographic": c.coded("Demographic", DEMOGRAPHIC, "demographic"),
        "citizenship": c.mapped("Citizenship", str.upper, "citizenship", "string"),
        "title_of_authority": c.coded("Title of Authority", TITLE, "title of authority"),
    }
    count = c.number("Encounter Count")
    c.nonnegative(count, "Encounter Count")
    c.flag(cols["citizenship"].eq(""), "Citizenship", "empty citizenship")
    c.check()
    c.flag(greater(fiscal, current_fiscal_year()), "Fiscal Year", "a fiscal year in the future")
    c.check()
    for y in partial:
        ctx.notes.append(
            f"FY{y} is year to date in this file ({months_of(fiscal, month, y)} months)"
        )
    year = fiscal_years(fiscal, month)
    return {
        "fiscal_year": fiscal,
        "year": year,
        "month": month,
        **cols,
        "encounters": count,
        "source_id": constant(ctx.source_id, c.n),
        "vintage": constant(ctx.vintage or latest_month(year, month), c.n),
        "_row": c.row_positions(),
    }


def _no_duplicates(c: Cells, out: dict, key: list[str]) -> None:
    c.flag(c.duplicated([out[k] for k in key]), "Encounter Count", "the same cell appears twice")
    c.check()


def parse_aor(c: Cells, ctx: Context) -> pd.DataFrame:
    c.rename({k: v for k, v in SNAKE.items() if k in c})
    comp = c.mapped(
        "Component", lambda v: v if v in CBP_COMPONENTS[:2] else None, "CBP component", "string"
    )
    etype = c.mapped(
        "Encounter Type",
        lambda v: v if v in ENCOUNTER_TYPES else None,
        "encounter type",
        "string",
    )
    base = _common(c, ctx)
    out = {
        "component": comp,
        **{k: base[k] for k in ("fiscal_year", "year", "month", "land_border_region")},
        "area_of_responsibility": c.mapped("Area of Responsibility", str, "", "string"),
        "aor_abbv": c.text("AOR (Abbv)"),
        **{k: base[k] for k in ("demographic", "citizenship", "title_of_authority")},
        "encounter_type": etype,
        **{k: base[k] for k in ("encounters", "source_id", "vintage", "_row")},
    }
    key = ["component", "fiscal_year", "month", "land_border_region", "area_of_responsibility",
           "demographic", "citizenship", "title_of_authority", "encounter_type"]  # fmt: skip
    _no_duplicates(c, out, key)
    return frame(out, c.n)


def parse_state(c: Cells, ctx: Context) -> pd.DataFrame:
    state = c.mapped(
        "State",
        lambda v: v.upper() if v.upper() in GEO_CODES - {"US", "YC"} else None,
        "state code",
        "string",
    )
    base = _common(c, ctx)
    out = {
        **{k: base[k] for k in ("fiscal_year", "year", "month", "land_border_region")},
        "state": state,
        **{
            k: v
            for k, v in base.items()
            if k not in ("fiscal_year", "year", "month", "land_border_region")
        },
    }
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
    return frame(out, c.n)


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
