"""The numbers each chart draws, computed from the tables for a set of Filters.

Every function returns a tidy frame with the columns the chart needs, including `partial`
(a year whose months are not all in the data) and the unit. Pages and export call these.
"""

from __future__ import annotations

import calendar
import functools

import pandas as pd

from . import contract, periods, query
from .filters import COMPONENT_OF, Filters
from .store import Store

MONTH_ABBR = {i: calendar.month_abbr[i] for i in range(1, 13)}
# The region filter is shared by the seizures and encounters pages, whose files name the same
# regions differently: a region picked on one page means the same region on the other. In
# the order both pages stack them: southwest, north, the coastal and interior rest.
LAND_REGION = {"Southwest Border": "Southwest Land Border", "Northern Border": "Northern Land Border",
               "Coastal/Interior": "Other"}  # fmt: skip
SEIZURE_REGION = {v: k for k, v in LAND_REGION.items()}


def _year_col(f: Filters) -> str:
    return periods.year_column(f.basis)


def with_coverage(
    df: pd.DataFrame,
    f: Filters,
    measure: str,
    groups: list[str],
    coverage_by: list[str] | None = None,
) -> pd.DataFrame:
    """Sum `measure` by basis year and `groups`; mark years whose months are incomplete."""
    ycol = _year_col(f)
    inside = df[ycol].between(f.year_from, f.year_to)
    d = df if inside.all() else df[inside]
    if d.empty:
        return pd.DataFrame(columns=["year", *groups, measure, "months", "partial", "months_label"])
    agg = (
        d.groupby([ycol, *groups], dropna=False, observed=True)[measure]
        .sum(min_count=1)
        .reset_index()
    )
    agg = agg.rename(columns={ycol: "year"})
    cov_keys = coverage_by if coverage_by is not None else [g for g in groups if g == "component"]
    # each coverage group's own months (AMO's FY2026 may end months before OFO's), in one
    # group-by on a frame of the few columns it needs
    by = ["year", *cov_keys]
    cols = {"year": d[ycol], **{k: d[k] for k in cov_keys}}
    cols["key"] = d["year"] * 100 + d["month"]  # a basis year's months have distinct keys
    g = pd.DataFrame(cols).groupby(by, observed=True)["key"]
    cov = g.agg(["nunique", "min", "max"]).reset_index()
    cov.columns = [*by, "months", "lo", "hi"]
    out = agg.merge(cov, on=by, how="left")
    out["months_label"] = [
        _span_words(int(lo), int(hi)) if n < 12 else ""
        for lo, hi, n in zip(out["lo"], out["hi"], out["months"], strict=True)
    ]
    out = out.drop(columns=["lo", "hi"])
    out["partial"] = out["months"] < 12
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", *groups]).reset_index(drop=True)


def _span_words(lo: int, hi: int) -> str:
    """'Oct 2025-Apr 2026' for the months from key lo to key hi (year*100+month)."""
    return f"{MONTH_ABBR[lo % 100]} {lo // 100}-{MONTH_ABBR[hi % 100]} {hi // 100}"


def _span_label(d: pd.DataFrame, basis: str) -> str:
    """'Oct-Apr' for the months present in a partial year."""
    key = d["year"] * 100 + d["month"]
    lo, hi = int(key.min()), int(key.max())
    return f"{MONTH_ABBR[lo % 100]} {lo // 100}-{MONTH_ABBR[hi % 100]} {hi // 100}"


# --- overdose deaths ---------------------------------------------------------------------


def deaths_provisional(
    f: Filters, drugs: list[str], store: Store | None = None, geo: str = "US"
) -> pd.DataFrame:
    """VSRR 12-month-ending counts (reported and predicted), monthly: the months of the
    calendar years chosen, or on the fiscal basis of the fiscal years (October to September)."""
    df = query.load("overdose_deaths", store)
    d = df[(df.geo == geo) & (df.status == "provisional") & df.drug.isin(drugs)]
    d = d[periods.basis_years(d.period_end, f.basis).between(f.year_from, f.year_to)]
    return (
        d[["period_end", "year", "month", "drug", "deaths", "deaths_predicted", "vintage"]]
        .sort_values(["drug", "period_end"])
        .reset_index(drop=True)
    )


def deaths_annual(
    f: Filters, drug: str, store: Store | None = None, geo: str = "US"
) -> pd.DataFrame:
    """Annual deaths: final NCHS counts by calendar year, and provisional 12 months ending
    December (calendar) or September (fiscal basis) for years without final data."""
    df = query.load("overdose_deaths", store)
    d = df[(df.geo == geo) & (df.drug == drug)]
    month = 9 if f.basis == "fiscal" else 12
    prov = d[(d.status == "provisional") & (d.month == month)]
    prov = prov[prov.year.between(f.year_from, f.year_to)]
    out = [
        pd.DataFrame(
            {
                "year": prov.year.astype(int),
                "deaths": prov.deaths,
                "deaths_predicted": prov.deaths_predicted,
                "status": "provisional",
                "basis": "fiscal" if f.basis == "fiscal" else "calendar",
                "age_adjusted_rate": pd.NA,
            }
        )
    ]
    if f.basis == "calendar":
        fin = d[(d.status == "final") & d.year.between(f.year_from, f.year_to)]
        out.append(
            pd.DataFrame(
                {
                    "year": fin.year.astype(int),
                    "deaths": fin.deaths,
                    "deaths_predicted": pd.NA,
                    "status": "final",
                    "basis": "calendar",
                    "age_adjusted_rate": fin.age_adjusted_rate,
                }
            )
        )
    res = (
        pd.concat([o for o in out if len(o)], ignore_index=True)
        if any(len(o) for o in out)
        else out[0]
    )
    return res.sort_values(["status", "year"]).reset_index(drop=True)


def state_population(year: int, store: Store | None = None) -> pd.Series:
    pop = query.load("population", store)
    p = pop[pop.year == year]
    if p.empty:  # nearest available year
        years = sorted(pop.year.unique())
        if not years:
            return pd.Series(dtype=float)
        near = min(years, key=lambda y: abs(y - year))
        p = pop[pop.year == near]
    return p.set_index("geo")["population"].astype(float)


def death_state_years(store: Store | None = None) -> dict[str, list[int]]:
    df = query.load("overdose_deaths", store)
    st = df[df.geo.isin(contract.STATE_CODES) & (df.drug == "all_drugs")]
    fin = sorted(st[st.status == "final"].year.unique().tolist())
    prov = sorted(st[(st.status == "provisional") & (st.month == 12)].year.unique().tolist())
    return {"final": [int(y) for y in fin], "provisional": [int(y) for y in prov]}


def deaths_states(year: int, source: str, store: Store | None = None) -> pd.DataFrame:
    """All-drug overdose deaths by state for one calendar year, with a rate per 100,000.

    source "final": NCHS final counts and age-adjusted rates. source "provisional": VSRR
    12 months ending December, with New York City added to New York, and a crude rate
    computed from Census population (July 1 of the year).
    """
    df = query.load("overdose_deaths", store)
    d = df[(df.drug == "all_drugs") & (df.year == year)]
    pop = state_population(year, store)
    if source == "final":
        d = d[(d.status == "final") & d.geo.isin(contract.STATE_CODES)]
        out = pd.DataFrame(
            {"geo": d.geo, "deaths": d.deaths.astype("Float64"), "rate": d.age_adjusted_rate}
        )
        out["rate_kind"] = "age-adjusted rate per 100,000 (NCHS)"
        missing = out["rate"].isna()
        if missing.any():
            out.loc[missing, "rate"] = (
                out.loc[missing, "deaths"] / out.loc[missing, "geo"].map(pop) * 1e5
            )
            out.loc[missing, "rate_kind"] = "crude rate per 100,000 (Census population)"
    else:
        d = d[(d.status == "provisional") & (d.month == 12)]
        counts = d.set_index("geo")["deaths"].astype("Float64")
        if "YC" in counts.index and "NY" in counts.index:
            counts["NY"] = counts["NY"] + counts["YC"]
        counts = counts[counts.index.isin(contract.STATE_CODES)]
        out = pd.DataFrame({"geo": counts.index, "deaths": counts.values})
        out["rate"] = out["deaths"] / out["geo"].map(pop) * 1e5
        out["rate_kind"] = "crude rate per 100,000 (Census population)"
    out["name"] = out["geo"].map(contract.GEO_NAMES)
    out["population"] = out["geo"].map(pop)
    out["year"] = year
    out["status"] = source
    return out.sort_values("rate", ascending=False).reset_index(drop=True)


# --- seizures ----------------------------------------------------------------------------


def cbp_seizures(
    f: Filters, store: Store | None = None, drugs: list[str] | None = None
) -> pd.DataFrame:
    """CBP seizures summed by month, component, region, drug and source file, for the
    selected components (and drugs, region): the monthly table every CBP seizure chart starts
    from. Cached per table version and selection: the charts of the seizures page ask for the
    same rows about a dozen times per new choice of years, and filtering the 21-column table
    each time was a third of building them. Shared: callers must not change it."""
    store = store or Store()
    return _cbp_seizures(
        query.table_key("seizures", store),
        tuple(f.components),
        SEIZURE_REGION.get(f.region, f.region) if f.region else "",
        tuple(drugs or ()),
    )


SEIZURE_MONTH = ["component", "region", "drug", "year", "month", "fiscal_year", "source_id"]


def largest_cbp_rows(f: Filters, store: Store | None = None) -> pd.DataFrame:
    """The largest single row of CBP's seizure files per basis year and drug (by the measure),
    for the selected components and region: columns year (on the basis), drug, value, area,
    month, calendar_year, component. Cached per table version and selection (not per year range: the
    charts' notes pick their years from it). Shared: callers must not change it."""
    store = store or Store()
    return _largest_cbp_rows(
        query.table_key("seizures", store),
        tuple(f.components),
        SEIZURE_REGION.get(f.region, f.region) if f.region else "",
        f.basis,
        f.measure,
    )


@functools.lru_cache(maxsize=32)
def _largest_cbp_rows(
    key: tuple[str, str], components: tuple[str, ...], region: str, basis: str, measure: str
) -> pd.DataFrame:
    t = query.load("seizures", Store(key[0]))
    t = t[(t["agency"] == "CBP") & t["component"].isin(components) & t[measure].notna()]
    if region:
        t = t[t["region"] == region]
    ycol = "fiscal_year" if basis == "fiscal" else "year"
    if t.empty:
        return pd.DataFrame(
            columns=["year", "drug", "value", "area", "month", "calendar_year", "component"]
        )
    top = t.loc[t.groupby([ycol, "drug"], observed=True)[measure].idxmax()]
    return pd.DataFrame({"year": top[ycol].astype(int).to_numpy(), "drug": top["drug"].astype(str).to_numpy(),
                         "value": top[measure].astype(float).to_numpy(), "area": top["area_of_responsibility"].astype(str).to_numpy(),
                         "month": top["month"].astype(int).to_numpy(), "calendar_year": top["year"].astype(int).to_numpy(),
                         "component": top["component"].astype(str).to_numpy()})  # fmt: skip


query.on_clear(_largest_cbp_rows.cache_clear)


@functools.lru_cache(maxsize=64)
def _cbp_seizures(
    key: tuple[str, str], components: tuple[str, ...], region: str, drugs: tuple[str, ...]
) -> pd.DataFrame:
    df = query.load("seizures", Store(key[0]))
    keep = (df.agency == "CBP") & df.component.isin(components)
    if drugs:
        keep &= df.drug.isin(drugs)
    if region:
        keep &= df.region == region
    d = df[keep]
    out = d.groupby(SEIZURE_MONTH, observed=True, dropna=False)[["events", "quantity"]]
    return out.sum(min_count=1).reset_index()


query.on_clear(_cbp_seizures.cache_clear)


def seizures_by_year(
    f: Filters, group: str, store: Store | None = None, drugs: list[str] | None = None
) -> pd.DataFrame:
    """CBP seizures of the chosen components (and drugs, region) by basis year and `group`, with
    each year's months. Kept per table version and what it reads: the seizures page asks for
    the same sums from several charts and notes (a copy is handed out)."""
    store = store or Store()
    key = (*_cbp_key(f), f.measure)
    return _seizures_by_year(
        query.table_key("seizures", store), key, group, tuple(drugs or ())
    ).copy()


def _cbp_key(f: Filters) -> tuple:
    """What the CBP seizure sums read of the filters (a cache key)."""
    return (f.basis, f.year_from, f.year_to, tuple(f.components), f.region)


def _cbp_filters(key: tuple) -> Filters:
    """Filters back from `_cbp_key` (plus the measure, when the key holds one)."""
    basis, year_from, year_to, components, region, *measure = key
    agencies = tuple(a for a, c in COMPONENT_OF.items() if c in components)
    return Filters(basis=basis, year_from=year_from, year_to=year_to, agencies=agencies,
                   region=region, measure=measure[0] if measure else "quantity")  # fmt: skip


@functools.lru_cache(maxsize=64)
def _seizures_by_year(
    table: tuple[str, str], key: tuple, group: str, drugs: tuple[str, ...]
) -> pd.DataFrame:
    f = _cbp_filters(key)
    store = Store(table[0])
    d = cbp_seizures(f, store, list(drugs) or None)
    cov = cbp_seizures(f, store)  # months present, whatever the drug
    out = with_coverage(d, f, f.measure, [group], coverage_by=[])
    if group == "component":
        c2 = _component_months(table, key[:5])
        out = out.drop(columns=["months", "partial", "months_label"]).merge(
            c2, on=["year", "component"], how="left"
        )
    else:
        c2 = with_coverage(cov, f, f.measure, [])[["year", "months", "partial", "months_label"]]
        out = out.drop(columns=["months", "partial", "months_label"]).merge(
            c2, on="year", how="left"
        )
    out["unit"] = "lb" if f.measure == "quantity" else "events"
    return out


query.on_clear(_seizures_by_year.cache_clear)


def component_months(f: Filters, store: Store | None = None) -> pd.DataFrame:
    """Each chosen CBP component's months in each basis year (year, component, months,
    partial, months_label), whatever the drug: the files' coverage, which a partial year's
    note names. Kept per table version and selection (a copy is handed out)."""
    store = store or Store()
    return _component_months(query.table_key("seizures", store), _cbp_key(f)).copy()


@functools.lru_cache(maxsize=32)
def _component_months(table: tuple[str, str], key: tuple) -> pd.DataFrame:
    f = _cbp_filters(key)
    cov = cbp_seizures(f, Store(table[0]))
    return with_coverage(cov, f, "events", ["component"])[
        ["year", "component", "months", "partial", "months_label"]
    ]


query.on_clear(_component_months.cache_clear)


def months_held(table: str, store: Store | None = None) -> pd.DataFrame:
    """Each component's months in a CBP table (component, year, month, fiscal_year), whatever
    the drug, region or citizenship: the months its files cover. CBP's files have no row for
    a month without a seizure or an encounter of a kind, so within these months a missing row
    is a zero, not a gap. Kept per table version. Shared: callers must not change it."""
    store = store or Store()
    return _months_held(query.table_key(table, store), table)


@functools.lru_cache(maxsize=8)
def _months_held(key: tuple[str, str], table: str) -> pd.DataFrame:
    df = query.load(table, Store(key[0]))
    if table == "seizures":
        df = df[df.agency == "CBP"]
    cols = ["component", "year", "month", "fiscal_year"]
    return df[cols].drop_duplicates().reset_index(drop=True)


query.on_clear(_months_held.cache_clear)


def _with_zero_months(
    g: pd.DataFrame, table: str, f: Filters, components, value: str, store: Store | None
) -> pd.DataFrame:
    """Monthly sums by component, with a 0 for every month a component's files cover in the
    chosen years and have no row for (a line is not joined across months with none). None
    at all stays none: the chart then says there is nothing for the selection."""
    if g.empty:
        return g
    held = months_held(table, store)
    ycol = _year_col(f)
    held = held[held.component.isin(components) & held[ycol].between(f.year_from, f.year_to)]
    out = held[["year", "month", "component"]].merge(
        g, on=["year", "month", "component"], how="outer"
    )
    out[value] = out[value].fillna(0)
    return out


def seizures_monthly(f: Filters, store: Store | None = None) -> pd.DataFrame:
    d = cbp_seizures(f, store, [f.drug])
    ycol = _year_col(f)
    d = d[d[ycol].between(f.year_from, f.year_to)]
    g = d.groupby(["year", "month", "component"], observed=True)[f.measure].sum().reset_index()
    g = _with_zero_months(g, "seizures", f, f.components, f.measure, store)
    g["date"] = pd.to_datetime(dict(year=g.year, month=g.month, day=1))
    g["unit"] = "lb" if f.measure == "quantity" else "events"
    return g.sort_values(["component", "date"]).reset_index(drop=True)


def dea_fentanyl(f: Filters, store: Store | None = None) -> pd.DataFrame:
    """DEA and HIDTA full-year fentanyl figures by calendar year (their own basis)."""
    df = query.load("seizures", store)
    agencies = [a for a in ("DEA", "HIDTA") if a in f.agencies]
    d = df[
        df.agency.isin(agencies) & (df.coverage == "year") & df.year.between(f.year_from, f.year_to)
    ]
    d = d[d.drug.isin(["fentanyl", "counterfeit_pills"])]
    cols = [
        "agency",
        "series",
        "year",
        "drug",
        "form",
        "quantity",
        "unit",
        "qualifier",
        "source_url",
        "source_quote",
        "source_id",
    ]
    return d[cols].sort_values(["unit", "agency", "year"]).reset_index(drop=True)


# --- encounters --------------------------------------------------------------------------


def encounter_months(
    f: Filters, store: Store | None = None, group: str = "", citizenship: str = ""
) -> pd.DataFrame:
    """Encounters summed by month, source file and `group`, for the components and region
    chosen: the monthly table every encounters chart starts from. Cached per store version,
    so a change of year basis or years (which only re-buckets months) reuses it: at 100x the
    bundled rows that is milliseconds instead of seconds of group-bys over millions of rows."""
    store = store or Store()
    return _encounter_months(
        query.table_key("encounters", store),
        tuple(a for a in f.agencies if a in COMPONENT_OF),
        f.region,
        group,
        citizenship,
    )


@functools.lru_cache(maxsize=16)
def _encounter_months(
    key: tuple[str, str], agencies: tuple[str, ...], region: str, group: str, citizenship: str
) -> pd.DataFrame:
    d = encounters(Filters(agencies=agencies, region=region), Store(key[0]))
    if citizenship:
        d = d[d.citizenship == citizenship]
    cols = ["year", "month", "fiscal_year", "source_id", *([group] if group else [])]
    out = d.groupby(cols, observed=True, dropna=False)["encounters"].sum(min_count=1)
    return out.reset_index()


query.on_clear(_encounter_months.cache_clear)


def fiscal_span(table: str, store: Store | None = None, agency: str = "") -> str:
    """'FY2020-FY2024': the federal fiscal years a table holds (of one agency's rows), in words
    for notes and captions, from the data (an upload that adds a year changes them)."""
    store = store or Store()
    return _fiscal_span(query.table_key(table, store), table, agency)


@functools.lru_cache(maxsize=32)
def _fiscal_span(key: tuple[str, str], table: str, agency: str) -> str:
    d = query.load(table, Store(key[0]))
    if agency:
        d = d[d["agency"] == agency]
    fy = d["fiscal_year"].dropna() if "fiscal_year" in d else pd.Series([], dtype=float)
    if fy.empty:
        return "no fiscal years"
    lo, hi = int(fy.min()), int(fy.max())
    return f"FY{lo}" if lo == hi else f"FY{lo}-FY{hi}"


query.on_clear(_fiscal_span.cache_clear)


def after_by_area(store: Store | None = None) -> tuple[pd.DataFrame | None, dict[str, set[int]]]:
    """The by-State table's encounters for the months after the by-area table's last one
    (summed by month, region, citizenship and source file), and the calendar and fiscal years
    the by-area table covers; (None, {}) when either table is empty. Cached per version of
    both tables: three encounters charts ask on every new choice of filters."""
    store = store or Store()
    return _after_by_area(
        query.table_key("encounters", store), query.table_key("encounters_by_state", store)
    )


@functools.lru_cache(maxsize=8)
def _after_by_area(area_key: tuple[str, str], state_key: tuple[str, str]):
    store = Store(area_key[0])
    area = encounter_months(Filters(), store)  # every component and region, by month
    state = query.load("encounters_by_state", store)
    if area.empty or state.empty:
        return None, {}
    last = int((area["year"] * 100 + area["month"]).max())
    later = state[(state["year"] * 100 + state["month"]) > last]
    # summed by month over states, demographics and titles: what the charts read of them
    keys = ["fiscal_year", "year", "month", "land_border_region", "citizenship", "source_id"]
    later = later.groupby(keys, observed=True)["encounters"].sum(min_count=1).reset_index()
    covered = {c: set(area[c].unique().tolist()) for c in ("year", "fiscal_year")}
    return later, covered


query.on_clear(_after_by_area.cache_clear)


def encounters(f: Filters, store: Store | None = None) -> pd.DataFrame:
    df = query.load("encounters", store)
    keep = df.component.isin(f.components)
    if f.region:
        keep &= df.land_border_region == LAND_REGION.get(f.region, f.region)
    return df if keep.all() else df[keep]  # no copy of every row when nothing is filtered out


def encounters_by(
    f: Filters,
    group: str,
    store: Store | None = None,
    top: int | None = None,
    citizenship: str | None = None,
) -> pd.DataFrame:
    d = encounter_months(f, store, group, citizenship or "")
    out = with_coverage(d, f, "encounters", [group] if group else [], coverage_by=[])
    if top and group:
        totals = out.groupby(group)["encounters"].sum().sort_values(ascending=False)
        if group == "citizenship":  # CBP's residual "OTHER" is not a citizenship: not ranked
            totals = totals.drop("OTHER", errors="ignore")
        keep = totals.index[:top]
        out[group] = out[group].astype(str).where(out[group].isin(keep), "All others")
        out = out.groupby(["year", group, "months", "partial", "months_label"], as_index=False)[
            "encounters"
        ].sum()
    return out


def encounters_monthly(
    f: Filters, store: Store | None = None, citizenship: str | None = None
) -> pd.DataFrame:
    d = encounter_months(f, store, "component", citizenship or "")
    ycol = _year_col(f)
    d = d[d[ycol].between(f.year_from, f.year_to)]
    g = d.groupby(["year", "month", "component"], observed=True)["encounters"].sum().reset_index()
    g = _with_zero_months(g, "encounters", f, f.components, "encounters", store)
    g["date"] = pd.to_datetime(dict(year=g.year, month=g.month, day=1))
    return g.sort_values(["component", "date"]).reset_index(drop=True)


def encounters_total_by_state_table(f: Filters, store: Store | None = None) -> pd.DataFrame:
    """Nationwide encounter totals from the by-State table (reaches one year further).
    Once per table version and (basis, years, region): the encounters page shows it on every
    rerun."""
    key = query.table_key("encounters_by_state", store)
    return _by_state_totals(key, f.basis, f.year_from, f.year_to, f.region).copy()


@functools.lru_cache(maxsize=32)
def _by_state_totals(
    key: tuple[str, str], basis: str, y0: int, y1: int, region: str
) -> pd.DataFrame:
    f = Filters(basis=basis, year_from=y0, year_to=y1, region=region)
    df = query.load("encounters_by_state", Store(key[0]))
    if region:
        df = df[df.land_border_region == LAND_REGION.get(region, region)]
    return with_coverage(df, f, "encounters", [])


query.on_clear(_by_state_totals.cache_clear)


def top_citizenships(f: Filters, store: Store | None = None, n: int = 15) -> pd.DataFrame:
    d = encounter_months(f, store, "citizenship")
    ycol = _year_col(f)
    d = d[d[ycol].between(f.year_from, f.year_to)]
    g = d.groupby("citizenship", observed=True)["encounters"].sum()
    g = g.sort_values(ascending=False).head(n)
    return g.reset_index()


# --- overview ----------------------------------------------------------------------------


def _latest_change(df: pd.DataFrame, value: str) -> dict:
    df = df.dropna(subset=[value]).sort_values("key")
    if df.empty:
        return {}
    last = df.iloc[-1]
    prev = df[df.key == last.key - 100]  # same month a year earlier (key = year*100+month)
    out = {"value": float(last[value]), "key": int(last.key)}
    if len(prev):
        p = float(prev.iloc[-1][value])
        out["previous"] = p
        out["change"] = (out["value"] - p) / p if p else None
    return out


def headlines(store: Store | None = None) -> list[dict]:
    """Latest value of each headline indicator, its period, status and change on a year before."""
    out = []
    od = query.load("overdose_deaths", store)
    for drug, label in (
        ("all_drugs", "Overdose deaths"),
        ("synthetic_opioids", "Synthetic-opioid deaths"),
    ):
        d = od[(od.geo == "US") & (od.drug == drug) & (od.status == "provisional")].copy()
        d["key"] = d.year * 100 + d.month
        ch = _latest_change(d, "deaths")
        if ch:
            y, m = divmod(ch["key"], 100)
            # the latest months' reported counts are incomplete (deaths still under
            # investigation): CDC's predicted count for the same month stands beside them
            pr = _latest_change(d[d.key <= ch["key"]], "deaths_predicted")
            if pr.get("key") == ch["key"] and pr["value"] != ch["value"]:
                ch["note"] = (f"CDC predicts {pr['value']:,.0f}"
                              + (f" ({pr['change'] * 100:+.1f}%)" if pr.get("change") is not None else "")
                              + " once the deaths still under investigation are counted")  # fmt: skip
            ch.update(
                label=label, unit="deaths", agency="CDC/NCHS",
                what="all drugs" if drug == "all_drugs" else "mostly fentanyl",
                period=f"12 months ending {calendar.month_name[m]} {y}",
                status="provisional (reported; not final)", vintage=str(d.vintage.max()),
                compare=f"12 months ending {calendar.month_name[m]} {y - 1}",
            )  # fmt: skip
            out.append(ch)
    sz = query.load("seizures", store)
    d = sz[(sz.agency == "CBP") & (sz.series == "cbp_nationwide") & (sz.drug == "fentanyl")]
    if len(d):
        last_fy = int(d.fiscal_year.max())
        months = sorted(d[d.fiscal_year == last_fy].month.unique())
        cur = d[d.fiscal_year == last_fy].quantity.sum()
        prev = d[(d.fiscal_year == last_fy - 1) & d.month.isin(months)].quantity.sum()
        partial = len(months) < 12
        first, lastm = months_span(d[d.fiscal_year == last_fy])
        out.append(
            {
                "label": "CBP fentanyl seizures", "unit": "lb", "agency": "CBP", "what": "ports of entry + Border Patrol",
                "value": float(cur), "previous": float(prev), "change": (cur - prev) / prev if prev else None,
                "period": f"FY{last_fy}" + (f" to date ({first}-{lastm}, {len(months)} months)" if partial else ""),
                "status": "partial year" if partial else "complete year", "vintage": str(d.vintage.max()),
                "compare": f"same months of FY{last_fy - 1}",
            }
        )  # fmt: skip
    en = query.load("encounters_by_state", store)
    if len(en):
        last_fy = int(en.fiscal_year.max())
        months = sorted(en[en.fiscal_year == last_fy].month.unique())
        cur = en[en.fiscal_year == last_fy].encounters.sum()
        prev = en[(en.fiscal_year == last_fy - 1) & en.month.isin(months)].encounters.sum()
        partial = len(months) < 12
        out.append(
            {
                "label": "CBP encounters", "unit": "encounters", "agency": "CBP", "what": "nationwide, ports of entry + Border Patrol",
                "value": float(cur), "previous": float(prev), "change": (cur - prev) / prev if prev else None,
                "period": f"FY{last_fy}" + (" to date" if partial else ""),
                "status": "partial year" if partial else "complete year", "vintage": str(en.vintage.max()),
                "compare": f"FY{last_fy - 1}" + (" (same months)" if partial else ""),
            }
        )  # fmt: skip
    return out


def months_span(d: pd.DataFrame) -> tuple[str, str]:
    key = d.year * 100 + d.month
    return _month_label(key.min()), _month_label(key.max())


def _month_label(key: float) -> str:
    """'Oct 2019' from 201910."""
    return f"{MONTH_ABBR[int(key) % 100]} {int(key) // 100}"


def _periods(d: pd.DataFrame) -> tuple[str, str, str]:
    """A source's rows in use: (first period, last period, both in words for a reader)."""
    rolling = "period_type" in d and d["period_type"].eq("12_month_ending").all()
    annual = "period_type" in d and d["period_type"].eq("calendar_year").all()
    if "month" in d and d["month"].notna().any() and not annual:
        first = (d.year * 100 + d.month.fillna(1)).min()  # a row without a month: its year
        last = (d.year * 100 + d.month.fillna(12)).max()
        since, through = _month_label(first), _month_label(last)
    else:
        since, through = str(int(d.year.min())), str(int(d.year.max()))
    words = since if since == through else f"{since} - {through}"
    if rolling:  # each value is the 12 months ending in that month
        words = f"12 months ending {words}"
    if "coverage" in d:
        last_year = d[d.year == d.year.max()]
        if last_year["coverage"].eq("year_to_date").all() and last_year["as_of"].notna().any():
            words += f" ({through} through {last_year['as_of'].max():%-d %b})"
    return since, through, words


def freshness(store: Store | None = None) -> pd.DataFrame:
    """Per source: vintage and the first and last periods of its rows in the store, with both
    in words (`periods`: 12-month-ending counts and year-to-date figures say so). Where a newer
    file covers the same cells, its values replace the older file's, so an older file's rows
    in use can end before the period its title names."""
    rows = []
    for name in contract.DATA_TABLES:
        df = query.load(name, store)
        if df.empty:
            continue
        for sid, d in df.groupby("source_id"):
            since, through, words = _periods(d)
            rows.append(
                {
                    "table": name,
                    "source_id": sid,
                    "rows": len(d),
                    "vintage": str(d.vintage.max()),
                    "data_from": since,
                    "data_through": through,
                    "periods": words,
                }
            )
    return pd.DataFrame(rows)
