"""The chart layer: each chart is a Spec (a series function that returns a View, the filters it
reads, the page it belongs to, when it is shown); one renderer turns a View into a figure. The
same specs feed the pages, the PNG/SVG/CSV/PPTX exports and `indicators export`."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..filters import Filters
from ..store import Store
from . import cards, deaths, encounters, overview, seizures, states, style
from .provenance import source_line
from .render import Chart, View, render
from .style import esc

__all__ = ["CHARTS", "Chart", "Spec", "View", "build", "built", "cache_key", "claim_chart", "esc",
           "page_charts", "shown"]  # fmt: skip

COMMON = ("basis", "year_from", "year_to", "agencies", "claims", "article", "present")


@dataclass(frozen=True)
class Spec:
    name: str
    title: str  # what the chart is, for menus and slide titles
    page: str
    view: Callable[[Filters, Store | None], View]
    reads: tuple[str, ...] = COMMON  # the filters it depends on (cache key)
    needs: Callable[[Filters], str] = lambda f: ""  # why it is hidden under these filters, or ""


def _cbp(f: Filters) -> str:
    return "" if f.components else "No CBP component is selected in the sidebar."


def _dea(f: Filters) -> str:
    return (
        ""
        if {"DEA", "HIDTA"} & set(f.agencies)
        else "Select DEA or law enforcement reporting to HIDTA in the sidebar."
    )


def _enc(f: Filters) -> str:
    return (
        ""
        if [c for c in f.components if c != "Air and Marine Operations"]
        else "Select CBP Office of Field Operations or CBP U.S. Border Patrol in the sidebar for encounters."
    )


def _cdc(f: Filters) -> str:
    return "" if "CDC" in f.agencies else "Select CDC/NCHS in the sidebar for overdose deaths."


SEIZ = (*COMMON, "drug", "measure", "region")
# by region shows every region, by drug every drug: another choice of either reuses them
SEIZ_REGIONS = tuple(r for r in SEIZ if r != "region")
SEIZ_DRUGS = tuple(r for r in SEIZ if r != "drug")
SPECS = (
    Spec("overview_index", "Deaths, fentanyl seizures and encounters on a common index", "overview", overview.index, (*COMMON, "base_year")),
    Spec("deaths_provisional", "Overdose deaths by drug, provisional 12-month counts", "deaths", deaths.provisional, COMMON, _cdc),
    Spec("deaths_annual", "Annual overdose deaths, final and provisional", "deaths", deaths.annual, (*COMMON, "death_drug"), _cdc),
    Spec("deaths_state_map", "Overdose death rate by state (map)", "deaths", deaths.state_map, ("state_year", "present"), _cdc),
    Spec("deaths_state_bar", "Highest overdose death rates by state", "deaths", deaths.state_bar, ("state_year", "present"), _cdc),
    Spec("seizures_by_component", "CBP seizures of one drug by component", "seizures", seizures.by_component, SEIZ, _cbp),
    Spec("seizures_monthly", "CBP seizures of one drug by month", "seizures", seizures.monthly, SEIZ, _cbp),
    Spec("seizures_by_region", "CBP seizures of one drug by region", "seizures", seizures.by_region, SEIZ_REGIONS, _cbp),
    Spec("seizures_by_drug", "CBP seizures by drug", "seizures", seizures.by_drug, SEIZ_DRUGS, _cbp),
    Spec("seizures_dea_pills", "DEA and HIDTA fentanyl pill seizures", "seizures", seizures.dea_pills, COMMON, _dea),
    Spec("seizures_dea_powder", "DEA and HIDTA fentanyl powder seizures", "seizures", seizures.dea_powder, COMMON, _dea),
    Spec("encounters_by_component", "CBP encounters by component", "encounters", encounters.by_component, (*COMMON, "region"), _enc),
    Spec("encounters_breakdown", "CBP encounters by a chosen dimension", "encounters", encounters.breakdown, (*COMMON, "region", "dimension"), _enc),
    Spec("encounters_citizenship", "CBP encounters for one citizenship, by component", "encounters", encounters.citizenship, (*COMMON, "region", "citizenship"), _enc),
    Spec("encounters_citizenship_monthly", "Monthly CBP encounters for one citizenship", "encounters", encounters.citizenship_monthly, (*COMMON, "region", "citizenship"), _enc),
    Spec("encounters_top_citizenships", "Top citizenships", "encounters", encounters.top_citizenships, (*COMMON, "region"), _enc),
    Spec("states_deaths_trend", "Chosen states beside the nation: 12-month death rates or counts", "states", states.deaths_trend, (*COMMON, "states", "state_measure", "death_drug"), _cdc),
    Spec("states_deaths_annual", "Chosen states beside the nation: final annual death rates", "states", states.deaths_annual, (*COMMON, "states"), _cdc),
    Spec("states_death_change_map", "Change in overdose deaths by state (map)", "states", states.death_change_map, ("change_from", "change_to", "present"), _cdc),
    Spec("states_small_multiples", "Every state's death rate over time (small multiples)", "states", states.small_multiples, ("basis", "year_from", "year_to", "grid_y", "grid_sort", "change_from", "change_to", "present"), _cdc),
    Spec("states_encounters_by_year", "CBP encounters in the chosen states, by fiscal year", "states", states.encounters_by_year, (*COMMON, "states"), _enc),
    Spec("states_encounters_trend", "CBP encounters in the chosen states, by month", "states", states.encounters_trend, (*COMMON, "states"), _enc),
    Spec("states_encounter_change_map", "Change in CBP encounters by state (map)", "states", states.encounter_change_map, ("enc_from", "enc_to", "present"), _enc),
)  # fmt: skip
CHARTS: dict[str, Spec] = {s.name: s for s in SPECS}


def size_for(f: Filters) -> style.Size:
    return style.PRESENT if f.present else style.PAGE


def build(name: str, f: Filters, store: Store | None = None,
          claims: pd.DataFrame | Callable[[], pd.DataFrame | None] | None = None,
          size: style.Size | None = None) -> Chart:  # fmt: skip
    """The finished chart `name` for filters f (claims: the evaluated claims to overlay)."""
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; charts: {', '.join(CHARTS)}")
    v = CHARTS[name].view(f, store)
    if callable(claims):  # evaluated only for a view that draws claims or events
        claims = claims() if f.claims and v.topic else None
    size = size or size_for(f)
    line = source_line(v.sources, v.drugs, pointer=size.name in ("page", "card"))
    return render(name, v, size, claims if f.claims else None, line)


# --- finished charts, kept per what they depend on -------------------------------------------

_BUILT: OrderedDict[str, Chart] = OrderedDict()
_BUILT_MAX = 400
_BUILT_LOCK = threading.Lock()
BUILT_STATS = {"hits": 0, "builds": 0}


def claims_key(version: str, tolerance: float, article: str) -> str:
    """The claims a chart draws: verdicts of a store version at a tolerance, for one article."""
    return f"{version}|{float(tolerance)}|{article}"


def cache_key(name: str, f: Filters, version: str, claims: str) -> str:
    """What a finished chart depends on: the filters it reads, the store version and the claims
    it draws (`claims_key`). A filter the chart does not read does not rebuild it."""
    reads = repr(tuple(getattr(f, k) for k in CHARTS[name].reads))
    return "|".join([name, reads, version, claims if f.claims else "off"])


def built(key: str, name: str, f: Filters, store: Store | None = None,
          claims: pd.DataFrame | Callable[[], pd.DataFrame | None] | None = None) -> Chart:  # fmt: skip
    """The chart for `key` (see `cache_key`), built on the first call and kept (the last 400)
    for every visitor of this process: the pages and the server's warm-up share it. Charts
    are finished objects: nobody changes one after it is built."""
    with _BUILT_LOCK:
        chart = _BUILT.get(key)
        if chart is not None:
            _BUILT.move_to_end(key)
            BUILT_STATS["hits"] += 1
            return chart
    chart = build(name, f, store, claims)  # outside the lock: other charts build meanwhile
    with _BUILT_LOCK:
        BUILT_STATS["builds"] += 1
        _BUILT[key] = chart
        while len(_BUILT) > _BUILT_MAX:
            _BUILT.popitem(last=False)
    return chart


def page_charts(page: str) -> list[str]:
    return [n for n, s in CHARTS.items() if s.page == page]


def shown(page: str, f: Filters) -> list[str]:
    """The charts a page draws under these filters, in page order."""
    return [n for n in page_charts(page) if not CHARTS[n].needs(f)]


def claim_chart(
    claim: dict, store: Store | None = None, size: style.Size = style.CARD
) -> Chart | None:
    """The data a claim was checked against, for the claim's period, with the claim drawn."""
    v = cards.view(claim, store)
    if v is None:
        return None
    one = pd.DataFrame([{**claim, "chart_topics": "card"}])
    line = source_line(v.sources, v.drugs, pointer=size.name == "card")  # not on a slide
    return render(f"claim_{claim['claim_id']}", v, size, one, line)
