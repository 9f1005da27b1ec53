"""The text of a claim card on the Article claims page, as one inert Markdown block (and the
page's table of dated events, likewise).

One block per card (heading line, quote, explanation, vintage note, the verdict under each
choice as a small table, note, source link) instead of six to eight Streamlit elements: the
browser renders the page's fourteen cards in a fraction of the time. Every piece of article or
claim text goes through `text()` (Markdown and HTML made inert); the only link is an http(s)
URL with the characters that could end a Markdown link target percent-encoded.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from . import manifest
from .claims import event_numbers

_MARKDOWN = "\\`*_{}[]()#+-.!|~$="
_ZWSP = "\u200b"
# What GitHub-flavoured Markdown (and Streamlit's shortcodes) would turn into a link or an icon
# even in escaped text: bare web and mail addresses, and :name: shortcodes. A zero-width space
# after the scheme, "www" or before "@", and after a colon that precedes a word, keeps them text.
_LIVE = re.compile(
    r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=\bwww)(?=\.)|(?=@)|(?<=:)(?=[a-z0-9_])"
)


def text(value: object) -> str:
    """User text made inert for st.markdown: Markdown syntax escaped, then HTML escaped
    (Streamlit renders no raw HTML in Markdown; the entities display as the characters), and
    bare addresses and :shortcodes: broken by an invisible zero-width space."""
    s = _LIVE.sub(_ZWSP, str(value or ""))
    for ch in _MARKDOWN:
        s = s.replace(ch, "\\" + ch)
    return html.escape(s, quote=False)


def safe_url(url: object) -> str | None:
    """A link target only if it is http(s) with no white space or control characters;
    anything else (javascript:, data:, a URL that would end the Markdown link) is dropped."""
    s = str(url or "").strip()
    if not s.lower().startswith(("https://", "http://")):
        return None
    return None if any(ord(ch) < 33 or ch.isspace() for ch in s) else s


def _link_target(url: str) -> str:
    for ch, code in (
        ("\\", "%5C"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ('"', "%22"),
        ("[", "%5B"), ("]", "%5D"), ("|", "%7C"),  # a pipe would end a table cell
    ):  # fmt: skip
        url = url.replace(ch, code)
    return url


def one_line(value: object) -> str:
    """Escaped text on one line (line breaks and runs of spaces become one space)."""
    return text(" ".join(str(value or "").split()))


def _lines(value: object) -> str:
    """Escaped text whose line breaks stay line breaks (Markdown hard breaks); leading spaces
    dropped (four would start a code block) and blank lines kept out (they end a paragraph)."""
    return "  \n".join(text(line.strip()) for line in str(value or "").splitlines() if line.strip())


def missing(value: object) -> bool:
    """None, NaN, NA or NaT (a list or other container is not missing)."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _given(value: object) -> str:
    """The value as text, or "" when it is missing."""
    return "" if missing(value) else str(value)


def _number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
    return "no data"


def _words(verdict: object) -> str:
    return str(verdict or "").replace("_", " ")


def variants_table(variants: list[dict]) -> str:
    """The verdict under each choice (final or provisional, which agencies count...)."""
    rows = ["| Choice | Data value | Verdict | Data compared |", "|---|--:|---|---|"]
    for v in variants:
        verdict = (
            "not comparable (context only)"
            if v.get("comparable") is False
            else _words(v.get("verdict"))
        )
        at = v.get("at_publication")
        if isinstance(at, dict):
            verdict += f"; at publication: {_words(at.get('verdict'))}"
        vintage = manifest.vintage_words(str(v.get("data_vintage") or ""))
        if v.get("published_after_article"):
            vintage += " (published after the article)"
        rows.append(
            f"| {one_line(v.get('label'))} | {_number(v.get('data_value'))} | {one_line(verdict)} "
            f"| {one_line(vintage)} |"
        )
    return "\n".join(rows)


def markdown(c: dict) -> str:
    """The whole text of one claim's card."""
    head = f"**{one_line(c['claim_id'])}** · verdict: **{one_line(_words(c['verdict']))}**"
    if c.get("depends_on_choice"):
        head += " · *depends on a choice*"
    if c.get("published_after_article"):
        head += " · *data published after the article*"
    quote = f"> “{one_line(c.get('quote'))}”  \n> — {one_line(c.get('speaker'))}"
    parts = [head, quote, _lines(c["explanation"])]
    at = c.get("at_publication")
    if isinstance(at, dict):
        parts.append(
            one_line(
                f"At publication: {_words(at['verdict'])} ({_number(at['data_value'])}; store "
                f"version {at['store_version']}, {manifest.vintage_words(at['data_vintage'])})"
            )
        )
    if c.get("variant_results"):
        parts.append(variants_table(c["variant_results"]))
    note = _lines(c.get("note"))
    if note:
        parts.append(note)
    src = safe_url(c.get("evidence_url"))
    if src:
        parts.append(f"[Source]({_link_target(src)})")
    return "\n\n".join(parts)


def events_table(events: list[dict]) -> str:
    """The article's dated events as one Markdown table: a data grid below the cards made the
    page's first chart come about 0.2-0.7 s later for a new visitor (bench/README.md)."""
    rows = [
        "| No. | Event | Date | What | Quote | Note | Source |",
        "|--:|---|---|---|---|---|---|",
    ]
    numbers = event_numbers(events)  # the numbers over the charts' event lines
    for raw in events:
        e = {k: _given(v) for k, v in raw.items()}
        n = numbers.get((str(raw.get("article_id") or ""), str(raw.get("claim_id") or "")))
        start, end = e.get("event_date", ""), e.get("event_end", "")
        when = f"{start} to {end}" if start and end and end != start else start or end
        src = safe_url(e.get("evidence_url"))
        link = f"[link]({_link_target(src)})" if src else ""
        rows.append(
            f"| {n or ''} | {one_line(e.get('claim_id'))} | {one_line(when)} | {one_line(e.get('label'))} "
            f"| {one_line(e.get('quote'))} | {one_line(e.get('note'))} | {link} |"
        )
    return "\n".join(rows)
