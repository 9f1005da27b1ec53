"""User-derived text (an uploaded citizenship, area, claim) never renders as markup: not in
Plotly names, ticks, hover, labels or annotations, not in exported SVG, not in table downloads."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from indicators import charts, export, query
from indicators.filters import Filters
from indicators.store import Store

LINK = '<a href="https://evil.example">CLICK ME</a>'
STYLE = '<span style="font-size:90px;color:red">BIG</span>'
FORMULA = '=HYPERLINK("https://evil.example","x")'


@pytest.fixture
def hostile_store(data_dir) -> Store:
    store = Store(data_dir)
    e = store.load("encounters")
    rows = e[e.citizenship == "INDIA"].copy()
    bad = pd.concat(
        [
            rows.assign(citizenship=LINK),
            rows.assign(citizenship=STYLE),
            rows.assign(citizenship=FORMULA),
        ]
    )
    bad["encounters"] = bad["encounters"] * 50  # large enough to rank among the top
    with store.lock():
        store.commit({"encounters": pd.concat([e, bad], ignore_index=True)}, "hostile values")
    query.clear_cache()
    return store


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _strings(v)


@pytest.mark.parametrize("cit", [LINK, STYLE])
def test_hostile_values_are_inert_in_every_figure_text(hostile_store, cit):
    f = Filters(basis="fiscal", citizenship=cit, dimension="citizenship")
    names = [
        "encounters_breakdown",
        "encounters_citizenship",
        "encounters_citizenship_monthly",
        "encounters_top_citizenships",
    ]
    seen_escaped = False
    for n in names:
        c = charts.build(n, f, hostile_store, None)
        texts = list(_strings(c.fig.to_plotly_json()))
        blob = "\n".join(texts)
        raw = [t for t in texts if "<a " in t or "<span" in t or 'href="' in t]
        assert raw == [], (n, raw[:3])
        seen_escaped |= "&lt;a href=" in blob or "&lt;span style=" in blob
    assert seen_escaped  # the value is shown, as text


def test_hostile_values_are_inert_in_exported_svg(hostile_store):
    f = Filters(basis="fiscal", dimension="citizenship")
    c = charts.build("encounters_top_citizenships", f, hostile_store, None, charts.style.EXPORT)
    svg = export.image(c.fig, "svg").decode()
    low = svg.lower()
    assert "evil.example" in low  # the text is there (title-cased as a name)...
    assert "<a " not in low and 'href="https://evil.example"' not in low  # ...but no link
    assert "font-size:90px" not in svg.replace(" ", "") or "&lt;span" in svg


def test_hostile_values_are_neutral_in_csv_and_tables(hostile_store):
    f = Filters(basis="fiscal", dimension="citizenship")
    c = charts.build("encounters_top_citizenships", f, hostile_store, None)
    assert FORMULA in set(c.data.citizenship)
    csv = export.safe_csv(c.data)
    assert "\n=HYPERLINK" not in csv and "'=HYPERLINK" in csv
    shown = export.display_frame(c.data)  # what the page's table (and its own download) shows
    assert not shown.citizenship.astype(str).str.startswith(("=", "+", "-", "@")).any()
    assert json.dumps(list(shown.columns))  # headers are plain text too
