"""A new visitor's page: the top chart first, then the others.

A browser cannot show a Streamlit page's charts one by one: Streamlit mounts every Plotly
chart when its Plotly script has arrived, and Plotly draws them all in one task, so the first
chart shows only when the last one is drawn (0.1-0.2 s later on pages of five to ten charts;
bench/README.md). So the first run of a session draws the page's first chart and holds the
others: each held chart gets an empty box of its own height, so nothing moves when it comes.
A small component at the end of the page tells the server once the first chart is on screen,
and the run that this starts draws every chart. Every later run of the session draws every
chart at once (the Plotly script is loaded by then).

The app's entry point calls `start` before the page and `finish` after it; the pages' chart
calls ask `hold` before drawing. A page file run alone (as Streamlit's AppTest runs pages)
holds nothing.
"""

from __future__ import annotations

import functools

import streamlit as st

_RUN = "_progressive_run"  # this run's counts while it holds charts; absent otherwise
_DONE = "_progressive_done"  # the session's first run has started

# Fires once the first chart's SVG is in the page (or after 10 s, should it never draw).
JS = """
export default function (component) {
  const { setTriggerValue } = component;
  const drawn = () => document.querySelector("[data-testid='stPlotlyChart'] .main-svg");
  let done = false, observer = null, timer = null;
  const fire = () => {
    if (done) return;
    done = true;
    if (observer) observer.disconnect();
    clearTimeout(timer);
    setTriggerValue("drawn", true);
  };
  if (drawn()) { fire(); return; }
  observer = new MutationObserver(() => { if (drawn()) fire(); });
  observer.observe(document.body, { childList: true, subtree: true });
  timer = setTimeout(fire, 10000);
  return () => { if (observer) observer.disconnect(); clearTimeout(timer); };
}
"""


@functools.cache
def _component():
    return st.components.v2.component("indicators_first_chart_drawn", js=JS)


def start() -> None:
    """Before the page: hold charts in this run if it is the session's first."""
    first = _DONE not in st.session_state
    st.session_state[_DONE] = True
    if first:
        st.session_state[_RUN] = {"charts": 0, "held": 0}
    else:
        st.session_state.pop(_RUN, None)


def hold(height: int, key: str, where=st) -> bool:
    """True if this chart is held in this run: an empty box of its height (pixels) stands in
    its place (drawn in `where`, a column, say). The first chart of a run is never held."""
    run = st.session_state.get(_RUN)
    if run is None:
        return False
    run["charts"] += 1
    if run["charts"] == 1:
        return False
    run["held"] += 1
    where.container(height=int(height), border=False, key=f"held_{key}")
    return True


def finish() -> None:
    """After the page: if charts were held, the component that asks for the run drawing them."""
    run = st.session_state.pop(_RUN, None)
    if run and run["held"]:
        _component()(key="first_chart_drawn", on_drawn_change=lambda: None, height="content")
