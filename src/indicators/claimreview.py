"""Checked claims as schema.org ClaimReview JSON-LD (https://schema.org/ClaimReview).

One ClaimReview per quantitative claim whose verdict was computed (claims that cannot be
checked are left out): `claimReviewed` is the quote, `itemReviewed` the Claim with the
article (author, date, url) where it appeared, `reviewRating` the verdict on a 1-5 scale with
its name and the explanation of how it was computed, and `isBasedOn` the official data
source(s) compared, with their release.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from . import manifest

# Rating scale: 5 = the data support the claim ... 1 = the data contradict it.
RATING = {"supported": 5, "understated": 3, "overstated": 2, "contradicted": 1}
NAMES = {
    "supported": "Supported by the data",
    "understated": "Understated",
    "overstated": "Overstated",
    "contradicted": "Contradicted by the data",
}
ORG_WORDS = re.compile(
    r"\b(?:Department|Administration|Agency|Office|Committee|Bureau|House|Senate|Service|"
    r"Protection|Patrol|CBP|DEA|DHS|CDC|DOJ|Ministry|Government)\b"
)
REVIEWER = "drug-indicators (U.S. drug indicators dashboard)"


def _sources() -> dict[str, dict]:
    try:
        return manifest.by_id()
    except (FileNotFoundError, ValueError, KeyError):
        return {}


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def review(row: dict, sources: dict[str, dict], base_url: str = "", today: str = "") -> dict | None:
    """The ClaimReview of one evaluated claim row, or None when it was not checked."""
    verdict = row.get("verdict")
    if row.get("kind") != "quantitative" or verdict not in RATING:
        return None
    outlet = _text(row.get("article_outlet"))
    author = _text(row.get("article_author")) or outlet
    article_url = _text(row.get("article_url"))
    src = sources.get(_text(row.get("source_id")), {})
    if not article_url:
        article_url = src.get("official_url", "")
    speaker = _text(row.get("speaker"))
    if not speaker or speaker.lower().startswith("the article"):
        claim_author = {"@type": "Organization", "name": author}
    elif ORG_WORDS.search(speaker):
        claim_author = {"@type": "Organization", "name": speaker}
    else:
        claim_author = {"@type": "Person", "name": speaker}
    appearance = {
        "@type": "NewsArticle",
        "headline": _text(row.get("article_title")),
        "datePublished": _text(row.get("article_date")),
        "author": {"@type": "Organization", "name": author},
        "publisher": {"@type": "Organization", "name": outlet},
    }
    if article_url:
        appearance["url"] = article_url
    evidence = []
    for part in _text(row.get("data_vintage")).split("; "):
        sid, _, vintage = part.partition("@")
        e = sources.get(sid)
        if not e:
            continue
        evidence.append(
            {
                "@type": "Dataset",
                "name": e.get("title", sid),
                "url": e.get("official_url", ""),
                "version": vintage,
                "publisher": {"@type": "Organization", "name": e.get("agency", "")},
            }
        )
    if not evidence and _text(row.get("evidence_url")):
        evidence.append({"@type": "CreativeWork", "url": _text(row.get("evidence_url"))})
    out = {
        "@type": "ClaimReview",
        "datePublished": today or dt.date.today().isoformat(),
        "author": {"@type": "Organization", "name": REVIEWER},
        "claimReviewed": _text(row.get("quote")),
        "itemReviewed": {
            "@type": "Claim",
            "author": claim_author,
            "datePublished": _text(row.get("article_date")),
            "appearance": appearance,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": NAMES[verdict],
            "ratingExplanation": _text(row.get("explanation")),
        },
        "isBasedOn": evidence,
    }
    if base_url:
        out["url"] = (
            f"{base_url.rstrip('/')}/claims?article={row.get('article_id', '')}#{row.get('claim_id', '')}"
        )
    return out


def claimreviews(evaluated: pd.DataFrame, base_url: str = "", today: str = "") -> dict:
    """A JSON-LD document (@graph) with one ClaimReview per checked claim."""
    sources = _sources()
    graph = []
    for _, r in evaluated.iterrows():
        rv = review(r.to_dict(), sources, base_url, today)
        if rv is not None:
            graph.append(rv)
    return {"@context": "https://schema.org", "@graph": graph}


def to_json(evaluated: pd.DataFrame, base_url: str = "", today: str = "") -> str:
    return json.dumps(claimreviews(evaluated, base_url, today), indent=1, ensure_ascii=False)
