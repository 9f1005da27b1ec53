"""The named charts: what each shows, built from series + charts. Used by pages and export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import charts, contract, manifest, query, series
from .charts import Chart, bars_by_year, colour, esc, overlay_claims, theme
from .filters import Filters
from .store import Store


def source_line(source_ids: list[str]) -> str:
    try:
        known = manifest.by_id()
    except (FileNotFoundError, ValueError):
        known = {}
    parts = []
    for sid in dict.fromkeys(source_ids):
        e = known.get(sid)
        if e:
            title = e["title"].split(" (")[0]
            parts.append(f"{title} [{e['release']}]")
        else:
            parts.append(f"uploaded file {sid}")
    return "; ".join(parts) + ". Official pages listed in Sources & methods."


def _sources(df: pd.DataFrame) -> list[str]:
    return sorted(df["source_id"].dropna().unique().tolist()) if "source_id" in df else []


def _filters_text(f: Filters, *extra: str) -> str:
    bits = [f"{f.range_label()}, {f.basis_label()}"] + [e for e in extra if e]
    return " · ".join(bits)


def _components_text(f: Filters, encounters: bool = False) -> str:
    comps = [
        contract.COMPONENT_SHORT[c]
        for c in f.components
        if not (encounters and c == "Air and Marine Operations")
    ]
    return "CBP " + " + ".join(comps) if comps else "no CBP component selected"


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    page: str
    build: Callable[[Filters, Store | None, pd.DataFrame | None], Chart]


# --- overview ----------------------------------------------------------------------------


def overview_index(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.index_series(f, store)
    fig = go.Figure()
    for i, (ind, g) in enumerate(d.groupby("indicator", sort=False)):
        c = charts.OKABE_ITO[i]
        for partial in (False, True):
            gg = g[g.partial == partial]
            if gg.empty:
                continue
            fig.add_scatter(
                x=gg.year.tolist(), y=gg["index"].round(1).tolist(), mode="markers",
                marker={"size": 11, "color": "#ffffff" if partial else c, "line": {"color": c, "width": 2}},
                name=ind + (" (partial year)" if partial else ""), showlegend=False,
                hovertext=[f"{esc(ind, 0)}<br>{f.year_label(y)}: index {v:.1f} ({raw:,.0f})" + (" — partial year" if partial else "")
                           for y, v, raw in zip(gg.year, gg["index"], gg.value, strict=True)],
                hoverinfo="text",
            )  # fmt: skip
        fig.add_scatter(x=g.year.tolist(), y=g["index"].round(1).tolist(), mode="lines", line={"color": c, "width": 3},
                        name=ind, hoverinfo="skip")  # fmt: skip
    fig.add_hline(y=100, line={"color": "#999999", "dash": "dot"})
    subtitle = _filters_text(
        f, f"index: {f.year_label(f.base_year)} = 100; hollow markers are partial years"
    )
    theme(fig, "Overdose deaths, fentanyl seizures and border encounters, indexed", subtitle,
          source_line(["vsrr_us_through_2025_04", "cbp_seizures_fy19_fy22", "cbp_seizures_fy23_fy26_apr", "cbp_encounters_state_fy22_fy25"]),
          ["Deaths: provisional 12-month counts ending Dec (calendar) or Sep (fiscal). Encounters: by-State table totals."],
          y_title=f"Index ({f.year_label(f.base_year)} = 100)", present=f.present)  # fmt: skip
    charts.year_axis(fig, d.year.tolist(), f.basis)
    fig.update_yaxes(rangemode="normal")
    shown = overlay_claims(
        fig, claims if f.claims else None, "overview", "year", f.basis, set(), f.present
    )
    data = d.rename(columns={"value": "value_raw"})[
        ["indicator", "year", "value_raw", "index", "partial"]
    ]
    return Chart("overview_index", "Indexed trends", fig, data, subtitle, claims_shown=shown)


# --- overdose deaths ---------------------------------------------------------------------

SHORT_DRUG = {
    "all_drugs": "All drugs", "synthetic_opioids": "Synthetic opioids (mostly fentanyl)",
    "psychostimulants": "Psychostimulants (mostly meth)", "cocaine": "Cocaine", "heroin": "Heroin",
    "natural_semisynthetic_opioids": "Natural/semi-synthetic opioids (T40.2)",
}  # fmt: skip
DEATH_DRUGS_SHOWN = [
    "all_drugs",
    "synthetic_opioids",
    "psychostimulants",
    "cocaine",
    "heroin",
    "natural_semisynthetic_opioids",
]


def deaths_provisional(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.deaths_provisional(f, DEATH_DRUGS_SHOWN, store)
    fig = go.Figure()
    for i, (drug, g) in enumerate(d.groupby("drug", sort=False)):
        c = colour(drug, i)
        label = SHORT_DRUG.get(drug, drug)
        dates = g.period_end.dt.strftime("%Y-%m-%d").tolist()
        fig.add_scatter(x=dates, y=[None if pd.isna(v) else int(v) for v in g.deaths], mode="lines", name=label,
                        line={"color": c, "width": 2.5},
                        hovertext=[f"{esc(label, 0)}, 12 months ending {p:%b %Y}<br>reported: {v:,.0f} deaths" for p, v in zip(g.period_end, g.deaths.fillna(0), strict=True)],
                        hoverinfo="text")  # fmt: skip
        if g.deaths_predicted.notna().any():
            fig.add_scatter(x=dates, y=[None if pd.isna(v) else int(v) for v in g.deaths_predicted], mode="lines",
                            name=f"{label} (predicted)", showlegend=False, line={"color": c, "width": 1.5, "dash": "dot"},
                            hovertext=[f"{esc(label, 0)}, 12 months ending {p:%b %Y}<br>predicted: {v:,.0f} deaths" for p, v in zip(g.period_end, g.deaths_predicted.fillna(0), strict=True)],
                            hoverinfo="text")  # fmt: skip
    last = d.period_end.max()
    subtitle = (
        f"United States, provisional counts for the 12 months ending each month · through {last:%B %Y} · reported (solid) and predicted (dotted)"
        if len(d)
        else "no data"
    )
    theme(fig, "Drug overdose deaths by drug, 12-month rolling counts", subtitle, source_line(_sources(query.load("overdose_deaths", store)[lambda x: (x.geo == "US") & (x.status == "provisional")])),
          ["Provisional counts by place of occurrence; predicted values adjust for pending investigations. Drug categories overlap: do not add them."],
          y_title="Deaths in the 12 months ending", present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig,
        claims if f.claims else None,
        "deaths",
        "date",
        "calendar",
        {"deaths"},
        f.present,
        {"drug": DEATH_DRUGS_SHOWN, "geo": ["US"]},
    )
    data = d.assign(period_end=d.period_end.dt.date)[
        ["period_end", "drug", "deaths", "deaths_predicted", "vintage"]
    ]
    return Chart(
        "deaths_provisional",
        "Overdose deaths by drug (provisional)",
        fig,
        data,
        subtitle,
        claims_shown=shown,
    )


def deaths_annual(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.deaths_annual(f, f.death_drug, store)
    label = contract.DEATH_DRUGS.get(f.death_drug, f.death_drug).split(" (")[0]
    fig = go.Figure()
    fin = d[d.status == "final"]
    prov = d[d.status == "provisional"]
    if len(fin):
        fig.add_bar(x=fin.year.tolist(), y=[None if pd.isna(v) else int(v) for v in fin.deaths], name="Final (NCHS)",
                    marker={"color": "#0072B2"},
                    hovertext=[f"{y}: {v:,.0f} deaths (final)" if pd.notna(v) else f"{y}: count not in the bundled data" for y, v in zip(fin.year, fin.deaths, strict=True)],
                    hoverinfo="text")  # fmt: skip
    if len(prov):
        end = "September" if f.basis == "fiscal" else "December"
        fig.add_scatter(x=prov.year.tolist(), y=[None if pd.isna(v) else int(v) for v in prov.deaths], mode="markers", name=f"Provisional, 12 months ending {end} (reported)",
                        marker={"symbol": "circle-open", "size": 12, "color": "#D55E00", "line": {"width": 2.5}},
                        hovertext=[f"{f.year_label(y)}: {v:,.0f} deaths (provisional, reported)" for y, v in zip(prov.year, prov.deaths.fillna(0), strict=True)],
                        hoverinfo="text")  # fmt: skip
        if prov.deaths_predicted.notna().any():
            fig.add_scatter(x=prov.year.tolist(), y=[None if pd.isna(v) else int(v) for v in prov.deaths_predicted], mode="markers", name="Provisional (predicted)",
                            marker={"symbol": "diamond-open", "size": 10, "color": "#CC79A7", "line": {"width": 2}},
                            hovertext=[f"{f.year_label(y)}: {v:,.0f} deaths (provisional, predicted)" for y, v in zip(prov.year, prov.deaths_predicted.fillna(0), strict=True)],
                            hoverinfo="text")  # fmt: skip
    notes = [
        "Final counts are by residence (NCHS); provisional VSRR counts by place of occurrence run 0.7-1.8% higher."
    ]
    if f.basis == "fiscal":
        notes.append(
            "Final counts exist only by calendar year: on the fiscal basis only provisional 12-month counts ending September are shown."
        )
    subtitle = _filters_text(f, f"United States · {label}")
    theme(fig, f"{label}: annual deaths, final and provisional", subtitle,
          source_line(_sources(query.load("overdose_deaths", store)[lambda x: (x.geo == "US") & (x.drug == f.death_drug)])),
          notes, y_title="Deaths per year", present=f.present)  # fmt: skip
    charts.year_axis(fig, d.year.tolist(), f.basis)
    shown = overlay_claims(
        fig,
        claims if f.claims else None,
        "deaths",
        "year",
        f.basis,
        {"deaths"},
        f.present,
        {"drug": [f.death_drug], "geo": ["US"]},
    )
    return Chart("deaths_annual", "Annual overdose deaths", fig, d, subtitle, claims_shown=shown)


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


def deaths_state_map(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    year, source = _state_source(f, store)
    d = series.deaths_states(year, source, store)
    kind = d.rate_kind.iloc[0] if len(d) else ""
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
            f"{esc(r.name, 0)}: {float(r.rate):,.1f} per 100,000<br>{float(r.deaths):,.0f} deaths ({source}, {year})"
        )
    fig = go.Figure(
        go.Heatmap(
            z=z, text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text", colorscale="Oranges",
            xgap=3, ygap=3, colorbar={"title": {"text": "per 100,000"}}, textfont={"size": 13 if not f.present else 17},
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", visible=False, scaleanchor="x")
    fig.update_xaxes(visible=False)
    yrs = series.death_state_years(store)
    subtitle = f"All drug overdose deaths, {year}, {source} · {kind}"
    notes = [f"State data reach: final {min(yrs['final'])}-{max(yrs['final'])} (not 2021, 2023); provisional (VSRR, 12 months ending Dec) {min(yrs['provisional'])}-{max(yrs['provisional'])}.",
             "One square per state (tile grid). Provisional New York includes New York City. Crude rates use Census July 1 population estimates."]  # fmt: skip
    theme(fig, f"Overdose death rate by state, {year}", subtitle,
          source_line(_sources(query.load("overdose_deaths", store)[lambda x: (x.year == year) & (x.status == source) & (x.geo != "US")]) + ["census_pop_2020_2024" if year >= 2020 else "census_pop_2010_2019"]),
          notes, present=f.present)  # fmt: skip
    fig.update_yaxes(visible=False, rangemode="normal")
    fig.update_xaxes(visible=False)
    return Chart(
        "deaths_state_map",
        "Death rate by state (map)",
        fig,
        d[["geo", "name", "year", "status", "deaths", "population", "rate", "rate_kind"]],
        subtitle,
    )


def deaths_state_bar(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    year, source = _state_source(f, store)
    d = series.deaths_states(year, source, store).head(20)
    fig = go.Figure()
    fig.add_bar(y=d.name.tolist()[::-1], x=d.rate.astype(float).round(1).tolist()[::-1], orientation="h", marker={"color": "#D55E00"},
                hovertext=[f"{esc(n, 0)}: {r:,.1f} per 100,000 ({dd:,.0f} deaths)" for n, r, dd in zip(d.name[::-1], d.rate.astype(float)[::-1], d.deaths.astype(float)[::-1], strict=True)],
                hoverinfo="text", name="rate")  # fmt: skip
    kind = d.rate_kind.iloc[0] if len(d) else ""
    subtitle = f"Top 20 states and DC, {year}, {source} · {kind}"
    theme(fig, f"Highest overdose death rates, {year}", subtitle,
          source_line(_sources(query.load("overdose_deaths", store)[lambda x: (x.year == year) & (x.status == source) & (x.geo != "US")])),
          ["Rates per 100,000 residents."], y_title="", x_title="Deaths per 100,000", present=f.present)  # fmt: skip
    fig.update_yaxes(rangemode="normal")
    fig.update_layout(height=680 if not f.present else 760)
    return Chart(
        "deaths_state_bar",
        "Highest death rates by state",
        fig,
        d[["geo", "name", "year", "status", "deaths", "rate", "rate_kind"]],
        subtitle,
    )


# --- seizures ----------------------------------------------------------------------------


def _unit_label(f: Filters) -> tuple[str, str]:
    return ("lb", "Pounds seized") if f.measure == "quantity" else ("events", "Seizure events")


def seizures_by_drug(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.seizures_by_year(f, "drug", store)
    unit, ytitle = _unit_label(f)
    order = d.groupby("drug")[f.measure].sum().sort_values(ascending=False).index.tolist()
    d["drug"] = pd.Categorical(d.drug, order)
    d = d.sort_values(["drug", "year"])
    d["drug"] = d.drug.astype(str)
    fig = bars_by_year(
        d, "drug", f.measure, unit, f.basis, {k: v for k, v in contract.SEIZURE_DRUGS.items()}
    )
    subtitle = _filters_text(f, _components_text(f), f.region or "all regions")
    theme(fig, "CBP drug seizures by drug", subtitle, source_line(_sources(series.cbp_seizures(f, store))),
          ["Hatched bars: partial year (hover for the months). Marijuana dominates weight; pick a drug on the Seizures page for detail."],
          y_title=ytitle, present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig, claims if f.claims else None, "seizures", "year", f.basis, set(), f.present
    )
    return Chart("seizures_by_drug", "CBP seizures by drug", fig, d, subtitle, claims_shown=shown)


def seizures_by_component(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.seizures_by_year(f, "component", store, [f.drug])
    unit, ytitle = _unit_label(f)
    drug = contract.SEIZURE_DRUGS.get(f.drug, f.drug)
    fig = bars_by_year(d, "component", f.measure, unit, f.basis)
    subtitle = _filters_text(f, drug, _components_text(f), f.region or "all regions")
    notes = [
        "Hatched bars: partial year. AMO data come from a separate CBP file that may end earlier than the OFO/USBP file."
    ]
    theme(fig, f"CBP {drug.lower()} seizures by component", subtitle, source_line(_sources(series.cbp_seizures(f, store, [f.drug]))),
          notes, y_title=ytitle, present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig,
        claims if f.claims else None,
        "seizures",
        "year",
        f.basis,
        {unit},
        f.present,
        {"drug": [f.drug], "agency": ["CBP"], "component": f.components},
    )
    return Chart(
        "seizures_by_component", "CBP seizures by component", fig, d, subtitle, claims_shown=shown
    )


def seizures_by_region(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.seizures_by_year(f.with_(region=""), "region", store, [f.drug])
    unit, ytitle = _unit_label(f)
    drug = contract.SEIZURE_DRUGS.get(f.drug, f.drug)
    fig = bars_by_year(d, "region", f.measure, unit, f.basis)
    subtitle = _filters_text(f, drug, _components_text(f))
    theme(fig, f"CBP {drug.lower()} seizures by region", subtitle, source_line(_sources(series.cbp_seizures(f, store, [f.drug]))),
          ["Hatched bars: partial year."], y_title=ytitle, present=f.present)  # fmt: skip
    return Chart("seizures_by_region", "CBP seizures by region", fig, d, subtitle)


def seizures_monthly(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.seizures_monthly(f, store)
    unit, ytitle = _unit_label(f)
    drug = contract.SEIZURE_DRUGS.get(f.drug, f.drug)
    fig = go.Figure()
    _monthly_lines(fig, d, f.measure, unit)
    subtitle = _filters_text(f, drug, _components_text(f), f.region or "all regions")
    theme(fig, f"CBP {drug.lower()} seizures by month", subtitle, source_line(_sources(series.cbp_seizures(f, store, [f.drug]))),
          ["Each point is one month."], y_title=f"{ytitle} per month", present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig, claims if f.claims else None, "seizures", "date", f.basis, set(), f.present
    )
    return Chart(
        "seizures_monthly",
        "CBP seizures by month",
        fig,
        d.assign(date=d.date.dt.date),
        subtitle,
        claims_shown=shown,
    )


def _monthly_lines(fig: go.Figure, d: pd.DataFrame, value: str, unit: str) -> None:
    """One line per CBP component over months (column `date`)."""
    for i, (comp, g) in enumerate(d.groupby("component", sort=False)):
        fig.add_scatter(x=g.date.dt.strftime("%Y-%m-%d").tolist(), y=g[value].round(2).tolist(), mode="lines+markers", name=comp,
                        line={"color": colour(comp, i), "width": 2}, marker={"size": 5},
                        hovertext=[f"{esc(comp, 0)}, {dte:%b %Y}: {v:,.{0 if unit == 'encounters' else 1}f} {unit}" for dte, v in zip(g.date, g[value], strict=True)],
                        hoverinfo="text")  # fmt: skip


def _dea_chart(f: Filters, store: Store | None, claims: pd.DataFrame | None, unit: str) -> Chart:
    d = series.dea_fentanyl(f, store)
    d = d[d.unit == unit]
    fig = go.Figure()
    for i, ((agency, series_name), g) in enumerate(d.groupby(["agency", "series"], sort=False)):
        label = {"HIDTA": "All U.S. law enforcement (HIDTA data)"}.get(agency, agency)
        if series_name == "fake_pills":
            label += " — all counterfeit pills"
        elif series_name.endswith("_ndta"):
            label += " — NDTA figure"
        fig.add_bar(x=g.year.tolist(), y=g.quantity.tolist(), name=label, marker={"color": colour(agency, i), "opacity": 0.6 if series_name != f"fentanyl_{'pills' if unit == 'pills' else 'powder'}" else 1},
                    hovertext=[f"{esc(label, 0)}, {y}: {q_:,.0f} {unit}" + (f" ('{esc(q, 0)}')" if q else "") + f"<br>“{esc(quote)}”"
                               for y, q_, q, quote in zip(g.year, g.quantity, g.qualifier, g.source_quote, strict=True)],
                    hoverinfo="text")  # fmt: skip
    fig.update_layout(barmode="group")
    charts.year_axis(fig, d.year.tolist(), "calendar")
    what = "fentanyl pills" if unit == "pills" else "fentanyl powder"
    subtitle = f"{f.year_from}-{f.year_to}, calendar years (their own basis, whatever the year switch) · full-year figures only"
    theme(fig, f"DEA and national {what} seizures", subtitle, source_line(_sources(query.load("seizures", store)[lambda x: x.agency.isin(["DEA", "HIDTA"])])),
          ["DEA figures are rounded as published ('more than', 'nearly'); HIDTA counts are exact. Revised figures replace the first announcement."],
          y_title="Pills" if unit == "pills" else "Pounds", present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig,
        claims if f.claims else None,
        "seizures",
        "year",
        "calendar",
        {unit},
        f.present,
        {"agency": sorted(set(d.agency))},
    )
    return Chart(
        f"seizures_dea_{unit}", f"DEA / national {what}", fig, d, subtitle, claims_shown=shown
    )


def seizures_dea_pills(f, store, claims) -> Chart:
    return _dea_chart(f, store, claims, "pills")


def seizures_dea_powder(f, store, claims) -> Chart:
    return _dea_chart(f, store, claims, "lb")


# --- encounters --------------------------------------------------------------------------

ENC_NOTE = "Component, area and encounter type exist only in CBP's by-area files (FY2020-FY2024 here); later years have no component split."
DIMENSIONS = {
    "component": "Component",
    "land_border_region": "Land border region",
    "area_of_responsibility": "Area of responsibility",
    "demographic": "Demographic",
    "citizenship": "Citizenship",
    "title_of_authority": "Title of authority",
    "encounter_type": "Encounter type",
}


def encounters_by_component(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    d = series.encounters_by(f, "component", store)
    fig = bars_by_year(d, "component", "encounters", "encounters", f.basis)
    subtitle = _filters_text(f, _components_text(f, encounters=True), f.region or "all regions")
    theme(fig, "CBP encounters by component", subtitle, source_line(_sources(series.encounters(f, store))),
          ["An encounter is an apprehension or expulsion by USBP, or an inadmissible or expulsion at a port by OFO; one person can be encountered more than once.", ENC_NOTE],
          y_title="Encounters", present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig, claims if f.claims else None, "encounters", "year", f.basis, set(), f.present
    )
    return Chart(
        "encounters_by_component", "Encounters by component", fig, d, subtitle, claims_shown=shown
    )


def encounters_breakdown(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    dim = f.dimension if f.dimension in DIMENSIONS else "land_border_region"
    d = series.encounters_by(f, dim, store, top=10)
    fig = bars_by_year(d, dim, "encounters", "encounters", f.basis)
    subtitle = _filters_text(
        f,
        _components_text(f, encounters=True),
        f.region or "all regions",
        f"by {DIMENSIONS[dim].lower()} (top 10)",
    )
    theme(fig, f"CBP encounters by {DIMENSIONS[dim].lower()}", subtitle, source_line(_sources(series.encounters(f, store))),
          [ENC_NOTE], y_title="Encounters", present=f.present)  # fmt: skip
    return Chart("encounters_breakdown", "Encounters breakdown", fig, d, subtitle)


def encounters_citizenship(f: Filters, store: Store | None, claims: pd.DataFrame | None) -> Chart:
    cit = f.citizenship
    d = series.encounters_by(f, "component", store, citizenship=cit)
    fig = bars_by_year(d, "component", "encounters", "encounters", f.basis, stacked=False)
    subtitle = _filters_text(
        f, f"citizenship: {cit}", _components_text(f, encounters=True), f.region or "all regions"
    )
    theme(fig, f"CBP encounters of citizens of {cit.title()}", subtitle, source_line(_sources(series.encounters(f, store))),
          [ENC_NOTE], y_title="Encounters", present=f.present)  # fmt: skip
    topical = None
    if claims is not None and f.claims and len(claims):
        topical = claims[
            claims["filters"].fillna("").str.contains(f"citizenship={cit}", regex=False)
            | (claims["kind"] == "event")
        ]
    shown = overlay_claims(
        fig,
        topical,
        "encounters",
        "year",
        f.basis,
        {"encounters"},
        f.present,
        {"component": f.components},
        {"Office of Field Operations": -0.2, "U.S. Border Patrol": 0.2}
        if len(f.components) > 1
        else None,
    )
    return Chart(
        "encounters_citizenship",
        "Encounters for one citizenship",
        fig,
        d,
        subtitle,
        claims_shown=shown,
    )


def encounters_citizenship_monthly(
    f: Filters, store: Store | None, claims: pd.DataFrame | None
) -> Chart:
    cit = f.citizenship
    d = series.encounters_monthly(f, store, cit)
    fig = go.Figure()
    _monthly_lines(fig, d, "encounters", "encounters")
    subtitle = _filters_text(f, f"citizenship: {cit}", _components_text(f, encounters=True))
    theme(fig, f"Monthly CBP encounters, {cit.title()}", subtitle, source_line(_sources(series.encounters(f, store))), [ENC_NOTE],
          y_title="Encounters per month", present=f.present)  # fmt: skip
    shown = overlay_claims(
        fig, claims if f.claims else None, "encounters", "date", f.basis, set(), f.present
    )
    return Chart(
        "encounters_citizenship_monthly",
        "Monthly encounters for one citizenship",
        fig,
        d.assign(date=d.date.dt.date),
        subtitle,
        claims_shown=shown,
    )


def encounters_top_citizenships(
    f: Filters, store: Store | None, claims: pd.DataFrame | None
) -> Chart:
    d = series.top_citizenships(f, store, 15)
    fig = go.Figure()
    fig.add_bar(y=d.citizenship.tolist()[::-1], x=d.encounters.tolist()[::-1], orientation="h", marker={"color": "#009E73"},
                hovertext=[f"{esc(c, 0)}: {v:,} encounters" for c, v in zip(d.citizenship[::-1], d.encounters[::-1], strict=True)], hoverinfo="text", name="encounters")  # fmt: skip
    subtitle = _filters_text(f, _components_text(f, encounters=True), f.region or "all regions")
    theme(fig, "Top citizenships of people encountered by CBP", subtitle, source_line(_sources(series.encounters(f, store))), [ENC_NOTE],
          x_title="Encounters in the period", present=f.present)  # fmt: skip
    fig.update_yaxes(rangemode="normal")
    fig.update_xaxes(tickformat=",")
    return Chart("encounters_top_citizenships", "Top citizenships", fig, d, subtitle)


CHARTS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec(
            "overview_index",
            "Deaths, fentanyl seizures and encounters on a common index",
            "overview",
            overview_index,
        ),
        Spec(
            "deaths_provisional",
            "Overdose deaths by drug, provisional 12-month counts",
            "deaths",
            deaths_provisional,
        ),
        Spec(
            "deaths_annual",
            "Annual overdose deaths, final and provisional",
            "deaths",
            deaths_annual,
        ),
        Spec("deaths_state_map", "Overdose death rate by state (map)", "deaths", deaths_state_map),
        Spec(
            "deaths_state_bar", "Highest overdose death rates by state", "deaths", deaths_state_bar
        ),
        Spec("seizures_by_drug", "CBP seizures by drug", "seizures", seizures_by_drug),
        Spec(
            "seizures_by_component",
            "CBP seizures of one drug by component",
            "seizures",
            seizures_by_component,
        ),
        Spec(
            "seizures_by_region",
            "CBP seizures of one drug by region",
            "seizures",
            seizures_by_region,
        ),
        Spec("seizures_monthly", "CBP seizures of one drug by month", "seizures", seizures_monthly),
        Spec(
            "seizures_dea_pills",
            "DEA and national fentanyl pill seizures",
            "seizures",
            seizures_dea_pills,
        ),
        Spec(
            "seizures_dea_powder", "DEA fentanyl powder seizures", "seizures", seizures_dea_powder
        ),
        Spec(
            "encounters_by_component",
            "CBP encounters by component",
            "encounters",
            encounters_by_component,
        ),
        Spec(
            "encounters_breakdown",
            "CBP encounters by a chosen dimension",
            "encounters",
            encounters_breakdown,
        ),
        Spec(
            "encounters_citizenship",
            "CBP encounters for one citizenship, by component",
            "encounters",
            encounters_citizenship,
        ),
        Spec(
            "encounters_citizenship_monthly",
            "Monthly CBP encounters for one citizenship",
            "encounters",
            encounters_citizenship_monthly,
        ),
        Spec(
            "encounters_top_citizenships",
            "Top citizenships",
            "encounters",
            encounters_top_citizenships,
        ),
    )
}


def build(
    name: str, f: Filters, store: Store | None = None, claims: pd.DataFrame | None = None
) -> Chart:
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; charts: {', '.join(CHARTS)}")
    chart = CHARTS[name].build(f, store, claims)
    charts.finalize(chart.fig, f.present)
    return chart


def page_charts(page: str) -> list[str]:
    return [n for n, s in CHARTS.items() if s.page == page]


def claim_chart(claim: dict, store: Store | None = None) -> Chart | None:
    """The data a claim was checked against, around its period, with the claim drawn on it."""
    from . import claims as claims_mod

    if (
        claim.get("kind") != "quantitative"
        or not claim.get("table")
        or claim.get("table") not in contract.DATA_TABLES
    ):
        return None
    try:
        filt = claims_mod.parse_filters(claim["filters"])
        query.check_columns(claim["table"], list(filt) + [claim["measure"]])
    except (ValueError, query.QueryError):
        return None
    basis = "fiscal" if claim.get("year_basis") == "fiscal" else "calendar"
    ycol = "fiscal_year" if basis == "fiscal" else "year"
    y1 = int(claim["year_end"])
    df = query.filter_rows(query.load(claim["table"], store), filt)
    if claim["comparator"] == "rank_at_most":
        d = query.filter_rows(
            query.load(claim["table"], store), {k: v for k, v in filt.items() if k != "geo"}
        )
        d = (
            d[(d[ycol] == y1) & d.geo.isin(contract.STATE_CODES)]
            .groupby("geo")[claim["measure"]]
            .sum(min_count=1)
            .dropna()
            .sort_values(ascending=False)
            .head(10)
        )
        data = d.reset_index()
        fig = go.Figure(go.Bar(x=data.geo.tolist(), y=data[claim["measure"]].astype(float).tolist(),
                               marker={"color": ["#D55E00" if g in filt.get("geo", []) else "#BBBBBB" for g in data.geo]}, name=claim["measure"]))  # fmt: skip
        theme(
            fig,
            f"Top 10 states, {y1}: {claim['measure'].replace('_', ' ')}",
            f"Claim {claim['claim_id']}: highlighted state",
            source_line(_sources(df)),
            y_title=claim["measure"].replace("_", " "),
            narrow=True,
        )
        fig.update_layout(height=420)
        return Chart(f"claim_{claim['claim_id']}", "claim", fig, data)
    d = df[df[ycol].between(y1 - 6, y1 + 2)]
    g = (
        d.groupby(ycol)[claim["measure"]]
        .sum(min_count=1)
        .dropna()
        .reset_index()
        .rename(columns={ycol: "year"})
    )
    fig = go.Figure()
    label = (lambda y: f"FY{y}") if basis == "fiscal" else str
    fig.add_bar(x=g.year.tolist(), y=g[claim["measure"]].astype(float).tolist(), marker={"color": ["#0072B2" if int(claim["year_start"]) <= y <= y1 else "#BBBBBB" for y in g.year]},
                name="data", hovertext=[f"{label(y)}: {v:,.0f}" for y, v in zip(g.year, g[claim["measure"]].astype(float), strict=True)], hoverinfo="text")  # fmt: skip
    verdict = claim.get("verdict") or "not_checkable"
    if claim.get("claimed_value") is not None and int(claim["year_start"]) == y1:
        fig.add_scatter(x=[y1], y=[float(claim["claimed_value"])], mode="markers", name=f"claim ({verdict.replace('_', ' ')})",
                        marker={"symbol": charts.SYMBOLS.get(claim["comparator"], "diamond"), "size": 16, "color": claims_mod.VERDICT_COLOURS.get(verdict)},
                        hovertext=[esc(claim["quote"])], hoverinfo="text")  # fmt: skip
    elif claim.get("claimed_value") is not None:
        fig.add_hline(y=float(claim["claimed_value"]) / (y1 - int(claim["year_start"]) + 1), line={"dash": "dot", "color": claims_mod.VERDICT_COLOURS.get(verdict)},
                      annotation_text="claim ÷ years", annotation_position="top left")  # fmt: skip
    theme(fig, f"Data checked for claim {claim['claim_id']}", claims_mod.describe_filters(filt) + f" · {claim['measure']} by {'fiscal' if basis == 'fiscal' else 'calendar'} year (blue: the claim's period)",
          source_line(_sources(d)), y_title=claim.get("unit") or claim["measure"], narrow=True)  # fmt: skip
    charts.year_axis(fig, g.year.tolist(), basis)
    fig.update_layout(height=460, showlegend=True, margin={"t": 130})
    return Chart(f"claim_{claim['claim_id']}", "claim", fig, g)
