"""The text of a claim card on the Article claims page, as one inert Markdown block.

One block per card (heading line, quote, explanation, vintage note, the verdict under each
choice as a small table, note, source link) instead of six to eight Streamlit elements: the
browser renders the page's fourteen cards in a fraction of the time. Every piece of article or
claim text goes through `text()` (Markdown and HTML made inert); the only link is an http(s)
URL with the characters that could end a Markdown link target percent-encoded.
"""

from __future__ import annotations

import html
import math

_MARKDOWN = "\\`*_{}[]()#+-.!|~$"


def text(value: object) -> str:
    """User text made inert for st.markdown: Markdown syntax escaped, then HTML escaped
    (Streamlit renders no raw HTML in Markdown; the entities display as the characters)."""
    s = str(value or "")
    for ch in _MARKDOWN:
        s = s.replace(ch, "\\" + ch)
    return html.escape(s, quote=False)


def safe_url(url: object) -> str | None:
    """A link target only if it is http(s); anything else (javascript:, data:) is dropped."""
    s = str(url or "").strip()
    return s if s.lower().startswith(("https://", "http://")) and " " not in s else None


def _link_target(url: str) -> str:
    for ch, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ('"', "%22")):
        url = url.replace(ch, code)
    return url


def _lines(value: object) -> str:
    """Escaped text whose line breaks stay line breaks (Markdown hard breaks)."""
    return "  \n".join(text(line) for line in str(value or "").splitlines())


def _cell(value: object) -> str:
    return text(" ".join(str(value or "").split()))


def _number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:,.0f}"
    return "no data"


def _words(verdict: object) -> str:
    return str(verdict or "").replace("_", " ")


def variants_table(variants: list[dict]) -> str:
    """The verdict under each choice (final or provisional, which agencies count...)."""
    rows = ["| Choice | Data value | Verdict | Data vintage |", "|---|--:|---|---|"]
    for v in variants:
        verdict = (
            "not comparable (context only)"
            if v.get("comparable") is False
            else _words(v.get("verdict"))
        )
        at = v.get("at_publication")
        if isinstance(at, dict):
            verdict += f"; at publication: {_words(at.get('verdict'))}"
        vintage = str(v.get("data_vintage") or "")
        if v.get("published_after_article"):
            vintage += " (published after the article)"
        rows.append(
            f"| {_cell(v.get('label'))} | {_number(v.get('data_value'))} | {_cell(verdict)} "
            f"| {_cell(vintage)} |"
        )
    return "\n".join(rows)


def markdown(c: dict) -> str:
    """The whole text of one claim's card."""
    head = f"**{text(c['claim_id'])}** · verdict: **{text(_words(c['verdict']))}**"
    if c.get("depends_on_choice"):
        head += " · *depends on a choice*"
    if c.get("published_after_article"):
        head += " · *data published after the article*"
    quote = " ".join(str(c.get("quote") or "").split())
    parts = [head, f"> “{text(quote)}”  \n> — {text(c.get('speaker'))}", _lines(c["explanation"])]
    at = c.get("at_publication")
    if isinstance(at, dict):
        parts.append(
            text(
                f"At publication: {_words(at['verdict'])} ({_number(at['data_value'])}; store "
                f"version {at['store_version']}, {at['data_vintage']})"
            )
        )
    if c.get("variant_results"):
        parts.append(variants_table(c["variant_results"]))
    if c.get("note"):
        parts.append(f"*{_lines(c['note'])}*")
    src = safe_url(c.get("evidence_url"))
    if src:
        parts.append(f"[Source]({_link_target(src)})")
    return "\n\n".join(parts)
