"""Hand-entered DEA and HIDTA fentanyl seizure figures, each with its page and quote.

Columns: year, agency, measure, value, unit, period_note, source_title, source_url,
source_quote. One row per published figure. When a figure was announced and later revised,
only the current one enters the table (never both): a row whose note says it was
"first announced" or "SUPERSEDED" gives way to another row for the same year and measure;
among the rest, the last row of the file is current.
"""

from __future__ import annotations

import re

import pandas as pd

from .base import Cells, Context, Layout

HEADER = (
    "year",
    "agency",
    "measure",
    "value",
    "unit",
    "period_note",
    "source_title",
    "source_url",
    "source_quote",
)

MEASURES = {
    # measure: (drug, form, coverage)
    "fentanyl_pills": ("fentanyl", "pills", "year"),
    "fentanyl_powder": ("fentanyl", "powder", "year"),
    "fentanyl_pills_ytd": ("fentanyl", "pills", "year_to_date"),
    "fentanyl_powder_ytd": ("fentanyl", "powder", "year_to_date"),
    "fake_pills": ("counterfeit_pills", "pills", "year"),
    "fake_pills_ytd": ("counterfeit_pills", "pills", "year_to_date"),
    "fentanyl_powder_ndta": ("fentanyl", "powder", "year"),
}
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_QUAL = re.compile(r'"(more than|over|nearly|about|almost|at least)"', re.IGNORECASE)


def agency_code(text: str) -> str | None:
    t = text.strip()
    if t.upper() == "DEA":
        return "DEA"
    if "hidta" in t.lower():
        return "HIDTA"
    return None


def parse(c: Cells, ctx: Context) -> pd.DataFrame:
    year = c.number("year")
    agency = c.mapped("agency", agency_code, "agency (DEA, or HIDTA national figures)", "string")
    spec = c.mapped("measure", MEASURES.get, "measure")
    value = c.number("value", "float")
    c.nonnegative(value, "value")
    unit = c.mapped(
        "unit",
        lambda v: v if v in ("lb", "kg", "pills") else None,
        "unit (lb, kg, pills)",
        "string",
    )
    source_url, source_quote = c.text("source_url"), c.text("source_quote")
    c.flag(source_url.eq(""), "source_url", "a hand-entered figure needs its source URL")
    c.flag(source_quote.eq(""), "source_quote", "a hand-entered figure needs its quote")
    c.check()
    note = c.text("period_note").astype(object)
    as_of = note.map(lambda t: m.group(1) if (m := _DATE.search(t)) else None)
    coverage = spec.map(lambda s: s[2])
    c.flag(
        coverage.eq("year_to_date") & as_of.isna(),
        "period_note",
        "a year-to-date figure needs its cut-off date (YYYY-MM-DD) in the note",
    )
    c.check()
    out = pd.DataFrame(
        {
            "agency": agency,
            "series": c.text("measure"),
            "component": "",
            "fiscal_year": pd.NA,
            "year": year,
            "month": pd.NA,
            "coverage": coverage,
            "as_of": pd.to_datetime(as_of.where(coverage.eq("year_to_date"))),
            "region": "",
            "land_filter": "",
            "area_of_responsibility": "",
            "drug": spec.map(lambda s: s[0]),
            "form": spec.map(lambda s: s[1]),
            "events": pd.NA,
            "quantity": value,
            "unit": unit,
            "qualifier": note.map(lambda t: m.group(1).lower() if (m := _QUAL.search(t)) else ""),
            "source_url": source_url,
            "source_quote": source_quote,
            "source_id": ctx.source_id,
            "vintage": ctx.vintage or str(as_of.dropna().max() or f"{int(year.max())}-12"),
            "_row": c.row_positions(),
        }
    )
    key = ["agency", "series", "year", "as_of"]
    out["_superseded"] = note.str.contains("superseded|first announced", case=False, regex=True)
    multi = out.duplicated(key, keep=False)
    drop = multi & out["_superseded"]
    rest = out.loc[~drop]
    drop |= out.index.isin(rest.index[rest.duplicated(key, keep="last")])
    for _, r in out.loc[drop].iterrows():
        line = ctx.lines([r["_row"]])[0]
        ctx.notes.append(
            f"line {line}: {r['agency']} {r['series']} {r['year']} = {r['quantity']:,.0f} "
            "is superseded by a revised figure and not counted"
        )
    return out.loc[~drop].drop(columns="_superseded")


LAYOUTS = [
    Layout(
        id="dea_fentanyl_figures",
        title="DEA and HIDTA fentanyl seizure figures, hand-entered with quotes",
        table="seizures",
        agency="DEA",
        header=HEADER,
        parse=parse,
        official_url="https://www.dea.gov/onepill",
    )
]
