"""State charts: chosen states beside the nation over time, change maps, small multiples."""

from __future__ import annotations

import calendar
import math

import numpy as np
import pandas as pd

from .. import contract, periods, series, states
from ..filters import Filters
from ..store import Store
from . import style
from .deaths import TILE_GRID
from .provenance import ids
from .render import View, isolated
from .words import and_list, iso_days, month_word

RATE_NOTE = ("Crude rate per 100,000: provisional deaths counted by place of occurrence, divided by the resident population "
             "(Census July 1 estimate of the year the 12 months end in). Where many non-residents die (DC) the rate runs higher than on residence-based final data.")  # fmt: skip
GAP_NOTE = "Gaps are months or years missing from the source files (drawn as gaps, never joined)."
US = "US"
MIN_BASE = 500  # encounters in the base year below which a percent change is not coloured


def _name(g: str) -> str:
    return contract.GEO_NAMES.get(g, g)


def _who(geos: list[str], nation: bool = False) -> str:
    """'Ohio, Texas and the United States', 'United States' (no state chosen), 'Ohio, Texas'."""
    out = and_list([_name(g) for g in geos] + (["the United States"] if nation else []))
    return out[0].upper() + out[1:] if out else ""


def _names(geos: list[str]) -> str:
    """'Ohio', 'Ohio and Texas', 'Ohio, Texas and Utah'."""
    return and_list([_name(g) for g in geos])


NEAR = 35  # CIE76: two chosen states' colours at least this far apart


def _colours(geos: list[str]) -> dict[str, str]:
    """A colour per chosen state, the nation in black: each state's own colour (its place in
    the alphabetical list of states, round the palette), so a state keeps its colour from one
    selection to another and whatever order the states were chosen in; unless a state chosen
    before it (alphabetically) has that colour or one near it: then the free colour farthest
    from those already given."""
    pal = style.STATE_COLOURS
    codes = sorted(contract.STATE_CODES)
    out: dict[str, str] = {}
    for g in sorted(x for x in dict.fromkeys(geos) if x != US):
        home = pal[codes.index(g) % len(pal)] if g in codes else pal[0]
        taken = list(out.values())
        if any(home == t or style.distance(home, t) < NEAR for t in taken):
            free = [c for c in pal if c not in taken] or list(pal)
            home = max(free, key=lambda c: min(style.distance(c, t) for t in taken))
        out[g] = home
    return out | {US: style.INK}


def _month(s: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(s + "-01") + pd.offsets.MonthEnd(0)
    except ValueError:
        return None


def _periods(
    f: Filters, store: Store | None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, list[pd.Timestamp]]:
    months = states.death_months(store)
    if not months:
        return None, None, months
    to = _month(f.change_to) if f.change_to else None
    to = to if to in months else months[-1]
    frm = _month(f.change_from) if f.change_from else None
    # a change runs forward in time ('From' after 'To', or equal: a year earlier)
    if frm not in months or frm >= to:
        frm = _year_before(to, months) or months[0]
    return frm, to, months


def _year_before(to: pd.Timestamp, months: list[pd.Timestamp]) -> pd.Timestamp | None:
    """The month a year before `to`, if the data hold it."""
    want = to - pd.DateOffset(years=1) + pd.offsets.MonthEnd(0)
    return want if want in months else None


def deaths_trend(f: Filters, store: Store | None) -> View:
    geos = list(f.states)
    rate = f.state_measure != "count"
    drug = f.death_drug if f.death_drug in contract.DEATH_DRUGS else "all_drugs"
    d = states.monthly(geos + ([US] if rate else []), drug, store)
    d = d[periods.basis_years(d.period_end, f.basis).between(f.year_from, f.year_to)]
    # the solid line is CDC's best estimate, as on the change map and the panels: predicted
    # where published (the reported counts of a release's last months run low: North
    # Carolina's fell from 40 to 27 per 100,000 in a release's last months, its predicted 36),
    # the reported counts dotted beside it; reported alone where no prediction was published
    col, pcol = ("rate_best", "rate") if rate else ("deaths_best", "deaths")
    x = iso_days(d.period_end)
    pred = d.predicted.fillna(False).astype(bool).to_numpy()
    # the hover says which line it is: a predicted figure quoted as the reported one is wrong
    solid = [
        "predicted by CDC, allowing for deaths still under investigation (solid line)"
        if p_
        else "reported (solid line)"
        for p_ in pred
    ]
    frame = pd.concat([pd.DataFrame({"x": x, "series": d.geo, "value": d[col], "style": "line", "hover": solid}),
                       pd.DataFrame({"x": x, "series": d.geo, "value": d[pcol], "style": "dotted",
                                     "hover": "reported: deaths still under investigation not counted (dotted line)"})[pred & d[pcol].notna().to_numpy()]],
                      ignore_index=True)  # fmt: skip
    breaks, break_note = _release_breaks(d, col)
    frame = pd.concat([frame, breaks], ignore_index=True).sort_values("x", kind="stable")
    order = [g for g in geos if g in set(d.geo)] + ([US] if rate and US in set(d.geo) else [])
    drug_words = style.label("death_drug", drug).lower()
    only = sorted(set(d.period_end[d[col].notna() & ~d.predicted.fillna(False).astype(bool)]))
    months = (", ".join(f"{m:%b %Y}" for m in only) if len(only) <= 4
              else f"{len(only)} months from {only[0]:%b %Y} to {only[-1]:%b %Y}")  # fmt: skip
    have = d[d[col].notna() & (d.geo != US)]
    december_only = len(have) and (have.period_end.dt.month == 12).all()
    lines_note = ("Solid: CDC's predicted counts, which allow for deaths still under investigation (the reported counts of a "
                  "release's last months run low); dotted: the reported counts" + (
        f". Reported counts (solid) for {months}: the file for those months has no predicted values."
        if only
        else "."
    ))  # fmt: skip
    notes = [RATE_NOTE if rate else "Counts by place of occurrence."]
    if rate:
        notes += _population_notes(d, geos)
    if december_only:
        # December figures only (CDC's December file): dots a year apart, not lines; the
        # notes on solid and dotted lines (but the nation's) and on lone months would
        # describe nothing drawn
        notes += [lines_note] if rate else []
        notes.append(f"Each dot: the 12 months ending December of its year, the only months of {drug_words} deaths by state "
                     "in the source files for these years; reported counts.")  # fmt: skip
    else:
        notes += [GAP_NOTE, lines_note, *_lone_months(d, col), *break_note]
    drawn = set(d.geo[d[col].notna()])
    absent = [g for g in geos if g not in drawn]
    span = (
        f"{d.period_end.min():%b %Y} to {d.period_end.max():%b %Y}" if len(d) else f.range_label()
    )
    if absent and drawn:  # a chosen state without a line is said, not left out silently
        notes.insert(0, f"No provisional {'rates' if rate else 'counts'} of {drug_words} deaths for {_names(absent)} "
                        f"in the source files for {span}: not drawn.")  # fmt: skip
    if drug != "all_drugs":
        end, end_all = states.last_month(drug, store), states.last_month("all_drugs", store)
        if end is not None and end_all is not None and end < end_all:
            notes.insert(0, f"State counts of {drug_words} run to {end:%B %Y} in the source files "
                            f"(all drugs: to {end_all:%B %Y}).")  # fmt: skip
    # no state chosen: the nation's rate alone, drawn (no message over it); counts: the message
    empty = "" if geos or (rate and US in set(d.geo)) else "Choose one or more states above."
    if not geos and not empty:
        notes.insert(
            0,
            "No state chosen: the United States alone. Choose states above to compare them with it.",
        )
    if not empty and frame["value"].notna().sum() == 0:
        empty = f"No provisional state counts of {drug_words} deaths in {f.range_label()}."
    return View(
        frame, "lines", f"Overdose deaths{' per 100,000' if rate else ''}, 12 months ending each {'December' if december_only else 'month'}",
        " · ".join(x for x in (_who(geos, rate), drug_words, "provisional counts", f.range_label()) if x),
        "per 100,000" if rate else "deaths", "Deaths per 100,000 (12 months)" if rate else "Deaths (12 months)",
        x="date", basis=f.basis, labels={g: _name(g) for g in order}, order=order, colours=_colours(list(f.states)), sources=ids(d),
        notes=notes, data=d[["geo", "period_end", "deaths", "deaths_predicted", "population", "rate", "rate_predicted"]].assign(period_end=d.period_end.dt.date),
        stacked=False, decimals=1 if rate else 0, empty=empty,
    )  # fmt: skip


def _population_notes(d: pd.DataFrame, geos: list[str]) -> list[str]:
    """Where the rates' populations fall short or change series: months with a count but no
    population estimate (no rate drawn), and the step between Census's series of the 2010s
    and of the 2020s when both are drawn (a rate can jump at January 2020 from that alone)."""
    out = []
    short = d[d.deaths.notna() & d.population.isna()]
    if len(short):
        last = (
            int(d.loc[d.population.notna(), "year"].max()) if d.population.notna().any() else None
        )
        who = sorted(set(short.geo))
        where = "on the Overdose deaths page" if who == [US] else "(choose counts to see them)"
        out.append(f"No rate after {last}, the year of the latest Census population estimate: the counts of {'the United States' if who == [US] else _names(who)} run to "
                   f"{short.period_end.max():%B %Y} {where}." if last else
                   "No rate: no Census population estimate for these years.")  # fmt: skip
    years = set(d.loc[d.rate.notna(), "year"])
    if {2019, 2020} <= years:
        pop = states.population().pivot_table(index="geo", columns="year", values="population")
        if {2019, 2020} <= set(pop.columns):
            step = (
                (pop[2020] / pop[2019] - 1)
                .reindex([g for g in [*geos, US] if g in pop.index])
                .dropna()
            )
            if len(step):
                g = step.abs().idxmax()
                who = "the United States'" if g == US else f"{_name(g)}'s"
                out.append(f"Populations: Census's estimates of the 2010s to 2019 and of the 2020s from 2020 are two series; "
                           f"between them {who} moves {step[g] * 100:+.1f}%, so its rate can step at January 2020 "
                           "from the change of series alone.")  # fmt: skip
    return out


def _release_breaks(d: pd.DataFrame, col: str) -> tuple[pd.DataFrame, list[str]]:
    """Gaps where a state's line passes from one source file to another (the spring 2024
    release ends Nov 2023; Dec 2023 comes from the December file of a later release): two
    releases are not one series, and joining them drew a revision as a rise. Rows of no value
    between the two months break the line; the note says where."""
    rows, where = [], set()
    for geo, g in d[d[col].notna()].sort_values("period_end").groupby("geo", observed=True):
        src = g["source_id"].astype(str).to_numpy()
        ends = g["period_end"].to_numpy()
        for i in range(1, len(g)):
            gap = (pd.Timestamp(ends[i]) - pd.Timestamp(ends[i - 1])).days
            if src[i] != src[i - 1] and gap < 40:  # next months, different files
                mid = pd.Timestamp(ends[i - 1]) + pd.Timedelta(days=gap // 2)
                rows.append(
                    {
                        "x": mid.date().isoformat(),
                        "series": geo,
                        "value": float("nan"),
                        "style": "line",
                    }
                )
                where.add((pd.Timestamp(ends[i - 1]), pd.Timestamp(ends[i])))
    if not rows:
        return pd.DataFrame(columns=["x", "series", "value", "style"]), []
    said = "; ".join(f"between {a:%b %Y} and {b:%b %Y}" for a, b in sorted(where))
    return pd.DataFrame(rows), [
        f"Lines break where the source file changes ({said}): months from different CDC releases are not joined."
    ]


def _lone_months(d: pd.DataFrame, col: str) -> list[str]:
    """'Dots: December 2024 stands alone (after November 2023, ...)': a month drawn as a dot,
    with no month next to it in the data, said in words (a dot at the edge read as a key)."""
    lone = {}
    for _g, g in d[d[col].notna()].groupby("geo", observed=True):
        ms = sorted({(t.year, t.month) for t in g.period_end})
        have = set(ms)
        for i, (y, m) in enumerate(ms):
            prev, nxt = (y, m - 1) if m > 1 else (y - 1, 12), (y, m + 1) if m < 12 else (y + 1, 1)
            if prev not in have and nxt not in have and i > 0:
                lone[(y, m)] = ms[i - 1]
    if not lone:
        return []
    words = [f"{calendar.month_name[m]} {y} (after {calendar.month_name[pm]} {py})"
             for (y, m), (py, pm) in sorted(lone.items())]  # fmt: skip
    return [
        f"Dots: months without a neighbour in the source files, drawn alone: {'; '.join(words)}; the months between are not in the data."
    ]


def deaths_annual(f: Filters, store: Store | None) -> View:
    geos = list(f.states)
    d = states.annual_rates(geos + [US], store)
    d = d[d.year.between(f.year_from, f.year_to)]
    frame = pd.DataFrame(
        {"x": d.year, "series": d.geo, "value": d.age_adjusted_rate, "style": "line"}
    )
    rated = set(d.geo[d.age_adjusted_rate.notna()])
    # only what is drawn is keyed: a chosen state without a rate in these years is named
    order = [g for g in geos if g in rated] + ([US] if US in rated else [])
    have = d[d.geo != US].dropna(subset=["age_adjusted_rate"])
    last = int(d.year.max()) if len(d) else f.year_to
    drawn = [g for g in geos if g in rated]
    missing = [
        y
        for y in range(f.year_from, min(f.year_to, last) + 1)
        if drawn and have[have.year == y].geo.nunique() < len(drawn)
    ]
    notes = ["Age-adjusted rate per 100,000 residents (NCHS final data, deaths by residence)."]
    absent = [g for g in geos if g not in rated]
    if absent and rated:
        years = f.with_(basis="calendar").range_label()
        notes.append(
            f"No final rates for {_names(absent)} in the source files for {years}: not drawn."
        )
    if missing:
        notes.append(
            f"No state rates in the source files for {', '.join(map(str, missing))} (drawn as gaps)."
        )
    return View(
        frame, "lines", "Overdose death rates, final annual data", f"{_who(geos, True)} · all drugs · {f.with_(basis='calendar').range_label()}, calendar year{'s' if f.year_to > f.year_from else ''}",
        "per 100,000", "Age-adjusted deaths per 100,000", basis="calendar", labels={g: _name(g) for g in order}, order=order,
        colours=_colours(list(f.states)), sources=ids(d), notes=notes, data=d, stacked=False, decimals=1, drugs=frozenset({"all_drugs"}),
        empty="" if d.age_adjusted_rate.notna().any() else f"No final state rates in {f.with_(basis='calendar').range_label()}.",
    )  # fmt: skip


def _small(peaks: pd.Series) -> dict[str, float]:
    """The states whose largest value is under 2% of the largest (their line or bars lie on
    the zero line beside a border state's), with that value."""
    top = float(peaks.max()) if len(peaks) else 0.0
    return {str(g): float(v) for g, v in peaks.items() if top > 0 and float(v) < 0.02 * top}


def _too_small(peaks: pd.Series, per: str, left_out: bool = False) -> list[str]:
    """A note naming each state too small to see beside the largest: what it is, in words (and
    that its bars are left out, where a hairline bar would hold an empty slot in each year)."""
    small = _small(peaks)
    if not small:
        return []
    words = "; ".join(f"{_name(g)} at most {v:,.0f}" for g, v in small.items())
    head = (
        "Not drawn, too few to see on this scale"
        if left_out
        else "On the zero line, too few to tell from it on this scale"
    )
    return [f"{head}: {words} encounters {per}."]


def encounters_trend(f: Filters, store: Store | None) -> View:
    geos = [g for g in f.states]
    d = states.encounters(geos, "fiscal", store)
    ycol = "fiscal_year" if f.basis == "fiscal" else "year"
    d = d[d[ycol].between(f.year_from, f.year_to)]
    frame = pd.DataFrame({"x": iso_days(d.date), "series": d.state, "value": d.encounters})
    order = [g for g in geos if g in set(d.state)]
    none = [g for g in geos if g not in set(d.state)]
    notes = [
        "Encounters at ports of entry (OFO) and by the Border Patrol (USBP) together, from CBP's nationwide encounters by state, by the state of the encounter; each point is one month. "
        "CBP lists a state's month only when it had encounters: a month listed for other states but not for a chosen one is drawn as 0."
    ]
    notes += _too_small(d.groupby("state", observed=True)["encounters"].max(), "a month")
    if none:
        notes.append(f"No encounters recorded for {', '.join(_name(g) for g in none)}.")
    rows = states.query.load("encounters_by_state", store)
    rows = rows[rows.state.isin(order) & rows[ycol].between(f.year_from, f.year_to)]
    return View(
        frame, "lines", "CBP encounters by state, by month", " · ".join(x for x in (_who(order or geos), f"{f.range_label()}, {f.basis_label()}") if x),
        "encounters", "Encounters per month", x="date", basis=f.basis, labels={g: _name(g) for g in order}, order=order, colours=_colours(list(f.states)),
        sources=ids(rows), notes=notes, data=d, stacked=False,
        empty="" if len(frame) else "Choose one or more states above." if not geos else f"No CBP encounters for these states in {f.range_label()}: CBP's encounters by state cover {series.fiscal_span('encounters_by_state', store)}.",
    )  # fmt: skip


def _tiles(
    values: dict[str, float], text: dict[str, str], hover: dict[str, str], title: str, limit: float
) -> dict:
    rows, cols = 8, 12
    z = [[None] * cols for _ in range(rows)]
    t = [[""] * cols for _ in range(rows)]
    h = [[""] * cols for _ in range(rows)]
    for g, (i, j) in TILE_GRID.items():
        v = values.get(g)
        t[i][j] = text.get(g, f"{g}<br>n/a")
        h[i][j] = hover.get(g, f"{_name(g)}: no data")
        z[i][j] = (
            None if v is None or (isinstance(v, float) and math.isnan(v)) else round(float(v), 1)
        )
    # a grey layer under the colours: a state without data is a grey tile, not a hole
    grey = [
        [0 if (i, j) in set(TILE_GRID.values()) else None for j in range(cols)] for i in range(rows)
    ]
    return {"traces": [
        {"type": "heatmap", "z": grey, "colorscale": [[0, "#e3e3e3"], [1, "#e3e3e3"]], "showscale": False, "xgap": 3, "ygap": 3, "hoverinfo": "skip"},
        {"type": "heatmap", "z": z, "text": t, "texttemplate": "%{text}", "hovertext": h, "hoverinfo": "text", "zmid": 0,
         "zmin": -limit, "zmax": limit, "colorscale": style.scale("RdBu_r"), "xgap": 3, "ygap": 3, "textfont": {"size": 12},
         "colorbar": {"thickness": 14, "len": 0.8, "ticksuffix": "%"}},
    ]}  # fmt: skip


def _no_map(title: str, why: str) -> View:
    return View(pd.DataFrame(columns=["x", "series", "value"]), "tiles", title, "", "%", empty=why)


def _tile_words(d: pd.DataFrame, what: str) -> tuple[dict, dict, dict]:
    """Per state: the change, its tile text and hover ('1,389 -> 819 deaths (-41.0%)')."""
    vals = dict(zip(d.geo, d.change, strict=True))
    # no '%' on a tile (the subtitle and the scale say percent): '+1158%' was wider than a tile
    text = {g: f"{g}<br>{v:+.0f}" for g, v in vals.items() if pd.notna(v)}
    a, b = d[f"{what}_from"], d[f"{what}_to"]
    hover = {g: f"{_name(g)}: {x:,.0f} → {y:,.0f} {what} ({c:+.1f}%)"
             for g, x, y, c in zip(d.geo, a, b, d.change, strict=True) if pd.notna(c)}  # fmt: skip
    return vals, text, hover


def death_change_map(f: Filters, store: Store | None) -> View:
    frm, to, _ = _periods(f, store)
    if frm is None:
        return _no_map("Change in overdose deaths by state", "No provisional state data.")
    d = states.death_change(frm, to, store)
    vals, text, hover = _tile_words(d, "deaths")
    kind = {
        k: "predicted" if d[f"predicted_{k}"].fillna(False).astype(bool).any() else "reported"
        for k in ("from", "to")
    }
    for g, a, b, pa, pb in zip(
        d.geo, d.reported_from, d.reported_to, d.predicted_from, d.predicted_to, strict=True
    ):
        if g in hover and (pa is True or pb is True):  # the reported counts beside the predicted
            hover[g] += (
                f"<br>{'predicted' if pa is True else 'reported'} → {'predicted' if pb is True else 'reported'}; reported: {a:,.0f} → {b:,.0f}"
            )
    lim = max(5.0, float(d.change.abs().max())) if d.change.notna().any() else 10.0
    rows = states.monthly(sorted(contract.STATE_CODES), "all_drugs", store)
    rows = rows[rows.period_end.isin([frm, to])]
    frame = pd.DataFrame({"x": d.geo, "series": "change", "value": d.change})
    counts = (f"CDC's {kind['to']} provisional counts" if kind["from"] == kind["to"]
              else f"{kind['to']} provisional counts for {to:%B %Y}, {kind['from']} for {frm:%B %Y}")  # fmt: skip
    notes = ["Blue: fewer deaths; red: more; white: no change. Grey: no data for one of the two periods. New York includes New York City.",
             "Counts by place of occurrence."]  # fmt: skip
    if "predicted" in kind.values():
        notes.append("Predicted counts: CDC's estimate once the deaths still under investigation are counted (CDC's adjustment for "
                     "reporting delays); the reported counts of a release's last months are incomplete and would show falls that are not there. "
                     + ("Reported counts where CDC published no prediction (the December file of a later release). " if "reported" in kind.values() else "")
                     + "Both are in the hover on the page and in the CSV.")  # fmt: skip
    return View(
        frame, "tiles", "Change in overdose deaths by state",
        f"All drugs, 12 months ending {to:%B %Y} vs 12 months ending {frm:%B %Y} · {counts} · percent change",
        "%", x="category", sources=ids(rows), tiles=_tiles(vals, text, hover, "change", lim), height=560,
        notes=notes, data=d.assign(period_from=frm.date(), period_to=to.date()),
    )  # fmt: skip


def encounter_change_map(f: Filters, store: Store | None) -> View:
    years = states.encounter_years(store)
    if len(years) < 2:
        return _no_map(
            "Change in CBP encounters by state",
            "Fewer than two full fiscal years of encounters by state.",
        )
    to = f.enc_to if f.enc_to in years else years[-1]
    frm = (
        f.enc_from
        if f.enc_from in years and f.enc_from < to  # forward in time, as the picker offers
        else max([y for y in years if y < to] or [years[0]])
    )
    d = states.encounter_change(frm, to, store)
    few = d.encounters_from.fillna(0) < MIN_BASE
    d.loc[few, "change"] = float("nan")
    vals, text, hover = _tile_words(d, "encounters")
    for g, a, b, small in zip(d.geo, d.encounters_from, d.encounters_to, few, strict=True):
        if small and (
            pd.notna(a) or pd.notna(b)
        ):  # data, too few for a percent: said, not "no data"
            a, b = (0.0 if pd.isna(x) else x for x in (a, b))
            text[g] = f"{g}<br>few"
            hover[g] = (
                f"{_name(g)}: {a:,.0f} → {b:,.0f} encounters (fewer than {MIN_BASE:,} in FY{frm}: no percent change)"
            )
    lim = min(100.0, max(5.0, float(d.change.abs().max()))) if d.change.notna().any() else 10.0
    rows = states.query.load("encounters_by_state", store)
    rows = rows[rows.fiscal_year.isin([frm, to])]
    return View(
        pd.DataFrame({"x": d.geo, "series": "change", "value": d.change}), "tiles", "Change in CBP encounters by state",
        f"FY{to} vs FY{frm} · {contract.BOTH_COMPONENTS}, CBP's encounters by state · percent change (colours capped at ±{lim:.0f}%)",
        "%", x="category", sources=ids(rows), tiles=_tiles(vals, text, hover, "change", lim), height=560,
        notes=[f"Blue: fewer encounters; red: more. Grey 'few': fewer than {MIN_BASE:,} encounters in FY{frm} (a percent change on a handful is noise); grey 'n/a': none recorded."],
        data=d.assign(fy_from=frm, fy_to=to),
    )  # fmt: skip


def _gridlines(top: float) -> list[float]:
    """Up to three round values inside (0, top): where a panel's faint gridlines go."""
    step = 10 ** math.floor(math.log10(max(top, 1e-9) / 3))
    for m in (1, 2, 2.5, 5, 10):
        if top / (m * step) <= 3.5:
            step *= m
            break
    return [step * i for i in range(1, 4) if step * i < top * 0.999]


def small_multiples(f: Filters, store: Store | None) -> View:
    """Every state's 12-month-ending all-drug death rate, one small panel each."""
    d = states.monthly(sorted(contract.STATE_CODES), "all_drugs", store)
    d = d[periods.basis_years(d.period_end, f.basis).between(f.year_from, f.year_to)]
    # CDC's best estimate of each month (predicted where published): the reported counts of a
    # release's last months run low and drew falls that are not there (North Carolina 2023)
    d = d.assign(rate_reported=d.rate, rate=d.rate_best)
    frm, to, months = _periods(f, store)
    if len(d) and to is not None and not d.period_end.min() <= to <= d.period_end.max():
        # the change map's month is outside the years drawn: the panels' numbers and order
        # are those of the last month drawn for most states (and the year before it), not of a
        # month not shown, nor of one only a few states have (a lone state's later months)
        held = d[d.rate.notna()].groupby("period_end")["geo"].nunique()
        to = held[held >= 0.8 * held.max()].index.max() if len(held) else d.period_end.max()
        frm = _year_before(to, months)
    last = (
        d[d.period_end == to].set_index("geo")["rate"] if to is not None else pd.Series(dtype=float)
    )
    chg = (
        states.death_change(frm, to, store).set_index("geo")["change"]
        if frm is not None
        else pd.Series(dtype=float)
    )
    geos = sorted(set(d.geo))
    if f.grid_sort == "change":
        geos.sort(key=lambda g: -(chg.get(g) if pd.notna(chg.get(g)) else -1e9))
    elif f.grid_sort == "rate":
        geos.sort(key=lambda g: -(last.get(g) if pd.notna(last.get(g)) else -1e9))
    else:  # by name: the states' names, not their codes (DC had stood between CT and DE)
        geos.sort(key=_name)
    n, cols = len(geos), 8
    rows = max(1, math.ceil(n / cols))
    shared = f.grid_y != "free"
    finite = d.rate[d.rate.astype(float).map(math.isfinite)]
    ymax = float(finite.max()) * 1.08 if len(finite) else 1.0
    gx, gy = 0.018, 0.045  # gaps between panels (paper fractions); the panel title sits in gy
    pw, ph = (1 - gx * (cols - 1)) / cols, (1 - gy * rows) / rows
    # One plot area for all panels (not 51 subplots): each state's line is drawn in its tile
    # in paper coordinates, so the browser lays out one pair of axes instead of 102 (a fraction
    # of the drawing time and of the page's SVG nodes). Hover shows the real month and rate.
    first, end = (d.period_end.min(), d.period_end.max()) if len(d) else (None, None)
    span_days = max(1, (end - first).days) if len(d) else 1  # x by date: a missing month is a gap
    grid_x: list[float | None] = []
    grid_y: list[float | None] = []
    base_x: list[float | None] = []
    base_y: list[float | None] = []
    # every state's line in one trace (panels apart by a gap), the lone months' dots in one, the
    # panels' labels in one text trace: three traces and no annotation for 51 panels, where one
    # trace and one annotation each took Plotly twice the drawing time (each annotation is
    # measured in the browser on its own)
    line_x: list[float | None] = []
    line_y: list[float | None] = []
    line_hover: list[str] = []
    dot_x: list[float] = []
    dot_y: list[float] = []
    lab_x: list[float] = []
    lab_y: list[float] = []
    lab_text: list[str] = []
    # a scale without 51 axes: the shared gridlines' values at the left of the first column's
    # panels, the first and last year under each column's lowest panel
    key_x: list[float] = []
    key_y: list[float] = []
    key_text: list[str] = []
    key_pos: list[str] = []
    # each state's rows, positions and words, taken once (not 51 filters of the frame)
    rows_of = d.groupby("geo", sort=False).indices
    all_rates = d.rate.astype(float).to_numpy()
    all_predicted = d.predicted.fillna(False).astype(bool).to_numpy()
    all_days = (d.period_end - first).dt.days.to_numpy() if len(d) else []
    all_months = np.array([month_word(x) for x in iso_days(d.period_end)]) if len(d) else []
    for k, g in enumerate(geos):
        r, c = divmod(k, cols)
        x0 = c * (pw + gx)
        y1 = 1 - r * (ph + gy) - gy
        y0 = y1 - ph
        at = rows_of[g]
        rates = [round(float(v), 1) if math.isfinite(v) else None for v in all_rates[at]]
        seen = [v for v in rates if v is not None]
        top = ymax if shared else (max(seen) * 1.1 if seen else 1.0)
        top = top if top > 0 else 1.0  # all zero
        for t in _gridlines(top):
            grid_x += [x0, x0 + pw, None]
            grid_y += [y0 + t / top * ph] * 2 + [None]
            if shared and c == 0 and t < 0.8 * top:  # (the top one would meet the panel's name)
                key_x.append(x0)
                key_y.append(y0 + t / top * ph)
                key_text.append(f"{t:,.0f}")
                key_pos.append("top right")
        if first is not None and k + cols >= n:  # nothing below it in its column
            key_x += [x0, x0 + pw]
            key_y += [y0 - 0.006, y0 - 0.006]  # clear of the panel's base line
            key_text += [
                f.year_label(int(y)) for y in periods.basis_years(pd.Series([first, end]), f.basis)
            ]
            key_pos += ["bottom right", "bottom left"]
        base_x += [x0, x0 + pw, None]
        base_y += [y0, y0, None]
        xs = [round(x0 + int(n) / span_days * pw, 4) for n in all_days[at]]  # 0.14 px
        ys = [None if v is None else round(y0 + v / top * ph, 4) for v in rates]
        name = style.esc(_name(g))
        line_x += [*xs, None]
        line_y += [*ys, None]
        line_hover += [
            f"{name}, 12 months to {m}: {v:,.1f} per 100,000{' (predicted)' if p else ' (reported)'}"
            if v is not None
            else ""
            for m, v, p in zip(all_months[at], rates, all_predicted[at], strict=True)
        ] + [""]
        lone = isolated(ys)
        dot_x += [x for x, k in zip(xs, lone, strict=True) if k]
        dot_y += [y for y, k in zip(ys, lone, strict=True) if k]
        v = last.get(g)
        ch = chg.get(g)
        label = f"<b>{g}</b> {v:.0f}" if pd.notna(v) else f"<b>{g}</b>"
        if f.grid_sort == "change" and pd.notna(ch):
            label = f"<b>{g}</b> {ch:+.0f}%"
        lab_x.append(x0)
        lab_y.append(y1)
        lab_text.append(label)
    traces = [
        {"type": "scatter", "mode": "lines", "x": grid_x, "y": grid_y, "hoverinfo": "skip", "showlegend": False,
         "line": {"color": "#eeeeee", "width": 1}, "name": "gridlines"},
        {"type": "scatter", "mode": "lines", "x": base_x, "y": base_y, "hoverinfo": "skip", "showlegend": False,
         "line": {"color": "#bbbbbb", "width": 1}, "name": "baselines"},
        {"type": "scatter", "mode": "lines", "x": line_x, "y": line_y, "customdata": line_hover, "showlegend": False,
         "line": {"color": style.colour("all_drugs"), "width": 1.4}, "name": "states", "hovertemplate": "%{customdata}<extra></extra>"},
        {"type": "scatter", "mode": "text", "x": lab_x, "y": lab_y, "text": lab_text, "textposition": "top right",
         "textfont": {"size": 10, "color": style.INK}, "hoverinfo": "skip", "showlegend": False, "cliponaxis": False,
         "name": "panel labels"},
    ]  # fmt: skip
    if key_x:
        traces.append({"type": "scatter", "mode": "text", "x": key_x, "y": key_y, "text": key_text, "textposition": key_pos,
                       "textfont": {"size": 9, "color": style.GREY}, "hoverinfo": "skip", "showlegend": False, "cliponaxis": False,
                       "name": "scale"})  # fmt: skip
    if dot_x:
        traces.insert(3, {"type": "scatter", "mode": "markers", "showlegend": False, "hoverinfo": "skip", "name": "lone months",
                          "x": dot_x, "y": dot_y, "marker": {"size": 4, "color": style.colour("all_drugs")}, "cliponaxis": False})  # fmt: skip
    hidden = {"range": [0, 1], "domain": [0, 1], "visible": False, "fixedrange": True}
    # the y range reaches a little below the panels: the years under the lowest row stand
    # there (Plotly leaves out text outside the axis range, cliponaxis or not)
    layout = {
        "xaxis": {**hidden, "type": "linear"},
        "yaxis": {**hidden, "type": "linear", "range": [-0.02, 1]},
    }
    sort_words = {
        "rate": f"sorted by the rate in the 12 months to {to:%B %Y}" if to is not None else "",
        "change": (
            f"sorted by the change from the 12 months to {frm:%B %Y} to the 12 months to {to:%B %Y}"
            if frm is not None and to is not None
            else "sorted by the change on a year earlier"
        ),
        "name": "in alphabetical order"
        + (f", with the rate in the 12 months to {to:%B %Y}" if to is not None else ""),
    }[f.grid_sort if f.grid_sort in ("rate", "change", "name") else "rate"]
    span = f"{d.period_end.min():%b %Y} to {d.period_end.max():%b %Y}" if len(d) else ""
    at_words = f" in the 12 months to {to:%B %Y}" if to is not None else ""
    notes = [f"Each panel: one state's crude death rate per 100,000 over 12 months to each month, {span}; the number is the rate{at_words}"
             + (" (or the change)" if f.grid_sort == "change" else "") + f". {'One y-axis for every panel, from 0 (gridlines at ' + and_list([format(t, ',.0f') for t in _gridlines(ymax)]) + ' per 100,000)' if shared else 'Each panel has its own y-axis: compare shapes, not heights'}.",
             "Crude rates: provisional deaths by place of occurrence over resident population (DC runs high). CDC's predicted counts "
             "(which allow for deaths still under investigation) where published, else reported counts. Gaps: months missing from the files."]  # fmt: skip
    frame = pd.DataFrame({"x": d.period_end, "series": d.geo, "value": d.rate})
    return View(
        frame, "grid", "Overdose death rates in every state, 12 months ending each month", f"Crude death rates per 100,000 from provisional counts · all drugs · {sort_words}",
        "per 100,000", x="category", sources=ids(d), notes=notes, height=860,
        tiles={"traces": traces, "layout": layout, "annotations": []},
        data=d[["geo", "period_end", "deaths", "deaths_predicted", "population", "rate_reported", "rate", "predicted"]].assign(period_end=d.period_end.dt.date),
        empty="" if len(geos) else "No provisional state data in these years.",
    )  # fmt: skip


def encounters_by_year(f: Filters, store: Store | None) -> View:
    """Each chosen state's CBP encounters by fiscal year, with its share of the nationwide total."""
    geos = list(f.states)
    e = states.query.load("encounters_by_state", store)
    e = e[e.fiscal_year.between(f.year_from, f.year_to)]
    nation = e.groupby("fiscal_year")["encounters"].sum().astype(float)
    months = e.groupby("fiscal_year")["month"].nunique()
    d = (
        e[e.state.isin(geos)]
        .groupby(["state", "fiscal_year"], observed=True)["encounters"]
        .sum()
        .astype(float)
        .reset_index()
    )
    d["share"] = d.encounters / d.fiscal_year.map(nation) * 100
    d["partial"] = d.fiscal_year.map(months) < 12
    frame = pd.DataFrame({"x": d.fiscal_year.astype(int), "series": d.state.astype(str), "value": d.encounters,
                          "partial": d.partial, "span": "partial",
                          "hover": [f"{s_:.1f}% of the nationwide {v:,.0f}" for s_, v in zip(d.share, d.fiscal_year.map(nation), strict=True)]})  # fmt: skip
    peaks = d.groupby("state", observed=True)["encounters"].max()
    frame = frame[~frame.series.isin(_small(peaks))]  # in the data and the note, not as hairlines
    order = [g for g in geos if g in set(frame.series)]
    none = [g for g in geos if g not in set(d.state.astype(str))]
    last = int(d.fiscal_year.max()) if len(d) else 0
    at_last = d[d.fiscal_year == last].sort_values("share", ascending=False)  # largest first
    shares = "; ".join(
        f"{_name(g)} {v:.1f}%" for g, v in zip(at_last.state, at_last.share, strict=True)
    )
    notes = [
        f"Nationwide ({contract.BOTH_COMPONENTS}): {', '.join(f'FY{int(y)} {v:,.0f}' for y, v in nation.items())}."
    ]
    if shares:
        notes.append(f"Share of the nationwide total in FY{last}: {shares}.")
    notes += _too_small(peaks, "in a fiscal year", left_out=True)
    if none:
        notes.append(f"No encounters recorded for {', '.join(_name(g) for g in none)}.")
    return View(
        frame, "bars", "CBP encounters by state and fiscal year", " · ".join(x for x in (f"{f.with_(basis='fiscal').range_label()}, federal fiscal year{'s' if f.year_to > f.year_from else ''}", _who(order or geos), f"{contract.BOTH_COMPONENTS}, CBP's encounters by state") if x),
        "encounters", "Encounters per fiscal year", basis="fiscal", labels={g: _name(g) for g in order}, order=order,
        colours=_colours(list(f.states)), sources=ids(e[e.state.isin(order)]), notes=notes, data=d, stacked=False,
        empty="" if len(frame) else "Choose one or more states above." if not geos else f"No CBP encounters for these states in FY{f.year_from}-FY{f.year_to}: CBP's encounters by state cover {series.fiscal_span('encounters_by_state', store)}.",
    )  # fmt: skip
