"""Census Bureau state population estimates (NST-EST alldata files), July 1 of each year.

Codes are zero-padded strings; SUMLEV 010 is the United States, 040 a state, DC or Puerto
Rico (Puerto Rico is not part of the U.S. total).
"""

from __future__ import annotations

import re

import pandas as pd

from ..contract import NAME_TO_GEO
from .base import Cells, Context, Layout

_POP = re.compile(r"^POPESTIMATE(\d{4})$")


def _matches(columns: list[str]) -> bool:
    cols = set(columns)
    return {"SUMLEV", "STATE", "NAME"} <= cols and any(_POP.match(c) for c in cols)


def parse(c: Cells, ctx: Context) -> pd.DataFrame:
    c = c.subset(c.text("SUMLEV").isin(["010", "040", "10", "40"]))
    geo = c.mapped("NAME", lambda v: NAME_TO_GEO.get(v.lower()), "state name", "string")
    years = sorted(int(m.group(1)) for col in c.columns if (m := _POP.match(col)))
    rows = c.row_positions()
    parts = []
    for y in years:
        pop = c.number(f"POPESTIMATE{y}")
        parts.append(pd.DataFrame({"geo": geo, "year": y, "population": pop, "_row": rows}))
    c.check()
    out = pd.concat(parts, ignore_index=True)
    out["source_id"] = ctx.source_id
    out["vintage"] = ctx.vintage or f"{max(years)}-07"
    return out


LAYOUTS = [
    Layout(
        id="census_nst_est",
        title="Census Bureau state population estimates (NST-EST alldata)",
        table="population",
        agency="Census",
        header=("SUMLEV", "STATE", "NAME"),
        parse=parse,
        official_url="https://www.census.gov/programs-surveys/popest.html",
        match=_matches,
    )
]
