"""Figures derived from a whole store version, computed once per process and version: the
claim verdicts, the overview's headline figures and the data-freshness table.

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


def headlines(store: Store | None = None) -> list[dict]:
    return copy.deepcopy(_headlines(*_key(store)))


def freshness(store: Store | None = None) -> pd.DataFrame:
    return _freshness(*_key(store)).copy()


@functools.lru_cache(maxsize=8)
def _verdicts(root: str, fingerprint: str, tolerance: float) -> pd.DataFrame:
    return claims.evaluate_all(Store(root), rules=claims.Rules(tolerance=tolerance))


@functools.lru_cache(maxsize=8)
def _headlines(root: str, fingerprint: str) -> list[dict]:
    return series.headlines(Store(root))


@functools.lru_cache(maxsize=8)
def _freshness(root: str, fingerprint: str) -> pd.DataFrame:
    return series.freshness(Store(root))
