"""Figures derived from a whole store version, computed once per process and version: the
claim verdicts, the claims page's cards, the overview's headline figures, the data-freshness
table and the years with state death data.

Shared by the pages (through `ui`) and the server's start-up (`warmup`), so the first visitor
after a start finds them ready. Callers get copies, except of what the pages only read on
every rerun (`article_claims`, `claims_view`): those are shared and must not be changed.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from . import claims, series
from .store import Store

if TYPE_CHECKING:
    from .charts import Chart


def _key(store: Store | None) -> tuple[str, str]:
    s = store or Store()
    return str(s.root), s.fingerprint()


def verdicts(store: Store | None = None, tolerance: float = 0.10) -> pd.DataFrame:
    """Every claim with its verdict, for the store's current version."""
    return _verdicts(*_key(store), float(tolerance)).copy()


def article_claims(store: Store | None, tolerance: float, article: str) -> pd.DataFrame:
    """The verdicts the charts draw: one article's ('' for every article). The same frame on
    every call, not a copy: the overlays read it (and make its rows into dicts once per
    frame, `overlays._records`); a copy per chart made that 5-10 ms a chart. Read-only."""
    return _article_claims(*_key(store), float(tolerance), article)


@functools.lru_cache(maxsize=16)
def _article_claims(root: str, fingerprint: str, tolerance: float, article: str) -> pd.DataFrame:
    ev = _verdicts(root, fingerprint, tolerance)
    return (ev[ev.article_id == article] if article else ev).copy()


@dataclass(frozen=True)
class Card:
    """One claim's card: its text (one Markdown block) and its chart (None: nothing to draw)."""

    claim_id: str
    markdown: str
    chart: Chart | None
    claim: dict = field(default_factory=dict, compare=False)  # for its slide-size download


@dataclass(frozen=True)
class ClaimsView:
    """The claims page's view of one article ('' for every article), read-only: the claims
    (for the ClaimReview download), the heading's fields, the verdict counts, a card per
    quantitative claim and the dated events as a Markdown table ('' when there are none)."""

    claims: pd.DataFrame
    article: dict
    summary: dict[str, int]
    cards: tuple[Card, ...]
    events: str


def claims_view(
    store: Store | None, tolerance: float, article: str, present: bool = False
) -> ClaimsView:
    """Built once per store version, tolerance, article and mode (presentation mode draws the
    cards' charts larger): a rerun of the claims page only sends it (the cards' records,
    Markdown and chart lookups took 15-20 ms of each rerun)."""
    return _claims_view(*_key(store), float(tolerance), article, store is not None, present)


@functools.lru_cache(maxsize=16)
def _claims_view(
    root: str, fingerprint: str, tolerance: float, article: str, private: bool, present: bool
) -> ClaimsView:
    from . import charts, claimcard
    from .charts import style

    ev = _article_claims(root, fingerprint, tolerance, article)
    quantitative = ev[ev.kind == "quantitative"].to_dict("records")
    chart_store = Store(root) if private else None  # None: the shared store, as the pages
    size = style.CARD_PRESENT if present else style.CARD
    cards = tuple(
        Card(str(c["claim_id"]), claimcard.markdown(c), charts.claim_chart(c, chart_store, size), c)
        for c in quantitative
    )
    events = ev[ev.kind == "event"].sort_values("event_date").to_dict("records")
    return ClaimsView(
        claims=ev,
        article=ev.iloc[0].to_dict() if len(ev) else {},
        summary=claims.summary(ev),
        cards=cards,
        events=claimcard.events_table(events) if events else "",
    )


def headlines(store: Store | None = None) -> list[dict]:
    return copy.deepcopy(_headlines(*_key(store)))


def freshness(store: Store | None = None) -> pd.DataFrame:
    return _freshness(*_key(store)).copy()


def death_state_years(store: Store | None = None) -> dict[str, list[int]]:
    """The years with state death data, final and provisional (the deaths page's slider)."""
    return copy.deepcopy(_death_state_years(*_key(store)))


@functools.lru_cache(maxsize=8)
def _verdicts(root: str, fingerprint: str, tolerance: float) -> pd.DataFrame:
    return claims.evaluate_all(Store(root), rules=claims.Rules(tolerance=tolerance))


@functools.lru_cache(maxsize=8)
def _headlines(root: str, fingerprint: str) -> list[dict]:
    return series.headlines(Store(root))


@functools.lru_cache(maxsize=8)
def _death_state_years(root: str, fingerprint: str) -> dict[str, list[int]]:
    return series.death_state_years(Store(root))


@functools.lru_cache(maxsize=8)
def _freshness(root: str, fingerprint: str) -> pd.DataFrame:
    return series.freshness(Store(root))
