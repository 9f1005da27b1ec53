"""Encounter charts: CBP by component and by any breakdown, one citizenship, top citizenships.

CBP's by-area files (with the component split) end a year before its by-State table here
(FY2024 and FY2025 in the bundled data; the notes say which years the data hold). Later years
are drawn from the by-State table as their own series (purple, OFO + USBP together), labelled
as such, and never added to the by-area numbers.
"""

from __future__ import annotations

import pandas as pd

from .. import contract, query, series
from ..filters import Filters
from ..store import Store
from . import style
from .overlays import Scope
from .provenance import ids
from .render import View
from .words import (
    components_text,
    filters_text,
    in_years,
    iso_days,
    month_word,
    partial_note,
    tidy_years,
)

DIMENSIONS = {
    "component": "Component",
    "land_border_region": "Region",  # CBP's "Land Border Region", whose "Other" is coastal and interior
    "area_of_responsibility": "Area of responsibility",
    "demographic": "Demographic",
    "citizenship": "Citizenship",
    "title_of_authority": "Title of authority",
    "encounter_type": "Encounter type",
}
PLURAL = {
    "component": "components", "land_border_region": "regions", "area_of_responsibility": "areas of responsibility",
    "demographic": "demographic groups", "citizenship": "citizenships", "title_of_authority": "titles of authority",
    "encounter_type": "encounter types",
}  # fmt: skip
TITLES = (
    "Both legal authorities are counted: Title 8 (immigration law: apprehensions and inadmissibles) and "
    "Title 42 (public-health expulsions, March 2020 to May 2023)."
)
NOTE = ("An encounter is an apprehension or expulsion by the Border Patrol, or an inadmissible or expulsion at a port; "
        "one person can be encountered more than once.")  # fmt: skip
BY_STATE = "by_state_total"


def spans(store: Store | None) -> tuple[str, str, str]:
    """The fiscal years of the by-area data, of the by-State table, and the by-area data's last
    ('FY2020-FY2024', 'FY2020-FY2025', 'FY2024'), from the tables."""
    area = series.fiscal_span("encounters", store)
    return area, series.fiscal_span("encounters_by_state", store), area.split("-")[-1]


def _comps(f: Filters) -> list[str]:
    return [c for c in f.components if c != "Air and Marine Operations"]


def _later_by_state(
    f: Filters, store: Store | None, citizenship: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Basis years after the by-area data's last month, from the by-State table (OFO + USBP)."""
    later, covered_years = series.after_by_area(store)
    if later is None:
        return pd.DataFrame(), query.load("encounters_by_state", store).iloc[0:0], ""
    if f.region:
        later = later[later.land_border_region == series.LAND_REGION.get(f.region, f.region)]
    if citizenship:
        later = later[later.citizenship == citizenship]
    comps = set(_comps(f))
    if comps != {"Office of Field Operations", "U.S. Border Patrol"}:
        why = f"Encounters after {spans(store)[2]} exist here only in CBP's encounters by state, as a {contract.BOTH_COMPONENTS} total: select both to see them."
        return pd.DataFrame(), later.iloc[0:0], why if len(later) else ""
    ycol = "fiscal_year" if f.basis == "fiscal" else "year"
    # a basis year that the by-area data already cover in part stays by-area only: its
    # remaining months are named in the note, never added to the by-area bar
    covered = covered_years[ycol]
    held = later[later[ycol].isin(covered) & later[ycol].between(f.year_from, f.year_to)]
    why = ""
    if len(held):
        lo, hi = series.months_span(held)
        why = (f"Not drawn: {lo}-{hi} ({int(held.encounters.sum()):,} encounters). Those months are only in CBP's encounters by state, "
               f"and the files by area of responsibility end before {lo}, part-way through {f.year_label(int(held[ycol].max()))}: "
               "the two files are never added in one bar.")  # fmt: skip
    out = series.with_coverage(later[~later[ycol].isin(covered)], f, "encounters", [])
    if len(out):
        out[BY_STATE] = BY_STATE
    return out, later, why


def _purple(store: Store | None, beside: bool) -> str:
    """The note on the by-State total's purple bars; the bars from the files by area of
    responsibility are spoken of only where some are drawn beside them."""
    return (f"Purple: years after {spans(store)[2]} from CBP's encounters by state ({contract.BOTH_COMPONENTS} together, "
            "no split by component)" + ("; never added to the bars from the files by area of responsibility." if beside else "."))  # fmt: skip


def by_component(f: Filters, store: Store | None) -> View:
    d = series.encounters_by(f, "component", store)
    d = d[d["component"] != "Air and Marine Operations"]
    later, later_rows, why = _later_by_state(f, store)
    frame = tidy_years(d, "component", "encounters")
    if len(later):
        frame = pd.concat([frame, tidy_years(later, BY_STATE, "encounters")], ignore_index=True)
    order = [c for c in (*contract.CBP_COMPONENTS, BY_STATE) if c in set(frame.series)]
    # the later years from the by-State table are hatched too when partial: named with the rest
    drawn = pd.concat([d, later], ignore_index=True) if len(later) else d
    notes = partial_note(drawn, "", f) + [NOTE]
    if len(later):
        notes.append(_purple(store, len(d) > 0))
    if why:
        notes.append(why)
    data = (
        pd.concat(
            [
                d.assign(table="by area"),
                later.rename(columns={BY_STATE: "component"}).assign(
                    component=style.COMPONENT_WORDS[BY_STATE], table="by State"
                ),
            ],
            ignore_index=True,
        )
        if len(later)
        else d
    )
    return View(
        frame, "bars", "CBP encounters by component", filters_text(f, components_text(f, True), style.label("region", f.region) if f.region else "all regions"),
        "encounters", "Encounters", basis=f.basis, labels={c: style.label("component", c) for c in order}, order=order,
        sources=ids(in_years(series.encounter_months(f, store), f), in_years(later_rows, f)), notes=notes, data=data, topic="encounters", key_single=True,
        empty="" if len(frame) else f"No CBP encounters in {f.range_label()} for this selection: the files by area of responsibility cover {spans(store)[0]}, CBP's encounters by state {spans(store)[1]}.",
    )  # fmt: skip


def breakdown(f: Filters, store: Store | None) -> View:
    dim = f.dimension if f.dimension in DIMENSIONS else "land_border_region"
    d = series.encounters_by(f, dim, store, top=10)
    frame = tidy_years(d, dim, "encounters")
    totals = frame.groupby("series")["value"].sum().sort_values(ascending=False).index.tolist()
    order = [k for k in totals if k != "All others"] + (
        ["All others"] if "All others" in totals else []
    )
    if dim == "land_border_region":  # stacked as on the seizures page: southwest, north, rest
        fixed = list(series.LAND_REGION.values())
        order = sorted(order, key=lambda k: fixed.index(k) if k in fixed else len(fixed))
    labels = {k: ("All others" if k == "All others" else style.label(dim, k)) for k in order}
    notes = partial_note(d, "", f) + [
        f"Component, area and encounter type exist only in CBP's files by area of responsibility ({spans(store)[0]} here)."
    ]
    if dim == "title_of_authority":
        notes.append(TITLES)
    if dim == "citizenship" and "All others" in order:
        notes.append(
            "All others includes CBP's residual group 'Other', which is not a citizenship and is not ranked."
        )
    return View(
        frame, "bars", f"CBP encounters by {DIMENSIONS[dim].lower()}",
        filters_text(f, components_text(f, True), style.label("region", f.region) if f.region else "all regions",
                     f"the 10 largest {PLURAL[dim]}, the rest grouped" if "All others" in order else ""),
        "encounters", "Encounters", basis=f.basis, labels=labels, order=order, sources=ids(in_years(series.encounter_months(f, store), f)),
        notes=notes, data=d, topic="encounters", key_single=True,
        empty="" if len(frame) else f"No CBP encounters by {DIMENSIONS[dim].lower()} in {f.range_label()}: the files by area of responsibility cover {spans(store)[0]}.",
    )  # fmt: skip


def citizenship(f: Filters, store: Store | None) -> View:
    cit = f.citizenship
    name = style.citizenship(cit)
    d = series.encounters_by(f, "component", store, citizenship=cit)
    d = d[d["component"] != "Air and Marine Operations"]
    frame = tidy_years(d, "component", "encounters")
    order = [c for c in contract.CBP_COMPONENTS if c in set(frame.series)]
    scope = Scope("encounters", "encounters", f.basis, (f.year_from, f.year_to),
                  {"citizenship": frozenset({cit})} | ({"land_border_region": frozenset({f.region})} if f.region else {}),
                  "component", tuple(order), False, frozenset({"title_of_authority"}))  # fmt: skip
    later, later_rows, held = _later_by_state(f, store, cit)
    # later years as the encounters-by-component chart draws them: a purple bar of their own
    # (CBP's by-State total of both components), never beside or added to the component bars
    if len(later):
        frame = pd.concat([frame, tidy_years(later, BY_STATE, "encounters")], ignore_index=True)
        order.append(BY_STATE)
    # Title 42 expulsions ran March 2020 to May 2023: said where those years are drawn
    titles = [TITLES] if f.year_from <= 2023 else []
    notes = partial_note(pd.concat([d, later], ignore_index=True) if len(later) else d, "", f) + [
        NOTE,
        *titles,
    ]
    if held:
        notes.append(held)
    if len(later):
        notes.append(_purple(store, len(d) > 0))
        d = pd.concat([d.assign(table="by area"), later.rename(columns={BY_STATE: "component"}).assign(
            component=style.COMPONENT_WORDS[BY_STATE], table="by State")], ignore_index=True)  # fmt: skip
    return View(
        frame, "bars", f"CBP encounters of citizens of {name}", filters_text(f, components_text(f, True), style.label("region", f.region) if f.region else "all regions"),
        "encounters", "Encounters", basis=f.basis, labels={c: style.label("component", c) for c in order}, order=order,
        sources=ids(in_years(series.encounter_months(f, store), f), in_years(later_rows, f)), notes=notes, data=d, scope=scope, topic="encounters", stacked=False, selection={"citizenship": frozenset({cit})}, key_single=True,
        empty="" if len(frame) else f"No CBP encounters of citizens of {name} in {f.range_label()} for this selection.",
    )  # fmt: skip


def citizenship_monthly(f: Filters, store: Store | None) -> View:
    cit = f.citizenship
    name = style.citizenship(cit)
    d = series.encounters_monthly(f, store, cit)
    d = d[d["component"] != "Air and Marine Operations"]
    frame = pd.DataFrame(
        {
            "x": iso_days(d["date"]),
            "series": d["component"],
            "value": d["encounters"].astype(float),
        }
    )
    _, later_rows, _ = _later_by_state(f, store, cit)
    ycol = "fiscal_year" if f.basis == "fiscal" else "year"
    later_rows = (
        later_rows[later_rows[ycol].between(f.year_from, f.year_to)]
        if len(later_rows)
        else later_rows
    )
    if len(later_rows):
        m = later_rows.groupby(["year", "month"])["encounters"].sum().reset_index()
        frame = pd.concat([frame, pd.DataFrame({"x": pd.to_datetime(dict(year=m.year, month=m.month, day=1)).dt.strftime("%Y-%m-%d"),
                                                "series": BY_STATE, "value": m.encounters.astype(float)})], ignore_index=True)  # fmt: skip
    order = [c for c in (*contract.CBP_COMPONENTS, BY_STATE) if c in set(frame.series)]
    labels = {c: style.label("component", c) for c in order} | {
        BY_STATE: style.COMPONENT_WORDS[BY_STATE]
    }
    notes = ["Each point is one month."]
    table = d.assign(date=d.date.dt.date)[["date", "component", "encounters"]]
    if len(later_rows):
        # the total of the two lines, not a third series: it starts above either of them
        parts = frame[frame.series != BY_STATE]
        parts = parts[parts.x == parts.x.max()] if len(parts) else parts
        tot = frame[frame.series == BY_STATE].sort_values("x")
        then = (f" In {month_word(parts.x.iloc[0])} the two lines summed to {parts.value.sum():,.0f}; "
                f"the purple line starts at {tot.value.iloc[0]:,.0f} in {month_word(tot.x.iloc[0])}.") if len(parts) else ""  # fmt: skip
        total = ("the total of the two lines, so it runs above either" if len(parts)
                 else "no split by component")  # fmt: skip
        notes.append(
            f"Purple: months after {spans(store)[2]} from CBP's encounters by state ({contract.BOTH_COMPONENTS} together), {total}.{then}"
        )
        table = pd.concat([table, pd.DataFrame({"date": pd.to_datetime(tot.x).dt.date, "component": labels[BY_STATE],
                                                "encounters": tot.value.to_numpy()})], ignore_index=True)  # fmt: skip
    return View(
        frame, "lines", f"Monthly CBP encounters of citizens of {name}",
        filters_text(f, components_text(f, True), style.label("region", f.region) if f.region else "all regions"),
        "encounters", "Encounters per month", x="date", basis=f.basis, labels=labels, order=order,
        sources=ids(in_years(series.encounter_months(f, store), f), later_rows), notes=notes, topic="encounters", stacked=False, selection={"citizenship": frozenset({cit})},
        data=table,
        empty="" if len(frame) else f"No monthly CBP encounters of citizens of {name} in {f.range_label()}.",
    )  # fmt: skip


def top_citizenships(f: Filters, store: Store | None) -> View:
    d = series.top_citizenships(f, store, 16)
    other = d[d.citizenship == "OTHER"]
    d = d[d.citizenship != "OTHER"].head(15)
    frame = pd.DataFrame({"x": d.citizenship, "series": "enc", "value": d.encounters.astype(float)})
    notes = [NOTE]
    if len(other):
        notes.append(
            f"CBP's residual group 'Other' ({int(other.encounters.iloc[0]):,} encounters) is not a citizenship and is not ranked."
        )
    rows = in_years(series.encounter_months(f, store), f)
    period = "-".join(series.months_span(rows)) if len(rows) else f.range_label()
    return View(
        frame, "hbar", "Top citizenships of people encountered by CBP", " · ".join([f"Encounters {period}", components_text(f, True), style.label("region", f.region) if f.region else "all regions"]),
        "encounters", x="category", x_title=f"Encounters, {period}", labels={c: style.citizenship(c) for c in d.citizenship},
        order=["enc"], sources=ids(in_years(series.encounter_months(f, store), f)), notes=notes, data=d, height=620, colours={"enc": "#4D4D4D"},
        empty="" if len(frame) else f"No CBP encounters in {f.range_label()}: the files by area of responsibility cover {spans(store)[0]}.",
    )  # fmt: skip
