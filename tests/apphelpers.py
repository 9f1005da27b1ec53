"""Helpers for Streamlit AppTest: find widgets by key anywhere, read Plotly figures."""

from __future__ import annotations

import base64
import json

import numpy as np
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators import progressive


def app(page: str | None = None, query: dict | None = None) -> AppTest:
    # a run that previews an upload waits for the worker, which runs at a lower priority and,
    # under the suite's four workers on two cores, can take a minute (seen: 129 s for a test
    # of five uploads)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if query:
        at.query_params.update(query)
    at.run()
    if first_run_asks_for_more(at):
        at.run()  # as the browser does at once (progressive.py)
    if page:
        at.switch_page(f"pages/{page}.py").run()
        # AppTest runs the page file alone, without the entrypoint that draws the sidebar
        # every run in the real app; Streamlit then forgets the state of sidebar widgets
        # after one run. Re-apply what the test set before each run, as the sidebar would.
        at._sidebar_state = {}
        real_run = at.run

        def run(*a, **kw):
            for k, v in at._sidebar_state.items():
                at.session_state[k] = v
            return real_run(*a, **kw)

        at.run = run
    return at


def first_run_asks_for_more(at: AppTest) -> bool:
    """A session's first run draws the top of the page and a component that asks for the
    next run (indicators.progressive)."""
    return any(getattr(n, "key", None) == progressive.COMPONENT_KEY for n in walk(at._tree))


def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for c in children.values():
            yield from walk(c)


class _StateWidget:
    """Stand-in for a sidebar widget AppTest does not list after switch_page: sets the
    widget's own session-state key, which is what the widget itself does on a change."""

    def __init__(self, at: AppTest, key: str):
        self.at, self.key = at, key

    def set_value(self, v):
        sticky = getattr(self.at, "_sidebar_state", {})
        if self.key == "years_slider":
            sticky["f_year_from"], sticky["f_year_to"] = v
        else:
            sticky[self.key] = v
        for k, val in sticky.items():
            self.at.session_state[k] = val
        return self.at


SIDEBAR_KEYS = {"f_basis", "years_slider", "f_agencies", "f_claims", "f_article", "f_present"}


def frame(at: AppTest, column: str):
    """The displayed table with this (readable) column; AppTest does not keep table keys."""
    found = [d.value for d in at.dataframe if column in getattr(d.value, "columns", [])]
    assert found, f"no table with a column {column!r}"
    return found[0]


def widget(at: AppTest, key: str):
    for n in walk(at._tree):
        if getattr(n, "key", None) == key and hasattr(n, "set_value"):
            return n
    if key in SIDEBAR_KEYS:
        return _StateWidget(at, key)
    raise KeyError(key)


def _decode(v):
    """Plotly may encode arrays as base64 typed arrays."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return v


def figures(at: AppTest) -> list[dict]:
    out = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        for tr in spec.get("data", []):
            for k in ("x", "y", "z"):
                if k in tr:
                    tr[k] = _decode(tr[k])
        out.append(spec)
    return out


def figure(at: AppTest, title_part: str) -> dict:
    for f in figures(at):
        if title_part in f["layout"]["title"]["text"]:
            return f
    raise KeyError(
        f"no figure titled like {title_part!r}: {[f['layout']['title']['text'] for f in figures(at)]}"
    )


def point(fig: dict, trace_name: str, x) -> float | None:
    """The y of series `trace_name` (its key, e.g. a component, or its label) at x."""
    for tr in fig["data"]:
        if trace_name in (tr.get("legendgroup"), tr.get("name")):
            for xx, yy in zip(tr["x"], tr["y"], strict=False):
                if xx == x:
                    return yy
    return None


def claim_traces(fig: dict) -> list[dict]:
    """Claim markers and event badges drawn on a figure."""
    marks = [t for t in fig["data"] if str(t.get("name", "")).startswith("Claim")]
    badges = [a for a in fig["layout"].get("annotations", []) if a.get("name") == "event_badge"]
    return marks + badges


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


def shown_text(at: AppTest) -> str:
    """What a reader sees of the page's text and Markdown elements: Markdown escapes and HTML
    entities (how `ui.text` makes user text inert) resolved to the characters shown, and the
    zero-width spaces that keep addresses from becoming links left out (nothing is shown)."""
    import html
    import re

    md = [html.unescape(re.sub(r"\\(.)", r"\1", m.value)) for m in at.markdown]
    return " ".join([*md, *(t.value for t in at.text)]).replace("\u200b", "")
