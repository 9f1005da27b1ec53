"""The chart on each claim's card: the data the claim was checked against, for exactly the
claim's period (a single-year claim also shows four earlier years, lighter, for context)."""

from __future__ import annotations

import pandas as pd

from .. import contract, query
from ..claims import latest_year_to_date, parse_filters
from ..store import Store
from . import style
from .overlays import COMPARATOR, SERIES_COMPONENTS, Scope, _claim_filters
from .provenance import ids
from .render import View

PERIOD, CONTEXT, RANKED, HIGHLIGHT = "period", "context", "ranked", "highlight"


def subject_colour(cf: dict[str, frozenset[str]]) -> str:
    """The colour of what the claim is about, as on the page charts: one component, an agency
    (DEA, HIDTA), else the drug; all drugs in black."""
    comps = cf.get("component", frozenset())
    if len(comps) == 1:
        return style.colour(next(iter(comps)))
    agencies = cf.get("agency", frozenset()) & {"DEA", "HIDTA"}
    if len(agencies) == 1:
        return style.colour(next(iter(agencies)))
    drugs = cf.get("drug", frozenset())
    return style.colour(next(iter(drugs))) if len(drugs) == 1 else style.colour("all_drugs")


def tint(hex_colour: str, keep: float = 0.35) -> str:
    """The colour mixed with white (earlier years, for context)."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c * keep + 255 * (1 - keep)):02X}" for c in rgb)


def describe(filters: dict[str, list[str]]) -> str:
    """Claim filters in plain words: 'United States · all drugs · final counts'."""
    words = []
    series = filters.get("series", [])
    if series and "component" not in filters:
        comps = [c for s_ in series for c in sorted(SERIES_COMPONENTS.get(s_, ()))]
        if comps:
            words.append(" + ".join(contract.COMPONENT_PLAIN.get(c, c) for c in comps))
    for k, vals in filters.items():
        if k in (
            "measure",
            "year_start",
            "year_end",
            "period_type",
            "series",
            "unit",
            "coverage",
            "form",
        ):
            continue
        if k == "geo":
            words.append(" + ".join(contract.GEO_NAMES.get(v, v) for v in vals))
        elif k == "drug":
            words.append(
                " + ".join(
                    style.label("death_drug", v)
                    if v in style.DEATH_DRUG_WORDS
                    else style.label("drug", v)
                    for v in vals
                ).lower()
            )
        elif k == "component":
            words.append(" + ".join(style.label("component", v) for v in vals))
        elif k == "citizenship":
            words.append("citizens of " + " + ".join(style.citizenship(v) for v in vals))
        elif k == "status":
            words.append(" and ".join(vals) + " counts")
        elif k == "agency":
            words.append(" + ".join(style.label("agency", v) for v in vals))
        else:
            words.append(f"{k.replace('_', ' ')} {', '.join(vals)}")
    if "form" in filters:
        words.append(" + ".join(filters["form"]))
    if "year_to_date" in filters.get("coverage", []):
        words.append("year to date")
    return " · ".join(words)


MEASURE_WORDS = {"age_adjusted_rate": "Age-adjusted death rate per 100,000", "deaths": "Deaths",
                 "quantity": "Quantity", "events": "Seizure events", "encounters": "Encounters"}  # fmt: skip


def _about(claim: dict, rest: str) -> str:
    """A card chart's subtitle: the claim in its own words (cut to fit), then what is drawn."""
    q = " ".join(str(claim.get("quote") or "").split())
    q = q if len(q) <= 110 else q[:108].rsplit(" ", 1)[0] + " …"
    return (f"Claim {claim['claim_id']}: “{q}” · " if q else "") + rest


def view(claim: dict, store: Store | None = None) -> View | None:
    if claim.get("kind") != "quantitative" or claim.get("table") not in contract.DATA_TABLES:
        return None
    try:
        filt = parse_filters(claim["filters"])
        query.check_columns(claim["table"], list(filt) + [claim["measure"]])
    except (ValueError, query.QueryError):
        return None
    basis = "fiscal" if claim.get("year_basis") == "fiscal" else "calendar"
    ycol = "fiscal_year" if basis == "fiscal" else "year"
    y0, y1 = int(claim["year_start"]), int(claim["year_end"])
    label = (lambda y: f"FY{y}") if basis == "fiscal" else str
    period = label(y0) if y0 == y1 else f"{label(y0)}-{label(y1)}"
    table = query.load(claim["table"], store)
    measure = claim["measure"]
    if claim["comparator"] == "rank_at_most":
        rows = query.filter_rows(table, {k: v for k, v in filt.items() if k != "geo"})
        rows = rows[(rows[ycol] == y1) & rows.geo.isin(contract.STATE_CODES)]
        per = (
            rows.groupby("geo")[measure]
            .sum(min_count=1)
            .dropna()
            .sort_values(ascending=False)
            .head(10)
        )
        frame = pd.DataFrame({"x": [contract.GEO_NAMES.get(g, g) for g in per.index], "value": per.astype(float).to_numpy(),
                              "series": RANKED})  # fmt: skip
        hi = {contract.GEO_NAMES.get(g, g) for g in filt.get("geo", [])}
        frame["series"] = [HIGHLIGHT if x in hi else RANKED for x in frame.x]
        drug = (filt.get("drug") or ["all_drugs"])[0]  # the colour of what the rates count
        n_geo = rows.geo.nunique()
        dc = "DC" in set(per.index)
        notes = [f"Dark bar: the state the claim names ({', '.join(sorted(hi))})."]
        dv, verdict = claim.get("data_value"), str(claim.get("verdict") or "").replace("_", " ")
        if verdict and dv is not None and not pd.isna(dv):
            rank = int(dv)
            nth = (
                {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
                if not 10 <= rank % 100 <= 20
                else "th"
            )
            notes.append(
                f"Verdict: {verdict}. {', '.join(sorted(hi))} ranks {rank}{nth} of {n_geo}; the claim is checked as within the top {int(float(claim['claimed_value']))}."
            )
        if claim.get("note"):
            notes.append(f"How the claim was read: {claim['note']}")
        return View(
            frame, "hbar", f"The 10 highest{' of the 50 states and DC' if dc else ' states'}, {period}", _about(claim, describe({k: v for k, v in filt.items() if k != "geo"}) + f" · {MEASURE_WORDS.get(measure, measure.replace('_', ' ')).lower()}"),
            "", x="category", x_title=MEASURE_WORDS.get(measure, measure.replace("_", " ").capitalize()), order=[RANKED, HIGHLIGHT],
            colours={RANKED: style.LIGHT, HIGHLIGHT: style.colour(drug)}, sources=ids(rows),
            notes=notes, data=per.reset_index(), height=380, decimals=1,
        )  # fmt: skip
    rows = query.filter_rows(table, filt)
    lo = y0 - 4 if y0 == y1 else y0
    rows = rows[rows[ycol].between(lo, y1)]
    ytd = "coverage" in rows and rows["coverage"].astype(str).eq("year_to_date").any()
    if ytd and "as_of" in rows:  # per year the figure the verdict used: the latest published
        rows, _ = latest_year_to_date(rows, ycol, claim.get("article_date"))  # by the article
    g = rows.groupby(ycol)[measure].sum(min_count=1).dropna().reset_index()
    if y0 == y1 and len(g):  # the years before: from the first with a figure (a row of empty
        lo = min(int(g[ycol].min()), y0)  # 'no data' years before it told the reader nothing)
    frame = pd.DataFrame({"x": g[ycol].astype(int), "value": g[measure].astype(float),
                          "series": [PERIOD if y0 <= y <= y1 else CONTEXT for y in g[ycol]]})  # fmt: skip
    frame["partial"] = False
    frame["span"] = ""
    if "month" in rows and claim["table"] != "overdose_deaths" and rows["month"].notna().any():
        n = rows.groupby(ycol)["month"].nunique()
        frame["partial"] = frame.x.map(lambda y: int(n.get(y, 12)) < 12)
    if ytd:  # a year-to-date figure is drawn as the part of a year it is, to the day published
        frame["partial"] = True
        asof = rows.groupby(ycol)["as_of"].max() if "as_of" in rows else pd.Series(dtype=object)
        frame["span"] = [f"to {asof[y]:%b} {asof[y].day}" if pd.notna(asof.get(y)) else "to date"
                         for y in frame.x]  # fmt: skip
    unit = claim.get("unit") or ""
    notes = []
    gaps = [label(y) for y in range(lo, y1 + 1) if y not in set(frame.x)]
    if gaps:  # the axis spans the claim's period; missing years stay empty
        frame = pd.concat([frame, pd.DataFrame({"x": [y for y in range(lo, y1 + 1) if y not in set(frame.x)],
                                                "value": float("nan"), "series": PERIOD})], ignore_index=True)  # fmt: skip
        frame["partial"] = frame["partial"].fillna(False).astype(bool)
        frame["span"] = frame["span"].fillna("")
    hints = []
    if ytd:
        notes.append("Hatched: year-to-date figures as published, not full years.")
        hints.append("Full-year DEA figures are on the Seizures page.")
    if gaps:
        what = "year-to-date figure" if ytd else "figure"
        notes.append(f"No {what} for {', '.join(gaps)} in the data (left empty: not a zero).")
    if y0 != y1:
        claimed = f"{COMPARATOR.get(claim.get('comparator'), claim.get('comparator'))} {style.number(float(claim['claimed_value']), unit)}"
        total = style.number(frame[frame.series == PERIOD].value.sum(), unit)
        verdict = str(claim.get("verdict") or "").replace("_", " ")
        notes.append(
            f"The claim: {claimed} in total over {period}. The bars sum to {total}"
            + (f". Verdict: {verdict}." if verdict else ".")
        )
    elif frame.loc[frame.series == PERIOD, "value"].notna().any():
        notes.append("Dark: the year the claim is about; light: earlier years for context.")
    else:  # no figure for the claim's year: no dark bar to explain
        notes.append(f"Light: earlier years for context; none for {period}.")
    cf = {k: frozenset(v) for k, v in (_claim_filters(claim) or {}).items()}
    subject = subject_colour(cf)
    scope = Scope(claim["table"], unit, basis, (lo, y1), cf, "", (), False, frozenset(cf))
    return View(
        frame, "bars", f"The claim and the data, {period}", _about(claim, describe(filt) + f" · by {'fiscal' if basis == 'fiscal' else 'calendar'} year"),
        unit, {"lb": "Pounds"}.get(unit, unit.capitalize()), basis=basis, order=[CONTEXT, PERIOD], colours={PERIOD: subject, CONTEXT: tint(subject)},
        labels={PERIOD: period, CONTEXT: "earlier years"}, sources=ids(rows), notes=notes, data=g.rename(columns={ycol: "year"}),
        scope=scope, topic="card", stacked=True, height=400, legend=False, drugs=frozenset(cf.get("drug", frozenset())), hints=hints,
    )  # fmt: skip
