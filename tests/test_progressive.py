"""A new visitor's first page run holds every chart but the first (progressive.py); every
later run draws them all. The browser side (the top chart on screen first, nothing moving when
the others come) is tested in test_browser.py."""

from __future__ import annotations

from apphelpers import walk
from streamlit.testing.v1 import AppTest


def _page():
    """A page of three charts (stand-ins: a line of text each) under the entry point's calls."""
    import streamlit as st

    from indicators import progressive

    if st.session_state.get("as_entry_point", True):
        progressive.start()
    charts = (("a", 500), ("b", 420), ("c", 380))[: st.session_state.get("charts", 3)]
    for key, height in charts:
        if not progressive.hold(height, key):
            st.markdown(f"chart {key}")
    if st.session_state.get("as_entry_point", True):
        progressive.finish()


def _keys(at: AppTest) -> list[str]:
    return [n.key for n in walk(at._tree) if getattr(n, "key", None)]


def test_first_run_holds_all_but_the_first_chart_in_boxes_of_their_height():
    at = AppTest.from_function(_page)
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["chart a"]
    held = {n.key: n.proto.height_config.pixel_height for n in walk(at._tree) if getattr(n, "key", "") and n.key.startswith("held_")}  # fmt: skip
    assert held == {"held_b": 420, "held_c": 380}
    assert "first_chart_drawn" in _keys(at)  # the component that asks for the next run


def test_every_later_run_draws_every_chart_and_asks_for_nothing():
    at = AppTest.from_function(_page)
    at.run()
    at.run()  # what the component's trigger (or any widget) starts
    assert [m.value for m in at.markdown] == ["chart a", "chart b", "chart c"]
    assert not [k for k in _keys(at) if k.startswith("held_") or k == "first_chart_drawn"]
    at.run()
    assert [m.value for m in at.markdown] == ["chart a", "chart b", "chart c"]


def test_a_page_run_without_the_entry_point_holds_nothing():
    at = AppTest.from_function(_page)
    at.session_state["as_entry_point"] = False
    at.run()
    assert [m.value for m in at.markdown] == ["chart a", "chart b", "chart c"]
    assert "first_chart_drawn" not in _keys(at)


def test_a_first_page_of_one_chart_asks_for_no_second_run():
    at = AppTest.from_function(_page)
    at.session_state["charts"] = 1
    at.run()
    assert [m.value for m in at.markdown] == ["chart a"]
    assert "first_chart_drawn" not in _keys(at)
