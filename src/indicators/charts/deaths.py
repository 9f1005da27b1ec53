"""Overdose-death charts: provisional 12-month counts by drug, annual counts, state rates."""

from __future__ import annotations

import pandas as pd

from .. import query, series
from ..filters import Filters
from ..store import Store
from . import style
from .overlays import Scope
from .provenance import ids
from .render import View
from .words import filters_text, iso_days

DRUGS_SHOWN = ["all_drugs", "synthetic_opioids", "psychostimulants", "cocaine", "heroin",
               "natural_semisynthetic_opioids"]  # fmt: skip


def provisional(f: Filters, store: Store | None) -> View:
    d = series.deaths_provisional(f, DRUGS_SHOWN, store)
    x = iso_days(d["period_end"])
    rep = pd.DataFrame(
        {"x": x, "series": d["drug"], "value": d["deaths"].astype(float), "style": "line"}
    )
    pred = pd.DataFrame(
        {
            "x": x,
            "series": d["drug"],
            "value": d["deaths_predicted"].astype(float),
            "style": "dotted",
        }
    )
    frame = pd.concat([rep, pred[pred["value"].notna()]], ignore_index=True)
    order = [k for k in DRUGS_SHOWN if k in set(d["drug"])]
    first, last = d["period_end"].min(), d["period_end"].max()
    sub = (f"United States · 12 months ending each month, {first:%B %Y} to {last:%B %Y} · reported (solid), predicted (dotted)"
           if len(d) else "United States")  # fmt: skip
    # a claim about a calendar year is its 12 months ending December: on the fiscal basis
    # the Decembers drawn are those of the calendar years before each fiscal year's end
    shift = 1 if f.basis == "fiscal" else 0
    scope = Scope("overdose_deaths", "deaths", "calendar", (f.year_from - shift, f.year_to - shift),
                  {"geo": frozenset({"US"}), "status": frozenset({"provisional"})}, "drug", tuple(order), False,
                  frozenset({"period_type"}), x="date")  # fmt: skip
    rows = query.load("overdose_deaths", store)
    rows = rows[(rows.geo == "US") & (rows.status == "provisional") & rows.drug.isin(order)]
    rows = rows[rows.period_end.isin(d.period_end)]
    return View(
        frame, "lines", "Drug overdose deaths by drug, 12-month rolling counts", sub, "deaths",
        "Deaths in the 12 months to each month", x="date", basis=f.basis, labels={k: style.label("death_drug", k) for k in order}, order=order,
        sources=ids(rows), topic="deaths", stacked=False, scope=scope, drugs=frozenset(order), selection={"drug": frozenset(order)},
        notes=["Provisional counts by place of occurrence; predicted counts adjust for deaths still under investigation. "
               "Drug categories overlap (one death can involve several drugs): do not add them."],
        data=d.assign(period_end=d.period_end.dt.date)[["period_end", "drug", "deaths", "deaths_predicted", "vintage"]],
        empty="" if len(d) else f"No provisional death counts in {f.range_label()}: the VSRR series begin in 2015.",
    )  # fmt: skip


def annual(f: Filters, store: Store | None) -> View:
    d = series.deaths_annual(f, f.death_drug, store)
    label = style.label("death_drug", f.death_drug)
    fin = d[d.status == "final"]
    prov = d[d.status == "provisional"]
    key = f.death_drug
    parts = []
    if len(fin):
        parts.append(
            pd.DataFrame(
                {"x": fin.year, "series": key, "value": fin.deaths.astype(float), "style": "bar"}
            )
        )
    if len(prov):
        parts.append(
            pd.DataFrame(
                {
                    "x": prov.year,
                    "series": "prov",
                    "value": prov.deaths.astype(float),
                    "style": "point",
                }
            )
        )
        if prov.deaths_predicted.notna().any():
            parts.append(
                pd.DataFrame(
                    {
                        "x": prov.year,
                        "series": "pred",
                        "value": prov.deaths_predicted.astype(float),
                        "style": "diamond",
                    }
                )
            )
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["x", "series", "value", "style"])
    )
    end = "September" if f.basis == "fiscal" else "December"
    labels = {key: "Final count (NCHS)", "prov": f"Provisional, 12 months ending {end}: reported",
              "pred": f"Provisional, 12 months ending {end}: predicted"}  # fmt: skip
    order = [k for k in (key, "prov", "pred") if k in set(frame.get("series", []))]
    notes = []
    if len(fin):
        notes.append(
            "Final counts are by residence (NCHS); provisional counts by place of occurrence run 0.7-1.8% higher."
        )
        counted = set(fin[fin.deaths.notna()].year.astype(int))
        no_final = sorted(set(prov.year.astype(int)) - counted)
        if no_final:  # a missing bar would otherwise read as nothing to count
            notes.append(
                f"No final count in the source files for {style.runs(no_final)}: "
                "provisional counts only."
            )
    if f.basis == "fiscal":
        notes.append(
            "Final counts exist only by calendar year: on the fiscal basis only provisional 12-month counts ending September are shown."
        )
    what = (
        " and ".join(w for w, ok in (("final", len(fin)), ("provisional", len(prov))) if ok) or "no"
    )
    rows = query.load("overdose_deaths", store)
    rows = rows[
        (rows.geo == "US") & (rows.drug == f.death_drug) & rows.year.between(f.year_from, f.year_to)
    ]
    if f.basis == "fiscal":
        rows = rows[rows.status == "provisional"]
    scope = Scope("overdose_deaths", "deaths", f.basis, (f.year_from, f.year_to),
                  {"geo": frozenset({"US"}), "drug": frozenset({f.death_drug})}, "", (), False,
                  frozenset({"status", "period_type"}))  # fmt: skip
    return View(
        frame, "bars", f"{label}: annual deaths" + (f", {what} counts" if what != "no" else ""), filters_text(f, "United States"), "deaths",
        "Deaths per year", basis=f.basis, labels=labels, order=order, sources=ids(rows), notes=notes,
        data=d, scope=scope, topic="deaths", stacked=False, drugs=frozenset({f.death_drug}), selection={"drug": frozenset({f.death_drug})}, colours={"prov": style.colour(key), "pred": style.colour(key)},
        empty="" if len(frame) else f"No annual counts of {label.lower()} in {f.range_label()}.",
    )  # fmt: skip


def _state_source(f: Filters, store: Store | None) -> tuple[int, str]:
    yrs = series.death_state_years(store)
    year = f.state_year
    if year in yrs["final"]:
        return year, "final"
    if year in yrs["provisional"]:
        return year, "provisional"
    allyears = sorted(set(yrs["final"]) | set(yrs["provisional"]))
    year = max([y for y in allyears if y <= year] or allyears[:1] or [year])
    return year, "final" if year in yrs["final"] else "provisional"


# Tile-grid map positions (row, column): one square per state, no map data to fetch.
TILE_GRID = {
    "AK": (0, 0), "ME": (0, 11), "WI": (1, 6), "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6), "MI": (2, 7), "NY": (2, 9), "MA": (2, 10),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6), "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10), "RI": (3, 11),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6), "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7), "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
}  # fmt: skip


def _state_rows(year: int, source: str, store: Store | None, crude: bool = True) -> pd.DataFrame:
    """The rows a state chart draws: the deaths, and Census population only when a crude rate
    is computed from it (NCHS's age-adjusted rates are drawn as published)."""
    rows = query.load("overdose_deaths", store)
    rows = rows[
        (rows.year == year)
        & (rows.status == source)
        & (rows.geo != "US")
        & (rows.drug == "all_drugs")
    ]
    if source == "provisional":
        rows = rows[rows.month == 12]
    if not crude:
        return rows
    pop = query.load("population", store)
    return pd.concat([rows, pop[pop.year == year]], ignore_index=True)


def _state_notes(year: int, source: str, kind: str, store: Store | None) -> list[str]:
    yrs = series.death_state_years(store)
    notes = [f"Years with state data: final counts {style.year_runs(yrs['final'])}; "
             f"provisional counts (12 months ending December) {style.year_runs(yrs['provisional'])}."]  # fmt: skip
    if source == "provisional":
        notes.append("Provisional counts are by place of occurrence but divided by resident population: states "
                     "where many non-residents die (e.g. DC) rank higher than on residence-based final counts. New York includes New York City.")  # fmt: skip
    notes.append(
        f"Rate: {kind}" + ("; Census July 1 population estimates." if "crude" in kind else ".")
    )
    return notes


def state_map(f: Filters, store: Store | None) -> View:
    year, source = _state_source(f, store)
    d = series.deaths_states(year, source, store)
    kind = d.rate_kind.iloc[0] if len(d) else ""
    crude = bool(d.rate_kind.str.startswith("crude").any())
    rows, cols = 8, 12
    z = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    hover = [[""] * cols for _ in range(rows)]
    for r in d.itertuples():
        if r.geo not in TILE_GRID or pd.isna(r.rate):
            continue
        i, j = TILE_GRID[r.geo]
        z[i][j] = round(float(r.rate), 1)
        text[i][j] = f"{r.geo}<br>{float(r.rate):.0f}"
        hover[i][j] = (
            f"{style.esc(r.name)}: {float(r.rate):,.1f} per 100,000<br>{float(r.deaths):,.0f} deaths ({source}, {year})"
        )
    tiles = {"type": "heatmap", "z": z, "text": text, "texttemplate": "%{text}", "hovertext": hover, "hoverinfo": "text",
             "colorscale": style.scale("Oranges"), "xgap": 3, "ygap": 3, "textfont": {"size": 12},
             "colorbar": {"title": {"text": "per 100,000", "side": "top"}, "thickness": 14, "len": 0.8}}  # fmt: skip
    frame = pd.DataFrame({"x": d.geo, "series": "rate", "value": d.rate.astype(float)})
    return View(
        frame, "tiles", f"Overdose death rate by state, {year}", f"All drug overdose deaths, {year}, {source} counts · {kind}",
        "per 100,000", x="category", sources=ids(_state_rows(year, source, store, crude)), notes=_state_notes(year, source, kind, store),
        data=d[["geo", "name", "year", "status", "deaths", *(["population"] if crude else []), "rate", "rate_kind"]], tiles=tiles, height=560, drugs=frozenset({"all_drugs"}),
    )  # fmt: skip


def state_bar(f: Filters, store: Store | None) -> View:
    year, source = _state_source(f, store)
    d = series.deaths_states(year, source, store).head(20)
    kind = d.rate_kind.iloc[0] if len(d) else ""
    crude = bool(d.rate_kind.str.startswith("crude").any())
    frame = pd.DataFrame({"x": d.name, "series": "rate", "value": d.rate.astype(float).round(1)})
    return View(
        frame, "hbar", f"Highest overdose death rates, {year}", f"The 20 highest of the 50 states and DC, {year}, {source} counts · {kind}",
        "per 100,000", x="category", x_title="Deaths per 100,000", labels={}, order=["rate"],
        sources=ids(_state_rows(year, source, store, crude)), notes=_state_notes(year, source, kind, store),
        data=d[["geo", "name", "year", "status", "deaths", "rate", "rate_kind"]], height=700, decimals=1, drugs=frozenset({"all_drugs"}),
        colours={"rate": style.colour("all_drugs")},  # all drugs: not fentanyl's orange
    )  # fmt: skip
