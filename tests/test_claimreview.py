"""Checked claims as schema.org ClaimReview JSON-LD: the CLI output and its required fields."""

import json

from conftest import cli

from indicators import claimreview, claims, manifest

# schema.org types and properties used (https://schema.org/ClaimReview, /Claim, /Rating, ...)
TYPES = {
    "ClaimReview",
    "Claim",
    "Rating",
    "Organization",
    "Person",
    "NewsArticle",
    "Dataset",
    "CreativeWork",
}
PROPERTIES = {
    "@type", "url", "datePublished", "author", "claimReviewed", "itemReviewed", "reviewRating",
    "isBasedOn", "appearance", "headline", "publisher", "name", "ratingValue", "bestRating",
    "worstRating", "alternateName", "ratingExplanation", "version",
}  # fmt: skip


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def test_cli_claimreview_is_valid_json_ld_with_required_fields(data_dir):
    r = cli("claims", "--format", "claimreview", "--base-url", "https://example.org/dash")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["@context"] == "https://schema.org"
    ev = claims.evaluate_all()
    checked = ev[(ev.kind == "quantitative") & ev.verdict.isin(list(claimreview.RATING))]
    graph = doc["@graph"]
    assert len(graph) == len(checked) >= 8
    for node in _walk(graph):
        assert node["@type"] in TYPES, node
        assert set(node) <= PROPERTIES, set(node) - PROPERTIES
    urls = {e["official_url"] for e in manifest.entries()}
    for rv, (_, c) in zip(graph, checked.iterrows(), strict=True):
        assert rv["@type"] == "ClaimReview" and rv["claimReviewed"] == c["quote"]
        assert rv["author"]["name"] and rv["datePublished"]
        assert rv["url"].startswith("https://example.org/dash/claims?article=")
        item = rv["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]["name"]
        assert item["datePublished"] == c["article_date"] == "2024-09"
        art = item["appearance"]
        assert art["headline"] == c["article_title"] and art["author"]["name"] == "The Epoch Times"
        assert art["url"].startswith("https://")
        rating = rv["reviewRating"]
        assert rating["@type"] == "Rating" and 1 <= rating["ratingValue"] <= 5
        assert rating["ratingValue"] == claimreview.RATING[c["verdict"]]
        assert rating["alternateName"] == claimreview.NAMES[c["verdict"]]
        assert rating["ratingExplanation"] == c["explanation"]
        assert rv["isBasedOn"] and all(e["url"] in urls for e in rv["isBasedOn"])


def test_not_checkable_claims_are_not_reviewed():
    ev = claims.evaluate_all()
    doc = claimreview.claimreviews(ev)
    quotes = {rv["claimReviewed"] for rv in doc["@graph"]}
    nc = ev[ev.verdict == "not_checkable"]
    assert len(nc) and not quotes & set(nc.quote)
    c06 = next(rv for rv in doc["@graph"] if "27,000 pounds" in rv["claimReviewed"])
    assert (
        c06["isBasedOn"][0]["url"] == "https://www.cbp.gov/document/stats/nationwide-drug-seizures"
    )
