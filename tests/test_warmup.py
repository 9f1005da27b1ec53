"""The server half of app.py: st.App whose start-up warms the process for the first visitor."""

from __future__ import annotations

import importlib.util

import streamlit as st
from apphelpers import app, errors
from conftest import ROOT

from indicators import charts, derived, warmup


def test_app_py_is_the_server_when_imported():
    """`streamlit run app.py` imports app.py and serves its `app`; run as a script (every
    visitor), the same file is the page script (the AppTest and browser tests)."""
    spec = importlib.util.spec_from_file_location("app", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert isinstance(module.app, st.App)
    assert module.app.script_path.resolve() == (ROOT / "app.py").resolve()


def test_warm_up_builds_what_the_first_visitor_sees(data_dir):
    """After the warm-up, a first visitor's overview is drawn without building a chart or
    evaluating a claim: the keys the warm-up fills are the ones the page asks for."""
    with charts._BUILT_LOCK:
        charts._BUILT.clear()
    derived._verdicts.cache_clear()
    derived._claims_view.cache_clear()
    assert warmup.run() > 0
    assert derived._verdicts.cache_info().currsize == 1
    before = dict(charts.BUILT_STATS)
    verdicts_before = derived._verdicts.cache_info()
    at = app()  # the overview, from an empty URL
    assert errors(at) == []
    assert charts.BUILT_STATS["builds"] == before["builds"]
    assert charts.BUILT_STATS["hits"] > before["hits"]
    assert derived._verdicts.cache_info().misses == verdicts_before.misses
    # and the claims page's cards (fourteen charts) for the article a first visitor opens on
    cards_before = derived._claims_view.cache_info()
    at.switch_page("pages/claims.py").run()
    assert errors(at) == [] and at.get("plotly_chart")
    after = derived._claims_view.cache_info()
    assert after.misses == cards_before.misses and after.hits > cards_before.hits


def test_warm_up_does_streamlits_own_first_run_work(data_dir):
    """Streamlit's first element of a process asks `env_util.is_repl()`, whose
    `inspect.stack()` maps every loaded module to its file the first time (about 0.2 s, once
    per process). The warm-up does that mapping: afterwards every loaded module is mapped
    (CPython keeps the map in `inspect._filesbymodname`), and PIL, for the favicon, is loaded."""
    import inspect
    import sys

    inspect._filesbymodname.clear()  # as in a new server process, whatever ran here before
    inspect.modulesbyfile.clear()
    warmup.run()
    loaded = [n for n, m in list(sys.modules.items()) if getattr(m, "__file__", None)]
    mapped = set(inspect._filesbymodname)
    assert len(loaded) > 500
    assert [n for n in loaded if n not in mapped] == []
    assert "PIL.Image" in sys.modules
