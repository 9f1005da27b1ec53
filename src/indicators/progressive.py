"""A new visitor's page: its top first, then the rest.

A new visitor's browser has fetched none of Streamlit's element scripts yet. Everything the
first run sends asks for its script at once, over the six connections a browser opens to one
server, so the Plotly script waits in line behind the sidebar's widgets; and once it has
arrived, Plotly draws every chart of the page in one task, so the first chart shows only when
the last one is drawn (bench/README.md). So the first run of a session draws the page's title,
its own controls and its top chart only: the sidebar (navigation and filters) waits, and every
other chart gets an empty box of its own height, so nothing moves when it comes. A small
component in the sidebar asks for the next run once the top chart is on screen (or at once
when the page has no chart to wait for), and that run draws everything. Every later run of
the session draws everything at once.

The app's entry point calls `start` before the page (and draws the sidebar only if `staged()`
is false, `ask_for_the_rest` in its place) and `finish` after it; the pages' chart calls ask
`hold` before drawing. A page file run alone (as Streamlit's AppTest runs pages) holds nothing.
"""

from __future__ import annotations

import functools
import os

import streamlit as st

_RUN = "_progressive_run"  # charts met so far while this is the staged first run; else absent
_DONE = "_progressive_done"  # the session's first run has started
COMPONENT_KEY = "first_chart_drawn"
HELD_PREFIX = "held_"  # a held chart's box has the key held_<chart key>
HELD_SELECTOR = f"[class*='st-key-{HELD_PREFIX}']"  # its element in the page

# Asks for the next run once the first chart's SVG is in the page, or once the script has
# finished without any chart to wait for (a page without charts, or one stopped early), or
# after `data.fallback_ms` whatever happened (a chart Plotly failed to draw; 0: never). Chart
# elements carry the keys `chart_<name>` (ui.show) and `claimchart_<id>` (ui.claim_card);
# Streamlit gives them the class `st-key-<key>`.
JS = """
export default function (component) {
  const { setTriggerValue, data } = component;
  const app = document.querySelector("[data-testid='stApp']");
  const drawn = () => !!document.querySelector("[data-testid='stPlotlyChart'] .main-svg");
  const coming = () =>
    !!document.querySelector("[class*='st-key-chart_'], [class*='st-key-claimchart_']");
  const idle = () => !!app && app.getAttribute("data-test-script-state") === "notRunning";
  let done = false;
  const observer = new MutationObserver(() => check());
  const timer = data.fallback_ms ? setTimeout(() => fire(), data.fallback_ms) : null;
  function fire() {
    if (done) return;
    done = true;
    observer.disconnect();
    if (timer) clearTimeout(timer);
    setTriggerValue("drawn", true);
  }
  function check() {
    if (drawn() || (idle() && !coming())) fire();
  }
  observer.observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-test-script-state"],
  });
  check();
  return () => { observer.disconnect(); if (timer) clearTimeout(timer); };
}
"""


def fallback_seconds() -> float:
    """How long the browser waits for the first chart before asking for the rest anyway:
    $INDICATORS_FIRST_RUN_FALLBACK_S, 10 by default (0: never; the browser tests run so)."""
    return float(os.environ.get("INDICATORS_FIRST_RUN_FALLBACK_S", "10"))


@functools.cache
def _component():
    return st.components.v2.component("indicators_first_chart_drawn", js=JS)


def start() -> None:
    """Before the page: make this run the staged one if it is the session's first."""
    first = _DONE not in st.session_state
    st.session_state[_DONE] = True
    if first:
        st.session_state[_RUN] = 0
    else:
        st.session_state.pop(_RUN, None)


def staged() -> bool:
    """True in a session's first run, which draws only the top of the page."""
    return _RUN in st.session_state


def ask_for_the_rest(where=st) -> None:
    """The component that asks for the next run (drawn in `where`: the sidebar, which it also
    holds open, so the page keeps its width when the filters come)."""
    with where:
        _component()(
            key=COMPONENT_KEY,
            data={"fallback_ms": int(fallback_seconds() * 1000)},
            on_drawn_change=lambda: None,
            height="content",
        )


def hold(height: int, key: str, where=st) -> bool:
    """True if this chart is held in this run: an empty box of its height (pixels) stands in
    its place (drawn in `where`, a column, say). The first chart of a run is never held."""
    if _RUN not in st.session_state:
        return False
    st.session_state[_RUN] += 1
    if st.session_state[_RUN] == 1:
        return False
    where.container(height=int(height), border=False, key=f"{HELD_PREFIX}{key}")
    return True


def finish() -> None:
    """After the page: the staged run is over (a later run that skips `start`, as a page file
    run alone does, holds nothing)."""
    st.session_state.pop(_RUN, None)
