"""CDC/NCHS final (residence-based) annual drug overdose deaths, national and by state.

Layouts: the project's compiled national series (`overdose_deaths_annual.csv`, one row per
published figure with its source); NCHS "Drug Poisoning Mortality by State" (1999-2016);
a state compilation of NCHS counts and age-adjusted rates (2016-2020, one column per year);
and the NCHS "Drug Overdose Mortality by State" map table (YEAR, STATE, RATE, DEATHS).
"""

from __future__ import annotations

import re

import pandas as pd

from ..contract import NAME_TO_GEO
from ..errors import InputError
from ..periods import month_ends
from .base import Cells, Context, Layout

ANNUAL_DRUGS = {
    "all_drugs": "all_drugs",
    "synthetic_opioids_excl_methadone": "synthetic_opioids",
    "heroin": "heroin",
    "natural_semisynthetic_opioids": "natural_semisynthetic_opioids",
    "methadone": "methadone",
    "any_opioid": "all_opioids",
    "cocaine": "cocaine",
    "psychostimulants": "psychostimulants",
    "benzodiazepines": "benzodiazepines",
}


def _frame(geo, year, drug, deaths, rate, ctx: Context, rows) -> pd.DataFrame:
    n = len(rows)

    def col(v):
        return pd.Series(list(v) if not isinstance(v, str) else [v] * n)

    year = col(year).astype("Int64")
    return pd.DataFrame(
        {
            "geo": col(geo),
            "period_type": "calendar_year",
            "year": year,
            "month": 12,
            "period_end": month_ends(year, pd.Series(12, index=year.index)),
            "drug": col(drug),
            "deaths": pd.to_numeric(col(deaths)).round().astype("Int64"),
            "deaths_predicted": pd.NA,
            "age_adjusted_rate": pd.to_numeric(col(rate)).astype("Float64"),
            "status": "final",
            "agency": "CDC/NCHS",
            "source_id": ctx.source_id,
            "vintage": ctx.vintage or f"{int(year.max())}-12",
            "_row": col(rows),
        }
    )


def parse_annual(c: Cells, ctx: Context) -> pd.DataFrame:
    """One count row and/or one rate row per (year, drug): combined into one."""
    year = c.number("year")
    drug = c.coded("drug_category", ANNUAL_DRUGS, "drug category")
    deaths = c.number("deaths", "float", required=False)
    rate = c.number("age_adjusted_rate", "float", required=False)
    c.nonnegative(deaths, "deaths")
    c.nonnegative(rate, "age_adjusted_rate")
    c.flag(deaths.isna() & rate.isna(), "deaths", "neither a count nor a rate")
    c.check()
    d = pd.DataFrame(
        {"year": year, "drug": drug, "deaths": deaths, "rate": rate, "_row": c.row_positions()}
    )
    for col in ("deaths", "rate"):
        conflict = d.dropna(subset=[col]).duplicated(["year", "drug"], keep=False)
        idx = conflict[conflict].index
        c.flag(d.index.isin(idx), "deaths" if col == "deaths" else "age_adjusted_rate",
               "two different rows give this figure for the same year and drug")  # fmt: skip
    c.check()
    g = d.groupby(["year", "drug"], as_index=False).agg(
        deaths=("deaths", "first"), rate=("rate", "first"), _row=("_row", "min")
    )
    return _frame("US", g["year"], g["drug"], g["deaths"], g["rate"], ctx, g["_row"])


def parse_nchs_state(c: Cells, ctx: Context) -> pd.DataFrame:
    """Drug Poisoning Mortality by State: the all-ages, both-sexes, all-races rows."""
    keep = (
        c.text("Sex").eq("Both Sexes")
        & c.text("Age Group").str.lower().eq("all ages")
        & c.text("Race and Hispanic Origin").eq("All Races-All Origins")
    )
    c = c.subset(keep)
    if c.n == 0:
        raise InputError(
            ctx.file, "no rows for all ages, both sexes and all races: nothing to take from it"
        )
    geo = c.mapped("State", lambda v: NAME_TO_GEO.get(v.lower()), "state name", "string")
    year = c.number("Year")
    deaths = c.number("Deaths", "float")
    rate = c.number("Age-adjusted Rate", "float", required=False)
    c.nonnegative(deaths, "Deaths")
    c.check()
    return _frame(geo, year, "all_drugs", deaths, rate, ctx, c.row_positions())


_YEAR_COL = re.compile(r"^(rate|num)_(\d{4})$")


def _is_state_compilation(columns: list[str]) -> bool:
    fixed = {"location", "code", "fips", "range_category"}
    rest = [c for c in columns if c.lower() not in fixed]
    return (
        fixed <= {c.lower() for c in columns}
        and bool(rest)
        and all(_YEAR_COL.match(c) for c in rest)
    )


def parse_state_compilation(c: Cells, ctx: Context) -> pd.DataFrame:
    geo = c.mapped(
        "code",
        lambda v: v.upper() if v.upper() in NAME_TO_GEO.values() else None,
        "state code",
        "string",
    )
    years = sorted(
        {int(_YEAR_COL.match(col).group(2)) for col in c.columns if _YEAR_COL.match(col)}
    )
    missing = pd.Series(pd.NA, index=range(c.n), dtype="Float64")
    parts = []
    for y in years:
        deaths = c.number(f"num_{y}", "float") if f"num_{y}" in c else missing
        rate = c.number(f"rate_{y}", "float", required=False) if f"rate_{y}" in c else missing
        c.nonnegative(deaths, f"num_{y}")
        parts.append((y, deaths, rate))
    c.check()
    rows = c.row_positions()
    frames = [_frame(geo, [y] * c.n, "all_drugs", d, r, ctx, rows) for y, d, r in parts]
    return pd.concat(frames, ignore_index=True)


def parse_sosmap(c: Cells, ctx: Context) -> pd.DataFrame:
    geo = c.mapped("STATE", lambda v: NAME_TO_GEO.get(v.lower()), "state name", "string")
    year = c.number("YEAR")
    rate = c.number("RATE", "float")
    deaths = c.number("DEATHS", "float")
    c.nonnegative(deaths, "DEATHS")
    c.check()
    return _frame(geo, year, "all_drugs", deaths, rate, ctx, c.row_positions())


NCHS_STATE_HEADER = (
    "State", "Year", "Sex", "Age Group", "Race and Hispanic Origin", "Deaths", "Population",
    "Crude Death Rate", "Standard Error for Crude Rate", "Lower Confidence Limit for Crude Rate",
    "Upper Confidence Limit for Crude Rate", "Age-adjusted Rate",
    "Standard Error for Age-adjusted Rate", "Lower Confidence Limit for Age-adjusted Rate",
    "Upper Confidence Limit for Age-adjusted Rate", "State Crude Rate in Range", "US Crude Rate",
    "US Age-adjusted Rate", "Unit",
)  # fmt: skip

LAYOUTS = [
    Layout(
        id="nchs_final_annual_us",
        title="NCHS final annual drug overdose deaths, United States (compiled series with sources)",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=(
            "year",
            "drug_category",
            "deaths",
            "age_adjusted_rate",
            "source_title",
            "source_url",
            "source_category",
        ),
        optional=("source_category",),
        parse=parse_annual,
        official_url="https://www.cdc.gov/nchs/products/databriefs.htm",
    ),
    Layout(
        id="nchs_drug_poisoning_by_state",
        title="NCHS Drug Poisoning Mortality by State: United States",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=NCHS_STATE_HEADER,
        parse=parse_nchs_state,
        official_url="https://data.cdc.gov/NCHS/NCHS-Drug-Poisoning-Mortality-by-State-United-Stat/xbxb-epbu",
    ),
    Layout(
        id="nchs_final_by_state_compilation",
        title="NCHS final drug overdose deaths and age-adjusted rates by state (one column per year)",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=("location", "code", "fips", "range_category"),
        parse=parse_state_compilation,
        official_url="https://www.cdc.gov/nchs/state-stats/deaths/drug-overdose.html",
        match=_is_state_compilation,
    ),
    Layout(
        id="nchs_sosmap",
        title="NCHS Drug Overdose Mortality by State (map table)",
        table="overdose_deaths",
        agency="CDC/NCHS",
        header=("YEAR", "STATE", "RATE", "DEATHS", "URL"),
        optional=("URL",),
        parse=parse_sosmap,
        official_url="https://www.cdc.gov/nchs/state-stats/deaths/drug-overdose.html",
    ),
]
