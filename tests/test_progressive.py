"""A new visitor's first run draws the top of the page only (progressive.py): the sidebar and
every chart but the first wait for the next run, which the browser asks for; every later run
draws everything. The browser side (the top chart on screen first, nothing moving when the
rest comes, chartless and stopped pages) is tested in test_browser.py."""

from __future__ import annotations

from apphelpers import walk
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from indicators import progressive


def _page():
    """Three charts (stand-ins: a line of text each) under the entry point's calls."""
    import streamlit as st

    from indicators import progressive

    entry = st.session_state.get("as_entry_point", True)
    if entry:
        progressive.start()
        if progressive.staged():
            progressive.ask_for_the_rest(st.sidebar)
        else:
            st.sidebar.markdown("filters")
    for key, height in (("a", 500), ("b", 420), ("c", 380)):
        if not progressive.hold(height, key):
            st.markdown(f"chart {key}")
    if entry:
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
    assert progressive.COMPONENT_KEY in _keys(at)  # what asks for the next run
    assert [m.value for m in at.sidebar.markdown] == []


def test_every_later_run_draws_everything_and_asks_for_nothing():
    at = AppTest.from_function(_page)
    at.run()
    at.run()  # what the component's trigger (or any widget) starts
    assert [m.value for m in at.main.markdown] == ["chart a", "chart b", "chart c"]
    assert [m.value for m in at.sidebar.markdown] == ["filters"]
    assert not [k for k in _keys(at) if k.startswith("held_") or k == progressive.COMPONENT_KEY]
    at.run()
    assert [m.value for m in at.main.markdown] == ["chart a", "chart b", "chart c"]


def test_a_page_run_without_the_entry_point_holds_nothing():
    at = AppTest.from_function(_page)
    at.session_state["as_entry_point"] = False
    at.run()
    assert [m.value for m in at.markdown] == ["chart a", "chart b", "chart c"]
    assert progressive.COMPONENT_KEY not in _keys(at)


def test_the_apps_first_run_is_the_overviews_top_and_the_next_has_the_filters():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value == "U.S. drug-trafficking indicators"
    assert len(at.get("plotly_chart")) == 1  # the overview's one chart
    assert not at.sidebar.radio and not at.sidebar.multiselect  # no filters yet
    assert progressive.COMPONENT_KEY in _keys(at)
    at.run()
    assert not at.exception
    assert [r.label for r in at.sidebar.radio] == ["Year basis"]
    assert at.sidebar.multiselect and at.sidebar.toggle
    assert progressive.COMPONENT_KEY not in _keys(at)
    assert len(at.get("plotly_chart")) == 1


def test_the_claims_pages_first_run_is_its_top_card_and_the_next_everything():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/claims.py")  # a new visitor's first page
    at.run()
    assert not at.exception
    assert at.title[0].value == "Article claims, checked against the data"
    cards = [k for k in _keys(at) if k.startswith("card_")]
    assert len(cards) == 1 and len(at.get("plotly_chart")) == 1
    assert progressive.COMPONENT_KEY in _keys(at)
    # "Check any article" (a hidden tab) and the events list wait for the next run too
    assert not at.text_area and not at.text_input
    assert "Dated events in the article" not in [s.value for s in at.subheader]
    at.run()
    assert not at.exception
    assert len([k for k in _keys(at) if k.startswith("card_")]) > 1
    assert len(at.get("plotly_chart")) > 1
    assert [t.label for t in at.text_area] == ["Article text"] and len(at.text_input) == 5
    assert "Dated events in the article" in [s.value for s in at.subheader]
