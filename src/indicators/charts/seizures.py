"""Seizure charts: CBP by component, month, region and drug; DEA and HIDTA fentanyl figures."""

from __future__ import annotations

import calendar

import pandas as pd

from .. import contract, query, series
from ..filters import Filters
from ..store import Store
from . import style
from .overlays import Scope
from .provenance import ids
from .render import View
from .words import components_text, filters_text, in_years, iso_days, partial_note, tidy_years


def _cbp_years(store: Store | None) -> str:
    return f"The CBP seizure data here cover {series.fiscal_span('seizures', store, 'CBP')}."


def _no_figures(f: Filters, store: Store | None, what: str) -> str:
    """An empty chart's words: that a component chosen does not publish the drug at all (Air
    and Marine's files list five drugs: 'no ketamine seizures' would read as a zero), or
    that the selection has none in these years."""
    drug = style.label("drug", f.drug).lower()
    sz = query.load("seizures", store)
    cbp = sz[(sz.agency == "CBP") & sz.component.isin(f.components)]
    listing = {
        c: sorted(set(g.drug.astype(str))) for c, g in cbp.groupby("component", observed=True)
    }
    without = [c for c, drugs in listing.items() if f.drug not in drugs]
    if listing and len(without) == len(listing):
        said = []
        for c in without:
            name = style.label("component", c)
            whose = name + ("'" if name.endswith("s") else "'s")
            drugs = ", ".join(style.label("drug", x).lower() for x in listing[c])
            said.append(f"{whose} files list {len(listing[c])} drugs ({drugs}), not {drug}: these figures "
                        "are not published, not zero.")  # fmt: skip
        return " ".join(said)
    return f"No CBP {drug} {what} in {f.range_label()}. {_cbp_years(store)}"


def _partial(d: pd.DataFrame, f: Filters, store: Store | None) -> list[str]:
    """The partial-years note of a chart not split by component: where the components' months
    differ (Air and Marine's file may end months before the others'), each component's; and a
    component chosen that has no month at all in a partial year (its file ended before)."""
    if not partial_note(d, "", f):
        return []
    comp = series.component_months(f, store)
    years = set(d.loc[d["partial"].astype(bool), "year"])
    p = comp[comp["partial"].fillna(False).astype(bool)]
    if p.groupby("year")["months_label"].nunique().max() > 1:
        notes = partial_note(comp[comp["year"].isin(years)], "component", f)
    else:
        notes = partial_note(d, "", f)
    return notes + _absent(f, store, years, comp)


def _mixed(frame: pd.DataFrame, f: Filters, store: Store | None) -> pd.DataFrame:
    """A chart not split by component, in a partial year whose components' files end in
    different months (Air and Marine's in December, the others' in April): its bars hold
    different months by component, so the axis says 'partial' (the notes give each one's
    months), as on the component chart, not the longest span ('Oct-Apr')."""
    if not len(frame) or not frame["partial"].any():
        return frame
    comp = series.component_months(f, store)
    p = comp[comp["partial"].fillna(False).astype(bool)]
    mixed = set(p.groupby("year")["months_label"].nunique().loc[lambda n: n > 1].index)
    if mixed:
        frame = frame.copy()
        frame.loc[frame["x"].isin(mixed) & frame["partial"], "span"] = ""
    return frame


def _absent(f: Filters, store: Store | None, years: set, comp: pd.DataFrame) -> list[str]:
    """'No Air and Marine (AMO) figures in 2026: its file ends Dec 2025.': each component chosen
    with no month in a partial year because its file ended before the year began."""
    notes = []
    rows = series.cbp_seizures(f, store)
    for y in sorted(years):
        held = set(comp.loc[comp["year"] == y, "component"])
        for c in [c for c in f.components if c not in held]:
            mine = rows[rows["component"] == c]
            if len(mine):
                end = mine["year"].astype(int) * 100 + mine["month"].astype(int)
                last = int(end.max())
                start = (int(y) - 1) * 100 + 10 if f.basis == "fiscal" else int(y) * 100 + 1
                if last >= start:  # its file runs into the year: just no such seizure
                    continue
                notes.append(f"No {contract.COMPONENT_PLAIN[c]} figures in {f.year_label(int(y))}: its file ends "
                             f"{calendar.month_abbr[last % 100]} {last // 100}.")  # fmt: skip
    return notes


def _unit(f: Filters) -> tuple[str, str]:
    return ("lb", "Pounds seized") if f.measure == "quantity" else ("events", "Seizure events")


def _scope(
    f: Filters, split: str, split_values: list[str], stacked: bool, drug: bool = True
) -> Scope:
    fixed = {"agency": frozenset({"CBP"})}
    if drug:
        fixed["drug"] = frozenset({f.drug})
    if split != "component":
        fixed["component"] = frozenset(f.components)
    if f.region and split != "region":
        fixed["region"] = frozenset({f.region})
    unit, _ = _unit(f)
    return Scope("seizures", unit, f.basis, (f.year_from, f.year_to), fixed, split,
                 tuple(split_values), stacked, frozenset({"unit"}))  # fmt: skip


def by_component(f: Filters, store: Store | None) -> View:
    d = series.seizures_by_year(f, "component", store, [f.drug])
    unit, ytitle = _unit(f)
    drug = style.label("drug", f.drug)
    frame = tidy_years(d, "component", f.measure)
    order = [c for c in contract.CBP_COMPONENTS if c in set(frame.series)]
    return View(
        frame, "bars", f"CBP {drug.lower()} seizures by component", filters_text(f, drug, components_text(f), style.label("region", f.region) if f.region else "all regions"),
        unit, ytitle, basis=f.basis, labels={c: style.label("component", c) for c in order}, order=order,
        sources=ids(in_years(series.cbp_seizures(f, store, [f.drug]), f)),
        notes=partial_note(d, "component", f) + _absent(f, store, set(d.loc[d["partial"].astype(bool), "year"]), series.component_months(f, store))
              + _one_row(d.assign(drug=f.drug), f, store),
        data=_table(d, "component", f), scope=_scope(f, "component", order, True), topic="seizures", selection={"drug": frozenset({f.drug})},
        empty="" if len(frame) else _no_figures(f, store, "seizures for this selection"),
    )  # fmt: skip


def by_region(f: Filters, store: Store | None) -> View:
    d = series.seizures_by_year(f.with_(region=""), "region", store, [f.drug])
    unit, ytitle = _unit(f)
    drug = style.label("drug", f.drug)
    d = d[d["region"].fillna("") != ""]
    frame = _mixed(tidy_years(d, "region", f.measure), f.with_(region=""), store)
    order = [r for r in series.LAND_REGION if r in set(frame.series)]  # southwest, north, rest
    return View(
        frame, "bars", f"CBP {drug.lower()} seizures by region", filters_text(f, drug, components_text(f)),
        unit, ytitle, basis=f.basis, labels={r: style.label("region", r) for r in order}, order=order,
        sources=ids(in_years(series.cbp_seizures(f.with_(region=""), store, [f.drug]), f)), notes=_partial(d, f.with_(region=""), store) + _one_row(d.assign(drug=f.drug), f.with_(region=""), store),
        data=_table(d, "region", f), scope=None, topic="seizures", selection={"drug": frozenset({f.drug})},
        empty="" if len(frame) else _no_figures(f, store, "seizures by region"),
    )  # fmt: skip


def _one_row(d: pd.DataFrame, f: Filters, store: Store | None) -> list[str]:
    """A large part of a bar that is mostly one row of CBP's files (one office, month and drug):
    said in words, so that a spike is read as what it is (2026's 'other drugs': one row)."""
    top = series.largest_cbp_rows(f, store)
    seg = d.groupby(["year", "drug"], observed=True)[f.measure].sum().rename("seg").reset_index()
    m = top.merge(seg, on=["year", "drug"])
    m["bar"] = m["year"].map(d.groupby("year")[f.measure].sum())
    m = m[(m["seg"] > 0) & (m["value"] >= 0.5 * m["seg"]) & (m["seg"] >= 0.25 * m["bar"])]
    unit = "lb" if f.measure == "quantity" else "seizure events"
    span = (
        d.groupby("year")["months_label"].first() if "months_label" in d else pd.Series(dtype=str)
    )
    part_y = set(d.loc[d["partial"].astype(bool), "year"]) if "partial" in d else set()
    notes = [
        f"One monthly figure is {r.value / r.seg:.0%} of {style.label('drug', r.drug).lower()} in {f.year_label(r.year)}"
        + (f" ({span.get(r.year)})" if r.year in part_y and span.get(r.year) else "")
        + f": {style.number(r.value, unit)} at {r.area.title()} in {calendar.month_abbr[r.month]} {r.calendar_year}, as CBP's file gives it."
        for r in m.itertuples()
    ]  # most of a quarter of the bar or more
    return notes


def by_drug(f: Filters, store: Store | None) -> View:
    d = series.seizures_by_year(f, "drug", store)
    unit, ytitle = _unit(f)
    d = d[d["drug"] != "counterfeit_pills"]
    totals = d.groupby("drug")[f.measure].sum().sort_values(ascending=False)
    order = totals.index.tolist()
    frame = _mixed(tidy_years(d, "drug", f.measure), f, store)
    return View(
        frame, "bars", "CBP drug seizures by drug", filters_text(f, components_text(f), style.label("region", f.region) if f.region else "all regions"),
        unit, ytitle, basis=f.basis, labels={k: style.label("drug", k) for k in order}, order=order,
        sources=ids(in_years(series.cbp_seizures(f, store), f)),
        notes=_partial(d, f, store) + _heaviest(totals, f) + _one_row(d, f, store),
        hints=["Pick a drug above for its own charts."] if f.measure == "quantity" else [],
        data=_table(d, "drug", f), scope=None, topic="seizures",
        empty="" if len(frame) else f"No CBP seizures in {f.range_label()} for this selection. {_cbp_years(store)}",
    )  # fmt: skip


def _heaviest(totals: pd.Series, f: Filters) -> list[str]:
    """'Marijuana is 71% of the weight drawn.': said when one drug is most of it (it sets the
    scale the others are read on), from the totals drawn, never as a fixed sentence."""
    total = float(totals.sum())
    if f.measure != "quantity" or total <= 0 or float(totals.iloc[0]) < 0.5 * total:
        return []
    return [
        f"{style.label('drug', totals.index[0])} is {float(totals.iloc[0]) / total:.0%} of the weight drawn."
    ]


def monthly(f: Filters, store: Store | None) -> View:
    d = series.seizures_monthly(f, store)
    unit, ytitle = _unit(f)
    drug = style.label("drug", f.drug)
    frame = pd.DataFrame(
        {
            "x": iso_days(d["date"]),
            "series": d["component"],
            "value": d[f.measure].astype(float),
        }
    )
    order = [c for c in contract.CBP_COMPONENTS if c in set(frame.series)]
    return View(
        frame, "lines", f"CBP {drug.lower()} seizures by month", filters_text(f, drug, components_text(f), style.label("region", f.region) if f.region else "all regions"),
        unit, f"{ytitle} per month", x="date", basis=f.basis, labels={c: style.label("component", c) for c in order}, order=order,
        sources=ids(in_years(series.cbp_seizures(f, store, [f.drug]), f)), notes=["Each point is one calendar month.", *_spike(d, f, store)],
        data=_monthly_table(d, f), topic="seizures", stacked=False, selection={"drug": frozenset({f.drug})},
        decimals=0, empty="" if len(frame) else _no_figures(f, store, "seizures by month"),
    )  # fmt: skip


def _spike(d: pd.DataFrame, f: Filters, store: Store | None) -> list[str]:
    """A month drawn at more than twice any other month of the chart that is mostly one row of
    CBP's files (heroin, Jan 2024: one Air and Marine branch's 3,071 lb): said in words, as the
    yearly charts say it, so the spike that sets the scale is read as what it is."""
    if len(d) < 2:
        return []
    values = d[f.measure].astype(float)
    top = values.idxmax()
    point, rest = float(values[top]), float(values.drop(top).max())
    if not point > 2 * rest:
        return []
    y, m, comp = int(d.at[top, "year"]), int(d.at[top, "month"]), str(d.at[top, "component"])
    rows = series.largest_cbp_rows(f, store)
    row = rows[(rows["drug"] == f.drug) & (rows["calendar_year"] == y) & (rows["month"] == m)
               & (rows["component"] == comp)]  # fmt: skip
    if row.empty or float(row["value"].iloc[0]) < 0.5 * point:
        return []
    unit = "lb" if f.measure == "quantity" else "seizure events"
    value = float(row["value"].iloc[0])
    return [f"{calendar.month_abbr[m]} {y}, {style.label('component', comp)}: {style.number(point, unit)}, "
            f"{'all' if value >= point * 0.995 else f'{value / point:.0%}'} of it one row of CBP's file "
            f"({str(row['area'].iloc[0]).title()}); more than twice any other month drawn."]  # fmt: skip


def _monthly_table(d: pd.DataFrame, f: Filters) -> pd.DataFrame:
    out = d.assign(date=d.date.dt.date)[["date", "component", f.measure]]
    if f.measure == "quantity":  # without the float noise of summing (22.090000000000003)
        out[f.measure] = out[f.measure].astype(float).round(6)
    return out


def _table(d: pd.DataFrame, group: str, f: Filters) -> pd.DataFrame:
    cols = ["year", group, f.measure, "partial", "months_label"]
    out = d[[c for c in cols if c in d]].copy()
    if f.measure == "quantity":
        out[f.measure] = out[f.measure].astype(float).round(1)
    out.insert(1, "year_basis", "fiscal" if f.basis == "fiscal" else "calendar")
    return out


# --- DEA and HIDTA figures -----------------------------------------------------------------

DEA_LABELS = {
    ("DEA", "fentanyl_pills"): "DEA, fentanyl pills",
    ("DEA", "fake_pills"): "DEA, all counterfeit pills",
    ("HIDTA", "fentanyl_pills"): "Law enforcement reporting to HIDTA, fentanyl pills",
    ("DEA", "fentanyl_powder"): "DEA, fentanyl powder",
    ("HIDTA", "fentanyl_powder"): "Law enforcement reporting to HIDTA, fentanyl powder",
}


def _hidta_below_dea(d: pd.DataFrame, what: str) -> list[str]:
    """A note for the years the HIDTA count is below DEA's own (a reader expects all law
    enforcement to have seized more than one agency): the two are counted apart."""
    full = d[d["series"].isin({"fentanyl_pills", "fentanyl_powder"})]
    by = full.pivot_table(index="year", columns="agency", values="quantity", aggfunc="max")
    if not {"DEA", "HIDTA"} <= set(by.columns):
        return []
    below = by[by["HIDTA"] < by["DEA"]].dropna()
    if below.empty:
        return []
    unit = "pills" if "pills" in what else "lb"
    when = "; ".join(
        f"{int(y)}: HIDTA {r.HIDTA:,.0f}, DEA {r.DEA:,.0f} {unit}" for y, r in below.iterrows()
    )
    return [
        f"HIDTA's count is below DEA's in {when}. They are counted apart (DEA: its own announced seizures; HIDTA: what agencies report to the program), so neither need be the larger."
    ]


def _dea(f: Filters, store: Store | None, unit: str) -> View:
    d = series.dea_fentanyl(f, store)
    d = d[d.unit == unit].copy()
    d["key"] = d["agency"].astype(str) + ":" + d["series"].astype(str)
    labels = {}
    for k, a, s_ in zip(d["key"], d["agency"], d["series"], strict=True):
        lab = DEA_LABELS.get((a, s_), f"{a}, {s_.replace('_', ' ')}")
        if s_.endswith("_ndta"):
            lab = f"{a}, National Drug Threat Assessment figure"
        labels[k] = lab
    frame = pd.DataFrame({"x": d["year"].astype(int), "series": d["key"], "value": d["quantity"].astype(float),
                          "hover": ["published as " + q if q else "" for q in d["qualifier"].fillna("")]})  # fmt: skip
    order = list(dict.fromkeys(d["key"]))
    what = "fentanyl pills" if unit == "pills" else "fentanyl powder"
    keys_agency = {k: k.split(":")[0] for k in order}
    scope = Scope("seizures", unit, "calendar", (f.year_from, f.year_to),
                  {"drug": frozenset({"fentanyl"}), "coverage": frozenset({"year"})}, "agency",
                  tuple(sorted(set(keys_agency.values()))), False, frozenset({"form", "series"}))  # fmt: skip
    tint = {"DEA": "#D4A6CC", "HIDTA": "#C48AA6"}
    colours = {
        k: (tint[k.split(":")[0]] if "fake" in k or "ndta" in k else style.colour(k.split(":")[0]))
        for k in order
    }
    shown = set(keys_agency.values())
    chosen = [a for a in ("DEA", "HIDTA") if a in f.agencies]
    item = what.replace("pills", "pill")
    title = {frozenset({"DEA"}): f"DEA {item} seizures",
             frozenset({"HIDTA"}): f"{item.capitalize()} seizures reported to HIDTA"}.get(
        frozenset(shown or chosen), f"{item.capitalize()} seizures: DEA and law enforcement reporting to HIDTA")  # fmt: skip
    notes = []
    if "HIDTA" in shown:
        notes.append(
            "HIDTA: the High Intensity Drug Trafficking Areas program, whose figures count the seizures law enforcement agencies report to it (Palamar et al., NIDA); its counts are exact."
        )
    if "DEA" in shown:
        notes.append(
            "DEA figures are rounded as published ('more than', 'nearly'); revised figures replace the first announcement."
        )
    notes += _hidta_below_dea(d, what)
    lo, hi = (frame.x.min(), frame.x.max()) if len(frame) else (f.year_from, f.year_to)
    years = f"{lo}, calendar year" if lo == hi else f"{lo}-{hi}, calendar years"
    who = " and ".join(a for a in ("DEA", "HIDTA") if a in (shown or chosen)) or "DEA and HIDTA"
    return View(
        frame, "bars", title,
        f"{years} as {who} publish{'es' if ' and ' not in who else ''} them (also when fiscal years are chosen) · full-year figures only",
        "pills" if unit == "pills" else "lb", "Pills seized" if unit == "pills" else "Pounds seized", basis="calendar",
        labels=labels, order=order, sources=ids(d),
        notes=notes,
        data=d[["agency", "series", "year", "quantity", "unit", "qualifier", "source_url"]], scope=scope, topic="seizures", stacked=False, colours=colours, selection={"drug": frozenset({"fentanyl"})},
        empty="" if len(frame) else f"No {what} figures for {f.with_(basis='calendar').range_label()} from {' or '.join(style.label('agency', a) for a in chosen) or 'the agencies chosen'}.",
    )  # fmt: skip


def dea_pills(f: Filters, store: Store | None) -> View:
    return _dea(f, store, "pills")


def dea_powder(f: Filters, store: Store | None) -> View:
    return _dea(f, store, "lb")
