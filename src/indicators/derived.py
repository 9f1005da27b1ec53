"""Figures derived from a whole store version, computed once per process and version: the
claim verdicts, the overview's headline figures, the data-freshness table and the years
with state death data.

Shared by the pages (through `ui`) and the server's start-up (`warmup`), so the first visitor
after a start finds them ready. Callers get copies: the cached objects are never handed out.
"""

from __future__ import annotations

import copy
import functools

import pandas as pd

from . import claims, series
from .store import Store


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
