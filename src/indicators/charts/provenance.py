"""The source line of a figure, from the source ids of the rows it draws, with the caveats the
manifest records (transcribed tables, secondary sources, figures read through news copies)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import manifest


def qualifier(entry: dict, drugs: frozenset[str] = frozenset()) -> str:
    """'transcribed', 'secondary source', 'as reported': what a reader must know of a file."""
    words = f"{entry.get('title', '')} {entry.get('notes', '')}".lower()
    bits = []
    if "transcri" in words:
        bits.append("transcribed from the official table")
    if "secondary source" in words:
        import re

        notes = str(entry.get("notes", ""))
        said = [
            x.strip() for x in re.split(r"(?<=[.;])\s+", notes) if "secondary source" in x.lower()
        ]
        said = [re.sub(r"\s*\(see PROVENANCE\.md\)", "", x) for x in said]
        if drugs and "synthetic_opioids" not in drugs:  # that figure is not on this chart
            said = [x for x in said if "synthetic-opioid" not in x.lower()] or ["__none__"]
        if said != ["__none__"]:
            bits.append(said[0].rstrip(".;") if said else "one figure from a secondary source")
    if entry.get("layout") == "dea_fentanyl_figures" or "hand-entered" in words:
        bits.append(
            "figures as reported in DEA and agency statements, hand-entered with their quotes"
        )
    if "compilation" in words or "compiled" in words:
        # a secondary-source caveat is the exception to it ('compiled from official tables;
        # The 2023 count ... is from a secondary source' read as a contradiction)
        if bits and "secondary source" in bits[0].lower():
            caveat = bits.pop(0)
            bits.insert(
                0, "compiled from official tables, except: " + caveat[:1].lower() + caveat[1:]
            )
        else:
            bits.insert(0, "compiled from official tables")
    return "; ".join(bits)


def source_line(
    source_ids: list[str], drugs: frozenset[str] = frozenset(), pointer: bool = True
) -> str:
    """The files the drawn rows come from (drugs: the drug codes drawn, to keep only the
    caveats that concern them; pointer: say where the app lists the official pages, which
    means nothing on a slide)."""
    try:
        known = manifest.by_id()
    except (FileNotFoundError, ValueError):
        known = {}
    parts = []
    for sid in dict.fromkeys(s for s in source_ids if s):
        e = known.get(sid)
        if e:
            title = re.sub(r"\s*\([^()]*\)$", "", e["title"])  # a closing aside, not the name
            q = qualifier(e, drugs)
            rel = _release(title, str(e.get("release") or ""))
            parts.append(title + (f" [{rel}]" if rel else "") + (f" ({q})" if q else ""))
        else:
            parts.append(f"uploaded file {sid}")
    if not parts:
        return "nothing drawn for this selection."
    return "; ".join(parts) + (". Official pages: Sources & methods." if pointer else ".")


def _release(title: str, release: str) -> str:
    """The release in words that do not repeat the title: 'FY2019-FY2022 final' of 'CBP ...
    Seizures FY2019-FY2022' -> 'final'; 'Vintage 2024 (December 2024)' -> 'December 2024'."""
    words = release.split(" ")
    for k in range(len(words), 0, -1):  # the longest opening words the title ends with
        if title.endswith(" ".join(words[:k])):
            rest = " ".join(words[k:])
            if rest.startswith("(") and rest.endswith(")"):
                rest = rest[1:-1]
            return "" if rest in ("", "edition") else rest
    return release


def ids(*frames: pd.DataFrame) -> list[str]:
    out: set[str] = set()
    for df in frames:
        if df is not None and "source_id" in df and len(df):
            s = df["source_id"]
            if isinstance(s.dtype, pd.CategoricalDtype):  # the codes present, not every row
                codes = np.unique(s.cat.codes.to_numpy())
                out.update(str(v) for v in s.cat.categories[codes[codes >= 0]])
            else:
                out.update(str(v) for v in s.dropna().unique())
    return sorted(out)
