"""Where the article's claims and events go on a chart.

A claim is drawn only where the view shows what it claims: the same table and unit, the same
year basis, the same agencies/components, drug, geography and the same aggregate (a claim about
OFO + USBP is drawn on a stack of exactly OFO and USBP, not on a Border-Patrol-only view). A claim
the chart cannot show is named in the chart's note with the reason and what to change. Events
are numbered badges in a band above the plot with their text in a key in the footer; inside the
plot only a dotted line (or a shaded span) drawn beneath the data marks them.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field

import pandas as pd

from .. import contract
from ..claims import event_numbers, parse_filters

SYMBOLS = {"over": "triangle-up", "at_least": "triangle-up", "under": "triangle-down",
           "at_most": "triangle-down"}  # fmt: skip
GLYPHS = {"triangle-up": "▲", "triangle-down": "▼", "diamond": "◆"}
COMPARATOR = {"over": "over", "at_least": "at least", "under": "under", "at_most": "at most",
              "about": "about", "exactly": "exactly", "nearly": "nearly"}  # fmt: skip
# A CBP seizure series is a set of components: name the set, so claims compare like with like.
SERIES_COMPONENTS = {
    "cbp_nationwide": {"Office of Field Operations", "U.S. Border Patrol"},
    "cbp_amo": {"Air and Marine Operations"},
}


@dataclass(frozen=True)
class Scope:
    """What a chart's view shows, in the claims' own filter vocabulary."""

    table: str
    unit: str  # "lb", "events", "pills", "deaths", "encounters"; "lb per month" never matches
    basis: str  # "calendar" or "fiscal"
    years: tuple[int, int]
    fixed: dict[str, frozenset[str]] = field(default_factory=dict)  # one aggregate of these
    split: str = ""  # the column whose values are the chart's series
    split_values: tuple[str, ...] = ()
    stacked: bool = False  # series add up (a claim on the total needs the whole stack)
    ignore: frozenset[str] = frozenset()  # claim filters the view shows every value of
    x: str = "year"  # "year" or "date" (12-month-ending lines: a calendar year is its Dec point)

    def year_label(self, y: int) -> str:
        return f"FY{y}" if self.basis == "fiscal" else str(y)


def _claim_filters(claim: dict) -> dict[str, set[str]] | None:
    try:
        cf = {k: set(v) for k, v in parse_filters(claim.get("filters") or "").items()}
    except ValueError:
        return None
    series = cf.pop("series", None)
    if series and "component" not in cf:
        comps: set[str] = set()
        for s in series:
            comps |= SERIES_COMPONENTS.get(s, set())
        if comps:
            cf["component"] = comps
    return cf


def _plain(col: str, v: str) -> str:
    from . import style

    if col == "drug":
        return (
            style.label("death_drug", v) if v in style.DEATH_DRUG_WORDS else style.label("drug", v)
        ).lower()
    if col == "citizenship":
        return style.citizenship(v)
    if col == "geo":
        return contract.GEO_NAMES.get(v, v)
    return contract.COMPONENT_SHORT.get(v, v)


def _choices(vals: set[str]) -> str:
    """The sidebar's own labels for components or agencies ('CBP U.S. Border Patrol')."""
    from ..filters import AGENCY_LABELS, COMPONENT_OF

    code = {full: c for c, full in COMPONENT_OF.items()}
    return " + ".join(sorted(AGENCY_LABELS.get(code.get(v, v), v) for v in vals))


def _what(claim: dict, cf: dict[str, set[str]]) -> str:
    bits = []
    for k in ("component", "drug", "citizenship", "geo"):
        if k in cf:
            bits.append(" + ".join(_plain(k, v) for v in sorted(cf[k])))
    if "agency" in cf and "component" not in cf:
        bits.insert(0, " + ".join(sorted(cf["agency"])))
    return ", ".join(bits)


def place(claim: dict, scope: Scope) -> tuple[str | None, str]:
    """(series value or "" for the total, "") when the claim belongs on this view, else
    (None, reason the reader can act on)."""
    cid = claim.get("claim_id", "")
    y0, y1 = claim.get("year_start"), claim.get("year_end")
    if (
        y0 is None
        or pd.isna(y0)
        or claim.get("claimed_value") is None
        or pd.isna(claim.get("claimed_value"))
    ):
        return None, ""
    y0, y1 = int(y0), int(y1)
    cf = _claim_filters(claim)
    if cf is None or claim.get("table") != scope.table:
        return None, ""
    basis = claim.get("year_basis") or "calendar"
    period = f"FY{y1}" if basis == "fiscal" else str(y1)
    what = _what(claim, cf)
    about = f"{cid} is about {period if y0 == y1 else f'{y0}-{y1}'}" + (f", {what}" if what else "")
    if claim.get("comparator") == "rank_at_most":
        return None, ""
    if y0 != y1:
        return None, f"{cid} sums {y0}-{y1}: see its card on the Article claims page"
    mine = set(scope.fixed.get("agency", frozenset())) | (
        set(scope.split_values) if scope.split == "agency" else set()
    )
    if mine and "agency" in cf and not (cf["agency"] & mine):
        return None, ""  # another agency's figure: it belongs on that agency's chart
    if claim.get("unit") != scope.unit:
        return None, ""  # another chart of the page shows this unit
    for col in ("citizenship", "geo"):  # about another country or state: not this chart's
        have = scope.fixed.get(col)  # business, whatever else it differs in
        if col in cf and col not in scope.ignore and have is not None and set(have) != cf[col]:
            return None, ""
    at = ""
    for col, vals in cf.items():
        if col in scope.ignore:
            continue
        if col == scope.split:
            shown = set(scope.split_values)
            if scope.stacked:  # the claim's set must be the whole stack or its bottom part
                bottom = set(scope.split_values[: len(vals)])
                if vals != bottom:
                    return (
                        None,
                        f"{about}: select exactly {_choices(vals)} in Agencies and components to see it",
                    )
            elif len(vals) == 1 and vals <= shown:
                at = next(iter(vals))
            else:
                return None, f"{about}: not among the series shown"
            continue
        have = scope.fixed.get(col)
        if col == "coverage" and have is not None and set(have) != vals:
            return None, f"{cid} is a year-to-date figure: this chart shows full years only"
        if col == "status" and have is not None and set(have) != vals:
            return (
                None,
                f"{cid} was checked against {' and '.join(sorted(vals))} counts: see the annual chart",
            )
        if col in ("citizenship", "geo") and have is not None and set(have) != vals:
            return None, ""  # about another country or state: not this chart's business
        if have is None or set(have) != vals:
            if col in ("component", "agency"):
                return (
                    None,
                    f"{about}: select exactly {_choices(vals)} in Agencies and components to see it",
                )
            if col == "drug" and len(vals) == 1:
                return None, f"{about}: choose {_plain('drug', next(iter(vals)))} above to see it"
            return (
                None,
                f"{about}: this view shows {col.replace('_', ' ')} {', '.join(_plain(col, h) for h in sorted(have or {'all'}))}",
            )
    # the year basis and years last: advice to switch the basis on a chart of another drug
    # or country would not bring the claim (it is not this chart's, or needs that first)
    if basis != scope.basis:
        want = "fiscal year" if basis == "fiscal" else "calendar year"
        return None, f"{about}: switch to {want} to see it"
    if not scope.years[0] <= y1 <= scope.years[1]:
        return None, f"{about}: widen the years to include {period}"
    for col in scope.fixed:  # the view narrows what the claim does not
        if col not in cf and col not in scope.ignore and col not in ("unit",):
            return None, f"{about}, not one {col.replace('_', ' ')}: clear that filter to see it"
    if scope.split and scope.stacked and scope.split not in cf and scope.split not in scope.ignore:
        return None, f"{about}: this chart splits the total"
    return at, ""


_RECORDS: dict[int, tuple[weakref.ref, list[dict]]] = {}


def _records(evaluated: pd.DataFrame) -> list[dict]:
    """The evaluated claims as dicts, made once per frame: every chart of a page is given
    the same frame (cached per store version, tolerance and article), and `to_dict` on its
    forty-odd columns takes 5-10 ms each time. Read-only: the dicts are shared."""
    key = id(evaluated)
    hit = _RECORDS.get(key)
    if hit is not None and hit[0]() is evaluated:
        return hit[1]
    recs = evaluated.to_dict("records")
    _RECORDS[key] = (weakref.ref(evaluated, lambda _ref, k=key: _RECORDS.pop(k, None)), recs)
    return recs


def _topic_rows(evaluated: pd.DataFrame, kind: str, topic: str) -> list[dict]:
    """The rows of one kind ("quantitative", "event") drawn on charts of `topic`. Plain
    Python over a few dozen rows: the pandas string methods this replaces took 15-20 ms a
    chart, a fifth of building one."""
    return [r for r in _records(evaluated) if r.get("kind") == kind
            and isinstance(t := r.get("chart_topics"), str) and topic in t.split(";")]  # fmt: skip


def claims_for(evaluated: pd.DataFrame | None, topic: str, scope: Scope | None):
    """(claims drawn: list of (claim dict, series value)), notes on claims not drawn."""
    if evaluated is None or evaluated.empty or scope is None:
        return [], []
    drawn, skipped = [], []
    for c in _topic_rows(evaluated, "quantitative", topic):
        at, why = place(c, scope)
        if at is not None:
            drawn.append((c, at))
        elif why:
            skipped.append(why)
    return drawn, skipped


# a death category's figure counts deaths involving these drugs too: an event about fentanyl
# belongs on the synthetic-opioid deaths, one about methamphetamine on the psychostimulants'
INCLUDES = {
    "synthetic_opioids": {"fentanyl"},
    "psychostimulants": {"methamphetamine"},
    "all_opioids": {"fentanyl", "synthetic_opioids", "heroin", "natural_semisynthetic_opioids", "methadone"},
}  # fmt: skip
EVERYTHING = {"all_drugs"}  # a chart of these values shows every drug


def event_applies(event: dict, selection: dict[str, frozenset[str]]) -> bool:
    """Whether an event belongs on a chart limited to `selection`: for every column the event
    names in its filters (an event about fentanyl: drug=fentanyl) and the chart is limited by,
    one of the event's values is among the chart's (or counted in one of them, as fentanyl in
    synthetic opioids). A column the chart is not limited by shows every value, the event's
    too. An event whose filters cannot be read is drawn, as one without filters."""
    try:
        ef = parse_filters(str(event.get("filters") or ""))
    except ValueError:
        return True
    for col, vals in ef.items():
        sel = selection.get(col)
        if not sel or sel & EVERYTHING:
            continue
        shown = set(sel).union(*(INCLUDES.get(v, set()) for v in sel))
        if not shown & set(vals):
            return False
    return True


def events_for(
    evaluated: pd.DataFrame | None, topic: str, selection: dict[str, frozenset[str]] | None = None
) -> list[dict]:
    if evaluated is None or evaluated.empty:
        return []
    rows = [
        e
        for e in _topic_rows(evaluated, "event", topic)
        if isinstance(e.get("event_date"), str)
        and e["event_date"]
        and event_applies(e, selection or {})
    ]
    numbers = event_numbers([r for r in _records(evaluated) if r.get("kind") == "event"])
    out = []
    for e in sorted(rows, key=lambda e: e["event_date"]):
        try:
            d0 = dt.date.fromisoformat(str(e["event_date"])[:10])
            d1 = dt.date.fromisoformat(str(e["event_end"])[:10]) if e.get("event_end") else None
        except ValueError:
            continue
        number = numbers.get((str(e.get("article_id") or ""), str(e.get("claim_id") or "")))
        out.append({**e, "d0": d0, "d1": d1 if d1 and d1 > d0 else None, "number": number})
    return out


def event_x(date: dt.date, x: str, basis: str, width: float = 1.0) -> float | str:
    """An event's position: the date itself, or its place within a (fiscal) year: across the
    year's slot, or across its bar (`width`, 0.75 on bar charts), so that an event of
    mid-November or late August stands over its year's bar, not in the gap between two years."""
    if x == "date":
        return date.isoformat()
    if basis == "fiscal":
        start = dt.date(date.year if date.month >= 10 else date.year - 1, 10, 1)
        frac = (date - start).days / 365.25
        return start.year + 1 - width / 2 + frac * width
    return date.year - width / 2 + (date.timetuple().tm_yday - 0.5) / 365.25 * width


def claim_x(claim: dict, scope: Scope) -> float | str:
    y = int(claim["year_end"])
    if scope.x == "date":
        return (
            dt.date(y, 12, 31).isoformat()
            if scope.basis == "calendar"
            else dt.date(y, 9, 30).isoformat()
        )
    return float(y)


def glyph(claim: dict) -> str:
    return GLYPHS[SYMBOLS.get(claim.get("comparator"), "diamond")]


def claim_words(claim: dict, fmt) -> str:
    """'C06 over 27,000 lb, FY2023: supported (data 27,023 lb, ports of entry (OFO) + Border
    Patrol (USBP) only)', and when the verdict depends on a choice, the verdict under each other
    choice that differs ('; the verdict depends on a choice: Title 8 only (...) gives 27,920
    encounters (overstated)')."""
    basis = claim.get("year_basis") or "calendar"
    y = int(claim["year_end"])
    period = f"FY{y}" if basis == "fiscal" else str(y)
    unit = claim.get("unit") or ""
    verdict = str(claim.get("verdict") or "not checked").replace("_", " ")
    dv = claim.get("data_value")
    scope = _series_scope(claim)
    data = f" (data {fmt(float(dv), unit)}{scope})" if dv is not None and not pd.isna(dv) else ""
    cv = float(claim["claimed_value"])
    words = f"{claim['claim_id']} {COMPARATOR.get(claim.get('comparator'), claim.get('comparator'))} {fmt(cv, unit)}, {period}: {verdict}{data}"
    if claim.get("comparator") == "rank_at_most":  # 'among the highest', checked as a rank
        rank = f" (rank {int(float(dv))})" if dv is not None and not pd.isna(dv) else ""
        words = f"{claim['claim_id']} among the top {int(cv)}, {period}: {verdict}{rank}"
    other = [
        f"{v.get('label')} gives {fmt(float(v['data_value']), unit)} ({str(v.get('verdict')).replace('_', ' ')})"
        for v in claim.get("variant_results") or []
        if isinstance(v, dict)
        and v.get("comparable", True)
        and v.get("data_value") is not None
        and v.get("verdict") != claim.get("verdict")
    ]
    return words + ("; the verdict depends on a choice: " + "; ".join(other) if other else "")


def _series_scope(claim: dict) -> str:
    """', ports of entry (OFO) + Border Patrol (USBP) only' for a CBP seizure claim that leaves
    out Air and Marine, whose bars the seizure charts stack with the others."""
    series = parse_filters(str(claim.get("filters") or "")).get("series")
    return f", {contract.BOTH_COMPONENTS} only" if series == ["cbp_nationwide"] else ""
