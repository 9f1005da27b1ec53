"""States over time: monthly 12-month-ending deaths and rates by state, final annual rates,
CBP encounters by state, and the change between two periods.

Rates are crude rates per 100,000: deaths divided by the Census July 1 resident population of
the year the period ends in. Provisional deaths are counted by place of occurrence, so a state
where many non-residents die (DC) has a higher rate than on residence-based final data. Missing
months and years stay missing (NaN rows), so charts draw gaps, never interpolations.
"""

from __future__ import annotations

import functools

import pandas as pd

from . import contract, query
from .store import Store

ALL = "all_drugs"


def population(store: Store | None = None) -> pd.DataFrame:
    pop = query.load("population", store)
    return pop[["geo", "year", "population"]].astype({"year": int, "population": float})


def _with_nyc(d: pd.DataFrame) -> pd.DataFrame:
    """VSRR reports New York City (YC) apart from the rest of New York: add it back."""
    if not (d.geo == "YC").any():
        return d
    keys = ["period_end", "drug"]
    yc = d[d.geo == "YC"].set_index(keys)
    ny = d[d.geo == "NY"].set_index(keys)
    both = ny.index.intersection(yc.index)
    ny.loc[both, "deaths"] = ny.loc[both, "deaths"] + yc.loc[both, "deaths"]
    ny.loc[both, "deaths_predicted"] = (
        ny.loc[both, "deaths_predicted"] + yc.loc[both, "deaths_predicted"]
    )
    return pd.concat([d[~d.geo.isin(["NY", "YC"])], ny.reset_index()], ignore_index=True)


def monthly(geos: list[str], drug: str = ALL, store: Store | None = None) -> pd.DataFrame:
    """12-month-ending provisional deaths (reported, predicted) and crude rates per 100,000,
    one row per (geo, month) from the first to the last month held, NaN where a month is missing.
    Made once per (states, drug) and version of the tables it reads (the states page asks for
    every state's months three times per view, whatever the years shown); a copy each call."""
    keys = (query.table_key("overdose_deaths", store), query.table_key("population", store))
    return _monthly(*keys, tuple(geos), drug).copy()


@functools.lru_cache(maxsize=32)
def _monthly(
    deaths_key: tuple[str, str], _pop_key: tuple[str, str], geos: tuple[str, ...], drug: str
) -> pd.DataFrame:
    store = Store(deaths_key[0])
    od = query.load("overdose_deaths", store)
    want = set(geos) | ({"YC"} if "NY" in geos else set())
    d = od[(od.status == "provisional") & (od.drug == drug) & od.geo.isin(want)]
    d = d[
        ["geo", "period_end", "year", "month", "drug", "deaths", "deaths_predicted", "source_id"]
    ].copy()
    d["deaths"] = d["deaths"].astype(float)
    d["deaths_predicted"] = d["deaths_predicted"].astype(float)
    d = _with_nyc(d)
    if d.empty:
        return d.assign(
            population=pd.Series(dtype=float),
            rate=pd.Series(dtype=float),
            rate_predicted=pd.Series(dtype=float),
            predicted=pd.Series(dtype=bool),
            deaths_best=pd.Series(dtype=float),
            rate_best=pd.Series(dtype=float),
        )
    months = pd.date_range(d.period_end.min(), d.period_end.max(), freq="ME")
    full = pd.MultiIndex.from_product(
        [sorted(set(d.geo)), months], names=["geo", "period_end"]
    ).to_frame(index=False)
    d = full.merge(d.drop(columns=["year", "month"]), on=["geo", "period_end"], how="left")
    d["drug"] = drug
    d["year"] = d.period_end.dt.year
    d["month"] = d.period_end.dt.month
    d = d.merge(population(store), on=["geo", "year"], how="left")
    d["rate"] = d.deaths / d.population * 1e5
    d["rate_predicted"] = d.deaths_predicted / d.population * 1e5
    # CDC's best estimate of each month: its predicted count (which allows for deaths still
    # under investigation: the reported counts of a release's last months run low), else the
    # reported one (the December file of a later release has no predicted values)
    d["predicted"] = d.deaths_predicted.notna()
    d["deaths_best"] = d.deaths_predicted.where(d.predicted, d.deaths)
    d["rate_best"] = d.rate_predicted.where(d.predicted, d.rate)
    return d.sort_values(["geo", "period_end"]).reset_index(drop=True)


query.on_clear(_monthly.cache_clear)


def annual_rates(geos: list[str], store: Store | None = None) -> pd.DataFrame:
    """Final (NCHS) all-drug deaths and age-adjusted rates by year, a row for every year from the
    first to the last held (NaN where the bundled files lack a year)."""
    od = query.load("overdose_deaths", store)
    d = od[(od.status == "final") & (od.drug == ALL) & od.geo.isin(geos)]
    d = d[["geo", "year", "deaths", "age_adjusted_rate", "source_id"]].astype({"year": int})
    if d.empty:
        return d
    years = range(int(d.year.min()), int(d.year.max()) + 1)
    full = pd.MultiIndex.from_product([sorted(set(d.geo)), years], names=["geo", "year"]).to_frame(
        index=False
    )
    out = full.merge(d, on=["geo", "year"], how="left")
    out["deaths"] = out["deaths"].astype(float)
    out["age_adjusted_rate"] = out["age_adjusted_rate"].astype(float)
    return out.sort_values(["geo", "year"]).reset_index(drop=True)


def encounters(
    states: list[str], basis: str = "fiscal", store: Store | None = None
) -> pd.DataFrame:
    """CBP encounters by state and month (the by-State table: ports of entry and Border Patrol
    together). CBP lists a state's month only when it had encounters: a month the table holds
    for other states but not for this one is 0, not a gap a line would be drawn across (a
    state with no row at all is left out)."""
    all_rows = query.load("encounters_by_state", store)
    e = all_rows[all_rows.state.isin(states)]
    g = (
        e.groupby(["state", "fiscal_year", "year", "month"], observed=True)["encounters"]
        .sum()
        .reset_index()
    )
    held = all_rows[["fiscal_year", "year", "month"]].drop_duplicates()
    full = pd.DataFrame({"state": sorted(set(g.state))}).merge(held, how="cross")
    g = full.merge(g, on=["state", "fiscal_year", "year", "month"], how="left").fillna(
        {"encounters": 0}
    )
    g["encounters"] = g["encounters"].astype(float)
    g["date"] = pd.to_datetime(dict(year=g.year, month=g.month, day=1))
    return g.sort_values(["state", "date"]).reset_index(drop=True)


def encounter_years(store: Store | None = None) -> list[int]:
    """Fiscal years the by-State table holds in full (12 months). Once per table version."""
    return list(_encounter_years(query.table_key("encounters_by_state", store)))


@functools.lru_cache(maxsize=8)
def _encounter_years(key: tuple[str, str]) -> tuple[int, ...]:
    e = query.load("encounters_by_state", Store(key[0]))
    n = e.groupby("fiscal_year")["month"].nunique()
    return tuple(sorted(int(y) for y, k in n.items() if k == 12))


def death_months(store: Store | None = None, min_states: int = 50) -> list[pd.Timestamp]:
    """Months for which (nearly) every state has a provisional all-drug 12-month count.
    Once per table version."""
    return list(_death_months(query.table_key("overdose_deaths", store), min_states))


@functools.lru_cache(maxsize=8)
def _death_months(key: tuple[str, str], min_states: int) -> tuple[pd.Timestamp, ...]:
    od = query.load("overdose_deaths", Store(key[0]))
    d = od[(od.status == "provisional") & (od.drug == ALL) & od.geo.isin(contract.STATE_CODES)]
    n = d.groupby("period_end", observed=True)["geo"].nunique()
    return tuple(sorted(pd.Timestamp(p) for p, k in n.items() if k >= min_states))


def last_month(drug: str = ALL, store: Store | None = None) -> pd.Timestamp | None:
    """The latest month with a provisional 12-month count of `drug` for any state."""
    od = query.load("overdose_deaths", store)
    d = od[(od.status == "provisional") & (od.drug == drug) & od.geo.isin(contract.STATE_CODES)]
    return pd.Timestamp(d.period_end.max()) if len(d) else None


def change(a: pd.Series, b: pd.Series) -> pd.Series:
    """Percent change from a to b, by index; NaN where either is missing or a is zero."""
    a, b = a.astype(float), b.astype(float)
    both = a.index.union(b.index)
    a, b = a.reindex(both), b.reindex(both)
    return ((b - a) / a.where(a != 0) * 100).rename("change")


def death_change(frm: pd.Timestamp, to: pd.Timestamp, store: Store | None = None) -> pd.DataFrame:
    """Every state's 12-month-ending all-drug deaths at two months and the percent change, on
    CDC's best estimate of each (`deaths_best`: predicted where published, else reported);
    the reported counts and which was used (`predicted_from`, `predicted_to`) beside them."""
    d = monthly(sorted(contract.STATE_CODES), ALL, store)
    at = {k: d[d.period_end == m].set_index("geo") for k, m in (("from", frm), ("to", to))}
    out = pd.DataFrame(
        {
            **{f"deaths_{k}": t["deaths_best"] for k, t in at.items()},
            **{f"reported_{k}": t["deaths"] for k, t in at.items()},
            **{f"predicted_{k}": t["predicted"] for k, t in at.items()},
        }
    ).reindex(sorted(contract.STATE_CODES))
    out["change"] = change(at["from"]["deaths_best"], at["to"]["deaths_best"]).reindex(out.index)
    out.index.name = "geo"
    return out.reset_index()


def encounter_change(frm: int, to: int, store: Store | None = None) -> pd.DataFrame:
    """Every state's CBP encounters in two fiscal years and the percent change."""
    e = query.load("encounters_by_state", store)
    e = e[e.fiscal_year.isin([frm, to]) & e.state.isin(contract.STATE_CODES)]
    g = e.groupby(["state", "fiscal_year"])["encounters"].sum().unstack("fiscal_year")
    a = g[frm] if frm in g else pd.Series(dtype=float)
    b = g[to] if to in g else pd.Series(dtype=float)
    out = (
        pd.DataFrame({"encounters_from": a, "encounters_to": b})
        .reindex(sorted(contract.STATE_CODES))
        .astype(float)
    )
    out["change"] = change(a, b).reindex(out.index)
    out.index.name = "geo"
    return out.reset_index()
